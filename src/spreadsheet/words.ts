/** Statuses, reasons and figures in words for the ledger and the bulletin: plain text from src/words, never a reply's escaped mrkdwn. */
import type { Department, LevelTarget, Target } from '../domain/schema.ts';
import type { ItemStatus } from '../domain/status.ts';
import { formatDate, type Locale, messages, pick } from '../i18n/index.ts';
import { departmentName, reasonWords, reporterName, sortReasons, statusWord, withUnit } from '../words/status.ts';

export { departmentName, reporterName, statusWord, withUnit };

/** Red items first: the reasons that set the status, then the informational ones. */
export function reasonsInWords(s: ItemStatus, locale: Locale, today: string): string[] {
  return sortReasons(s.reasons).map((r) => reasonWords(r, locale, today));
}

/** "≥7.5%" for a level target, "40 项" for a cumulative one. */
export function targetText(t: Target, locale: Locale): string {
  // A target to bring a figure down says so: "降至 30 万平方米", not a bare 30 beside 45.
  if (t.kind === 'cumulative' && t.baseline > t.target)
    return messages(locale).list.downTo(withUnit(t.target, t.unit, locale));
  if (t.kind === 'level')
    return `${(t as LevelTarget).comparator === 'atLeast' ? '≥' : '≤'}${withUnit(t.target, t.unit, locale)}`;
  return withUnit(t.target, t.unit, locale);
}

export function milestoneText(
  m: { name: { zh: string; en?: string }; due: string },
  locale: Locale,
  today: string,
): string {
  return pick(m.name, locale) + messages(locale).format.parens(formatDate(m.due, locale, today));
}

export function ownerName(departments: ReadonlyMap<string, Department>, id: string, locale: Locale): string {
  const d = departments.get(id);
  return d ? departmentName(d, locale) : id;
}
