/**
 * 趋势图 / Trend on an item's detail view: which items have one, and what a click finds. Drawing and
 * sending the picture is Slack's side (src/slack/listeners/charts.ts); this says only what to draw, or
 * why there is nothing to draw, in the asker's language.
 */
import type { ItemProgress } from '../src/domain/progress.ts';
import type { ItemStatus } from '../src/domain/status.ts';
import { messages, pick } from '../src/i18n/index.ts';
import type { CommandContext } from './context.ts';
import type { Button } from './reply.ts';

export const TREND_CHART = 'duban.chart.trend';

/** Targets with reports to draw, and every project (its milestones are a trend of their own). */
export function hasTrend(s: ItemStatus): boolean {
  return s.kind === 'project' || (s.kind === 'target' && s.progress.series.length > 0);
}

export function trendButton(s: ItemStatus, ctx: Pick<CommandContext, 'locale'>): Button {
  return { text: messages(ctx.locale).chartPost.trendButton, actionId: TREND_CHART, value: s.item.id };
}

export type TrendSubject =
  | { kind: 'gone'; text: string }
  | { kind: 'found'; status: ItemStatus; progress: ItemProgress; name: string; number: string };

/** The item a 趋势图 click is about, as it stands today; or why it cannot be drawn. */
export function trendSubject(itemId: string, ctx: CommandContext): TrendSubject {
  const m = messages(ctx.locale).chartPost;
  const status = ctx.model.item(itemId) ? ctx.model.evaluate(ctx.today).byId.get(itemId) : undefined;
  if (!status) return { kind: 'gone', text: m.trendGone };
  const n = ctx.model.numberOf(itemId);
  return {
    kind: 'found',
    status,
    progress: status.progress,
    name: pick(status.item.name, ctx.locale),
    number: n ? messages(ctx.locale).format.parens(`#${n}`) : '',
  };
}

/** Nothing to draw yet: says so, with the command that would give it something. */
export function noTrendText(subject: Extract<TrendSubject, { kind: 'found' }>, ctx: CommandContext): string {
  const n = ctx.model.numberOf(subject.status.item.id);
  const example = subject.status.kind === 'target' ? `/progress #${n ?? 12} 31` : `/progress #${n ?? 12} 60%`;
  return messages(ctx.locale).chartPost.trendNoData(subject.name, example);
}
