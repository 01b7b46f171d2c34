/** Department and zone roll-ups: counts by status, the worst item, and a ranking. */
import { foldProgress, type ItemProgress } from './progress.ts';
import type { Database, Department, Exemption, Item } from './schema.ts';
import {
  compareWorstFirst,
  type EvaluationContext,
  evaluateCommitment,
  evaluateProject,
  evaluateTarget,
  type ItemStatus,
  isBehind,
  type Status,
} from './status.ts';

export type StatusCounts = Record<Status, number>;

export type Evaluation = {
  today: string;
  byId: Map<string, ItemStatus>;
  targets: ItemStatus[];
  projects: ItemStatus[];
  commitments: ItemStatus[];
  /**
   * Items that count in roll-ups, reminders and the bulletin: targets, projects, qualitative
   * commitments (no linked items), and commitments that link items but have milestones of their own,
   * counted on their own obligations (milestones, stated state, reports) because their items count already.
   */
  tracked: ItemStatus[];
};

export type DepartmentRollup = {
  department: Department;
  counts: StatusCounts;
  /** Items counted for this department, worst first. */
  items: ItemStatus[];
  worst?: ItemStatus;
  /** Share of counted items on track or done, 0..1; undefined when nothing is counted yet. */
  onTrackShare?: number;
  /** 1 for the best; undefined for a department that is not ranked (the supervision office), listed after the ranked ones. */
  rank?: number;
};

export type ZoneRollup = {
  counts: StatusCounts;
  departments: DepartmentRollup[];
  behind: ItemStatus[];
};

export function zeroCounts(): StatusCounts {
  return { red: 0, amber: 0, green: 0, pending: 0, done: 0, exempt: 0 };
}

export function countStatuses(items: readonly ItemStatus[]): StatusCounts {
  const c = zeroCounts();
  for (const s of items) c[s.status]++;
  return c;
}

/** Evaluates every item of the store at `ctx.today`. */
export function evaluateDatabase(
  db: Pick<Database, 'targets' | 'projects' | 'commitments' | 'exemptions'>,
  progress: ReadonlyMap<string, ItemProgress>,
  ctx: EvaluationContext,
): Evaluation {
  const exemptions = new Map<string, Exemption>(db.exemptions.map((e) => [e.itemId, e]));
  const byId = new Map<string, ItemStatus>();
  const targets = db.targets.map((t) => evaluateTarget(t, progress.get(t.id), ctx, exemptions.get(t.id)));
  const projects = db.projects.map((p) => evaluateProject(p, progress.get(p.id), ctx, exemptions.get(p.id)));
  for (const s of [...targets, ...projects]) byId.set(s.item.id, s);
  const commitments = db.commitments.map((c) => {
    const linked = [...c.targetIds, ...c.projectIds]
      .map((id) => byId.get(id))
      .filter((s): s is ItemStatus => s !== undefined);
    return evaluateCommitment(c, progress.get(c.id), ctx, linked, exemptions.get(c.id));
  });
  for (const s of commitments) byId.set(s.item.id, s);
  const counted = db.commitments.flatMap((c, i) => {
    if (c.targetIds.length === 0 && c.projectIds.length === 0) return [commitments[i]!];
    return c.milestones.length > 0 ? [evaluateCommitment(c, progress.get(c.id), ctx, [], exemptions.get(c.id))] : [];
  });
  return { today: ctx.today, byId, targets, projects, commitments, tracked: [...targets, ...projects, ...counted] };
}

/** One item's status, with the items a commitment links (cheaper than evaluating the store). */
export function evaluateOne(
  db: Pick<Database, 'targets' | 'projects' | 'commitments' | 'exemptions'>,
  progress: ReadonlyMap<string, ItemProgress>,
  ctx: EvaluationContext,
  itemId: string,
): ItemStatus | undefined {
  const exemption = db.exemptions.find((e) => e.itemId === itemId);
  const target = db.targets.find((t) => t.id === itemId);
  if (target) return evaluateTarget(target, progress.get(itemId), ctx, exemption);
  const project = db.projects.find((p) => p.id === itemId);
  if (project) return evaluateProject(project, progress.get(itemId), ctx, exemption);
  const commitment = db.commitments.find((c) => c.id === itemId);
  if (!commitment) return undefined;
  const linked = [...commitment.targetIds, ...commitment.projectIds]
    .map((id) => evaluateOne(db, progress, ctx, id))
    .filter((s): s is ItemStatus => s !== undefined);
  return evaluateCommitment(commitment, progress.get(itemId), ctx, linked, exemption);
}

/** Convenience for callers holding a whole store document. */
export function evaluateStore(db: Database, ctx: EvaluationContext, timeZone: string): Evaluation {
  return evaluateDatabase(db, foldProgress(db.updates, timeZone), ctx);
}

function onTrackShare(c: StatusCounts): number | undefined {
  const counted = c.green + c.done + c.amber + c.red;
  return counted === 0 ? undefined : (c.green + c.done) / counted;
}

/**
 * Departments ranked best first by the share of their counted items on track or done, then fewer red,
 * then fewer amber (the ranking's basis is stated wherever it is shown). Departments not ranked come last,
 * without a rank.
 */
export function rollupZone(departments: readonly Department[], evaluation: Evaluation): ZoneRollup {
  const byDept = new Map<string, ItemStatus[]>(departments.map((d) => [d.id, []]));
  for (const s of evaluation.tracked) byDept.get(s.item.departmentId)?.push(s);
  const rollups = departments.map((department) => {
    const items = (byDept.get(department.id) ?? []).sort(compareWorstFirst);
    const counts = countStatuses(items);
    const share = onTrackShare(counts);
    const worstItem = items.find(isBehind);
    return {
      department,
      counts,
      items,
      ...(worstItem ? { worst: worstItem } : {}),
      ...(share !== undefined ? { onTrackShare: share } : {}),
    } as DepartmentRollup;
  });
  rollups.sort(
    (a, b) =>
      Number(b.department.ranked !== false) - Number(a.department.ranked !== false) ||
      (b.onTrackShare ?? -1) - (a.onTrackShare ?? -1) ||
      a.counts.red - b.counts.red ||
      a.counts.amber - b.counts.amber ||
      a.department.id.localeCompare(b.department.id),
  );
  let rank = 0;
  for (const r of rollups) if (r.department.ranked !== false) r.rank = ++rank;
  return {
    counts: countStatuses(evaluation.tracked),
    departments: rollups,
    behind: evaluation.tracked.filter(isBehind).sort(compareWorstFirst),
  };
}

/** Items a department owns or supports, counted ones first. */
export function itemsOfDepartment(evaluation: Evaluation, departmentId: string): ItemStatus[] {
  return [...evaluation.byId.values()]
    .filter((s) => s.item.departmentId === departmentId || s.item.coDepartmentIds.includes(departmentId))
    .sort(compareWorstFirst);
}

export function ownerOf(item: Item, departments: readonly Department[]): Department | undefined {
  return departments.find((d) => d.id === item.departmentId);
}
