/**
 * 时限: a deadline read from the words such texts use — 6月底前, 9月30日前, 2025年底前, 年内, 上半年,
 * 三季度, 本季度, 本月底 — as an ISO date. A year not written is the zone's; 本季度 and 本月 are read from
 * today. A segment stating two different deadlines gets none: which one is the item's is the admin's call.
 */
import { endOfMonth, endOfQuarter, isCalendarDate } from '../dates.ts';
import { parseChineseNumeral } from '../reading/numbers.ts';
import { type Field, span } from './types.ts';

const MONTH = String.raw`(\d{1,2}|十[一二]?|[一二三四五六七八九])`;
const YEAR = String.raw`(?:(\d{4})年)?`;
const BY = '(?:前|之前|以前|底前)';

type Rule = { re: RegExp; date: (m: RegExpExecArray, year: number, today: string) => string | undefined };

const pad = (n: number) => String(n).padStart(2, '0');
const month = (s: string) => (/^\d+$/.test(s) ? Number(s) : parseChineseNumeral(s));
const yearOf = (m: RegExpExecArray, year: number) => (m[1] ? Number(m[1]) : year);
const lastDay = (y: number, mo: number) => endOfMonth(`${y}-${pad(mo)}-01`);

const RULES: Rule[] = [
  {
    // 9月30日前 / 2020年2月3日前
    re: new RegExp(String.raw`${YEAR}${MONTH}月(\d{1,2})[日号]${BY}`, 'gu'),
    date: (m, year) => {
      const mo = month(m[2]!);
      const d = `${yearOf(m, year)}-${pad(mo ?? 0)}-${pad(Number(m[3]))}`;
      return mo && isCalendarDate(d) ? d : undefined;
    },
  },
  {
    // 6月底前 / 6月底 / 6月末 / 10月份前 / 6月前 / 2019年6月底
    re: new RegExp(`${YEAR}${MONTH}月份?(?:底|末|下旬)(?:前|之前)?|${YEAR}${MONTH}月份?${BY}`, 'gu'),
    date: (m, year) => {
      const y = m[1] ?? m[3];
      const mo = month(m[2] ?? m[4]!);
      if (!mo || mo > 12) return undefined;
      return lastDay(y ? Number(y) : year, mo);
    },
  },
  {
    // 上旬 / 中旬
    re: new RegExp(`${YEAR}${MONTH}月份?([上中])旬(?:前|之前)?`, 'gu'),
    date: (m, year) => {
      const mo = month(m[2]!);
      return mo && mo <= 12 ? `${yearOf(m, year)}-${pad(mo)}-${m[3] === '上' ? '10' : '20'}` : undefined;
    },
  },
  {
    // 2025年底前 / 年底前 / 年内 / 年末 / 今年底 / 本年度内
    re: /(\d{4})年(?:底|末)(?:前|之前)?|(?:今年|本年度?)(?:底|末|内)(?:前|之前)?|(?<![\d一二三四五六七八九十两几多个])年(?:内|底|末)(?:前|之前)?/gu,
    date: (m, year) => `${m[1] ?? year}-12-31`,
  },
  {
    re: /(?:(\d{4})年)?上半年/gu,
    date: (m, year) => `${yearOf(m, year)}-06-30`,
  },
  {
    re: /(?:(\d{4})年)?下半年/gu,
    date: (m, year) => `${yearOf(m, year)}-12-31`,
  },
  {
    // 一季度 / 第三季度 / 三季度末
    re: /(?:(\d{4})年)?第?([一二三四1-4])季度(?:末|底)?(?:前)?/gu,
    date: (m, year) => {
      const q = '一二三四'.indexOf(m[2]!) + 1 || Number(m[2]);
      return lastDay(yearOf(m, year), q * 3);
    },
  },
  { re: /本季度/gu, date: (_m, _y, today) => endOfQuarter(today) },
  { re: /本月(?:底|末)?(?:前)?|月底前/gu, date: (_m, _y, today) => endOfMonth(today) },
];

/** Deadlines stated between `start` and `end` of `source`, left to right, overlapping ones dropped. */
export function findDeadlines(
  source: string,
  start: number,
  end: number,
  year: number,
  today: string,
): Array<Field<string>> {
  const text = source.slice(start, end);
  const found: Array<Field<string>> = [];
  // An earlier rule's reading of words wins over a later rule's reading of some of them.
  const taken = new Uint8Array(text.length);
  for (const rule of RULES) {
    rule.re.lastIndex = 0;
    for (let m = rule.re.exec(text); m; m = rule.re.exec(text)) {
      const date = rule.date(m, year, today);
      const end = m.index + m[0].length;
      if (!date || taken.subarray(m.index, end).some((x) => x === 1)) continue;
      taken.fill(1, m.index, end);
      found.push({ value: date, span: span(source, start + m.index, start + end) });
    }
  }
  return found.sort((x, y) => x.span.start - y.span.start);
}

/** The one deadline of a segment, or none when it states none or two different ones. */
export function readDeadline(
  source: string,
  start: number,
  end: number,
  year: number,
  today: string,
): Field<string> | undefined {
  const all = findDeadlines(source, start, end, year, today);
  const dates = new Set(all.map((f) => f.value));
  return dates.size === 1 ? all[0] : undefined;
}

/** A date right after a time-limit label: `完成时限：2026年9月30日` means by that day, with no 前 needed. */
const LABELLED_DATE = new RegExp(
  String.raw`^(?:完成时限|办理时限|时限要求)\s*[：:]\s*${YEAR}${MONTH}月(\d{1,2})[日号]`,
  'u',
);

/** The deadline a time-limit label states: a phrase such as 6月底前, or a bare date after the label. */
export function readLabelledDeadline(
  source: string,
  start: number,
  end: number,
  year: number,
  today: string,
): Field<string> | undefined {
  const said = readDeadline(source, start, end, year, today);
  if (said) return said;
  const m = LABELLED_DATE.exec(source.slice(start, end));
  if (!m) return undefined;
  const mo = month(m[2]!);
  const date = `${yearOf(m, year)}-${pad(mo ?? 0)}-${pad(Number(m[3]))}`;
  if (!mo || !isCalendarDate(date)) return undefined;
  const from = start + m[0].length - (m[0].length - m[0].search(/\d|[一二三四五六七八九十]/u));
  return { value: date, span: span(source, from, start + m[0].length) };
}
