import { roundNice, unitInfo } from './numbers.ts';
import {
  type BackKind,
  byEnd,
  CN_NUM_START,
  firstStartingFrom,
  type Layout,
  lastEndingBy,
  NO_CUES,
  type Token,
} from './tokens.ts';
import type { Figure, FigureMode, ParsedNumber, ParsedPercent } from './types.ts';

type AnchorKind = 'absolute' | 'increment' | 'weak' | 'frame' | 'label' | 'enable';
export type Anchor = { start: number; end: number; kind: AnchorKind; word: string; fwd?: boolean };
export type SignAnchor = { start: number; end: number; sign: 1 | -1; word: string; fwd?: boolean };

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
  {
    re: /新增|增加(?![到至值])|净增|追加|另有|另外|另|又|额外|本月|当月|这个月|这月|本周|当周|这周|本旬|本期|当期|本季度|本季|上个?月|上周|今日|今天|昨日|昨天|近日|本次|此次|单月/g,
    kind: 'increment',
  },
  { re: /已经|现已|已/g, kind: 'weak' },
  {
    re: /截至|截止|到目前为止|迄今为止|今年以来|年初以来|今年|全年|年内|前\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*个?(?:月|季度)/g,
    kind: 'frame',
  },
  {
    re: /\b(?:in total|total(?:l?ing)?|overall|cumulative(?:ly)?|altogether|now stands at|stands at|standing at|now at|now|currently at|currently|reached|reaches|up to|count is|is at|are at|remaining)\b/g,
    kind: 'absolute',
  },
  {
    re: /\b(?:in total|total|so far|to date|altogether|overall|cumulative(?:ly)?|in all|now|remaining|left)\b/g,
    kind: 'absolute',
    fwd: true,
  },
  {
    re: /\b(?:added|adds|add|another|more|new|newly|additional|extra|plus|increased by|increase of|up by|this month|this week|last month|last week|today|yesterday)\b/g,
    kind: 'increment',
  },
  {
    re: /\b(?:more|new|added|additional|extra|fewer|less|this month|this week|last month|last week|today|yesterday)\b/g,
    kind: 'increment',
    fwd: true,
  },
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
const MONTH_CUE =
  /(截至|截止|到|至)?\s*(?:(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*[-~至到—–]\s*)?(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*月份?(底|末|初|上旬|中旬|下旬)?/g;

/** Anchors whose total a decreasing target cannot take at face value (累计盘活8万平方米 = reduced by 8). */
export const TOTAL_SO_FAR =
  /^(累计|累积|总计|合计|共计|总共|一共|共|截至|截止|今年|全年|年内|今年以来|年初以来|in total|total|totalling|so far|to date|cumulative|cumulatively|altogether|overall|in all|as of|year to date|ytd|this year|\d.*月)/;

export function collectAnchors(scan: string): { anchors: Anchor[]; signs: SignAnchor[] } {
  const anchors: Anchor[] = [];
  for (const { re, kind, fwd } of ANCHORS) {
    for (const m of scan.matchAll(re))
      anchors.push({ start: m.index, end: m.index + m[0].length, kind, word: m[0], ...(fwd ? { fwd } : {}) });
  }
  for (const m of scan.matchAll(MONTH_CUE)) {
    // "3个月" is a duration, handled elsewhere; MONTH_CUE needs the digit right before 月.
    const framed =
      !!m[1] || /[-~至到—–]/.test(m[0].replace(/^(截至|截止|到|至)/, '')) || !!m[2] || scan[m.index - 1] === '前';
    anchors.push({
      start: m.index,
      end: m.index + m[0].length,
      kind: framed ? 'frame' : 'increment',
      word: m[0].trim(),
    });
  }
  const signs: SignAnchor[] = [];
  for (const { re, sign, fwd } of SIGNS) {
    for (const m of scan.matchAll(re))
      signs.push({ start: m.index, end: m.index + m[0].length, sign, word: m[0], ...(fwd ? { fwd } : {}) });
  }
  return { anchors, signs };
}

// Things that look like numbers but are not figures; blanked before numbers are read.

/** "93 newly started", "48,300 old urban residential communities": an English number before words counts; a year does not. */
function countedInEnglish(scan: string, tok: Token): boolean {
  if (tok.chinese || tok.percent) return false;
  const v = tok.number.amount * tok.number.magnitude;
  if (Number.isInteger(v) && v >= 1900 && v <= 2100 && /^\d{4}$/.test(tok.number.raw)) return false;
  return (
    /^\s+(?:[a-z]+\s+){0,3}[a-z]{3,}/.test(scan.slice(tok.end, tok.end + 60)) &&
    !/^\s+(?:years?|months?|days?|weeks?|hours?|times|percent|per cent)\b/.test(scan.slice(tok.end, tok.end + 20))
  );
}

/** Words that add up what follows (共有98个), and the events and periods such a sum may be of (此次, 本月). */
const SUM_WORD = /^(?:共|共有|共计|合计|总计|总共|一共)$/;
const EVENT_OR_PERIOD =
  /^(?:本次|此次|本月|当月|这个月|这月|本周|当周|这周|本旬|本期|当期|本季度|本季|今日|今天|昨日|昨天|单月)$/;

type Classified = { mode: FigureMode; anchor?: string; signed: boolean; counts: boolean; context: string };

export function classify(layout: Layout, index: number, tokens: readonly Token[]): Classified {
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

  let strong = [back('absolute'), back('increment')].filter((a): a is Anchor => !!a).sort((a, b) => byEnd(b, a))[0];
  // "此次共有98个项目集中开工", "本月共计完成5项": a sum said right after one event or period is what it added.
  const event = back('increment');
  if (
    strong?.kind === 'absolute' &&
    event &&
    SUM_WORD.test(strong.word) &&
    EVENT_OR_PERIOD.test(event.word) &&
    /^\s*$/.test(scan.slice(event.end, strong.start))
  )
    strong = event;
  const weak = back('weak');
  const frame = (layout.framesBySentence.get(sStart) ?? []).find(
    (a) => a.end <= sEnd && (a.end <= tok.start || a.start >= tok.end),
  );
  const nearestLabel = back('label');
  const label = nearestLabel && tok.start - nearestLabel.end <= 2 ? nearestLabel : undefined;
  const firstEnable = cues.back.enable[0];
  const enable = firstEnable && firstEnable.end <= tok.start ? firstEnable : undefined;

  // Direction: an explicit +/- on the number, else the nearest sign word just before (or, in English, just after).
  let sign = tok.explicitSign;
  let signWord: string | undefined = sign ? (sign > 0 ? '+' : '-') : undefined;
  const nearestSign = lastEndingBy(cues.signsBack, tok.start);
  const signBefore =
    nearestSign && nearestSign.start >= contextStart && tok.start - nearestSign.end <= 8 ? nearestSign : undefined;
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
  if (sign === -1 && tok.number.amount > 0 && (tok.percent || mode !== 'absolute'))
    tok.number.amount = -tok.number.amount;
  const signed = sign !== undefined && mode !== 'absolute';

  const alone =
    layout.stripped.length <= 40 && layout.stripped === scan.slice(tok.start, tok.end).replace(/[\s\p{P}\p{S}]/gu, '');
  let counts: boolean;
  if (tok.chinese && Math.abs(tok.number.amount * tok.number.magnitude) === 1)
    counts = !!strong; // 一 is an article far more often than a figure
  else if (tok.hasUnitOrMagnitude) counts = true;
  // "/progress #12 31 本月新开工5项": the number typed first is meant.
  else if (scan.slice(0, tok.start).trim() === '' && !tok.chinese && /^\s/.test(scan.slice(tok.end, tok.end + 1)))
    counts = true;
  else
    counts = !!(
      strong ||
      ahead ||
      weak ||
      label ||
      enable ||
      alone ||
      (sign !== undefined && !tok.chinese) ||
      countedInEnglish(scan, tok)
    );
  return { mode, ...(anchor !== undefined ? { anchor } : {}), signed, counts, context };
}

// ---------------------------------------------------------------------------------------------
// States, blockers, milestone phrases

// ---------------------------------------------------------------------------------------------

export function percentKind(clause: string): ParsedPercent['kind'] {
  if (/增速|增幅|增长|同比|环比|下降|降幅|回落|降低|growth|grew|yoy|year-on-year|y\/y|\bup\b|\bdown\b/.test(clause))
    return 'rate';
  if (
    /完成|进度|工程量|总体|整体|占[^,;。]{0,8}(?:计划|目标|任务)|done|complete|finished|progress|overall/.test(clause)
  )
    return 'completion';
  return 'unknown';
}

export function valueOf(n: ParsedNumber): number {
  return roundNice(n.amount * n.magnitude);
}

/** Figures with the same key say the same thing (a figure repeated): counted once. */
export function figureKey(f: Figure): string {
  return `${f.mode}|${valueOf(f.number)}|${unitInfo(f.number.unit).canon}`;
}

// ---------------------------------------------------------------------------------------------
// Roles: actual, plan, subset, comparison; a percentage's share of the plan
// ---------------------------------------------------------------------------------------------

/** Plans, tasks, targets and forecasts (计划开工30个, 下达任务27家, 预计全年, 力争, expected, will). */
const PLAN_CUE =
  /计划|任务|目标|下达|预计|预期|力争|争取|有望|可望|拟|规划|确保|将于|将在|将达|将完成|将实现|总投资|概算|\btotal (?:planned )?investment\b|\b(?:plan(?:s|ned)?|target(?:s|ed)?|goal|expect(?:s|ed)?|forecast|projected|aims?|aiming|will|is set to|are set to|scheduled|estimated)\b/g;
/** Words holding a plan word that do not make a plan: 按计划推进, 超计划, 序时计划, 目标任务的 (a share). */
const NOT_PLAN =
  /按(?:照)?(?:计划|目标|序时)|超(?:额)?(?:完成)?(?:计划|目标|任务)|序时(?:计划|目标|任务)|(?:计划|目标|任务)(?:的|之)/g;
/** A share of the plan: 完成年度计划的109.93%, 占年度目标的80%, 完成全年任务77%, 为年度计划的. */
const OF_PLAN =
  /(?:完成|占|达|达到|为|实现)[^,;。!?]{0,8}(?:计划|目标|任务|序时进度)(?:[^,;。!?\d]{0,4}(?:的|之))?\s*$|(?:计划|目标|任务)完成率\s*(?:为|达|达到)?\s*$|\b(?:of (?:the )?(?:annual |yearly |full-year )?(?:plan|target|goal))\b/;
const OF_PLAN_AFTER = /^\s*(?:of (?:the |its |their )?(?:annual |yearly |full-year )?(?:plans?|targets?|goals?))\b/;
const SUBSET_CUE =
  /其中|内含|包括|含(?=\s*[\d一二两三四五六七八九十])|\b(?:of which|of them|including|among them|among which)\b/;
const COMPARISON_CUE =
  /同比|比上年|比去年|较上年|较去年|比上月|较上月|比上季度|较上季度|比年初|较年初|与上年|与去年|比\d{4}\s*年|较\d{4}\s*年|\b(?:year[- ]on[- ]year|than (?:a year earlier|last year|the previous|a year ago)|compared with|from a year)\b/;

/** "高于全市1.5%", "快于全省", "higher than": a gap to another, not the figure itself. */
const ABOVE_BELOW =
  /高于|低于|快于|慢于|领先|超出|超过全|超计划|突破|跨越|超过|逾|\b(?:more than|over|exceeding|exceeded)\s*$|\b(?:higher than|lower than|faster than|slower than|above|below)\b/;

/** "…919, …, accounting for 17.70% of the city's total", "占全市的18%": a part of a larger whole. */
const SHARE_OF_WHOLE =
  /\baccounting for [\d.]+\s*(?:%|percent) of (?:the )?(?:city|province|country|nation|county|district|region)(?:'s)?\b|占全(?:市|省|国|区|县)[^,;。\d]{0,10}(?:的)?(?:比重)?[\d.]+\s*%/;

const DIFFERENCE = /^[^\d]{0,3}(?:增加|减少|多|少|增长|下降|提高|降低)了?\s*$/;

type RoleFacts = {
  role: import('./types.ts').FigureRole;
  ofPlan: boolean;
  sinceYearStart?: boolean;
  planWords?: string[];
  ofWhole?: true;
};
const SINCE_YEAR_START = /(?:较|比)(?:上年末|年初|去年底|上年底|\d{4}\s*年(?:末|底))\s*(?:净增|新增|增加)\s*$/;

/**
 * The role of the figure at `start`, from the words of its clause before it (since the figure before it
 * in the clause) and, for 其中 standing alone, the clause before.
 */
/** Plan words that carry through a sentence; a project's size (总投资, 概算) qualifies its own clause only. */
const CARRIED_PLAN =
  /计划|任务|目标|下达|预计|预期|力争|争取|有望|可望|拟|规划|\b(?:plan(?:s|ned)?|target(?:s|ed)?|expect(?:s|ed)?|forecast|projected)\b/;

/** Words that report what was done, not what is planned: 已, 累计, 完成, 截至, completed. */
const ACTUAL_CUE =
  /已|累计|完成|实现|截至|截止|目前|实际|落地|达到|前\s*[\d一二三四五六七八九十]{1,2}\s*个?月|\d{1,2}\s*[-~—–至到]\s*\d{1,2}\s*月|上半年|前三季度|年初以来|今年以来|\b(?:completed|reached|achieved|so far|to date|has|have|had|were|was)\b/;
const PLAN_AFTER =
  /^[^,;.。]{0,150}\b(?:planned|expected|projected|targeted(?=\s+(?:for|at|to|by)\b)|forecast|to be (?:built|completed|started))\b|^\s*左右|^[^,;。\d]{0,8}(?:任务|目标)(?!的)/;
/** A figure said as done so far: a plan word later in its clause is about something else. */
const SO_FAR = /已|累计|截至|截止|\b(?:so far|to date|has|have)\s+(?:\w+\s+){0,2}$/;

type RoleInput = {
  scan: string;
  sentenceStart: number;
  /** The start of its full sentence (to 。!?), across ";": a plan said at the start carries through. */
  periodStart: number;
  clauseStart: number;
  clauseEnd: number;
  /** Where the words about this figure begin: after the figure before it in its clause. */
  contextStart: number;
  start: number;
  end: number;
  percent: boolean;
};

/** The role of the figure at `start`, from the words of its clause and sentence around it. */
export function roleOf(r: RoleInput): RoleFacts {
  const { scan } = r;
  // Every look is bounded, so a 20,000-character clause stays linear.
  const back = (from: number, to: number, max: number) => scan.slice(Math.max(from, to - max), to);
  const before = back(r.contextStart, r.start, 60);
  const wholeBefore = back(r.clauseStart, r.start, 60);
  const sentenceBefore = back(r.sentenceStart, r.clauseStart, 160);
  const periodBefore = back(r.periodStart, r.clauseStart, 240);
  const after = scan.slice(r.end, Math.min(r.clauseEnd, r.end + 160));
  if (r.percent) {
    const ofPlan = OF_PLAN.test(wholeBefore.slice(-16)) || OF_PLAN_AFTER.test(scan.slice(r.end, r.end + 40));
    if (ofPlan) return { role: 'actual', ofPlan };
  }
  const planText = before.replace(NOT_PLAN, (m) => ' '.repeat(m.length));
  const planWords = planText.match(PLAN_CUE);
  // The plan words are kept: an item named by them (计划总投资, total investment) takes the figure as its own.
  if (planWords) return { role: 'plan', ofPlan: false, planWords: planWords.map((w) => w.trim()) };
  if (PLAN_AFTER.test(after) && !SO_FAR.test(before)) return { role: 'plan', ofPlan: false };
  // "预期目标是：生产总值增长6%，固定资产投资增长8%": a plan carries through its sentence until a clause reports a result.
  if (
    CARRIED_PLAN.test(periodBefore.replace(NOT_PLAN, (m) => ' '.repeat(m.length))) &&
    !ACTUAL_CUE.test(wholeBefore + after)
  )
    return { role: 'plan', ofPlan: false };
  // "其中" makes a part of everything after it in its sentence; a text that opens with 其中 is a part throughout;
  // figures in brackets after a figure break it down ("132个（新能源项目55个，…）").
  // "…totaling 919, accounting for 17.70% of the city's total": a part of a whole, never the whole's item.
  if (
    !r.percent &&
    SHARE_OF_WHOLE.test(scan.slice(r.end, Math.min(r.end + 120, scan.length)).split(/[;。]|\.(?!\d)/)[0] ?? '')
  )
    return { role: 'subset', ofPlan: false, ofWhole: true };
  if (
    SUBSET_CUE.test(wholeBefore) ||
    /(?:^|[,;:(])\s*(?:其中|of which|including|among them|of these|of them)\s*[,:：]/.test(sentenceBefore) ||
    /^\s*(?:among them|of these|of them)\b/.test(scan.slice(r.sentenceStart, r.start)) ||
    /^\s*其中/.test(scan) ||
    /\d[^()\d]{0,30}\([^)]*$/.test(back(r.periodStart, r.start, 120))
  )
    return { role: 'subset', ofPlan: false };
  // "较2023年末净增11152户", "比年初新增": new since the year began, the value of a 新增 item.
  if (!r.percent && SINCE_YEAR_START.test(before)) return { role: 'actual', ofPlan: false, sinceYearStart: true };
  // "increased 1.6 percent from a year earlier to 25.84 trillion yuan": what it rose to is the figure itself.
  const reachedTo = /\bto\s*$|(?:增长|增加|提高|上升|下降|减少)(?:到|至)\s*$/.test(before);
  if (!r.percent && !reachedTo && COMPARISON_CUE.test(before)) return { role: 'comparison', ofPlan: false };
  // "比去年同期73.79亿元增加了1.54亿元": the difference after the figure compared with is a comparison too.
  if (!r.percent && COMPARISON_CUE.test(wholeBefore) && DIFFERENCE.test(before))
    return { role: 'comparison', ofPlan: false };
  if (ABOVE_BELOW.test(before) || (/^\s*from\b/.test(after) === false && /\bfrom (?:a |an )?$/.test(before)))
    return { role: 'comparison', ofPlan: false };
  return { role: 'actual', ofPlan: false };
}
