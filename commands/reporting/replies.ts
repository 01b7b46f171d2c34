/** The reply to a logged report: what was recorded, how the status changed, and what was not recorded. */
import type { Unrecorded } from '../../src/domain/reading/index.ts';
import type { Item, Update } from '../../src/domain/schema.ts';
import { formatNumber, type Locale, messages, pick } from '../../src/i18n/index.ts';
import { reasonWords, sortReasons } from '../../src/words/status.ts';
import { statusLabel } from '../format.ts';
import { joinMd, type Mrkdwn, md, type Reply } from '../reply.ts';
import type { LogResult } from './log.ts';

function figureText(item: Item, update: Update, increment: number | undefined, locale: Locale): string {
  const m = messages(locale).progress;
  const unit = 'unit' in item ? pick(item.unit, locale) : '';
  const u = (n: number) => (unit === '%' ? `${formatNumber(n, locale)}%` : `${formatNumber(n, locale)} ${unit}`.trim());
  const parts: string[] = [];
  if (update.value !== undefined) {
    const target = 'target' in item ? item.target : undefined;
    const total =
      target !== undefined && 'baseline' in item
        ? `${formatNumber(update.value, locale)}/${formatNumber(target, locale)}`
        : u(update.value);
    parts.push(increment !== undefined ? m.increment(u(increment), total) : m.value(total, unit));
  }
  if (update.percent !== undefined) parts.push(m.percent(formatNumber(update.percent, locale)));
  if (update.milestoneId && 'milestones' in item) {
    const ms = item.milestones.find((x) => x.id === update.milestoneId);
    if (ms) parts.push(m.milestone(pick(ms.name, locale)));
  } else if (update.state) parts.push(messages(locale).state[update.state]);
  return parts.join(messages(locale).format.phraseSeparator);
}

/** "已记录：城市更新项目开工数 新增 5 项（累计 31/40）。状态：🟡 预警 → 🟢 正常" */
export function loggedReply(
  r: Extract<LogResult, { kind: 'logged' }>,
  increment: number | undefined,
  locale: Locale,
  unrecorded: readonly Unrecorded[] = [],
): Reply {
  const m = messages(locale).progress;
  const item = r.after.item;
  const figure = figureText(item, r.update, increment, locale);
  const name = pick(item.name, locale);
  const lines: Mrkdwn[] = [md`✅ ${figure ? m.recorded(name, figure) : m.recordedNote(name)}`];
  const change =
    r.before.status === r.after.status
      ? m.statusSame(statusLabel(r.after.status, locale))
      : m.statusChange(statusLabel(r.before.status, locale), statusLabel(r.after.status, locale));
  lines.push(md`${change}`);
  // At risk on the forecast alone (the pace may just have come back on plan): say why it still is.
  const top = sortReasons(r.after.reasons)[0];
  if (top?.code === 'forecast_miss') lines.push(md`${reasonWords(top, locale, top.forecast.last.date)}`);
  if (r.reviewId) lines.push(md`${m.reviewRequested}`);
  if (r.update.evidence.length > 0) lines.push(md`${m.evidence(r.update.evidence.length)}`);
  // Never drop a figure silently: say what the text held that was not recorded, and how to record it.
  if (unrecorded.length > 0) lines.push(unrecordedLine(unrecorded, item, locale));
  const text = `${figure ? m.recorded(name, figure) : m.recordedNote(name)} ${change}`;
  return {
    text,
    blocks: [{ type: 'section', text: joinMd(lines) }],
    visibility: 'in_channel',
    about: { departmentId: item.departmentId, itemIds: [item.id] },
  };
}

function unrecordedLine(list: readonly Unrecorded[], item: Item, locale: Locale): Mrkdwn {
  const m = messages(locale).progress.unrecorded;
  const f = messages(locale).format;
  const words: Record<string, string> = {
    done: messages(locale).state.done,
    blocked: messages(locale).state.blocked,
    delayed: messages(locale).state.delayed,
  };
  const parts = list.slice(0, 5).map((u) => `“${words[u.raw] ?? u.raw}”${f.parens(m[u.reason])}`);
  const first = list.find((u) => u.reason !== 'state');
  const example = first ? `/progress ${item.id} ${first.raw}` : `/progress ${item.id}`;
  return md`ℹ️ ${m.title}${parts.join(f.clauseSeparator)}${f.fullStop}${f.sentenceSeparator}${m.howTo(example)}`;
}
