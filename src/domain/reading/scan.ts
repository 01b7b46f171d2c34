import { findFrames, frameAt } from './frames.ts';
import { namesAnAct, subjectOf } from './measure.ts';
import { cut, NOTE_MAX, resolveMarkup, SCAN_MAX, simplified } from './normalise.ts';
import { unitsCompatible } from './numbers.ts';
import { classify, collectAnchors, figureKey, percentKind, roleOf } from './roles.ts';
import { findBlocker, findMilestoneWords, findStates } from './states.ts';
import {
  blank,
  blankSpans,
  findEnglishNumberWords,
  findNumbers,
  findPercents,
  groupBy,
  indexClause,
  type Layout,
  NOT_FIGURES,
  type Span,
  spansOfText,
} from './tokens.ts';
import type { Figure, FigureWords, ParsedPercent, ParsedProgress } from './types.ts';
/** Reads one free-text progress reply. Pure; never throws on any string. */
export function parseProgress(text: string): ParsedProgress {
  const input = typeof text === 'string' ? text : '';
  const {
    note: resolved,
    plain,
    links,
  } = resolveMarkup(input.length > SCAN_MAX * 2 ? input.slice(0, SCAN_MAX * 2) : input);
  const note = cut(resolved.trim(), NOTE_MAX);
  const plainCut = plain.slice(0, SCAN_MAX);
  // Full-width comma becomes ", " so "5，120" can never read as a thousands separator.
  const scan = simplified(plainCut.replace(/，/g, ', ').normalize('NFKC')).toLowerCase();

  const frames = findFrames(scan);
  // A frame's own numbers (the 1 and 6 of "1~6月") are never figures.
  let numScan = blankSpans(scan, frames);
  for (const re of NOT_FIGURES) numScan = blank(numScan, re);
  const percentTokens = findPercents(numScan);
  numScan = blankSpans(numScan, percentTokens);
  // Dates are figures' commonest impostors: 2026年, 11月, 27日 are dropped by NOT_A_FIGURE_AFTER.
  const numberTokens = [...findNumbers(numScan), ...findEnglishNumberWords(numScan)];
  const tokens = [...percentTokens, ...numberTokens].sort((a, b) => a.start - b.start);
  const { anchors, signs } = collectAnchors(scan);
  const { clauses, sentences, periods } = spansOfText(scan);
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
  const seenFigures = new Set<string>();
  const seenPercents = new Set<string>();
  let prevCounted:
    | { end: number; measure: string; acts: string; sentence: number; clause: number; percent: boolean }
    | undefined;
  let lastWhole: { acts: string; period: number } | undefined;
  let wholeActs = '';
  // For every offset, the last ":" or "、" before it (a list's items each name their own figure).
  // A "、" cuts only after a figure ("金安区93.5%、叶集区89.5%"); "新能源、新材料…项目132个" lists one figure's subjects.
  const afterFigure = new Uint8Array(scan.length + 1);
  for (const t of tokens) {
    let i = t.end;
    while (scan[i] === ' ') i++;
    afterFigure[i] = 1;
  }
  // How many Han characters come before every offset: whether a sentence is English is then O(1).
  const hanBefore = new Int32Array(scan.length + 1);
  for (let i = 0; i < scan.length; i++)
    hanBefore[i + 1] = hanBefore[i]! + (scan.charCodeAt(i) >= 0x4e00 && scan.charCodeAt(i) <= 0x9fff ? 1 : 0);
  const lastCut = new Int32Array(scan.length + 1);
  for (let i = 0, last = -1; i <= scan.length; i++) {
    lastCut[i] = last;
    if (scan[i] === ':' || (scan[i] === '、' && afterFigure[i])) last = i;
  }
  for (const [index, tok] of tokens.entries()) {
    const c = classify(layout, index, tokens);
    if (!c.counts) continue;
    figureAt.push({ start: tok.start, end: tok.end });
    const cStart = clauses.start[tok.start]!;
    const cEnd = clauses.end[tok.start]!;
    // English says the period last ("19 projects were signed in the fourth quarter"): a frame later in the sentence counts.
    const sEndAt = sentences.end[tok.start]!;
    const english = hanBefore[sEndAt]! === hanBefore[sentences.start[tok.start]!]!;
    const frame = frameAt(frames, tok.start, sentences.start[tok.start]!, cStart, english ? sEndAt : cEnd);
    const prevInClause = tokens[index - 1] && tokens[index - 1]!.start >= cStart ? tokens[index - 1] : undefined;
    const nextInClause = tokens[index + 1] && tokens[index + 1]!.start < cEnd ? tokens[index + 1] : undefined;
    const facts = roleOf({
      scan,
      sentenceStart: sentences.start[tok.start]!,
      periodStart: periods.start[tok.start]!,
      clauseStart: cStart,
      clauseEnd: cEnd,
      contextStart: prevInClause ? prevInClause.end : cStart,
      start: tok.start,
      end: tok.end,
      percent: tok.percent,
    });
    // "170个新开项目已开工145个": the first figure is the size of the group the second counts in.
    if (
      (facts.role === 'actual' || facts.role === 'subset') &&
      !tok.percent &&
      nextInClause &&
      !nextInClause.percent &&
      tok.number.unit &&
      unitsCompatible(tok.number.unit, nextInClause.number.unit)
    ) {
      const between = scan.slice(tok.end, nextInClause.start);
      if (between.length <= 30 && namesAnAct(between)) facts.role = 'scope';
    }
    const after = scan.slice(tok.end, Math.min(nextInClause ? nextInClause.start : cEnd, tok.end + 24)).trim();
    // The words the figure measures: since the figure before it in its sentence, or the last ":" or "、".
    const sStart = sentences.start[tok.start]!;
    const sameSentence = prevCounted && prevCounted.sentence === sStart ? prevCounted : undefined;
    let from = Math.max(sStart, sameSentence ? sameSentence.end : sStart);
    const cut = lastCut[tok.start]!;
    const entry = cut >= from;
    // The words where the act is said: the figure's own clause-chain, and a list's introduction.
    let actText = scan.slice(Math.max(from, tok.start - 80), tok.start);
    // "已引进100亿元以上项目18个,…,世界500强企业34家": a list's act is said once, before its first figure.
    if (sameSentence && !namesAnAct(actText)) actText = `${sameSentence.acts.slice(-80)} ${actText}`;
    if (entry) {
      // "分别为：金安区93.5%、…市开发区87.2%": each item of a list names its own figure; the act is in the introduction.
      actText = scan.slice(Math.max(sStart, tok.start - 120), tok.start);
      from = cut + 1;
    }
    // English says more words for the same thing.
    const reach = /[\u4e00-\u9fff]/.test(scan.slice(Math.max(0, tok.start - 10), tok.start)) ? 40 : 90;
    let measure = scan.slice(Math.max(from, tok.start - reach), tok.start).trim();
    // "签约润滑油、…、绿十字等项目29个": the list's items are examples; the kind is after 等.
    const region = scan.slice(Math.max(sameSentence ? sameSentence.end : sStart, tok.start - 80), tok.start);
    const listed =
      region.includes('、') && region.includes('等') ? /^(.*?)[^、,;:]*、.*等([^、]*)$/.exec(region) : null;
    if (listed) {
      measure = listed[2]!.trim();
      actText = region;
    }
    // "工业投资、高技术产业投资分别增长18.6%、37.2%": the n-th figure measures the n-th subject.
    const respective = respectiveSubject(scan, sStart, sentences.end[tok.start]!, tok.start, figureAt);
    if (respective !== undefined) {
      measure = respective;
      actText = `${actText} ${respective}`;
    }
    // "完成投资126亿元，同比增长12.3%": a rate measures what the figure before it measured.
    if (
      respective === undefined &&
      tok.percent &&
      sameSentence &&
      /增|降|growth|up|down|rose|fell/.test(measure + after) &&
      !subjectOf(measure)
    ) {
      measure = sameSentence.measure;
      actText = `${sameSentence.acts} ${actText}`;
    }
    // "saw a 65.7% increase to 6.59 billion yuan": a figure right after a rate in its clause measures what the rate did.
    if (!tok.percent && sameSentence?.percent && sameSentence.clause === cStart && !subjectOf(measure)) {
      measure = `${sameSentence.measure} ${measure}`.slice(-reach);
    }
    // A part carries the whole's act: "新签约项目29个，其中亿元以上项目23个" counts 签约 too.
    if (facts.role === 'subset' && lastWhole && lastWhole.period === periods.start[tok.start])
      wholeActs = lastWhole.acts;
    else wholeActs = '';
    if (facts.role === 'actual' && !tok.percent) lastWhole = { acts: actText, period: periods.start[tok.start]! };
    const acts = actText.trim();
    prevCounted = { end: tok.end, measure, acts, sentence: sStart, clause: cStart, percent: tok.percent };
    if (c.mode === 'unknown' && frame && !tok.percent) {
      // "1-10月完成投资3.2亿元" is the year so far; "10月份完成投资0.4亿元" that month's.
      if (frame.kind === 'ytd') Object.assign(c, { mode: 'absolute', anchor: frame.word });
      else if (frame.kind === 'single') Object.assign(c, { mode: 'increment', anchor: frame.word });
    }
    const words: FigureWords = {
      context: c.context,
      after,
      measure,
      acts,
      ...(wholeActs ? { wholeActs } : {}),
      role: facts.role,
      ...(facts.planWords ? { planWords: facts.planWords } : {}),
      ...(facts.ofWhole ? { ofWhole: true as const } : {}),
      ...(frame ? { frame: frame.kind } : {}),
      ...(entry ? { entry: true as const } : {}),
      at: tok.start,
      sentence: sStart,
      period: periods.start[tok.start]!,
    };
    if (tok.percent) {
      const clauseStart = layout.clauses.start[tok.start]!;
      let kind = percentKindByClause.get(clauseStart);
      if (!kind) {
        kind = percentKind(scan.slice(clauseStart, layout.clauses.end[tok.start]!));
        percentKindByClause.set(clauseStart, kind);
      }
      const p: ParsedPercent = {
        ...words,
        value: tok.number.amount,
        kind: facts.ofPlan ? 'completion' : kind,
        mode: c.mode,
        raw: tok.number.raw,
        ofPlan: facts.ofPlan,
      };
      const percentKey = `${p.value}|${p.kind}`;
      if (!seenPercents.has(percentKey)) {
        seenPercents.add(percentKey);
        percents.push(p);
      }
      continue;
    }
    const fig: Figure = {
      ...words,
      mode: c.mode,
      number: tok.number,
      signed: c.signed,
      ...(facts.sinceYearStart ? { sinceYearStart: true } : {}),
      ...(c.anchor !== undefined ? { anchor: c.anchor } : {}),
    };
    const key = figureKey(fig);
    if (!seenFigures.has(key)) {
      seenFigures.add(key);
      figuresAll.push(fig);
    }
  }

  // "/progress #12 31 本月新开工5项": a bare number leading the text, beside an increment, is the total typed.
  const lead = figuresAll[0];
  if (
    lead &&
    lead.mode !== 'absolute' &&
    !lead.signed &&
    lead.role === 'actual' &&
    /^[\d.,]+$/.test(lead.number.raw) &&
    scan.trimStart().startsWith(lead.number.raw) &&
    figuresAll.some((f) => f !== lead && f.mode === 'increment')
  ) {
    lead.mode = 'absolute';
    lead.anchor = lead.number.raw;
  }
  // An absolute of the same measure absorbs the increments reported beside it (本月新开工5项，累计开工31项 → 31).
  const absolutes = figuresAll.filter((f) => f.mode === 'absolute' && f.role === 'actual');
  const sameMeasure = (inc: Figure, total: Figure) => {
    const s = subjectOf(inc.measure);
    return !s || total.measure.includes(s) || subjectOf(total.measure).includes(s);
  };
  const superseded = figuresAll.filter(
    (f) =>
      f.mode === 'increment' &&
      !f.sinceYearStart &&
      (f.role === 'actual' || f.role === 'subset') &&
      absolutes.some((a) => unitsCompatible(a.number.unit, f.number.unit) && sameMeasure(f, a)),
  );
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

/**
 * "工业投资、高技术产业投资分别增长18.6%、37.2%" and "Investment in infrastructure and manufacturing gained 8.7
 * percent and 9.7 percent, respectively": the subject of the figure at `at`, by its place in the list.
 */
function respectiveSubject(
  scan: string,
  sentenceStart: number,
  sentenceEnd: number,
  at: number,
  figures: readonly Span[],
): string | undefined {
  const before = scan.slice(Math.max(sentenceStart, at - 120), at);
  const respectivelyAfter = scan.slice(at, Math.min(sentenceEnd, at + 200));
  if (!before.includes('分别') && !respectivelyAfter.includes('respectively')) return undefined;
  const zh = before.includes('分别') && /([^,;:。]*?)分别[^\d,;:。]*?((?:[\d.]+\s*%?\s*[、和及与]\s*)*)$/.exec(before);
  if (zh) {
    const subjects = zh[1]!
      .split(/[、和及与]/)
      .map((x) => x.trim())
      .filter(Boolean);
    const index = (zh[2]!.match(/[、和及与]/g) ?? []).length;
    return subjects.length > 1 ? subjects[index] : undefined;
  }
  if (!/\brespectively\b/.test(respectivelyAfter)) return undefined;
  // "X and Y gained a and b, respectively": the subjects before the verb, the figures after it.
  const verb = [
    ...before.matchAll(/\b(?:gained|grew|rose|increased|decreased|fell|reached|were up|was up|up|down)\b/g),
  ].at(-1);
  if (!verb) return undefined;
  const head =
    before
      .slice(0, verb.index)
      .split(/[,;:]|\.\s/)
      .at(-1) ?? '';
  const subjects = head
    .trim()
    .replace(/^(?:the\s+)?(?:investment|growth|output)\s+(?:in|of)\s+/, '')
    .split(/\s*,\s*|\s+and\s+/)
    .filter(Boolean);
  const verbAt = at - before.length + verb.index;
  const index = figures.filter((f) => f.start > verbAt && f.start < at).length;
  return subjects.length > 1 ? subjects[index] : undefined;
}
