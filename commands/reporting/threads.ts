/** What a thread duban posted is about, so a reply in it can be logged for the right items. */

import { messageKey, threadRecord } from '../../src/domain/delivery.ts';
import { setEntry } from '../../src/domain/owned-records.ts';
import { departmentsOf } from '../../src/domain/permissions.ts';
import type { ReadModel } from '../../src/domain/read-model.ts';
import type { MessageRef } from '../../src/domain/schema.ts';
import type { CommandContext, WriteContext } from '../context.ts';
import type { Reply } from '../reply.ts';

/** Remembers what a message duban posted is about, so replies in its thread can be logged. */
export async function rememberThread(
  store: WriteContext['store'],
  ref: MessageRef,
  about: Reply['about'],
  nowMs: number,
): Promise<void> {
  if (!about || (!about.departmentId && !about.itemIds?.length)) return;
  // Bookkeeping, not history: noted at once and written within a second, off the answer's path.
  store.remember((s) => ({
    threads: setEntry(s.threads, messageKey(ref), threadRecord(about, nowMs)),
  }));
}

/** The items a thread is about: its items, or every item of its department. */
export function threadCandidates(model: ReadModel, about: { departmentId?: string; itemIds: string[] }): string[] {
  if (about.itemIds.length > 0) return about.itemIds;
  if (!about.departmentId) return [];
  return [...model.db.targets, ...model.db.projects, ...model.db.commitments]
    .filter((i) => i.departmentId === about.departmentId)
    .map((i) => i.id);
}

export function departmentsOfUser(ctx: CommandContext): string[] {
  return ctx.userId ? departmentsOf(ctx.model.db.departments, ctx.userId).map((d) => d.id) : [];
}
