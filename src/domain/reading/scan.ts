import { NOTE_MAX, SCAN_MAX, resolveMarkup, cut } from './normalise.ts';
import { unitsCompatible } from './numbers.ts';
import { collectAnchors, classify, percentKind, sameFigure } from './roles.ts';
import { findStates, findBlocker, findMilestoneWords } from './states.ts';
import { blank, blankSpans, isSentenceBreak, spansOf, isFigureClauseBreak, type Layout, type Span, indexClause, groupBy, NOT_FIGURES, findPercents, findNumbers } from './tokens.ts';
import { type Figure, type ParsedPercent, type ParsedProgress } from './types.ts';
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

