import { applyUpdateToProgress, emptyItemProgress, type ItemProgressState } from './journal.ts';
import type { Update } from './schema.ts';

/** What the history says about one item now (the fold of its updates); persisted by the store. */
export type ItemProgress = ItemProgressState;

export function emptyProgress(): ItemProgress {
  return emptyItemProgress();
}

/**
 * Folds a plain history (seed or import data, no reviews) into the current progress of every item
 * it mentions, in time order whatever the order stored.
 */
export function foldProgress(updates: readonly Update[], timeZone: string): Map<string, ItemProgress> {
  const ordered = updates.map((u, i) => ({ u, i, t: Date.parse(u.at) })).sort((a, b) => a.t - b.t || a.i - b.i);
  const out = new Map<string, ItemProgress>();
  for (const { u } of ordered)
    out.set(u.itemId, applyUpdateToProgress(out.get(u.itemId) ?? emptyItemProgress(), u, timeZone));
  return out;
}
