/** Who sees which App Home: the supervision office (admins), a leader (named by an admin), a department's people. */
import type { ReadModel } from '../../src/domain/read-model.ts';
import type { Department } from '../../src/domain/schema.ts';

export type HomeRole = 'office' | 'leader' | 'liaison';

/** The order roles are offered in: the office first, since it acts on what Home shows. */
export const HOME_ROLES: readonly HomeRole[] = ['office', 'leader', 'liaison'];

/** The departments a user reports for, as a member (联络员) or a lead (负责人). */
export function departmentsOf(model: Pick<ReadModel, 'db'>, userId: string | undefined): Department[] {
  if (!userId) return [];
  return model.db.departments.filter((d) => d.memberIds.includes(userId) || d.leadIds.includes(userId));
}

/** Every role the user has, office first; none for someone outside them all. */
export function homeRoles(model: Pick<ReadModel, 'db'>, userId: string | undefined, isAdmin: boolean): HomeRole[] {
  const roles: HomeRole[] = [];
  if (isAdmin) roles.push('office');
  if (userId && model.db.settings.leaderIds.includes(userId)) roles.push('leader');
  if (departmentsOf(model, userId).length > 0) roles.push('liaison');
  return roles;
}

/** The role to show: the one asked for when the user has it, else their first. */
export function chooseRole(roles: readonly HomeRole[], wanted: HomeRole | undefined): HomeRole | undefined {
  return wanted && roles.includes(wanted) ? wanted : roles[0];
}

export function isHomeRole(value: string): value is HomeRole {
  return (HOME_ROLES as readonly string[]).includes(value);
}
