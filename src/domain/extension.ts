/**
 * 延期申请: before an item's deadline its lead department may ask for a later date, with a reason;
 * the supervision office approves or refuses. The period end is never changed: an approved request
 * moves the effective deadline only, and every request is kept with its outcome. Pure.
 */
import { z } from 'zod';
import { own } from './lookup.ts';
import { Id, IsoDate, IsoDateTime, type Item } from './schema.ts';

export const ExtensionRequest = z.object({
  id: Id,
  requestedBy: z.string().min(1).max(64),
  requestedAt: IsoDateTime,
  /** The deadline in force when asked (the period end, or an earlier approved extension). */
  from: IsoDate,
  to: IsoDate,
  reason: z.string().min(1).max(1000),
  status: z.enum(['pending', 'approved', 'refused']),
  decidedBy: z.string().min(1).max(64).optional(),
  decidedAt: IsoDateTime.optional(),
  /** Why it was refused. */
  decisionReason: z.string().max(1000).optional(),
});
export type ExtensionRequest = z.infer<typeof ExtensionRequest>;

/** item id → its requests, oldest first. */
export type Extensions = Readonly<Record<string, readonly ExtensionRequest[]>>;

/** The date of the latest approved extension of each item that has one. */
export function approvedExtensions(extensions: Extensions): Map<string, string> {
  const out = new Map<string, string>();
  for (const [itemId, requests] of Object.entries(extensions)) {
    const approved = requests.filter((r) => r.status === 'approved');
    const last = approved[approved.length - 1];
    if (last) out.set(itemId, last.to);
  }
  return out;
}

export function pendingExtension(extensions: Extensions, itemId: string): ExtensionRequest | undefined {
  return own(extensions, itemId)?.find((r) => r.status === 'pending');
}

export function findExtension(
  extensions: Extensions,
  requestId: string,
): { itemId: string; request: ExtensionRequest } | undefined {
  for (const [itemId, requests] of Object.entries(extensions)) {
    const request = requests.find((r) => r.id === requestId);
    if (request) return { itemId, request };
  }
  return undefined;
}

/** Why a request cannot be made, as a code the reply words; undefined when it can. */
export type ExtensionProblem =
  | { code: 'not_lead_department' }
  | { code: 'done' }
  | { code: 'past_deadline'; deadline: string }
  | { code: 'not_later'; deadline: string }
  | { code: 'pending'; request: ExtensionRequest }
  | { code: 'too_late_in_year'; latest: string };

/** The latest date an extension may ask for: two years past the period's end (a typo guard, not a policy). */
export function latestExtensionDate(item: Pick<Item, 'period'>): string {
  const year = Number(item.period.end.slice(0, 4)) + 2;
  return `${year}${item.period.end.slice(4)}`;
}

/**
 * The rules of a request on `today`: by a member or lead of the item's lead department (admins may ask on
 * its behalf), for an item not done, on or before its deadline, for a later date, one pending at a time.
 */
export function extensionProblem(args: {
  item: Pick<Item, 'id' | 'period' | 'departmentId'>;
  deadline: string;
  to: string;
  today: string;
  done: boolean;
  inLeadDepartment: boolean;
  isAdmin: boolean;
  extensions: Extensions;
}): ExtensionProblem | undefined {
  if (!args.inLeadDepartment && !args.isAdmin) return { code: 'not_lead_department' };
  if (args.done) return { code: 'done' };
  const pending = pendingExtension(args.extensions, args.item.id);
  if (pending) return { code: 'pending', request: pending };
  if (args.today > args.deadline) return { code: 'past_deadline', deadline: args.deadline };
  if (args.to <= args.deadline) return { code: 'not_later', deadline: args.deadline };
  const latest = latestExtensionDate(args.item);
  if (args.to > latest) return { code: 'too_late_in_year', latest };
  return undefined;
}
