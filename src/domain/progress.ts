import { localDate } from './dates.ts';
import type { ProjectState, Update } from './schema.ts';

/** What the history says about one item now: the fold of its updates in time order. */
export type ItemProgress = {
  value?: number;
  percent?: number;
  state?: ProjectState;
  /** Note of the update that set the current state (e.g. why it is blocked). */
  stateNote?: string;
  /** milestone id → local date it was reported reached */
  milestonesDone: Record<string, string>;
  lastReportAt?: string;
  lastReportDate?: string;
  lastReportBy?: string;
  lastNote?: string;
  reports: number;
};

export function emptyProgress(): ItemProgress {
  return { milestonesDone: {}, reports: 0 };
}

/** Applies one update to an item's progress (updates must arrive in time order). */
export function applyUpdate(p: ItemProgress, u: Update, timeZone: string): ItemProgress {
  const date = localDate(new Date(u.at), timeZone);
  const next: ItemProgress = {
    ...p,
    milestonesDone: p.milestonesDone,
    lastReportAt: u.at,
    lastReportDate: date,
    lastReportBy: u.by,
    reports: p.reports + 1,
  };
  if (u.value !== undefined) next.value = u.value;
  if (u.percent !== undefined) next.percent = u.percent;
  if (u.note !== undefined) next.lastNote = u.note;
  if (u.milestoneId) {
    if (u.state === 'done') next.milestonesDone = { ...p.milestonesDone, [u.milestoneId]: date };
  } else if (u.state !== undefined) {
    next.state = u.state;
    next.stateNote = u.note;
    if (u.state === 'done' && next.percent === undefined) next.percent = 100;
  }
  return next;
}

/** Folds a whole history into the current progress of every item it mentions. */
export function foldProgress(updates: readonly Update[], timeZone: string): Map<string, ItemProgress> {
  const ordered = updates
    .map((u, i) => ({ u, i, t: Date.parse(u.at) }))
    .sort((a, b) => a.t - b.t || a.i - b.i);
  const out = new Map<string, ItemProgress>();
  for (const { u } of ordered) out.set(u.itemId, applyUpdate(out.get(u.itemId) ?? emptyProgress(), u, timeZone));
  return out;
}
