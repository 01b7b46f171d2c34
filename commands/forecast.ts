/** The 预测 line of an item's detail: where a cumulative target is heading, or when a project's next milestone is likely. */
import { milestoneForecastOutcome, targetForecastOutcome } from '../src/domain/forecast.ts';
import type { ItemStatus } from '../src/domain/status.ts';
import { messages } from '../src/i18n/index.ts';
import { milestoneForecastWords, noForecastWords, targetForecastWords } from '../src/words/status.ts';
import type { CommandContext } from './context.ts';
import { md, type ReplyBlock } from './reply.ts';

/**
 * "预测　按近三个月进度，预计年底 34/40（85%），缺口 6 项", or why there is none when the reports are
 * too few to carry one. Nothing for a finished, exempt or not yet started item, a level target, or
 * when the forecast is already among the item's reasons.
 */
export function forecastSection(s: ItemStatus, ctx: Pick<CommandContext, 'locale' | 'today'>): ReplyBlock | undefined {
  if (s.status === 'done' || s.status === 'exempt' || s.status === 'pending') return undefined;
  if (s.reasons.some((r) => r.code === 'forecast_miss' || r.code === 'milestone_forecast_late')) return undefined;
  const words = forecastWords(s, ctx);
  return words ? { type: 'section', text: md`*${messages(ctx.locale).forecast.label}*　${words}` } : undefined;
}

function forecastWords(s: ItemStatus, ctx: Pick<CommandContext, 'locale' | 'today'>): string | undefined {
  const item = s.item;
  if (s.kind === 'target' && 'kind' in item && item.kind === 'cumulative') {
    const r = targetForecastOutcome(item, s.progress, ctx.today);
    return r.ok ? targetForecastWords(r.forecast, ctx.locale, ctx.today) : noForecastWords(r.why, ctx.locale);
  }
  if (s.kind === 'project' && 'milestones' in item) {
    const r = milestoneForecastOutcome(item, s.progress, ctx.today);
    return r.ok ? milestoneForecastWords(r.forecast, ctx.locale, ctx.today) : noForecastWords(r.why, ctx.locale);
  }
  return undefined;
}
