/**
 * Which item a reply is about, among the items of a thread (a department's scorecard, a list, a
 * reminder): the one whose name the text says, that can take the figure the text gives. A count in
 * 项 cannot be a project's percent; a percentage cannot be a count of 家.
 */

import { normalize } from '../match.ts';
import type { Commitment, Project, Target } from '../schema.ts';
import { measureScore } from './measure.ts';
import { simplified } from './normalise.ts';
import { splitUnit, unitsCompatible } from './numbers.ts';
import { parseProgress } from './scan.ts';
import type { ParsedProgress } from './types.ts';

type Item = Target | Project | Commitment;
export type RankedItems = { best?: Item; ranked: Item[] };

function isTarget(item: Item): item is Target {
  return 'kind' in item && (item.kind === 'cumulative' || item.kind === 'level');
}

/** The items ordered by how likely the text is about each, those that cannot take its figures left out. */
export function rankItems(text: string, items: readonly Item[], scanned?: ParsedProgress): RankedItems {
  const parsed = scanned ?? parseProgress(text);
  const plain = normalize(simplified(parsed.note));
  const saysState = parsed.state !== undefined || parsed.milestoneWords.length > 0 || parsed.partialDone;
  const completion = parsed.percents.some((p) => p.kind !== 'rate' && p.value >= 0 && p.value <= 100);
  const scored: Array<{ item: Item; score: number; i: number }> = [];
  items.forEach((item, i) => {
    let score = measureScore(parsed.note, item.name);
    const names = [item.name.zh, item.name.en].filter((n): n is string => !!n).map((n) => normalize(simplified(n)));
    if (names.some((n) => n.length >= 2 && plain.includes(n))) score += 10;
    if (isTarget(item)) {
      const word = splitUnit(item.unit.zh).word;
      const percentItem = word === '%';
      const fits =
        parsed.figures.some((f) => unitsCompatible(f.number.unit, word)) || (percentItem && parsed.percents.length > 0);
      // A figure in another unit, or a percentage for a count, cannot be this target's.
      if (!fits && (parsed.figures.length > 0 || parsed.percents.length > 0) && !completion) return;
      if (fits && parsed.figures.some((f) => f.number.unit !== undefined && unitsCompatible(f.number.unit, word)))
        score += 2;
    } else {
      // A count or an amount is no project's percent or state.
      if (!completion && !saysState && parsed.figures.length > 0) return;
      if (completion || saysState) score += 1;
    }
    scored.push({ item, score, i });
  });
  scored.sort((a, b) => b.score - a.score || a.i - b.i);
  const [top, second] = scored;
  // Chosen without asking only when the text says the item's name, or (a target) its measure and unit
  // clearly better than any other's: 东港花园老旧小区改造 is not 星湖花园老旧小区改造.
  const named = (s: { item: Item; score: number }) => s.score >= 10 || (isTarget(s.item) && s.score >= 4);
  // Or when it is the only one that can take what the text says.
  const best =
    top && ((named(top) && (!second || top.score >= second.score + 2)) || (scored.length === 1 && items.length > 1))
      ? top.item
      : undefined;
  return { ...(best ? { best } : {}), ranked: scored.map((s) => s.item) };
}
