/**
 * Reading a liaison's free-text progress reply, as a pipeline of named steps:
 *
 *   normalise (Slack markup, full-width forms) → tokens (numbers with unit and magnitude, percentages,
 *   period frames) → roles (what each figure is: a total, an increment, a plan, a subset, a rate of
 *   which period…) → interpret (what the figures mean for one item) → decide (record, ask, or keep as a
 *   note and say what was not recorded).
 *
 * `parseProgress(text)` runs the item-independent steps; `interpretFor(parsed, item, current)` the rest;
 * `interpretProposal(proposal, item, current)` runs the rest on a reading proposed by the optional model.
 */

export { interpretFor } from './interpret.ts';
export { parseChineseNumeral } from './numbers.ts';
export { interpretProposal, type Proposal } from './proposal.ts';
export { parseProgress } from './scan.ts';
export type {
  AmbiguityReason,
  Figure,
  FigureMode,
  Interpretation,
  ParsedNumber,
  ParsedPercent,
  ParsedProgress,
  Unrecorded,
  UnrecordedReason,
} from './types.ts';
export { type RankedItems, rankItems } from './which-item.ts';

import type { ItemProgress } from '../progress.ts';
import type { Commitment, Project, Target } from '../schema.ts';
import { focusOn } from './focus.ts';
import { interpretFor as interpret } from './interpret.ts';
import { parseProgress as scan } from './scan.ts';
import type { Interpretation, ParsedProgress } from './types.ts';

/**
 * Reads free text for one item: the update to record, a question to ask, or a note. Pure. `scanned`:
 * `parseProgress(text)` when the caller has it already (finding the item scans the text too).
 */
export function readProgress(
  text: string,
  item: Target | Project | Commitment,
  current: ItemProgress,
  scanned?: ParsedProgress,
): Interpretation {
  const whole = scanned ?? scan(text);
  if ('kind' in item) return interpret(whole, item, current);
  // A text naming several projects says something different of each: read the part about this one.
  const focus = focusOn(whole.note, item.name);
  if (!focus) return interpret(whole, item, current);
  let part = scan(focus.near);
  if (!says(part) && focus.sentence) part = scan(focus.sentence);
  return interpret({ ...part, note: whole.note, links: whole.links }, item, current);
}

function says(p: ParsedProgress): boolean {
  return p.state !== undefined || p.percents.length > 0 || p.milestoneWords.length > 0 || p.partialDone;
}
