/** Who may do what. Reading is open to everyone; writing is for a department's people and admins. */
import type { Department, Item } from './schema.ts';

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
