/** Shared rendering of statuses, reasons and lists into reply blocks. */

import type { DepartmentRollup, StatusCounts } from '../src/domain/rollup.ts';
import type { Item, Target } from '../src/domain/schema.ts';
import type { ItemStatus, Reason, Status } from '../src/domain/status.ts';
import { formatDate, formatNumber, type Locale, messages, pick } from '../src/i18n/index.ts';
import { departmentName, percentWords, reasonWords, reporterName, sortReasons, withUnit } from '../src/words/status.ts';
import type { CommandContext } from './context.ts';
import { joinMd, type Mrkdwn, md, type Reply, type ReplyBlock, trusted } from './reply.ts';

export const STATUS_EMOJI: Record<Status, string> = {
  red: '🔴',
  amber: '🟡',
  green: '🟢',
  done: '✅',
  exempt: '⚪',
  pending: '⚪',
};

export const PAGE_SIZE = 10;
export const MAX_QUERY_LENGTH = 200;

export function statusLabel(status: Status, locale: Locale): string {
  return `${STATUS_EMOJI[status]} ${messages(locale).status[status]}`;
}

/** Who reported, in words: a person as recorded, the sample data, an import file or duban itself (never its internal label). */
export { departmentName, reporterName };

/** One reason in words: "计划进度 75%，实际 52%，落后 23 个百分点". Escaped for mrkdwn. */
export function reasonText(reason: Reason, ctx: Pick<CommandContext, 'locale' | 'today'>): Mrkdwn {
  return md`${reasonWords(reason, ctx.locale, ctx.today)}`;
}

/** The reasons worth showing: the ones that set the status first, informational ones after. */
export function reasonsText(s: ItemStatus, ctx: Pick<CommandContext, 'locale' | 'today'>, max = 3): Mrkdwn {
  const sorted = sortReasons(s.reasons).slice(0, max);
  return joinMd(
    sorted.map((r) => reasonText(r, ctx)),
    messages(ctx.locale).format.clauseSeparator,
  );
}

function figure(s: ItemStatus, locale: Locale): string | undefined {
  const m = messages(locale);
  if (s.kind === 'target') {
    const t = s.item as Target;
    if (s.actual === undefined) return undefined;
    if (t.kind === 'cumulative' && t.baseline > t.target) {
      // A target to bring a figure down: the figure left, the ceiling, and what was cut of what must be cut.
      const cut = Math.max(0, t.baseline - s.actual);
      return m.list.reduction(
        withUnit(s.actual, t.unit, locale),
        withUnit(t.target, t.unit, locale),
        formatNumber(round(cut), locale),
        formatNumber(round(t.baseline - t.target), locale),
      );
    }
    const target =
      t.kind === 'level'
        ? `${t.comparator === 'atLeast' ? '≥' : '≤'}${withUnit(t.target, t.unit, locale)}`
        : withUnit(t.target, t.unit, locale);
    const actual = t.kind === 'level' ? withUnit(s.actual, t.unit, locale) : formatNumber(s.actual, locale);
    return m.list.actualOfTarget(actual, target);
  }
  if (s.completion !== undefined) return m.list.percentDone(percentWords(s.completion * 100, locale));
  return undefined;
}

/** A list entry for one item: status, name and figure on the first line; reasons, milestones and the last report below. */
/** Rounds a difference of two figures so float noise (45 − 32.4) never shows. */
function round(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}

export type ItemTextOptions = {
  /** Name the lead department of every item. */
  owner?: boolean;
  /** The department whose list this is: items it only supports are labelled as such, with their lead. */
  department?: string;
};

export function itemSection(s: ItemStatus, ctx: CommandContext, opts: ItemTextOptions = {}): ReplyBlock {
  return { type: 'section', text: itemText(s, ctx, opts) };
}

export function itemText(s: ItemStatus, ctx: CommandContext, opts: ItemTextOptions = {}): Mrkdwn {
  const m = messages(ctx.locale);
  const name = pick(s.item.name, ctx.locale);
  const fig = figure(s, ctx.locale);
  const head = fig ? md`${STATUS_EMOJI[s.status]} *${name}* · ${fig}` : md`${STATUS_EMOJI[s.status]} *${name}*`;
  const details: Mrkdwn[] = [reasonsText(s, ctx)];
  if (s.nextMilestone && !s.reasons.some((r) => r.code === 'milestone_due_soon')) {
    details.push(
      md`${m.list.nextMilestone(pick(s.nextMilestone.milestone.name, ctx.locale), formatDate(s.nextMilestone.milestone.due, ctx.locale, ctx.today))}`,
    );
  }
  const meta: string[] = [];
  const owner = ctx.model.department(s.item.departmentId);
  if (opts.department && opts.department !== s.item.departmentId && owner)
    meta.push(m.list.supports(departmentName(owner, ctx.locale)));
  else if (opts.owner && owner) meta.push(m.list.owner(departmentName(owner, ctx.locale)));
  meta.push(
    s.progress.lastReportDate
      ? m.list.lastReport(
          formatDate(s.progress.lastReportDate, ctx.locale, ctx.today),
          reporterName(s.progress.lastReportBy, ctx.locale),
        )
      : m.list.noReport,
  );
  const n = ctx.model.numberOf(s.item.id);
  meta.push(n ? `#${n} · \`${s.item.id}\`` : `\`${s.item.id}\``);
  return joinMd([
    head,
    joinMd(
      details.filter((d) => d.mrkdwn.length > 0),
      ' · ',
    ),
    md`_${meta.join(' · ')}_`,
  ]);
}

export function countsText(c: StatusCounts, locale: Locale): string {
  return messages(locale).list.counts(c.red, c.amber, c.green, c.done);
}

/** One department in an overview: rank, counts and the item that most needs attention. */
export function departmentSection(r: DepartmentRollup, ctx: CommandContext): ReplyBlock {
  const m = messages(ctx.locale);
  const name = departmentName(r.department, ctx.locale);
  const counted = r.items.length > 0 ? countsText(r.counts, ctx.locale) : m.list.nothingCounted;
  const lines: Mrkdwn[] = [md`*${name}*　${m.list.rank(r.rank)}　${counted}`];
  if (r.worst) {
    lines.push(
      md`${STATUS_EMOJI[r.worst.status]} ${m.list.worst(pick(r.worst.item.name, ctx.locale))} — ${reasonsText(r.worst, ctx, 1)}`,
    );
  }
  return { type: 'section', text: joinMd(lines) };
}

export type Page<T> = { items: T[]; page: number; pages: number; total: number };

export function paginate<T>(all: readonly T[], page: number, size = PAGE_SIZE): Page<T> {
  const pages = Math.max(1, Math.ceil(all.length / size));
  const p = Math.min(Math.max(1, page), pages);
  return { items: all.slice((p - 1) * size, p * size), page: p, pages, total: all.length };
}

/** Page footer and next/previous buttons that re-run `command` with the same text. */
export function pageBlocks(p: Page<unknown>, command: string, text: string, locale: Locale): ReplyBlock[] {
  if (p.pages <= 1) return [];
  const m = messages(locale);
  const blocks: ReplyBlock[] = [{ type: 'context', elements: [md`${m.list.page(p.page, p.pages, p.total)}`] }];
  const buttons = [];
  // The language travels with the button, so page 2 reads like page 1 whoever clicks.
  const value = (page: number) =>
    JSON.stringify({ c: command, t: text.slice(0, MAX_QUERY_LENGTH), p: page, l: locale });
  if (p.page > 1) buttons.push({ text: m.list.prevPage, actionId: 'duban.page.prev', value: value(p.page - 1) });
  if (p.page < p.pages) buttons.push({ text: m.list.nextPage, actionId: 'duban.page.next', value: value(p.page + 1) });
  blocks.push({ type: 'actions', buttons });
  return blocks;
}

export function asOfContext(ctx: CommandContext): ReplyBlock {
  const m = messages(ctx.locale);
  const parts = [m.list.asOf(formatDate(ctx.today, ctx.locale))];
  if (ctx.model.db.meta.sampleNotice) parts.push(m.list.sampleNotice);
  return { type: 'context', elements: [md`${parts.join(' · ')}`] };
}

/** A polite ephemeral answer to a mistake, with an example of the right form. */
export function usageReply(problem: string, example: string, locale: Locale, extra: Mrkdwn[] = []): Reply {
  const m = messages(locale);
  const lines = [md`${problem}`, ...extra, md`${m.errors.usage('')}\`${example}\``];
  return {
    // The example is a command to type: code in the notification too, as in the message.
    text: `${problem} ${m.errors.usage(`\`${example}\``)}`,
    blocks: [{ type: 'section', text: joinMd(lines) }],
    visibility: 'ephemeral',
  };
}

export function emptyStoreReply(locale: Locale): Reply {
  const text = messages(locale).errors.emptyStore;
  return { text, blocks: [{ type: 'section', text: trusted(text) }], visibility: 'ephemeral' };
}

export function itemName(item: Item, locale: Locale): string {
  return pick(item.name, locale);
}
