import { parseChineseNumeral, toMagnitude } from './numbers.ts';
import type { Anchor, SignAnchor } from './roles.ts';
import type { ParsedNumber } from './types.ts';

export const CN_NUM_START = '零〇一二两三四五六七八九十';
const CN_NUM_BODY = '零〇一二两三四五六七八九十百千万亿点';
const ARABIC = String.raw`(?:\d+(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?`;
// A numeral starts at the start of its run and is at most 20 characters: a longer run is not a number,
// and matching only at run starts keeps hostile runs (一二三…×1000) linear.
const CN_NUMERAL = `(?<![${CN_NUM_BODY}])[${CN_NUM_START}][${CN_NUM_BODY}]{0,19}(?![${CN_NUM_BODY}])`;

export function blank(s: string, re: RegExp): string {
  return s.replace(re, (m) => ' '.repeat(m.length));
}

/** Blanks sorted, non-overlapping spans in one pass. */
export function blankSpans(s: string, spans: ReadonlyArray<{ start: number; end: number }>): string {
  const parts: string[] = [];
  let at = 0;
  for (const { start, end } of spans) {
    parts.push(s.slice(at, start), ' '.repeat(end - start));
    at = end;
  }
  parts.push(s.slice(at));
  return parts.join('');
}

function isClauseBreak(ch: string | undefined, next: string | undefined): boolean {
  if (ch === undefined) return true;
  // A thousands separator (3,600) is no break; a full-width comma is scanned as ", ", so "5，120" still breaks.
  if (ch === ',' && next !== undefined && next >= '0' && next <= '9') return false;
  if (',;。!?\n'.includes(ch)) return true;
  return ch === '.' && (next === undefined || /\s/.test(next));
}

export function isSentenceBreak(ch: string | undefined, next: string | undefined): boolean {
  if (ch === undefined) return true;
  if (';。!?\n'.includes(ch)) return true;
  return ch === '.' && (next === undefined || /\s/.test(next));
}

/** For every offset, the start and end of its clause or sentence; built once so each lookup is O(1). */
type Spans = { start: Int32Array; end: Int32Array };

export function spansOf(s: string, isBreak: (c: string | undefined, n: string | undefined) => boolean): Spans {
  const start = new Int32Array(s.length + 1);
  const end = new Int32Array(s.length + 1);
  let from = 0;
  for (let i = 0; i <= s.length; i++) {
    start[i] = from;
    if (i === s.length || isBreak(s[i], s[i + 1])) {
      for (let j = from; j <= i; j++) end[j] = i;
      from = i + 1;
    }
  }
  return { start, end };
}

/**
 * Clauses (figures also stop at brackets: "累计31项（其中本月5项）" holds two), sentences (to ;。!? and line
 * breaks) and periods (to 。!?, across ";"), in one pass over the scan text.
 */
export function spansOfText(s: string): { clauses: Spans; sentences: Spans; periods: Spans } {
  const n = s.length;
  const make = (): Spans => ({ start: new Int32Array(n + 1), end: new Int32Array(n + 1) });
  const out = { clauses: make(), sentences: make(), periods: make() };
  const from = [0, 0, 0];
  const spans = [out.clauses, out.sentences, out.periods];
  for (let i = 0; i <= n; i++) {
    const c = i < n ? s.charCodeAt(i) : -1;
    const next = i + 1 < n ? s.charCodeAt(i + 1) : -1;
    // . ends a sentence only before white space or the end (3.5 and e.g. do not).
    const dot =
      c === 46 &&
      (next === -1 || next === 32 || next === 10 || next === 9 || next === 13 || next === 0x3000 || next === 0xa0);
    const period = c === -1 || dot || c === 0x3002 || c === 33 || c === 63 || c === 10;
    const sentence = period || c === 59;
    // A thousands separator (3,600) is no break; a full-width comma is scanned as ", ", so "5，120" still breaks.
    const clause = sentence || c === 40 || c === 41 || (c === 44 && !(next >= 48 && next <= 57));
    for (let k = 0; k < 3; k++) {
      const sp = spans[k]!;
      sp.start[i] = from[k]!;
      if (k === 0 ? clause : k === 1 ? sentence : period) {
        sp.end.fill(i, from[k]!, i + 1);
        from[k] = i + 1;
      }
    }
  }
  return out;
}

/** Figures also stop at brackets: "累计31项（其中本月5项）" holds two clauses. */
export function isFigureClauseBreak(ch: string | undefined, next: string | undefined): boolean {
  return ch === '(' || ch === ')' || isClauseBreak(ch, next);
}

export type Layout = {
  scan: string;
  clauses: Spans;
  sentences: Spans;
  stripped: string;
  /** Cues indexed by the start of their clause; frames by the start of their sentence. */
  cluesByClause: Map<number, ClauseCues>;
  framesBySentence: Map<number, Anchor[]>;
};

export type BackKind = 'absolute' | 'increment' | 'weak' | 'label' | 'enable';
/** One clause's cues, sorted so the nearest one before or after a number is a binary search away. */
type ClauseCues = {
  /** Sorted by end, then by length, so the last one ending by a position is the nearest and longest. */
  back: Record<BackKind, Anchor[]>;
  /** Sorted by start. */
  fwd: Anchor[];
  signsBack: SignAnchor[];
  signsFwd: SignAnchor[];
};

export type Span = { start: number; end: number };
export const byEnd = (a: Span, b: Span) => a.end - b.end || a.end - a.start - (b.end - b.start);
const byStart = (a: Span, b: Span) => a.start - b.start;

export function indexClause(anchors: readonly Anchor[], signs: readonly SignAnchor[]): ClauseCues {
  const back: Record<BackKind, Anchor[]> = { absolute: [], increment: [], weak: [], label: [], enable: [] };
  const fwd: Anchor[] = [];
  for (const a of anchors) {
    if (a.fwd) fwd.push(a);
    else if (a.kind !== 'frame') back[a.kind].push(a);
  }
  for (const list of Object.values(back)) list.sort(byEnd);
  return {
    back,
    fwd: fwd.sort(byStart),
    signsBack: signs.filter((x) => !x.fwd).sort(byEnd),
    signsFwd: signs.filter((x) => x.fwd).sort(byStart),
  };
}

/** The last span ending at or before `pos` in a list sorted by end. */
export function lastEndingBy<T extends Span>(sorted: readonly T[], pos: number): T | undefined {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]!.end <= pos) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? sorted[lo - 1] : undefined;
}

/** The first span starting at or after `pos` in a list sorted by start. */
export function firstStartingFrom<T extends Span>(sorted: readonly T[], pos: number): T | undefined {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]!.start < pos) lo = mid + 1;
    else hi = mid;
  }
  return sorted[lo];
}

export const NO_CUES: ClauseCues = indexClause([], []);

export function groupBy<T extends { start: number }>(
  items: readonly T[],
  key: (at: number) => number,
): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const item of items) {
    const k = key(item.start);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

/** Splits text into clauses (at ，,;。!? and line breaks), keeping offsets. */
export function clausesOf(s: string): Array<{ text: string; start: number }> {
  // States and milestone phrases are read from the same text one after the other: split it once.
  if (lastClauses && lastClauses.text === s) return lastClauses.clauses;
  const out: Array<{ text: string; start: number }> = [];
  let start = 0;
  const n = s.length;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? s.charCodeAt(i) : -1;
    const next = i + 1 < n ? s.charCodeAt(i + 1) : -1;
    const breaks =
      c === -1 ||
      c === 59 ||
      c === 0x3002 ||
      c === 33 ||
      c === 63 ||
      c === 10 ||
      c === 0xff0c ||
      c === 0xff1b ||
      c === 0xff01 ||
      c === 0xff1f ||
      // A thousands separator (3,600) is no break.
      (c === 44 && !(next >= 48 && next <= 57)) ||
      (c === 46 && (next === -1 || /\s/.test(s[i + 1]!)));
    if (breaks) {
      if (i > start) out.push({ text: s.slice(start, i), start });
      start = i + 1;
    }
  }
  lastClauses = { text: s, clauses: out };
  return out;
}
let lastClauses: { text: string; clauses: Array<{ text: string; start: number }> } | undefined;

export const NOT_FIGURES: RegExp[] = [
  /“[^”\n]{0,40}”|"[^"\n]{0,40}"|「[^」\n]{0,40}」|『[^』\n]{0,40}』|《[^》\n]{0,60}》/g,
  new RegExp(
    `(?<![\\d.,])(?:${ARABIC}|${CN_NUMERAL})\\s*个?百分点|(?<![\\d.,])${ARABIC}\\s*(?:percentage points?|pp|ppts?)\\b`,
    'g',
  ),
  /第\s*(?:\d+|[零〇一二两三四五六七八九十百千]+)/g,
  // Dates: 2026-11-27, 2026/11, 2026.11.27 — a year of 19xx or 20xx, never a decimal such as 12345.6 or 1576.9.
  /(?<![\d.])(?:19|20)\d{2}\s*[-/]\s*\d{1,2}(?:\s*[-/]\s*\d{1,2})?(?![\d.])|(?<![\d.])(?:19|20)\d{2}\.\d{1,2}\.\d{1,2}(?![\d.])/g,
  /\d{1,2}\s*\/\s*\d{1,2}(?:\s*\/\s*\d{2,4})?/g,
  /\d{1,2}:\d{2}(?::\d{2})?/g,
  /\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s*\d{4})?\b/g,
  /\b\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b(?:,?\s*\d{4})?/g,
  /\b(?:q[1-4]|h[12])\b/g,
];

const NUMBER_RE = new RegExp(`(?<![\\w.\\/:+\\-])([+\\-]?)(${ARABIC})|(${CN_NUMERAL})`, 'g');
const PERCENT_RE = new RegExp(
  `百分之\\s*(${ARABIC}|[${CN_NUM_BODY}]+)|(?<![\\w.\\/:+\\-])([+\\-]?)(${ARABIC}|${CN_NUMERAL})\\s*(?:%|percent\\b|per ?cent\\b|pct\\b)`,
  'g',
);
/** After a number: what makes it a date, time, duration or ordinal rather than a figure. */
export const NOT_A_FIGURE_AFTER =
  /^\s?(?:千伏|千瓦|兆瓦|kv\b|mw\b|强|佳|多家|余家)|^\s?(?:万元|亿元|元|万|亿)?\s?(?:及|或)?以[上下](?=[\u4e00-\u9fff])(?!的)|^\s?个?\s?(?:年|月|季度|季|周|星期|工作日|天|日|号|小时|时|点|分钟|分|秒|期|届|岁|倍|楼|层|号线|批|轮|代|版|级|多月|半月)|^(?:st|nd|rd|th)\b|^\s?(?:am|pm|years?|months?|weeks?|days?|hours?|times|x)\b/;
const TAIL_RE =
  /\s?(万亿|千万|百万|十万|万|亿|千|k\b|thousand\b|million\b|mn\b|bn\b|billion\b|trillion\b|tn\b)?\s?(平方米|平米|平方(?!公里)|亩|公顷|公里|千米|米|美元|欧元|元|人民币|项|个|家|处|座|栋|幢|户|套|间|人|名|场|次|件|条|所|台|辆|宗|笔|份|yuan\b|rmb\b|cny\b|dollars?\b|usd\b|sqm\b|sq\.?\s?m\b|m2\b|m²|square met(?:er|re)s?\b|mu\b|projects?\b|items?\b|firms?\b|compan(?:y|ies)\b|enterprises?\b|venues?\b|stations?\b|sites?\b|units?\b|households?\b|people\b|persons?\b)?/y;

const MAG_FACTOR: Record<string, number> = {
  万亿: 1e12,
  trillion: 1e12,
  tn: 1e12,
  千万: 1e7,
  百万: 1e6,
  十万: 1e5,
  万: 1e4,
  亿: 1e8,
  千: 1e3,
  k: 1e3,
  thousand: 1e3,
  million: 1e6,
  mn: 1e6,
  bn: 1e9,
  billion: 1e9,
};

export type Token = {
  start: number;
  end: number;
  numberEnd: number;
  number: ParsedNumber;
  percent: boolean;
  chinese: boolean;
  hasUnitOrMagnitude: boolean;
  explicitSign?: 1 | -1;
};

function readNumeral(text: string, chinese: boolean): { value: number; magnitude: number } | undefined {
  if (!chinese) {
    const v = Number(text.replace(/,/g, ''));
    return Number.isFinite(v) ? { value: v, magnitude: 1 } : undefined;
  }
  let body = text.replace(/点$/, '');
  let magnitude = 1;
  // A trailing 万/亿 is the magnitude: 三十万 = 30 × 万, 两千亿 = 2000 × 亿.
  const trailing = /(万亿|千万|百万|万|亿)$/.exec(body);
  if (trailing && body.length > trailing[0].length) {
    const head = body.slice(0, -trailing[0].length);
    if (!/[万亿]/.test(head)) {
      magnitude = MAG_FACTOR[trailing[0]]!;
      body = head;
    }
  }
  const value = parseChineseNumeral(body);
  return value === undefined ? undefined : { value, magnitude };
}

export function findPercents(numScan: string): Token[] {
  const out: Token[] = [];
  for (const m of numScan.matchAll(PERCENT_RE)) {
    const start = m.index;
    const end = start + m[0].length;
    let value: number | undefined;
    let sign: 1 | -1 | undefined;
    if (m[1] !== undefined) {
      const chinese = !/\d/.test(m[1]);
      value = chinese ? parseChineseNumeral(m[1]) : Number(m[1].replace(/,/g, ''));
    } else if (m[3] !== undefined) {
      const chinese = !/\d/.test(m[3]);
      value = chinese ? parseChineseNumeral(m[3]) : Number(m[3].replace(/,/g, ''));
      if (m[2] === '-') sign = -1;
      if (m[2] === '+') sign = 1;
    }
    if (value === undefined || !Number.isFinite(value)) continue;
    const amount = sign === -1 ? -value : value;
    out.push({
      start,
      end,
      numberEnd: end,
      number: { amount, magnitude: 1, unit: '%', raw: m[0].trim() },
      percent: true,
      chinese: false,
      hasUnitOrMagnitude: true,
      ...(sign ? { explicitSign: sign } : {}),
    });
  }
  return out;
}

export function findNumbers(numScan: string): Token[] {
  const out: Token[] = [];
  for (const m of numScan.matchAll(NUMBER_RE)) {
    const chinese = m[3] !== undefined;
    const text = chinese ? m[3]! : m[2]!;
    const start = m.index;
    const numberEnd = start + m[0].length;
    const after = numScan.slice(numberEnd, numberEnd + 12);
    if (NOT_A_FIGURE_AFTER.test(after)) continue;
    // Part of a compound such as 4+6, 1.2.3, 0513-8888.
    if (/^[./:+-]\d/.test(after)) continue;
    const read = readNumeral(text, chinese);
    if (!read) continue;
    TAIL_RE.lastIndex = numberEnd;
    const tail = TAIL_RE.exec(numScan);
    const magWord = tail?.[1];
    const unitWord = tail?.[2];
    let end = numberEnd;
    if (tail && (magWord || unitWord)) end = numberEnd + tail[0].length;
    // Glued to other letters (5g, a1b): not a figure.
    if (!magWord && !unitWord && /^[a-z]/.test(after)) continue;
    if (unitWord === '个' && /^\s?(?:月|季度|星期|工作日|小时|多月|半月)/.test(numScan.slice(end, end + 4))) continue;
    let factor = read.magnitude;
    if (magWord) factor *= MAG_FACTOR[magWord]!;
    const sign = m[1] === '-' ? -1 : m[1] === '+' ? 1 : undefined;
    const scaled = toMagnitude(read.value, factor);
    const amount = sign === -1 ? -scaled.amount : scaled.amount;
    const number: ParsedNumber = { amount, magnitude: scaled.magnitude, raw: numScan.slice(start, end).trim() };
    if (unitWord) number.unit = unitWord;
    out.push({
      start,
      end,
      numberEnd,
      number,
      percent: false,
      chinese,
      hasUnitOrMagnitude: !!unitWord || factor !== 1,
      ...(sign ? { explicitSign: sign } : {}),
    });
  }
  return out;
}

const EN_UNITS: Record<string, number> = {
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
};
const EN_TENS: Record<string, number> = {
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
};
const EN_NUMBER_WORD =
  /\b(twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[-\s](one|two|three|four|five|six|seven|eight|nine))?\b|\b(two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)\b/g;

/** "Nineteen major projects", "nine provincial-level regions": English numbers in words (two to ninety-nine). */
export function findEnglishNumberWords(numScan: string): Token[] {
  const out: Token[] = [];
  for (const m of numScan.matchAll(EN_NUMBER_WORD)) {
    const value = m[1] ? EN_TENS[m[1]]! + (m[2] ? (EN_UNITS[m[2]] ?? (m[2] === 'one' ? 1 : 0)) : 0) : EN_UNITS[m[3]!]!;
    const after = numScan.slice(m.index + m[0].length, m.index + m[0].length + 40);
    // Only before a noun phrase ("nine provincial-level regions"), never "one of", "two years", "every seven days".
    if (
      !/^\s+(?:[a-z-]+\s+){0,3}[a-z]{3,}/.test(after) ||
      /^\s+(?:years?|months?|days?|weeks?|hours?|times|percent|of)\b/.test(after)
    )
      continue;
    if (/\b(?:every|each|per)\s*$/.test(numScan.slice(Math.max(0, m.index - 8), m.index))) continue;
    out.push({
      start: m.index,
      end: m.index + m[0].length,
      numberEnd: m.index + m[0].length,
      number: { amount: value, magnitude: 1, raw: m[0] },
      percent: false,
      chinese: false,
      hasUnitOrMagnitude: false,
    });
  }
  return out;
}
