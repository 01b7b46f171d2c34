/**
 * Reading a liaison's free-text progress reply (Chinese or English) without an LLM.
 *
 * `parseProgress(text)` finds what the text says; `interpretFor(parsed, item, current)` says what
 * that means for one item, or that it cannot tell (so the caller can ask with buttons).
 *
 * Grammar understood (the scanner works on NFKC text, so １２ → 12, ％ → %, ： → :):
 *
 * - Numbers: Arabic (31, 3.2, 1,000), full-width digits, Chinese numerals (三十一, 十二, 两千,
 *   一百零五, 一点五, 二〇二六, 两千五), with magnitudes 万 / 亿 / 千万 / 百万 / 万亿 / 千 and English
 *   k / thousand / million / billion (3.2 million → 320 万).
 * - Units after a number: count words 项 个 家 处 座 栋 幢 户 套 间 人 名 场 次 件 条 所 台 辆 宗 笔 份
 *   (and English count nouns: projects, items, firms …); money 元 / yuan / RMB; area 平方米 / 平米 /
 *   m² / sqm; 亩, 公顷, 公里, 米.
 * - Percentages: 35%, 35 percent, 百分之三十五; "N个百分点" / "percentage points" are comparisons, ignored.
 * - Absolute (a new total): 累计, 总计, 合计, 共计, 共, 一共, 总数, 达到/达, 目前, 现有, 剩余, 降至, 至今,
 *   "今年新增"/"累计新增"; frames for the whole sentence: 截至…, 今年以来, 1-10月, 前三季度, 11月底;
 *   weakly 已/已经; English total, in total, so far, to date, now (at), overall, cumulative, reached.
 * - Increment (to add): 新增, 增加, 净增, 又, 另, 本月, 当月, 本周, 本期, 上月, a single month "11月";
 *   English +5, 5 more, added 5, another 5, 5 new, this month. Direction: 减少/下降/-5/fewer subtract.
 *   A bare "新开工5项" / "新签约3个" with no period word is not an increment: target names themselves say
 *   新签约/新建 for the year's total, so it stays "unknown".
 * - Not figures: dates and times (2026年, 11月, 27日, 2026-11-27, 11/27, 10:30, Nov 27, Q3), ordinals
 *   (第3批, 3rd), durations (3个月, 5天), anything inside quotes “…” 《…》 ("三个一线", "4+6"), URLs,
 *   Slack mentions, emoji codes, and a bare number with no unit and no cue (a lone "31" is kept).
 * - State: done 完成/已完成/全部完成/完工/竣工/建成/办结, done/completed/finished; blocked 受阻/卡住/停滞/
 *   停工/搁置, blocked/stuck/stalled/on hold; delayed 延期/推迟/滞后/延误/进展缓慢, delayed/postponed/
 *   behind schedule; in progress 推进中/在建/施工中/进行中/已开工, in progress/underway/ongoing/started.
 *   Negated (未完成, 尚未开工, not done), planned (计划/预计/争取…完成, will be done) and resolved
 *   (受阻问题已解决, no longer blocked) words do not count. "完成" with an object (完成35%, 完成投资…) is
 *   not a state. A qualified completion ("主体完工", "works start done") is a milestone phrase, not "done".
 * - Blocker: "受阻：X", "原因是X", "因X，…", "由于X", "受X影响", "卡在X", "blocked by X", "due to X".
 * - Milestone phrases: clauses that report something reached (了/已/完成/开工/签约/印发/到位…, done,
 *   completed, started…) with filler words removed: "主体完工了" → 主体完工, "已竣工验收" → 竣工验收.
 * - Links: http(s) URLs, bare or in Slack markup <https://x|label>.
 *
 * Decisions `interpretFor` makes rather than asks (everything else ambiguous is asked):
 * - A total beats increments of the same unit beside it ("本月新开工5项，累计开工31项" → 31).
 * - Several figures: keep those in the item's unit, then the one whose words name the item's measure
 *   ("累计开工31项，其中竣工12项" for 城市更新项目开工数 → 31); otherwise ask.
 * - A bare figure reads as the item's unit; one over 100× the target's scale asks which unit was meant.
 * - "Total or increment?" is not asked when both give the same value (nothing reported, baseline 0).
 * - On a shrinking target (target < baseline) an undirected increment moves toward the target, and a
 *   "累计…" total asks whether it is what remains or what was removed.
 * - Percentages on a %-unit item are levels (a change of rate would be written "N个百分点").
 * - Milestones: a reached milestone outranks "in progress"; with blocked/delayed it is asked; a
 *   completion naming no milestone asks which one, or whether the whole item is done.
 */
import { normalize } from './match.ts';
import type { ItemProgress } from './progress.ts';
import type { Commitment, CumulativeTarget, LevelTarget, Milestone, Project, ProjectState, Target, Text } from './schema.ts';

export type Magnitude = 1 | 1e4 | 1e8;

export type ParsedNumber = {
  /** Signed: negative when the text says so (减少2万平方米, -3.2%). */
  amount: number;
  magnitude: Magnitude;
  /** Unit word as written, without 万/亿: 项, 个, 元, 平方米, %, projects … */
  unit?: string;
  raw: string;
};

export type FigureMode = 'absolute' | 'increment' | 'unknown';

export type Figure = {
  mode: FigureMode;
  number: ParsedNumber;
  /** The cue that decided the mode (累计, 本月, more, 截至 …), when there was one. */
  anchor?: string;
  /** true when the text gave a direction (新增, 减少, +, -, more, fewer); false for a bare period cue (本月). */
  signed?: boolean;
  /** Up to 12 characters of the clause before the number: which measure it is about (累计开工, 增速). */
  context: string;
};

export type ParsedPercent = {
  /** Signed (同比下降3.2% → -3.2). */
  value: number;
  /** completion: 完成/进度/done; rate: 增速/同比/growth; unknown: neither said. */
  kind: 'completion' | 'rate' | 'unknown';
  mode: FigureMode;
  raw: string;
  context: string;
};

export type ParsedProgress = {
  /** The one figure found (not a percentage); absent when there are none or several. */
  figure?: Figure;
  /** Every distinct figure left after an absolute absorbed its increments, in order (>1 is ambiguous). */
  figures: Figure[];
  /** Increments dropped because an absolute of the same measure was given (本月新增5项，累计31项). */
  superseded: Figure[];
  /** The completion percentage 0..100, when one is given (or the only percentage given is in range). */
  percent?: number;
  /** Every distinct percentage, signed, in order. */
  percents: ParsedPercent[];
  state?: 'done' | 'blocked' | 'delayed' | 'in_progress';
  /** A qualified completion was reported (主体完工, works start done): a milestone, not the whole item. */
  partialDone: boolean;
  blocker?: string;
  /** Phrases that may name a reached milestone; the caller matches them against milestone names. */
  milestoneWords: string[];
  links: string[];
  /** The text with Slack markup resolved, trimmed, at most 4000 characters. */
  note: string;
  /** A completion or start word was negated (尚未完成, 未开工, not done); `state` is then never done. */
  negated: boolean;
};

type UpdateFields = { value?: number; percent?: number; state?: ProjectState; milestoneId?: string };

export type AmbiguityReason =
  | 'increment_or_total'
  | 'several_figures'
  | 'unit_mismatch'
  | 'milestone_unclear'
  /** A milestone was reported reached in the same breath as blocked/delayed: one update cannot say both. */
  | 'milestone_or_state';

export type Interpretation =
  | ({ kind: 'update'; note: string; links: string[] } & UpdateFields)
  | {
      kind: 'ambiguous';
      reason: AmbiguityReason;
      options: Array<{ label: { zh: string; en: string }; update: UpdateFields }>;
      note: string;
      links: string[];
    }
  | { kind: 'note'; note: string; links: string[] };

const NOTE_MAX = 4000;
/** Beyond this the scanner does not look (the note is cut at 4000 anyway); keeps hostile input cheap. */
const SCAN_MAX = 20_000;

// ---------------------------------------------------------------------------------------------
// Slack markup
// ---------------------------------------------------------------------------------------------

const SLACK_TOKEN = /<([^<>\n]{1,3000})>/g;
const BARE_URL = /https?:\/\/[^\s<>"'|，。；！？、）)\]】]+/g;
const EMOJI_CODE = /:[a-z0-9_+'-]{1,60}:/g;

function decodeEntities(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function trimUrl(url: string): string {
  return url.replace(/[.,;:!?]+$/, '');
}

/** Resolves Slack markup into a readable note and a plain text for scanning (links, mentions and emoji blanked). */
function resolveMarkup(text: string): { note: string; plain: string; links: string[] } {
  const links: string[] = [];
  // Links become evidence (http(s), at most 2000 characters, at most 20 per update).
  const addLink = (u: string) => {
    if (u.length <= 2000 && links.length < 20 && !links.includes(u)) links.push(u);
  };
  const render = (forScan: boolean) =>
    text.replace(SLACK_TOKEN, (whole, inner: string) => {
      const bar = inner.indexOf('|');
      const target = bar >= 0 ? inner.slice(0, bar) : inner;
      const label = bar >= 0 ? inner.slice(bar + 1) : undefined;
      if (/^https?:\/\//i.test(target)) {
        if (forScan) return label ? ` ${label} ` : ' ';
        return label && label !== target ? `${label} (${target})` : target;
      }
      if (target.startsWith('mailto:')) return forScan ? ' ' : (label ?? target.slice(7));
      if (target.startsWith('@')) return forScan ? ' ' : `@${label ?? target.slice(1)}`;
      if (target.startsWith('#')) return forScan ? ' ' : `#${label ?? target.slice(1)}`;
      if (target.startsWith('!')) {
        if (forScan) return ' ';
        const special = target.slice(1).split('^')[0];
        if (special === 'channel' || special === 'here' || special === 'everyone') return `@${special}`;
        return label ?? '';
      }
      return whole;
    });
  const noteText = decodeEntities(render(false));
  // The note spells every link out ("label (url)"), so one pass over it keeps them in reading order.
  for (const m of noteText.matchAll(BARE_URL)) addLink(trimUrl(m[0]));
  const plain = decodeEntities(render(true)).replace(BARE_URL, (u) => ' '.repeat(u.length)).replace(EMOJI_CODE, (e) => ' '.repeat(e.length));
  return { note: noteText, plain, links };
}

function cut(s: string, max: number): string {
  if (s.length <= max) return s;
  const chars = Array.from(s);
  return chars.length <= max ? s : chars.slice(0, max).join('');
}

// ---------------------------------------------------------------------------------------------
// Numerals
// ---------------------------------------------------------------------------------------------

const CN_DIGIT: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const CN_SMALL: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

/** A section below 万: 三千二百零五, 十二, 两千五 (colloquial 2500). */
function parseSection(s: string): number | undefined {
  if (s === '') return 0;
  let total = 0;
  let digit: number | undefined;
  let lastUnit = Infinity;
  let afterZero = false;
  for (const ch of s) {
    if (ch in CN_DIGIT) {
      const d = CN_DIGIT[ch]!;
      if (d === 0) {
        if (digit !== undefined) return undefined;
        afterZero = true;
        continue;
      }
      if (digit !== undefined) return undefined; // 十五五: two digits in a row
      digit = d;
    } else if (ch in CN_SMALL) {
      const unit = CN_SMALL[ch]!;
      if (unit >= lastUnit) return undefined;
      if (digit === undefined) {
        if (unit === 10 && total === 0 && !afterZero) digit = 1; // 十二 = 12
        else return undefined;
      }
      total += digit * unit;
      digit = undefined;
      lastUnit = unit;
      afterZero = false;
    } else {
      return undefined;
    }
  }
  if (digit !== undefined) {
    // 两千五 = 2500, but 一百零五 = 105 and 三十一 = 31.
    total += !afterZero && lastUnit >= 100 && lastUnit !== Infinity ? (digit * lastUnit) / 10 : digit;
  }
  return total;
}

/** The value of a Chinese numeral (三十一, 两千, 一百零五, 三万二千, 一点五, 二〇二六), or undefined. */
export function parseChineseNumeral(input: string): number | undefined {
  const s = input.trim();
  if (!s) return undefined;
  if (s === '百') return 100; // 百分之百
  const [intPart = '', frac, extra] = s.split('点');
  if (extra !== undefined) return undefined;
  let fraction = 0;
  if (frac !== undefined) {
    if (!frac || ![...frac].every((c) => c in CN_DIGIT)) return undefined;
    fraction = Number(`0.${[...frac].map((c) => CN_DIGIT[c]).join('')}`);
  }
  // Digit-by-digit form (二〇二六, 一〇五): no unit characters at all. Two digits (三五) mean "a few".
  if ([...intPart].every((c) => c in CN_DIGIT) && (intPart.length > 2 || (intPart.length === 2 && /[零〇]/.test(intPart)))) {
    return Number([...intPart].map((c) => CN_DIGIT[c]).join('')) + fraction;
  }
  let rest = intPart;
  let total = 0;
  const yi = rest.split('亿');
  if (yi.length > 2) return undefined;
  if (yi.length === 2) {
    const head = parseWan(yi[0]!);
    if (head === undefined || head === 0) return undefined;
    total += head * 1e8;
    rest = yi[1]!;
  }
  const tail = parseWan(rest);
  if (tail === undefined) return undefined;
  if (frac !== undefined && /[万亿]/.test(intPart)) return undefined; // 一万点五 is not a numeral
  return total + tail + fraction;
}

function parseWan(s: string): number | undefined {
  const parts = s.split('万');
  if (parts.length > 2) return undefined;
  if (parts.length === 1) return parseSection(s);
  const high = parseSection(parts[0]!);
  if (high === undefined || high === 0) return undefined;
  let lowText = parts[1]!;
  let low: number | undefined;
  // 一万五 = 15000
  if (lowText.length === 1 && lowText in CN_DIGIT && CN_DIGIT[lowText] !== 0) low = CN_DIGIT[lowText]! * 1000;
  else {
    if (lowText.startsWith('零')) lowText = lowText.slice(1);
    low = parseSection(lowText);
  }
  return low === undefined ? undefined : high * 1e4 + low;
}

function roundNice(n: number): number {
  return Number(n.toPrecision(12));
}

// ---------------------------------------------------------------------------------------------
// Units
// ---------------------------------------------------------------------------------------------

type Dimension = 'none' | 'count' | 'money' | 'area' | 'percent' | 'other';
type UnitInfo = { dim: Dimension; canon: string; generic: boolean };

const COUNT_ZH = new Set(['项', '个', '家', '处', '座', '栋', '幢', '户', '套', '间', '人', '名', '场', '次', '件', '条', '所', '台', '辆', '宗', '笔', '份']);
const COUNT_EN = /^(projects?|items?|firms?|compan(?:y|ies)|enterprises?|venues?|stations?|sites?|units?|households?|people|persons?)$/i;

function unitInfo(word: string | undefined): UnitInfo {
  if (!word) return { dim: 'none', canon: '', generic: true };
  const w = word.trim().toLowerCase();
  if (w === '%') return { dim: 'percent', canon: '%', generic: false };
  if (/^(元|人民币|yuan|rmb|cny)$/.test(w)) return { dim: 'money', canon: '元', generic: false };
  if (/^(平方米|平米|平方|sqm|sq\.?\s?m|m2|m²|square met(?:er|re)s?)$/.test(w)) return { dim: 'area', canon: '平方米', generic: false };
  if (w === '亩' || w === 'mu') return { dim: 'other', canon: '亩', generic: false };
  if (COUNT_ZH.has(w)) return { dim: 'count', canon: w, generic: w === '个' };
  if (COUNT_EN.test(w)) return { dim: 'count', canon: w, generic: true };
  return { dim: 'other', canon: w, generic: false };
}

function unitsCompatible(a: string | undefined, b: string | undefined): boolean {
  const x = unitInfo(a);
  const y = unitInfo(b);
  if (x.dim === 'none' || y.dim === 'none') return true;
  if (x.dim !== y.dim) return false;
  if (x.dim === 'count') return x.canon === y.canon || x.generic || y.generic;
  return x.canon === y.canon;
}

const MAGNITUDE_PREFIX: Array<[string, number]> = [
  ['万亿', 1e12],
  ['千万', 1e7],
  ['百万', 1e6],
  ['十万', 1e5],
  ['万', 1e4],
  ['亿', 1e8],
];

/** An item's unit such as 亿元 / 万平方米 / 项 / %, split into its magnitude and unit word. */
function splitUnit(unit: string): { magnitude: number; word?: string } {
  const u = unit.trim();
  for (const [prefix, magnitude] of MAGNITUDE_PREFIX) {
    if (u.startsWith(prefix)) {
      const word = u.slice(prefix.length);
      return word ? { magnitude, word } : { magnitude };
    }
  }
  return u ? { magnitude: 1, word: u } : { magnitude: 1 };
}

/** Re-expresses a value × factor as amount × Magnitude (3.2 million → 320 × 万). */
function toMagnitude(amount: number, factor: number): { amount: number; magnitude: Magnitude } {
  if (factor === 1) return { amount, magnitude: 1 };
  if (factor >= 1e8) return { amount: roundNice((amount * factor) / 1e8), magnitude: 1e8 };
  if (factor >= 1e4) return { amount: roundNice((amount * factor) / 1e4), magnitude: 1e4 };
  return { amount: roundNice(amount * factor), magnitude: 1 };
}

// ---------------------------------------------------------------------------------------------
// Scanning helpers
// ---------------------------------------------------------------------------------------------

const CN_NUM_START = '零〇一二两三四五六七八九十';
const CN_NUM_BODY = '零〇一二两三四五六七八九十百千万亿点';
const ARABIC = String.raw`(?:\d+(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?`;
// A numeral starts at the start of its run and is at most 20 characters: a longer run is not a number,
// and matching only at run starts keeps hostile runs (一二三…×1000) linear.
const CN_NUMERAL = `(?<![${CN_NUM_BODY}])[${CN_NUM_START}][${CN_NUM_BODY}]{0,19}(?![${CN_NUM_BODY}])`;

function blank(s: string, re: RegExp): string {
  return s.replace(re, (m) => ' '.repeat(m.length));
}

/** Blanks sorted, non-overlapping spans in one pass. */
function blankSpans(s: string, spans: ReadonlyArray<{ start: number; end: number }>): string {
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
  if (',;。!?\n'.includes(ch)) return true;
  return ch === '.' && (next === undefined || /\s/.test(next));
}

function isSentenceBreak(ch: string | undefined, next: string | undefined): boolean {
  if (ch === undefined) return true;
  if (';。!?\n'.includes(ch)) return true;
  return ch === '.' && (next === undefined || /\s/.test(next));
}

/** For every offset, the start and end of its clause or sentence; built once so each lookup is O(1). */
type Spans = { start: Int32Array; end: Int32Array };

function spansOf(s: string, isBreak: (c: string | undefined, n: string | undefined) => boolean): Spans {
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

/** Figures also stop at brackets: "累计31项（其中本月5项）" holds two clauses. */
function isFigureClauseBreak(ch: string | undefined, next: string | undefined): boolean {
  return ch === '(' || ch === ')' || isClauseBreak(ch, next);
}

type Layout = {
  scan: string;
  clauses: Spans;
  sentences: Spans;
  stripped: string;
  /** Cues indexed by the start of their clause; frames by the start of their sentence. */
  cluesByClause: Map<number, ClauseCues>;
  framesBySentence: Map<number, Anchor[]>;
};

type BackKind = 'absolute' | 'increment' | 'weak' | 'label' | 'enable';
/** One clause's cues, sorted so the nearest one before or after a number is a binary search away. */
type ClauseCues = {
  /** Sorted by end, then by length, so the last one ending by a position is the nearest and longest. */
  back: Record<BackKind, Anchor[]>;
  /** Sorted by start. */
  fwd: Anchor[];
  signsBack: SignAnchor[];
  signsFwd: SignAnchor[];
};

type Span = { start: number; end: number };
const byEnd = (a: Span, b: Span) => a.end - b.end || a.end - a.start - (b.end - b.start);
const byStart = (a: Span, b: Span) => a.start - b.start;

function indexClause(anchors: readonly Anchor[], signs: readonly SignAnchor[]): ClauseCues {
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
function lastEndingBy<T extends Span>(sorted: readonly T[], pos: number): T | undefined {
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
function firstStartingFrom<T extends Span>(sorted: readonly T[], pos: number): T | undefined {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]!.start < pos) lo = mid + 1;
    else hi = mid;
  }
  return sorted[lo];
}

const NO_CUES: ClauseCues = indexClause([], []);

function groupBy<T extends { start: number }>(items: readonly T[], key: (at: number) => number): Map<number, T[]> {
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
function clausesOf(s: string): Array<{ text: string; start: number }> {
  const out: Array<{ text: string; start: number }> = [];
  let start = 0;
  for (let i = 0; i <= s.length; i++) {
    const ch = s[i];
    if (i === s.length || isClauseBreak(ch, s[i + 1]) || '，；。！？'.includes(ch ?? '')) {
      if (i > start) out.push({ text: s.slice(start, i), start });
      start = i + 1;
    }
  }
  return out;
}

type AnchorKind = 'absolute' | 'increment' | 'weak' | 'frame' | 'label' | 'enable';
type Anchor = { start: number; end: number; kind: AnchorKind; word: string; fwd?: boolean };
type SignAnchor = { start: number; end: number; sign: 1 | -1; word: string; fwd?: boolean };

const NUM_AHEAD = `(?=\\s*(?:[\\d${CN_NUM_START}]))`;
const ANCHORS: Array<{ re: RegExp; kind: AnchorKind; fwd?: boolean }> = [
  // "今年新增" and "累计新增" count the year so far: a total, not this period's increment.
  { re: /(?:累计|今年以来|今年|年内|全年|年初以来|\d{4}\s*年(?:以来)?)\s*新增/g, kind: 'absolute' },
  {
    re: new RegExp(
      `累计|累积|总计|合计|共计|总共|一共|共有|总数|总量|总规模|剩余|还剩|尚余|尚有|存量|降至|减至|降到|减到|增至|增加到|增长到|提高到|提升到|升至|达到|至今|迄今|目前|当前|现有|现为|(?<!公)共${NUM_AHEAD}|达${NUM_AHEAD}`,
      'g',
    ),
    kind: 'absolute',
  },
  { re: /新增|增加(?![到至值])|净增|追加|另有|另外|另|又|额外|本月|当月|这个月|这月|本周|当周|这周|本旬|本期|当期|本季度|本季|上个?月|上周|今日|今天|昨日|昨天|近日|本次|此次|单月/g, kind: 'increment' },
  { re: /已经|现已|已/g, kind: 'weak' },
  { re: /截至|截止|到目前为止|迄今为止|今年以来|年初以来|今年|全年|年内|前\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*个?(?:月|季度)/g, kind: 'frame' },
  {
    re: /\b(?:in total|total(?:ling)?|overall|cumulative(?:ly)?|altogether|now stands at|stands at|standing at|now at|now|currently at|currently|reached|reaches|up to|count is|is at|are at|remaining)\b/g,
    kind: 'absolute',
  },
  { re: /\b(?:in total|total|so far|to date|altogether|overall|cumulative(?:ly)?|in all|now|remaining|left)\b/g, kind: 'absolute', fwd: true },
  {
    re: /\b(?:added|adds|add|another|more|new|newly|additional|extra|plus|increased by|increase of|up by|this month|this week|last month|last week|today|yesterday)\b/g,
    kind: 'increment',
  },
  { re: /\b(?:more|new|added|additional|extra|fewer|less|this month|this week|last month|last week|today|yesterday)\b/g, kind: 'increment', fwd: true },
  { re: /\b(?:as of|as at|so far|to date|year to date|ytd|this year)\b/g, kind: 'frame' },
  { re: /[:=]|为|是|\b(?:is|at|was)\b/g, kind: 'label' },
  { re: /增速|增幅|增长|同比|环比|下降|降幅|回落|降低|减少|growth|grew|yoy|year-on-year|y\/y/g, kind: 'enable' },
];

const SIGNS: Array<{ re: RegExp; sign: 1 | -1; fwd?: boolean }> = [
  { re: /新增|增加(?![到至值])|净增|增长(?![到至])|提高(?![到至])|上升(?![到至])|提升(?![到至])|追加/g, sign: 1 },
  { re: /减少(?![到至])|下降(?![到至])|降低(?![到至])|回落(?![到至])|下滑|压减(?![到至])|负增长/g, sign: -1 },
  { re: /\b(?:added|add|adds|another|additional|extra|plus|increased by|increase of|up by|grew by)\b/g, sign: 1 },
  { re: /\b(?:decreased by|decrease of|down by|fell by|reduced by|declined by|minus)\b|\bdown(?=\s+\d)/g, sign: -1 },
  { re: /\bup(?=\s+\d)/g, sign: 1 },
  { re: /\b(?:more|added|additional|extra)\b/g, sign: 1, fwd: true },
  { re: /\b(?:fewer|less)\b/g, sign: -1, fwd: true },
];

/** Month cues: "11月" alone is that month's figure; "截至11月", "1-10月", "11月底" frame a total. */
const MONTH_CUE = /(截至|截止|到|至)?\s*(?:(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*[-~至到—–]\s*)?(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*月份?(底|末|初|上旬|中旬|下旬)?/g;

/** Anchors whose total a decreasing target cannot take at face value (累计盘活8万平方米 = reduced by 8). */
const TOTAL_SO_FAR = /^(累计|累积|总计|合计|共计|总共|一共|共|截至|截止|今年|全年|年内|今年以来|年初以来|in total|total|totalling|so far|to date|cumulative|cumulatively|altogether|overall|in all|as of|year to date|ytd|this year|\d.*月)/;

function collectAnchors(scan: string): { anchors: Anchor[]; signs: SignAnchor[] } {
  const anchors: Anchor[] = [];
  for (const { re, kind, fwd } of ANCHORS) {
    for (const m of scan.matchAll(re)) anchors.push({ start: m.index, end: m.index + m[0].length, kind, word: m[0], ...(fwd ? { fwd } : {}) });
  }
  for (const m of scan.matchAll(MONTH_CUE)) {
    // "3个月" is a duration, handled elsewhere; MONTH_CUE needs the digit right before 月.
    const framed = !!m[1] || /[-~至到—–]/.test(m[0].replace(/^(截至|截止|到|至)/, '')) || !!m[2];
    anchors.push({ start: m.index, end: m.index + m[0].length, kind: framed ? 'frame' : 'increment', word: m[0].trim() });
  }
  const signs: SignAnchor[] = [];
  for (const { re, sign, fwd } of SIGNS) {
    for (const m of scan.matchAll(re)) signs.push({ start: m.index, end: m.index + m[0].length, sign, word: m[0], ...(fwd ? { fwd } : {}) });
  }
  return { anchors, signs };
}

// Things that look like numbers but are not figures; blanked before numbers are read.
const NOT_FIGURES: RegExp[] = [
  /“[^”\n]{0,40}”|"[^"\n]{0,40}"|「[^」\n]{0,40}」|『[^』\n]{0,40}』|《[^》\n]{0,60}》/g,
  new RegExp(`(?<![\\d.,])(?:${ARABIC}|${CN_NUMERAL})\\s*个?百分点|(?<![\\d.,])${ARABIC}\\s*(?:percentage points?|pp|ppts?)\\b`, 'g'),
  /第\s*(?:\d+|[零〇一二两三四五六七八九十百千]+)/g,
  /\d{4}\s*[-/.]\s*\d{1,2}(?:\s*[-/.]\s*\d{1,2})?/g,
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
const NOT_A_FIGURE_AFTER =
  /^\s?个?\s?(?:年|月|季度|季|周|星期|工作日|天|日|号|小时|时|点|分钟|分|秒|期|届|岁|倍|楼|层|号线|批|轮|代|版|级|多月|半月)|^(?:st|nd|rd|th)\b|^\s?(?:am|pm|years?|months?|weeks?|days?|hours?|times|x)\b/;
const TAIL_RE =
  /\s?(万亿|千万|百万|十万|万|亿|千|k\b|thousand\b|million\b|mn\b|bn\b|billion\b)?\s?(平方米|平米|平方(?!公里)|亩|公顷|公里|千米|米|元|人民币|项|个|家|处|座|栋|幢|户|套|间|人|名|场|次|件|条|所|台|辆|宗|笔|份|yuan\b|rmb\b|cny\b|sqm\b|sq\.?\s?m\b|m2\b|m²|square met(?:er|re)s?\b|mu\b|projects?\b|items?\b|firms?\b|compan(?:y|ies)\b|enterprises?\b|venues?\b|stations?\b|sites?\b|units?\b|households?\b|people\b|persons?\b)?/y;

const MAG_FACTOR: Record<string, number> = {
  万亿: 1e12,
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

type Token = {
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

function findPercents(numScan: string): Token[] {
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

function findNumbers(numScan: string): Token[] {
  const out: Token[] = [];
  for (const m of numScan.matchAll(NUMBER_RE)) {
    const chinese = m[3] !== undefined;
    const text = chinese ? m[3]! : m[2]!;
    const start = m.index;
    const numberEnd = start + m[0].length;
    const after = numScan.slice(numberEnd, numberEnd + 12);
    if (NOT_A_FIGURE_AFTER.test(after)) continue;
    // Part of a compound such as 4+6, 1.2.3, 0513-8888.
    if (/^[.\/:+\-]\d/.test(after)) continue;
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

type Classified = { mode: FigureMode; anchor?: string; signed: boolean; counts: boolean; context: string };

function classify(layout: Layout, index: number, tokens: readonly Token[]): Classified {
  const { scan } = layout;
  const tok = tokens[index]!;
  const cStart = layout.clauses.start[tok.start]!;
  const cEnd = layout.clauses.end[tok.start]!;
  const sStart = layout.sentences.start[tok.start]!;
  const sEnd = layout.sentences.end[tok.start]!;
  const next = tokens[index + 1];
  const nextTok = next && next.start < cEnd ? next : undefined;
  const fwdLimit = Math.min(cEnd, nextTok ? nextTok.start : cEnd, tok.end + 30);
  const prev = tokens[index - 1];
  const prevTok = prev && prev.start >= cStart ? prev : undefined;
  const cues = layout.cluesByClause.get(cStart) ?? NO_CUES;
  const contextStart = Math.max(cStart, prevTok ? prevTok.end : cStart);
  const context = scan.slice(contextStart, tok.start).trim().slice(-12);

  const back = (kind: BackKind) => lastEndingBy(cues.back[kind], tok.start);
  const aheadCandidate = firstStartingFrom(cues.fwd, tok.end);
  const ahead = aheadCandidate && aheadCandidate.end <= fwdLimit ? aheadCandidate : undefined;

  const strong = [back('absolute'), back('increment')].filter((a): a is Anchor => !!a).sort((a, b) => byEnd(b, a))[0];
  const weak = back('weak');
  const frame = (layout.framesBySentence.get(sStart) ?? []).find((a) => a.end <= sEnd && (a.end <= tok.start || a.start >= tok.end));
  const nearestLabel = back('label');
  const label = nearestLabel && tok.start - nearestLabel.end <= 2 ? nearestLabel : undefined;
  const firstEnable = cues.back.enable[0];
  const enable = firstEnable && firstEnable.end <= tok.start ? firstEnable : undefined;

  // Direction: an explicit +/- on the number, else the nearest sign word just before (or, in English, just after).
  let sign = tok.explicitSign;
  let signWord: string | undefined = sign ? (sign > 0 ? '+' : '-') : undefined;
  const nearestSign = lastEndingBy(cues.signsBack, tok.start);
  const signBefore = nearestSign && nearestSign.start >= contextStart && tok.start - nearestSign.end <= 8 ? nearestSign : undefined;
  if (!sign) {
    const before = signBefore;
    const afterCandidate = firstStartingFrom(cues.signsFwd, tok.end);
    const after = afterCandidate && afterCandidate.end <= fwdLimit ? afterCandidate : undefined;
    const chosen = before ?? after;
    if (chosen) {
      sign = chosen.sign;
      signWord = chosen.word;
    }
  }

  let mode: FigureMode = 'unknown';
  let anchor: string | undefined;
  // ...unless that word is part of a total's cue ("今年新增5家" counts the year so far).
  const coveredByTotal = !!signBefore && strong?.kind === 'absolute' && strong.end >= signBefore.end;
  const adjacentSign = !!signBefore && !coveredByTotal && /^\s*$/.test(scan.slice(signBefore.end, tok.start));
  if ((tok.explicitSign || adjacentSign) && !tok.percent) {
    // "+5", "减少2万平方米", "down 2": a direction written right on the number is an increment.
    mode = 'increment';
    anchor = signWord;
  } else if (strong) {
    mode = strong.kind === 'absolute' ? 'absolute' : 'increment';
    anchor = strong.word;
  } else if (ahead) {
    mode = ahead.kind === 'absolute' ? 'absolute' : 'increment';
    anchor = ahead.word;
  } else if (weak) {
    mode = 'absolute';
    anchor = weak.word;
  } else if (frame) {
    mode = 'absolute';
    anchor = frame.word;
  } else if (sign === -1 && !tok.percent) {
    mode = 'increment';
    anchor = signWord;
  }
  // A direction word before a total (减少后剩余41万平方米) does not make the total negative.
  if (sign === -1 && tok.number.amount > 0 && (tok.percent || mode !== 'absolute')) tok.number.amount = -tok.number.amount;
  const signed = sign !== undefined && mode !== 'absolute';

  const alone = layout.stripped.length <= 40 && layout.stripped === scan.slice(tok.start, tok.end).replace(/[\s\p{P}\p{S}]/gu, '');
  let counts: boolean;
  if (tok.chinese && Math.abs(tok.number.amount * tok.number.magnitude) === 1) counts = !!strong; // 一 is an article far more often than a figure
  else if (tok.hasUnitOrMagnitude) counts = true;
  else counts = !!(strong || ahead || weak || label || enable || alone || (sign !== undefined && !tok.chinese));
  return { mode, ...(anchor !== undefined ? { anchor } : {}), signed, counts, context };
}

// ---------------------------------------------------------------------------------------------
// States, blockers, milestone phrases
// ---------------------------------------------------------------------------------------------

const NEGATION_BEFORE = /(?:尚未|还未|仍未|未能|并未|暂未|均未|未|没有|没|不能|无法|不会|不再|不|无)[^,;。!?]{0,4}$/;
const NEGATION_BEFORE_EN = /\b(?:not|never|no|yet to|without|hasn't|haven't|isn't|aren't|wasn't|weren't|didn't|doesn't|don't|won't|can't|cannot)\b(?:\s+\S+){0,2}\s*$/;
const PLANNED = /计划|预计|拟|将于|将|争取|力争|确保|有望|打算|预期|下周|下个?月|明年|(?:底|末)前|内(?:完成|完工|竣工)|(?<!提)前完成|(?<=[a-z]\s)(?:plan|plans|planned|planning) to\b|\bto (?:be )?(?:complete|completed|finish|finished|start|started|done)\b|\bby (?:the )?(?:end|mid|early|late|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|\b(?:planned for|expect|expects|expected|will|going to|should|aim to|aims to|aiming to|scheduled for|scheduled to|next (?:week|month|year|quarter))\b/;
const NOT_PLANNED = /按计划|按照计划|按期|如期|as planned|on schedule/g;
const RESOLVED = /已解决|已协调|得到解决|已排除|已解除|解除|恢复|已化解|此前|之前|曾经|曾|\b(?:resolved|unblocked|no longer|cleared|resumed|previously)\b/;
const IN_PROGRESS_MARK = /正在|进行中|推进中|建设中|施工中|办理中|在建|\b(?:in progress|underway|under way|ongoing)\b/;

const DONE_ZH = /完成|完工|竣工|建成|办结/g;
const DONE_EN = /\b(?:done|completed|complete|finished|accomplished)\b/g;
const BLOCKED_RE = /受阻|阻滞|卡住|卡壳|卡在|停滞|停工|停摆|搁置|暂停|中止|遇阻|无法推进|难以推进|推进困难|\b(?:blocked|stuck|stalled|on hold|halted|held up)\b/g;
const DELAYED_RE = /延期|推迟|滞后|延迟|延误|拖期|逾期|落后于?(?:序时|计划)|慢于序时|进展缓慢|进度缓慢|推进缓慢|\b(?:delayed|postponed|behind schedule|behind|overdue|slipped|slipping|running late|late)\b/g;
const IN_PROGRESS_RE =
  /推进中|在建|施工中|进行中|建设中|正在(?:推进|施工|建设|实施|办理|进行)|有序推进|稳步推进|加快推进|正常推进|顺利推进|按计划推进|按序时推进|持续推进|已开工|开工了|正式开工|已进场|进场施工|\b(?:in progress|underway|under way|ongoing|on track|started|has started|proceeding)\b/g;

/** Words that may stand before a whole-item completion without qualifying it (项目已全部完成). */
const DONE_FILLER_ZH = /该项目|本项目|此项目|项目|工程|目前|现在|现已|今天|今日|本月|本周|近日|日前|已于|已经|均已|已|均|都|全部|全面|整体|顺利|如期|按期|按时|按计划|提前|正式|已然|\d{1,2}月\d{1,2}[日号]|\d{1,2}[日号]|[\s\p{P}\p{S}]/gu;
const DONE_FILLER_EN = /\b(?:the|project|item|task|it|it's|this|that|is|was|were|are|has|have|had|been|all|fully|now|already|officially|successfully|finally|we|our|got|just|has been|have been|on time|on schedule|ahead of schedule|as planned|in full|today|yesterday|this week|this month)\b|[\s\p{P}\p{S}]/gu;
const DONE_OBJECT_ZH = /^(?:(?:全年|年度|全部|所有|既定)?(?:目标|任务)|建设|施工|改造|整治|全部|所有)/;

const REACH_MARK =
  /了|已|完成|完工|竣工|封顶|到位|落地|开工|签约|续签|印发|出台|批复|交付|验收|运营|入驻|发布|召开|组建|确定|明确|举办|启动|建成|投用|投运|通过|\b(?:done|completed?|finished|reached|achieved|signed|issued|started|held|launched|opened|in place|set up|approved|delivered)\b/;
const MILESTONE_FILLER_ZH = /^(?:该项目|本项目|此项目|项目)|已经|已于|均已|已|均|都|了|啦|顺利|正式|全部|如期|按期|按时|提前|目前|现在|现已|今天|今日|本月|本周|近日|日前/g;
/** English filler is stripped only at the ends, so a name such as "visited on the frontline" survives whole. */
const MILESTONE_FILLER_EN_HEAD = /^(?:(?:the|we|our|have|has|had|is|are|was|were|been|now|already|officially|successfully|finally|all)\s+)+/;
const MILESTONE_FILLER_EN_TAIL = /(?:\s+(?:is|are|was|were|has|have|had|been|now|already|officially|successfully|all|done|completed|complete|finished|reached|achieved|accomplished|today|yesterday|this week|this month|[-–—]+))+$/;

/** Whether the words just before a position negate it; looks at a short tail only, so it costs O(1). */
function negatedAt(clauseBefore: string): boolean {
  const zh = clauseBefore.slice(-12).replace(/不断|不少|不久/g, '  ');
  return NEGATION_BEFORE.test(zh) || NEGATION_BEFORE_EN.test(clauseBefore.slice(-48));
}

function clean(s: string): string {
  return s.replace(/^[\s\p{P}\p{S}]+|[\s\p{P}\p{S}]+$/gu, '').trim();
}

type StateFindings = {
  state?: ParsedProgress['state'];
  negated: boolean;
  partialDone: boolean;
  wholeDoneClauses: Set<number>;
};

function findStates(scan: string): StateFindings {
  const clauses = clausesOf(scan);
  let negated = /\b(?:incomplete|unfinished|not yet)\b|未完成|未开工|未竣工|未完工/.test(scan);
  let partialDone = false;
  const wholeDoneClauses = new Set<number>();
  const seen = { done: false, blocked: false, delayed: false, in_progress: false };

  clauses.forEach((c, index) => {
    const text = c.text;
    const planned = PLANNED.test(text.replace(NOT_PLANNED, ' '));
    const resolved = RESOLVED.test(text);
    for (const re of [DONE_ZH, DONE_EN]) {
      for (const m of text.matchAll(re)) {
        // Only the neighbourhood matters; a long qualifier is a qualifier however long it is.
        const before = text.slice(Math.max(0, m.index - 80), m.index);
        const after = text.slice(m.index + m[0].length, m.index + m[0].length + 80);
        if (negatedAt(before)) {
          negated = true;
          continue;
        }
        if (planned) continue;
        const english = re === DONE_EN;
        const afterTrim = after.replace(/^[\s了啦咯!.]+/, '');
        if (/\d\s*%|percent/.test(before)) continue; // 35% done: a percentage, not a state
        if (/^[\d零〇一二两三四五六七八九十百]|^率|^\s*(?:of|at)\b/.test(afterTrim)) continue; // 完成35%, 完成率, completed 35%
        if (/\d|百分之/.test(afterTrim)) continue; // 完成年度目标的77.5%, 竣工验收4项: a quantity, not a state
        const qualifierBefore = english ? before.replace(DONE_FILLER_EN, '') : before.replace(DONE_FILLER_ZH, '');
        let qualifierAfter: string;
        if (english) qualifierAfter = afterTrim.replace(DONE_FILLER_EN, '');
        else if (m[0] === '完成') {
          if (afterTrim && !DONE_OBJECT_ZH.test(afterTrim)) continue; // 完成投资, 完成招标: a verb with an object
          qualifierAfter = '';
        } else qualifierAfter = afterTrim.replace(/[\s\p{P}\p{S}]/gu, '');
        if (!qualifierBefore && !qualifierAfter) {
          seen.done = true;
          wholeDoneClauses.add(index);
        } else partialDone = true;
      }
    }
    for (const m of text.matchAll(BLOCKED_RE)) {
      if (negatedAt(text.slice(0, m.index)) || resolved) continue;
      seen.blocked = true;
    }
    for (const m of text.matchAll(DELAYED_RE)) {
      if (negatedAt(text.slice(0, m.index)) || resolved) continue;
      seen.delayed = true;
    }
    for (const m of text.matchAll(IN_PROGRESS_RE)) {
      if (negatedAt(text.slice(0, m.index))) continue;
      seen.in_progress = true;
    }
    if (/(?:尚未|还未|仍未|未能|并未|暂未|均未|未|没有|没)\s*(?:开工|完工|竣工|启动|签约|到位)/.test(text)) negated = true;
  });
  // Whole-item completion is only recognised strictly, so it outranks other words; then the most severe.
  const state: ParsedProgress['state'] = seen.done
    ? 'done'
    : seen.blocked
      ? 'blocked'
      : seen.delayed
        ? 'delayed'
        : seen.in_progress
          ? 'in_progress'
          : undefined;
  return { ...(state ? { state } : {}), negated, partialDone, wholeDoneClauses };
}

const BLOCKER_PATTERNS: RegExp[] = [
  /(?:受阻|卡住|卡壳|停滞|停工|搁置|滞后|延期|推迟|blocked|stuck|stalled|delayed|on hold)\s*[:：]\s*([^。；;!！?？\n]+)/i,
  /(?:主要)?原因(?:主要)?(?:是|为|在于)?\s*[:：]?\s*([^。；;!！?？\n]+)/,
  /\b(?:blocked|held up|stuck|stalled|delayed|postponed|on hold)\s+(?:by|due to|because of|because|on|pending|waiting for|waiting on|over)\s+([^.;!?\n]+)/i,
  /\b(?:due to|because of|because|owing to|pending|waiting for|waiting on)\s+([^.;!?\n]+)/i,
  /受(?!阻)([^，,。；;!！?？\n]{1,40}?)(?:的)?(?:影响|制约)/,
  /(?:由于|因为|(?<!原)因)([^，,。；;!！?？\n]+?)(?:[，,]|导致|造成|致使|而|$)/,
  /卡在\s*([^，,。；;!！?？\n]+)/,
];

function findBlocker(plain: string): string | undefined {
  for (const re of BLOCKER_PATTERNS) {
    const m = re.exec(plain);
    if (!m?.[1]) continue;
    // "原因是资金未到位，项目停滞": the trailing clause restates the state; the reason is what precedes it.
    const parts = m[1].split(/[，,]/);
    while (parts.length > 1 && STATE_ONLY.test(parts[parts.length - 1]!.toLowerCase())) parts.pop();
    const phrase = clean(parts.join('，'));
    if (phrase) return cut(phrase, 500);
  }
  return undefined;
}

const STATE_ONLY = new RegExp(`(?:${BLOCKED_RE.source}|${DELAYED_RE.source})`);

function findMilestoneWords(plainScan: string, wholeDone: Set<number>, figureAt: readonly Span[]): string[] {
  const out: string[] = [];
  clausesOf(plainScan).forEach((c, index) => {
    const text = c.text;
    if (wholeDone.has(index)) return;
    // A clause carrying a figure reports a quantity (累计开工31项), not a milestone.
    const firstAfter = firstStartingFrom(figureAt, c.start);
    if (firstAfter && firstAfter.start < c.start + text.length) return;
    if (!REACH_MARK.test(text)) return;
    if (PLANNED.test(text.replace(NOT_PLANNED, ' '))) return;
    if (IN_PROGRESS_MARK.test(text) || RESOLVED.test(text)) return;
    if (new RegExp(BLOCKED_RE.source).test(text) || new RegExp(DELAYED_RE.source).test(text)) return;
    if (/(?:尚未|还未|仍未|未能|并未|暂未|未|没有|没|不)\s*\S{0,4}(?:完成|完工|竣工|开工|签约|到位|封顶|验收|印发|出台)/.test(text)) return;
    if (/\b(?:not|never|yet to)\b/.test(text)) return;
    const phrase = clean(
      text
        .replace(/^[^:]{1,40}:\s*(?=\S)/, '')
        .replace(/[+\-]?\d+(?:\.\d+)?\s*%/g, ' ')
        .replace(MILESTONE_FILLER_ZH, '')
        .replace(/[“”"「」『』《》]/g, '')
        .replace(/\s+/g, ' ')
        .trim()
        .replace(MILESTONE_FILLER_EN_TAIL, '')
        .replace(MILESTONE_FILLER_EN_HEAD, ''),
    );
    const size = normalize(phrase).length;
    if (size >= 2 && size <= 60 && !out.includes(phrase)) out.push(phrase);
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// parseProgress
// ---------------------------------------------------------------------------------------------

function percentKind(clause: string): ParsedPercent['kind'] {
  if (/增速|增幅|增长|同比|环比|下降|降幅|回落|降低|growth|grew|yoy|year-on-year|y\/y|\bup\b|\bdown\b/.test(clause)) return 'rate';
  if (/完成|进度|工程量|总体|整体|占[^,;。]{0,8}(?:计划|目标|任务)|done|complete|finished|progress|overall/.test(clause)) return 'completion';
  return 'unknown';
}

function valueOf(n: ParsedNumber): number {
  return roundNice(n.amount * n.magnitude);
}

function sameFigure(a: Figure, b: Figure): boolean {
  return a.mode === b.mode && valueOf(a.number) === valueOf(b.number) && unitInfo(a.number.unit).canon === unitInfo(b.number.unit).canon;
}

/** Reads one free-text progress reply. Pure; never throws on any string. */
export function parseProgress(text: string): ParsedProgress {
  const input = typeof text === 'string' ? text : '';
  const { note: resolved, plain, links } = resolveMarkup(input.length > SCAN_MAX * 2 ? input.slice(0, SCAN_MAX * 2) : input);
  const note = cut(resolved.trim(), NOTE_MAX);
  const plainCut = plain.slice(0, SCAN_MAX);
  // Full-width comma becomes ", " so "5，120" can never read as a thousands separator.
  const scan = plainCut.replace(/，/g, ', ').normalize('NFKC').toLowerCase();

  let numScan = scan;
  for (const re of NOT_FIGURES) numScan = blank(numScan, re);
  const percentTokens = findPercents(numScan);
  numScan = blankSpans(numScan, percentTokens);
  // Dates are figures' commonest impostors: 2026年, 11月, 27日 are dropped by NOT_A_FIGURE_AFTER.
  const numberTokens = findNumbers(numScan);
  const tokens = [...percentTokens, ...numberTokens].sort((a, b) => a.start - b.start);
  const { anchors, signs } = collectAnchors(scan);
  const clauses = spansOf(scan, isFigureClauseBreak);
  const sentences = spansOf(scan, isSentenceBreak);
  const layout: Layout = {
    scan,
    clauses,
    sentences,
    stripped: scan.length <= 200 ? scan.replace(/[\s\p{P}\p{S}了啦]/gu, '') : '',
    cluesByClause: new Map(),
    framesBySentence: groupBy(
      anchors.filter((a) => a.kind === 'frame'),
      (at) => sentences.start[at]!,
    ),
  };
  const anchorsByClause = groupBy(
    anchors.filter((a) => a.kind !== 'frame'),
    (at) => clauses.start[at]!,
  );
  const signsByClause = groupBy(signs, (at) => clauses.start[at]!);
  for (const key of new Set([...anchorsByClause.keys(), ...signsByClause.keys()])) {
    layout.cluesByClause.set(key, indexClause(anchorsByClause.get(key) ?? [], signsByClause.get(key) ?? []));
  }

  const figuresAll: Figure[] = [];
  const percents: ParsedPercent[] = [];
  const figureAt: Span[] = [];
  const percentKindByClause = new Map<number, ParsedPercent['kind']>();
  for (const [index, tok] of tokens.entries()) {
    const c = classify(layout, index, tokens);
    if (!c.counts) continue;
    figureAt.push({ start: tok.start, end: tok.end });
    if (tok.percent) {
      const clauseStart = layout.clauses.start[tok.start]!;
      let kind = percentKindByClause.get(clauseStart);
      if (!kind) {
        kind = percentKind(scan.slice(clauseStart, layout.clauses.end[tok.start]!));
        percentKindByClause.set(clauseStart, kind);
      }
      const p: ParsedPercent = { value: tok.number.amount, kind, mode: c.mode, raw: tok.number.raw, context: c.context };
      if (!percents.some((q) => q.value === p.value && q.kind === p.kind)) percents.push(p);
      continue;
    }
    const fig: Figure = { mode: c.mode, number: tok.number, signed: c.signed, context: c.context, ...(c.anchor !== undefined ? { anchor: c.anchor } : {}) };
    if (!figuresAll.some((f) => sameFigure(f, fig))) figuresAll.push(fig);
  }

  // An absolute of the same measure absorbs the increments reported beside it (本月新开工5项，累计开工31项 → 31).
  const absolutes = figuresAll.filter((f) => f.mode === 'absolute');
  const superseded = figuresAll.filter((f) => f.mode === 'increment' && absolutes.some((a) => unitsCompatible(a.number.unit, f.number.unit)));
  const figures = figuresAll.filter((f) => !superseded.includes(f));

  const completion = percents.filter((p) => p.kind === 'completion');
  const inRange = (p: ParsedPercent) => p.value >= 0 && p.value <= 100;
  let percent: number | undefined;
  if (completion.length === 1 && inRange(completion[0]!)) percent = completion[0]!.value;
  else if (completion.length === 0 && percents.length === 1 && inRange(percents[0]!)) percent = percents[0]!.value;

  const states = findStates(scan);
  const blocker = findBlocker(plainCut);
  const milestoneWords = findMilestoneWords(scan, states.wholeDoneClauses, figureAt);

  const out: ParsedProgress = {
    figures,
    superseded,
    percents,
    partialDone: states.partialDone,
    milestoneWords,
    links,
    note,
    negated: states.negated,
  };
  if (figures.length === 1) out.figure = figures[0]!;
  if (percent !== undefined) out.percent = percent;
  // A negated completion anywhere (尚未完成) outweighs a completion word elsewhere: never report done then.
  if (states.state && !(states.state === 'done' && states.negated)) out.state = states.state;
  if (blocker) out.blocker = blocker;
  return out;
}

// ---------------------------------------------------------------------------------------------
// interpretFor
// ---------------------------------------------------------------------------------------------

type Option = { label: { zh: string; en: string }; update: UpdateFields };

function fmt(n: number): string {
  return String(Number(n.toFixed(4)));
}

function unitLabels(unit: Text): { zh: string; en: string } {
  return { zh: unit.zh, en: unit.en ?? unit.zh };
}

function isCountUnit(unit: Text): boolean {
  return unitInfo(splitUnit(unit.zh).word).dim === 'count';
}

function measureOverlap(context: string, name: string): boolean {
  const generic = new Set(['累计', '新增', '本月', '完成', '项目', '目前', '截至', '今年', '全年', '已经', '其中', '同比', '当月']);
  const grams = (s: string) => {
    const cjk = s.replace(/[^\p{Script=Han}]/gu, '');
    const out = new Set<string>();
    for (let i = 0; i + 1 < cjk.length; i++) {
      const g = cjk.slice(i, i + 2);
      if (!generic.has(g)) out.add(g);
    }
    return out;
  };
  const n = grams(name);
  for (const g of grams(context)) if (n.has(g)) return true;
  return false;
}

/** Keeps the one candidate whose context names the item's measure (累计开工31项，其中竣工12项 → 开工), if exactly one does. */
function pickByMeasure<T extends { context: string }>(candidates: readonly T[], name: Text): T | undefined {
  const hits = candidates.filter((c) => measureOverlap(c.context, name.zh));
  return hits.length === 1 ? hits[0] : undefined;
}

type Converted = { value: number; implausible?: { asBase: number; asWan?: number } };

/** A figure in the item's unit: 32000万元 → 3.2 (亿元); a bare number is taken as already in the item's unit. */
function convert(n: ParsedNumber, unit: Text, scale: number): Converted {
  const target = splitUnit(unit.zh);
  if (!n.unit && n.magnitude === 1) {
    const value = n.amount;
    if (target.magnitude > 1 && Math.abs(value) > 100 * scale) {
      const implausible: Converted['implausible'] = { asBase: roundNice(value / target.magnitude) };
      if (target.magnitude === 1e8) implausible.asWan = roundNice((value * 1e4) / 1e8);
      return { value, implausible };
    }
    return { value };
  }
  return { value: roundNice((n.amount * n.magnitude) / target.magnitude) };
}

function labelAbsolute(v: number, unit: Text): Option['label'] {
  const u = unitLabels(unit);
  return { zh: `累计 ${fmt(v)} ${u.zh}`, en: `${fmt(v)} ${u.en} in total` };
}

function labelIncrement(delta: number, total: number, unit: Text): Option['label'] {
  const u = unitLabels(unit);
  return delta >= 0
    ? { zh: `新增 ${fmt(delta)} ${u.zh} → 累计 ${fmt(total)} ${u.zh}`, en: `${fmt(delta)} more → ${fmt(total)} ${u.en} in total` }
    : { zh: `减少 ${fmt(-delta)} ${u.zh} → 剩余 ${fmt(total)} ${u.zh}`, en: `${fmt(-delta)} fewer → ${fmt(total)} ${u.en}` };
}

function ambiguous(reason: AmbiguityReason, options: Option[], note: string, links: string[]): Interpretation {
  const unique: Option[] = [];
  for (const o of options) {
    if (!unique.some((u) => JSON.stringify(u.update) === JSON.stringify(o.update))) unique.push(o);
  }
  return { kind: 'ambiguous', reason, options: unique.slice(0, 6), note, links };
}

function isTargetItem(item: Target | Project | Commitment): item is Target {
  return 'kind' in item && (item.kind === 'cumulative' || item.kind === 'level');
}

/** What the parsed text means for one item, in that item's unit — or that a person must choose. */
export function interpretFor(parsed: ParsedProgress, item: Target | Project | Commitment, current: ItemProgress): Interpretation {
  const links = parsed.links;
  if (isTargetItem(item)) {
    return item.kind === 'cumulative' ? interpretCumulative(parsed, item, current, links) : interpretLevel(parsed, item, current, links);
  }
  return interpretWithMilestones(parsed, item, current, links);
}

function percentAsFigure(p: ParsedPercent): Figure {
  // A percentage on a %-unit item is a level, never an increment: a change of rate is written "N个百分点".
  return { mode: 'absolute', number: { amount: p.value, magnitude: 1, unit: '%', raw: p.raw }, context: p.context };
}

/** Narrows several figures: keep those in a compatible unit, then the one naming the item's measure. */
function narrow(figs: readonly Figure[], unit: Text, name: Text): { picked?: Figure; candidates: Figure[]; mismatch: Figure[] } {
  const targetWord = splitUnit(unit.zh).word;
  const compatible = figs.filter((f) => unitsCompatible(f.number.unit, targetWord));
  const mismatch = figs.filter((f) => !compatible.includes(f));
  if (compatible.length === 1) return { picked: compatible[0]!, candidates: compatible, mismatch };
  if (compatible.length > 1) {
    const explicit = compatible.filter((f) => f.number.unit !== undefined || f.number.magnitude !== 1);
    if (explicit.length === 1) return { picked: explicit[0]!, candidates: compatible, mismatch };
    const byName = pickByMeasure(compatible, name);
    if (byName) return { picked: byName, candidates: compatible, mismatch };
  }
  return { candidates: compatible, mismatch };
}

function interpretCumulative(parsed: ParsedProgress, t: CumulativeTarget, current: ItemProgress, links: string[]): Interpretation {
  const note = parsed.note;
  const unit = t.unit;
  const isPercentUnit = splitUnit(unit.zh).word === '%';
  const base = current.value ?? t.baseline;
  const decreasing = t.target < t.baseline;
  const scale = Math.max(Math.abs(t.target), Math.abs(t.baseline), Math.abs(base), 1);
  const round = (v: number) => (isCountUnit(unit) ? Math.round(v) : roundNice(v));

  const figs = isPercentUnit ? [...parsed.figures, ...parsed.percents.map(percentAsFigure)] : parsed.figures;
  if (figs.length === 0) {
    if (!isPercentUnit && parsed.percents.length > 0) return percentShare(parsed, t, note, links);
    return { kind: 'note', note, links };
  }

  const { picked, candidates, mismatch } = narrow(figs, unit, t.name);
  const readings = (f: Figure): Option[] => {
    const c = convert(f.number, unit, scale);
    const amounts = c.implausible ? [c.value, c.implausible.asBase, ...(c.implausible.asWan !== undefined ? [c.implausible.asWan] : [])] : [c.value];
    const opts: Option[] = [];
    for (const v of amounts) {
      const delta = decreasing && !f.signed ? -Math.abs(v) : v;
      if (f.mode !== 'increment') opts.push({ label: labelAbsolute(v, unit), update: { value: v } });
      if (f.mode !== 'absolute') opts.push({ label: labelIncrement(delta, roundNice(base + delta), unit), update: { value: roundNice(base + delta) } });
      if (decreasing && f.mode === 'absolute' && TOTAL_SO_FAR.test(f.anchor ?? '')) {
        const fromBaseline = roundNice(t.baseline - Math.abs(v));
        opts.push({ label: { zh: `累计减少 ${fmt(Math.abs(v))} ${unit.zh} → 剩余 ${fmt(fromBaseline)} ${unit.zh}`, en: `${fmt(Math.abs(v))} fewer since the baseline → ${fmt(fromBaseline)} ${unit.en ?? unit.zh}` }, update: { value: fromBaseline } });
      }
    }
    return opts;
  };

  if (!picked) {
    if (candidates.length === 0) return ambiguous('unit_mismatch', mismatch.flatMap(readings), note, links);
    return ambiguous('several_figures', candidates.flatMap(readings), note, links);
  }

  const c = convert(picked.number, unit, scale);
  if (c.implausible) return ambiguous('unit_mismatch', readings(picked), note, links);
  if (picked.mode === 'absolute') {
    // On a shrinking target "累计盘活8万平方米" may be what was removed, not what remains.
    if (decreasing && TOTAL_SO_FAR.test(picked.anchor ?? '')) return ambiguous('increment_or_total', readings(picked), note, links);
    return { kind: 'update', value: round(c.value), note, links };
  }
  const delta = decreasing && !picked.signed ? -Math.abs(c.value) : c.value;
  const added = roundNice(base + delta);
  if (picked.mode === 'increment') return { kind: 'update', value: round(added), note, links };
  // unknown: if adding and replacing agree (nothing reported yet, baseline 0), there is nothing to ask.
  if (added === c.value) return { kind: 'update', value: round(c.value), note, links };
  return ambiguous('increment_or_total', readings(picked), note, links);
}

function percentShare(parsed: ParsedProgress, t: CumulativeTarget, note: string, links: string[]): Interpretation {
  const unit = t.unit;
  const candidates = parsed.percents.filter((p) => p.kind !== 'rate' && p.value >= 0 && p.value <= 100);
  if (candidates.length === 0) return { kind: 'note', note, links };
  const share = (p: number) => {
    const v = t.baseline + (p / 100) * (t.target - t.baseline);
    return isCountUnit(unit) ? Math.round(v) : Math.round(v * 100) / 100;
  };
  const options = candidates.map((p) => ({
    label: { zh: `完成 ${fmt(p.value)}%（累计 ${fmt(share(p.value))} ${unit.zh}）`, en: `${fmt(p.value)}% done (${fmt(share(p.value))} ${unit.en ?? unit.zh})` },
    update: { value: share(p.value) },
  }));
  const completion = candidates.filter((p) => p.kind === 'completion');
  if (candidates.length === 1 && completion.length === 1) return { kind: 'update', value: share(completion[0]!.value), note, links };
  return ambiguous(candidates.length > 1 ? 'several_figures' : 'unit_mismatch', options, note, links);
}

function interpretLevel(parsed: ParsedProgress, t: LevelTarget, current: ItemProgress, links: string[]): Interpretation {
  const note = parsed.note;
  const unit = t.unit;
  const isPercentUnit = splitUnit(unit.zh).word === '%';
  const scale = Math.max(Math.abs(t.target), Math.abs(current.value ?? 0), 1);
  // A rate target reads its percentages, and bare numbers ("增速7.2") as percentages too.
  const figs = isPercentUnit
    ? [...parsed.percents.map(percentAsFigure), ...parsed.figures.filter((f) => !f.number.unit && f.number.magnitude === 1)]
    : parsed.figures;
  const u = unitLabels(unit);
  const levelOption = (v: number): Option => ({ label: { zh: `${fmt(v)}${u.zh}`, en: `${fmt(v)} ${u.en}` }, update: { value: v } });
  if (figs.length === 0) return { kind: 'note', note, links };
  const { picked, candidates, mismatch } = narrow(figs, unit, t.name);
  const valueOfFig = (f: Figure) => convert(f.number, unit, scale).value;
  if (!picked) {
    if (candidates.length === 0) return ambiguous('unit_mismatch', mismatch.map((f) => levelOption(valueOfFig(f))), note, links);
    return ambiguous('several_figures', candidates.map((f) => levelOption(valueOfFig(f))), note, links);
  }
  const c = convert(picked.number, unit, scale);
  if (c.implausible) return ambiguous('unit_mismatch', [levelOption(c.value), levelOption(c.implausible.asBase)], note, links);
  if (picked.mode === 'increment' && current.value !== undefined) {
    const sum = roundNice(current.value + c.value);
    return ambiguous('increment_or_total', [levelOption(c.value), { ...levelOption(sum), label: { zh: `${fmt(current.value)} + ${fmt(c.value)} = ${fmt(sum)}${u.zh}`, en: `${fmt(current.value)} + ${fmt(c.value)} = ${fmt(sum)} ${u.en}` } }], note, links);
  }
  return { kind: 'update', value: c.value, note, links };
}

type MilestoneMatch = { milestones: Milestone[]; nameMatch: boolean };

function matchMilestones(words: readonly string[], item: Project | Commitment): MilestoneMatch {
  const found = new Map<string, Milestone>();
  let nameMatch = false;
  const itemNames = [item.name.zh, item.name.en].filter((n): n is string => !!n).map(normalize);
  for (const word of words) {
    const w = normalize(word);
    if (w.length < 2) continue;
    const names = item.milestones.map((m) => ({ m, names: [m.name.zh, m.name.en].filter((n): n is string => !!n).map(normalize).filter((n) => n.length >= 2) }));
    const exact = names.filter((x) => x.names.includes(w)).map((x) => x.m);
    let hits = exact;
    if (hits.length === 0) {
      // The phrase holds a milestone name (项目正式开工 → 开工); drop names inside a longer matched name.
      const inside = names.filter((x) => x.names.some((n) => w.includes(n)));
      hits = inside
        .filter((x) => !inside.some((y) => y !== x && y.names.some((yn) => x.names.some((xn) => yn !== xn && yn.includes(xn) && w.includes(yn)))))
        .map((x) => x.m);
    }
    if (hits.length === 0 && w.length >= 2 && (/\p{Script=Han}/u.test(w) || w.length >= 4)) {
      hits = names.filter((x) => x.names.some((n) => n.includes(w))).map((x) => x.m);
    }
    if (hits.length === 0 && itemNames.some((n) => n.includes(w) || w.includes(n))) nameMatch = true;
    for (const m of hits) found.set(m.id, m);
  }
  return { milestones: [...found.values()], nameMatch };
}

function interpretWithMilestones(parsed: ParsedProgress, item: Project | Commitment, current: ItemProgress, links: string[]): Interpretation {
  let note = parsed.note;
  const fields: UpdateFields = {};

  const inRange = parsed.percents.filter((p) => p.kind !== 'rate' && p.value >= 0 && p.value <= 100);
  if (inRange.length > 1) {
    const options = inRange.map((p) => ({ label: { zh: `进度 ${fmt(p.value)}%`, en: `${fmt(p.value)}% done` }, update: { percent: p.value } }));
    return ambiguous('several_figures', options, note, links);
  }
  if (inRange.length === 1) fields.percent = inRange[0]!.value;

  let state = parsed.state;
  if (state === 'done' && parsed.negated) state = undefined;
  const matched = state === 'done' ? { milestones: [], nameMatch: false } : matchMilestones(parsed.milestoneWords, item);
  const { nameMatch } = matched;
  const reached = (m: Milestone) => current.milestonesDone[m.id] !== undefined;
  // "已开工，主体完工了" when 开工 was reported last month: the milestone not yet reached is the news.
  const fresh = matched.milestones.filter((m) => !reached(m));
  const milestones = matched.milestones.length > 1 && fresh.length >= 1 ? fresh : matched.milestones;
  // "星湖花园老旧小区改造已全部完成": the qualifier is the item's own name, so it is the whole item.
  if (!state && parsed.partialDone && nameMatch && milestones.length === 0) state = 'done';

  if (state === 'blocked' || state === 'delayed') {
    if (parsed.blocker) note = parsed.blocker;
    if (milestones.length > 0) {
      const stateLabel = state === 'blocked' ? { zh: '标记为受阻', en: 'Mark as blocked' } : { zh: '标记为滞后', en: 'Mark as delayed' };
      const options: Option[] = [
        ...milestones.map((m) => ({ label: { zh: `${m.name.zh} 已完成`, en: `${m.name.en ?? m.name.zh} reached` }, update: { ...fields, milestoneId: m.id, state: 'done' as const } })),
        { label: stateLabel, update: { ...fields, state } },
      ];
      return ambiguous('milestone_or_state', options, note, links);
    }
  }

  if (state === 'done') return { kind: 'update', ...fields, state: 'done', note, links };
  if (milestones.length > 1) {
    const options = milestones.map((m) => ({ label: { zh: `${m.name.zh} 已完成`, en: `${m.name.en ?? m.name.zh} reached` }, update: { ...fields, milestoneId: m.id, state: 'done' as const } }));
    return ambiguous('milestone_unclear', options, note, links);
  }
  if (milestones.length === 1) return { kind: 'update', ...fields, milestoneId: milestones[0]!.id, state: 'done', note, links };
  if (parsed.partialDone && !state) {
    // Something was completed, but it names no milestone: which one, or the whole item?
    const options: Option[] = [
      ...item.milestones
        .filter((m) => !reached(m))
        .slice(0, 5)
        .map((m) => ({ label: { zh: `${m.name.zh} 已完成`, en: `${m.name.en ?? m.name.zh} reached` }, update: { ...fields, milestoneId: m.id, state: 'done' as const } })),
      { label: { zh: '整体完成', en: 'The whole item is done' }, update: { ...fields, state: 'done' } },
    ];
    return ambiguous('milestone_unclear', options, note, links);
  }
  if (state) fields.state = state;
  if (fields.percent === undefined && fields.state === undefined) return { kind: 'note', note, links };
  return { kind: 'update', ...fields, note, links };
}
