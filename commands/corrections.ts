/**
 * Correcting what was logged from a Slack message: editing the message edits the entry, deleting it
 * retracts the entry. Both are new journal events; the original stays in the history.
 */

import { messageKey } from '../src/domain/delivery.ts';
import { applyPatch, type JournalEvent, refoldItem, type UpdatePatch } from '../src/domain/journal.ts';
import { readModelFromState, statusInState } from '../src/domain/read-model.ts';
import { readProgress } from '../src/domain/reading/index.ts';
import type { MessageRef, Update } from '../src/domain/schema.ts';
import type { StoreState } from '../src/domain/state.ts';
import type { ItemStatus } from '../src/domain/status.ts';
import { messages, pick } from '../src/i18n/index.ts';
import type { WriteContext } from './context.ts';
import { statusLabel } from './format.ts';
import { joinMd, md, type Reply } from './reply.ts';
import { linksAsEvidence } from './reporting/index.ts';

export type CorrectionOutcome =
  | { kind: 'ignored' }
  | { kind: 'corrected'; reply: Reply; before: ItemStatus; after: ItemStatus };

function statusOf(state: StoreState, ctx: WriteContext, itemId: string): ItemStatus {
  return statusInState(state, ctx.model.timeZone, ctx.today, ctx.model.calendar, itemId)!;
}

function currentUpdate(
  history: readonly JournalEvent[],
  updateId: string,
): { update: Update; retracted: boolean } | undefined {
  let found: { update: Update; retracted: boolean } | undefined;
  for (const e of history) {
    if (e.type === 'update' && e.update.id === updateId) found = { update: e.update, retracted: false };
    else if (found && e.type === 'update.edit' && e.updateId === updateId)
      found = { ...found, update: { ...found.update, ...e.after } };
    else if (found && e.type === 'update.retract' && e.updateId === updateId) found = { ...found, retracted: true };
  }
  return found;
}

function reply(line: string, before: ItemStatus, after: ItemStatus, ctx: WriteContext): Reply {
  const m = messages(ctx.locale).progress;
  const change =
    before.status === after.status
      ? m.statusSame(statusLabel(after.status, ctx.locale))
      : m.statusChange(statusLabel(before.status, ctx.locale), statusLabel(after.status, ctx.locale));
  return {
    text: `${line} ${change}`,
    blocks: [{ type: 'section', text: joinMd([md`✏️ ${line}`, md`${change}`]) }],
    visibility: 'in_channel',
  };
}

/** The reporter edited their message: read it again and record the difference. */
export async function editFromMessage(ref: MessageRef, newText: string, ctx: WriteContext): Promise<CorrectionOutcome> {
  const seen = ctx.model.db.seen.messages[messageKey(ref)];
  if (!seen) return { kind: 'ignored' };
  const { result } = await ctx.store.transact(async (tx) => {
    const history = await tx.itemHistory(seen.itemId);
    const current = currentUpdate(history, seen.updateId);
    if (!current || current.retracted || current.update.by !== ctx.userId) return { kind: 'ignored' as const };
    const found = readModelFromState(tx.state, ctx.model.timeZone).item(seen.itemId);
    if (!found) return { kind: 'ignored' as const };
    // Read the new text against the item as it was without this update, so "+5" means the same thing.
    const without = history.filter((e) => !(e.type === 'update' && e.update.id === seen.updateId));
    const base = refoldItem(without, ctx.model.timeZone);
    const interpretation = readProgress(newText, found.item, base);
    const after: UpdatePatch = {
      note: interpretation.note || undefined,
      evidence: [...current.update.evidence.filter((e) => e.kind === 'file'), ...linksAsEvidence(interpretation.links)],
    };
    if (interpretation.kind === 'update') {
      for (const k of ['value', 'percent', 'state', 'milestoneId'] as const) after[k] = interpretation[k] as never;
    } else if (interpretation.kind === 'ambiguous') {
      // A reading the text no longer settles keeps the recorded figures; only the wording changes.
      for (const k of ['value', 'percent', 'state', 'milestoneId'] as const) after[k] = current.update[k] as never;
    }
    const before: UpdatePatch = {};
    for (const k of ['value', 'percent', 'state', 'milestoneId', 'note', 'evidence'] as const)
      (before as Record<string, unknown>)[k] = current.update[k];
    const statusBefore = statusOf(tx.state, ctx, seen.itemId);
    tx.append(
      {
        type: 'update.edit',
        at: ctx.now.toISOString(),
        by: ctx.userId,
        itemId: seen.itemId,
        updateId: seen.updateId,
        before,
        after,
      },
      history,
    );
    const statusAfter = statusOf(tx.state, ctx, seen.itemId);
    const line = messages(ctx.locale).corrections.edited(pick(found.item.name, ctx.locale));
    return {
      kind: 'corrected' as const,
      reply: reply(line, statusBefore, statusAfter, ctx),
      before: statusBefore,
      after: statusAfter,
      edited: applyPatch(current.update, after),
      item: found.item,
    };
  });
  if (result.kind !== 'corrected') return result;
  // The old text's summary went with the edit; the new text may get one of its own.
  const { edited, item, ...outcome } = result;
  ctx.assistant?.updateLogged(edited, item);
  return outcome;
}

/** The reporter deleted their message: retract the entry it produced. */
export async function retractMessage(ref: MessageRef, ctx: WriteContext): Promise<CorrectionOutcome> {
  const seen = ctx.model.db.seen.messages[messageKey(ref)];
  if (!seen) return { kind: 'ignored' };
  const { result } = await ctx.store.transact(async (tx) => {
    const history = await tx.itemHistory(seen.itemId);
    const current = currentUpdate(history, seen.updateId);
    if (!current || current.retracted) return { kind: 'ignored' as const };
    const found = readModelFromState(tx.state, ctx.model.timeZone).item(seen.itemId);
    if (!found) return { kind: 'ignored' as const };
    const statusBefore = statusOf(tx.state, ctx, seen.itemId);
    tx.append(
      {
        type: 'update.retract',
        at: ctx.now.toISOString(),
        by: ctx.userId,
        itemId: seen.itemId,
        updateId: seen.updateId,
        reason: 'message deleted',
      },
      history,
    );
    const statusAfter = statusOf(tx.state, ctx, seen.itemId);
    const line = messages(ctx.locale).corrections.retracted(pick(found.item.name, ctx.locale));
    return {
      kind: 'corrected' as const,
      reply: reply(line, statusBefore, statusAfter, ctx),
      before: statusBefore,
      after: statusAfter,
    };
  });
  return result;
}
