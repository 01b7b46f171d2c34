/** Statuses, reasons and figures in words, shared by the ledger and the bulletin. */
import { departmentName, reasonText, reporterName } from '../../commands/format.ts';
import type { Mrkdwn } from '../../commands/reply.ts';
import type { Department, LevelTarget, Target } from '../domain/schema.ts';
import type { ItemStatus, Reason, Status } from '../domain/status.ts';
import { formatDate, formatNumber, messages, pick, type Locale } from '../i18n/index.ts';

export { departmentName, reporterName };

/** The text of a reply fragment with Slack's escaping undone, for a spreadsheet cell or Markdown. */
export function plain(m: Mrkdwn): string {
  return m.mrkdwn.replace(/@\u2060/g, '@').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** Red items first: the reasons that set the status, then the informational ones. */
export function reasonsInWords(s: ItemStatus, locale: Locale, today: string): string[] {
  const rank = (r: Reason) => ('rag' in r ? (r.rag === 'red' ? 0 : r.rag === 'amber' ? 1 : 2) : 3);
  return [...s.reasons].sort((a, b) => rank(a) - rank(b)).map((r) => plain(reasonText(r, { locale, today })));
}

export function statusWord(status: Status, locale: Locale): string {
  return messages(locale).status[status];
}

export function withUnit(n: number, unit: { zh: string; en?: string }, locale: Locale): string {
  const u = pick(unit, locale);
  const num = formatNumber(n, locale);
  return u === '%' ? `${num}%` : `${num} ${u}`;
}

/** "≥7.5%" for a level target, "40 项" for a cumulative one. */
export function targetText(t: Target, locale: Locale): string {
  if (t.kind === 'level') return `${(t as LevelTarget).comparator === 'atLeast' ? '≥' : '≤'}${withUnit(t.target, t.unit, locale)}`;
  return withUnit(t.target, t.unit, locale);
}

export function milestoneText(m: { name: { zh: string; en?: string }; due: string }, locale: Locale, today: string): string {
  return locale === 'en' ? `${pick(m.name, locale)} (${formatDate(m.due, locale, today)})` : `${m.name.zh}（${formatDate(m.due, locale, today)}）`;
}

export function ownerName(departments: ReadonlyMap<string, Department>, id: string, locale: Locale): string {
  const d = departments.get(id);
  return d ? departmentName(d, locale) : id;
}
