/**
 * The progress bulletin (通报): departments ranked, counts by status, what changed since the last
 * bulletin, the biggest risks and the overdue items. Pure: the previous bulletin's statuses are
 * passed in (the store keeps them), so "what changed" is exact.
 */
import { own, recordOf } from './lookup.ts';
import type { ReadModel } from './read-model.ts';
import type { DepartmentRollup, StatusCounts } from './rollup.ts';
import { compareWorstFirst, type ItemStatus, isBehind, STATUS_RANK, type Status } from './status.ts';

/** item id → status, as of a bulletin. */
export type BulletinSnapshot = Record<string, Status>;

export type StatusChange = { status: ItemStatus; from: Status; to: Status; direction: 'better' | 'worse' };

export type Bulletin = {
  today: string;
  /** The date of the bulletin compared against, when there was one. */
  since?: string;
  counts: StatusCounts;
  departments: DepartmentRollup[];
  changes: StatusChange[];
  /** The worst items behind, at most `RISKS`. */
  risks: ItemStatus[];
  /** Items with milestones past due. */
  overdue: ItemStatus[];
  snapshot: BulletinSnapshot;
};

export const RISKS = 5;

export function snapshotOf(statuses: readonly ItemStatus[]): BulletinSnapshot {
  return recordOf(statuses.map((s) => [s.item.id, s.status] as const));
}

export function buildBulletin(
  model: Pick<ReadModel, 'rollup' | 'evaluate'>,
  today: string,
  previous?: { date: string; snapshot: BulletinSnapshot },
): Bulletin {
  const evaluation = model.evaluate(today);
  const rollup = model.rollup(today);
  const tracked = evaluation.tracked;
  const changes: StatusChange[] = [];
  if (previous) {
    for (const s of tracked) {
      const from = own(previous.snapshot, s.item.id);
      if (from === undefined || from === s.status) continue;
      changes.push({
        status: s,
        from,
        to: s.status,
        direction: isBehind(s) && STATUS_RANK[s.status] > STATUS_RANK[from] ? 'worse' : 'better',
      });
    }
    changes.sort((a, b) =>
      a.direction === b.direction ? compareWorstFirst(a.status, b.status) : a.direction === 'worse' ? -1 : 1,
    );
  }
  return {
    today,
    ...(previous ? { since: previous.date } : {}),
    counts: rollup.counts,
    departments: rollup.departments,
    changes,
    risks: rollup.behind.filter(isBehind).slice(0, RISKS),
    overdue: tracked.filter((s) => s.overdue.length > 0).sort(compareWorstFirst),
    snapshot: snapshotOf(tracked),
  };
}
