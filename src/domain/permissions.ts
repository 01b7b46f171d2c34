/** Who may do what. Reading is open to everyone; writing is for a department's people and admins. */
import type { Department, Item, Milestone } from './schema.ts';

export type Role = 'admin' | 'lead' | 'member' | 'none';

/** The departments a user belongs to, as member or lead. */
export function departmentsOf(departments: readonly Department[], userId: string): Department[] {
  return departments.filter((d) => d.memberIds.includes(userId) || d.leadIds.includes(userId));
}

/** Only the owner department's members and leads, and admins, log progress for an item. */
export function canReport(departments: readonly Department[], userId: string, item: Item, isAdmin: boolean): boolean {
  if (isAdmin) return true;
  const owner = departments.find((d) => d.id === item.departmentId);
  return !!owner && (owner.memberIds.includes(userId) || owner.leadIds.includes(userId));
}

/** Who can report for a department: its leads first, then members. */
export function reportersOf(department: Department): string[] {
  return [...new Set([...department.leadIds, ...department.memberIds])];
}

/** A claim of "done" by an admin (the supervision office itself) needs no review; anyone else's does. */
export function needsReview(isAdmin: boolean): boolean {
  return !isAdmin;
}

/** Sub-tasks: an item's milestones with a department of their own, each owned by that department. */
export function subTasksOf(item: Item): Milestone[] {
  return 'milestones' in item ? item.milestones.filter((m) => m.departmentId !== undefined) : [];
}

/**
 * Who may report a sub-task done: whoever may report for the item, and the members and leads of the
 * sub-task's own department.
 */
export function canReportSubTask(
  departments: readonly Department[],
  userId: string,
  item: Item,
  milestoneId: string,
  isAdmin: boolean,
): boolean {
  if (canReport(departments, userId, item, isAdmin)) return true;
  const owner = subTasksOf(item).find((m) => m.id === milestoneId)?.departmentId;
  const d = owner ? departments.find((x) => x.id === owner) : undefined;
  return !!d && (d.memberIds.includes(userId) || d.leadIds.includes(userId));
}

/** Whether the user may report anything on the item: the whole of it, or one of its sub-tasks. */
export function canReportSomething(
  departments: readonly Department[],
  userId: string,
  item: Item,
  isAdmin: boolean,
): boolean {
  return (
    canReport(departments, userId, item, isAdmin) ||
    subTasksOf(item).some((m) => canReportSubTask(departments, userId, item, m.id, false))
  );
}
