/**
 * A reading proposed from outside the rules — the optional model's structured answer — goes through the
 * same last steps as the rules' own: interpreted for the item (its unit, baseline, target and last value)
 * and decided (record, ask, or keep as a note), so a figure 10⁴ off the item's scale, an increment that
 * jumps far past the target or a total that falls is asked with the likely readings first, as it would
 * be had the rules read it.
 */
import type { ItemProgress } from '../progress.ts';
import type { Commitment, Project, ProjectState, Target } from '../schema.ts';
import { interpretFor } from './interpret.ts';
import type { Figure, Interpretation, ParsedPercent, ParsedProgress } from './types.ts';

/** What a proposal says: a figure in the item's unit (a running total or an increase), a percent, a state, a milestone. */
export type Proposal = {
  figure?: { mode: 'absolute' | 'increment'; value: number };
  percent?: number;
  state?: ProjectState;
  milestoneId?: string;
  note: string;
};

/** The largest figure a proposal may carry; anything beyond is no reading of a progress report. */
const MAX_FIGURE = 1e15;

/** The proposal as the item-independent steps would have found it, then interpreted and decided for the item. */
export function interpretProposal(
  proposal: Proposal,
  item: Target | Project | Commitment,
  current: ItemProgress,
): Interpretation {
  const isTarget = 'kind' in item && (item.kind === 'cumulative' || item.kind === 'level');
  const words = { context: '', after: '', measure: '', acts: '', role: 'actual' as const };
  const figures: Figure[] = [];
  const f = proposal.figure;
  if (isTarget && f && Number.isFinite(f.value) && Math.abs(f.value) <= MAX_FIGURE) {
    // A figure "in the target's unit": a bare number, which the interpret step checks against the item's scale.
    figures.push({
      ...words,
      mode: f.mode,
      number: { amount: f.value, magnitude: 1, raw: String(f.value) },
      signed: f.mode === 'increment',
    });
  }
  const percents: ParsedPercent[] = [];
  const p = proposal.percent;
  // A percent done is a project's or a commitment's; a target's share of the way is its figure.
  if (!isTarget && p !== undefined && Number.isFinite(p)) {
    percents.push({ ...words, value: p, kind: 'completion', mode: 'absolute', raw: `${p}%`, ofPlan: false });
  }
  const milestones = 'milestones' in item ? item.milestones : [];
  const milestone = proposal.milestoneId ? milestones.find((m) => m.id === proposal.milestoneId) : undefined;
  const state = proposal.state === 'planned' ? undefined : proposal.state;
  const parsed: ParsedProgress = {
    figures,
    ...(figures.length === 1 ? { figure: figures[0]! } : {}),
    superseded: [],
    percents,
    ...(percents.length === 1 && p! >= 0 && p! <= 100 ? { percent: p! } : {}),
    // A milestone is named by its own name, which the interpret step matches exactly.
    ...(state && !milestone ? { state } : {}),
    partialDone: false,
    milestoneWords: milestone ? [milestone.name.zh] : [],
    links: [],
    note: proposal.note,
    negated: false,
  };
  return interpretFor(parsed, item, current);
}
