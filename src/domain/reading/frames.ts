/**
 * Period frames: the stretch of time a figure covers. "前七月", "1-6月", "1~6月", "1—11月份", "截至9月底",
 * "一季度", "上半年", "前三季度", "年初以来", "year to date", "January-June" frame a year-to-date total;
 * "本月", "当月", "7月份", "三季度", "in October" a single period; "环比", "month-on-month" a change on the
 * period before; "2019-2024年", "since 2019" several years. A frame's own numbers (the 1 and 6 of "1~6月") are never figures: the tokens step blanks
 * every frame before it reads numbers.
 *
 * Works on the scan text (NFKC, lower case, "，" as ", ").
 */
export type FrameKind = 'ytd' | 'single' | 'mom' | 'years';
type Frame = { start: number; end: number; kind: FrameKind; word: string };

const N = String.raw`(?:\d{1,2}|[一二三四五六七八九十]{1,3})`;
const DASH = String.raw`\s*[-~至到—–－]+\s*`;
const MONTH_EN = `(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)`;
const COUNT_EN = String.raw`(?:two|three|four|five|six|seven|eight|nine|ten|eleven|\d{1,2})`;

const FRAMES: Array<{ re: RegExp; kind: FrameKind | ((m: RegExpExecArray) => FrameKind) }> = [
  // Year to date, Chinese: 1-6月 / 1~6月份 / 1—11月 / 前七月 / 前7个月 / 截至9月底 / 上半年 / 前三季度 / 年初以来.
  { re: new RegExp(String.raw`(?:今年|全年|\d{4}\s*年)?\s*(?:1|一)${DASH}${N}\s*月份?(?:底|末)?`, 'g'), kind: 'ytd' },
  { re: new RegExp(String.raw`前\s*${N}\s*个?\s*(?:月|季度)(?:份)?`, 'g'), kind: 'ytd' },
  {
    re: new RegExp(
      String.raw`(?:截至|截止|截止到|到|至)\s*(?:\d{4}\s*年\s*)?(?:${N}\s*月(?:份)?\s*(?:底|末|${N}\s*[日号])?|(?:一|二|三|四|1|2|3|4)\s*季度末?|年底|年末|目前|今年底|上半年末?|当前|现在)`,
      'g',
    ),
    kind: 'ytd',
  },
  {
    re: /上半年|下半年以来|前两季度|前三季度|今年以来|年初以来|本年度以来|今年前|年初至今|1\s*[-~至到—–]\s*[234一二三四]\s*季度|全年累计|本年累计|年累计/g,
    kind: 'ytd',
  },
  // A quarter alone: the first is also the year to date; a later one is one period.
  {
    re: /(?<![前\d一二三四])(?:第?\s*)?(一|二|三|四|1|2|3|4)\s*季度(?:末)?/g,
    kind: (m) => (/^(一|1)$/.test(m[1] ?? '') || /末$/.test(m[0]) ? 'ytd' : 'single'),
  },
  // A single period.
  { re: /本月|当月|单月|这个月|这月|上个?月|本周|当周|这周|本季度|本季|当季|本旬|本期|当期/g, kind: 'single' },
  { re: new RegExp(String.raw`(?<![\d~\-—–至到])${N}\s*月份(?!底|末)`, 'g'), kind: 'single' },
  { re: /环比|比上月|较上月|比上季度|较上季度/g, kind: 'mom' },
  // Several years: 2019-2024年, 2019年至2024年, since 2019, from 2019 to 2024 — never one year's value.
  {
    re: /(?<!\d)(?:19|20)\d{2}\s*年?\s*(?:-|~|—|–|至|到)\s*(?:19|20)\d{2}\s*年|\b(?:since|from) (?:19|20)\d{2}(?: to (?:19|20)\d{2})?\b/g,
    kind: 'years',
  },
  // English.
  {
    re: new RegExp(
      String.raw`\b(?:year[- ]to[- ]date|ytd|so far this year|this year so far|since the (?:start|beginning) of (?:the|this) year|as of (?:the )?end of ${MONTH_EN}|as of ${MONTH_EN}(?:\s+\d{1,2})?|by the end of ${MONTH_EN})\b`,
      'g',
    ),
    kind: 'ytd',
  },
  {
    re: new RegExp(
      String.raw`\b(?:in|during|over) the first (?:${COUNT_EN} months|half|(?:two|three) quarters|quarter)\b|\bthe first (?:${COUNT_EN} months|half|(?:two|three) quarters)\b|\bjan(?:uary)?\s*(?:-|–|—|to|through|thru)\s*${MONTH_EN}\b|\bh1\b|\b1-3q\b`,
      'g',
    ),
    kind: 'ytd',
  },
  {
    re: /\b(?:this month|last month|this week|last week|this quarter|in the (?:second|third|fourth) quarter|in q[234]|single[- ]month)\b/g,
    kind: 'single',
  },
  { re: new RegExp(String.raw`\b(?:in|during) ${MONTH_EN}(?!\s*(?:-|–|to)\s)(?:\s+alone)?\b`, 'g'), kind: 'single' },
  { re: /\b(?:month[- ]on[- ]month|quarter[- ]on[- ]quarter|from the previous month|mom)\b/g, kind: 'mom' },
];

/** Every period frame in the text, in order, without overlaps (the longest wins). */
export function findFrames(scan: string): Frame[] {
  const found: Frame[] = [];
  for (const { re, kind } of FRAMES) {
    for (const m of scan.matchAll(re)) {
      const word = m[0];
      const start = m.index + (word.length - word.trimStart().length);
      const end = m.index + word.trimEnd().length;
      if (end <= start) continue;
      found.push({
        start,
        end,
        kind: typeof kind === 'function' ? kind(m as RegExpExecArray) : kind,
        word: scan.slice(start, end),
      });
    }
  }
  found.sort((a, b) => a.start - b.start || b.end - b.start - (a.end - a.start));
  const out: Frame[] = [];
  for (const f of found) {
    const last = out[out.length - 1];
    if (last && f.start < last.end) {
      if (f.end - f.start > last.end - last.start) out[out.length - 1] = f;
      continue;
    }
    out.push(f);
  }
  return out;
}

/**
 * The frame that governs a figure at `pos`: the nearest frame before it in its sentence (a later one
 * in the same clause, "31 so far this year", too); a "环比" just before it outranks both.
 */
export function frameAt(
  frames: readonly Frame[],
  pos: number,
  sentenceStart: number,
  clauseStart: number,
  clauseEnd: number,
): Frame | undefined {
  // Frames are sorted and do not overlap: the last one ending by pos is a binary search away.
  let lo = 0;
  let hi = frames.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (frames[mid]!.end <= pos) lo = mid + 1;
    else hi = mid;
  }
  const prev = frames[lo - 1];
  const before = prev && prev.start >= sentenceStart ? prev : undefined;
  const next = frames[lo];
  const after = next && next.start >= pos && next.end <= clauseEnd ? next : undefined;
  // "环比" just before the figure in its clause outranks a year-to-date frame further back.
  const mom = before && before.kind === 'mom' && before.start >= clauseStart ? before : undefined;
  return mom ?? before ?? after;
}
