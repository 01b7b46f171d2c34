/**
 * Logging a report: one update, in one transaction, exactly once (deliveries are deduplicated by event
 * id and by message), only by the item's own department or an admin, and on disk before anyone is told.
 */

import { messageKey } from '../../src/domain/delivery.ts';
import { needsEvidence } from '../../src/domain/evidence.ts';
import { own } from '../../src/domain/lookup.ts';
import { canReport, canReportSubTask, needsReview, reportersOf, subTasksOf } from '../../src/domain/permissions.ts';
import { type ReadModel, readModelFromState, statusInState } from '../../src/domain/read-model.ts';
import type { Unrecorded } from '../../src/domain/reading/index.ts';
import type { Evidence, Item, ItemKind, MessageRef, Milestone, ProjectState, Update } from '../../src/domain/schema.ts';
import type { StoreState } from '../../src/domain/state.ts';
import type { ItemStatus } from '../../src/domain/status.ts';
import { type Locale, messages, pick } from '../../src/i18n/index.ts';
import type { WriteContext } from '../context.ts';
import { evidenceNeededReply } from '../evidence.ts';
import { departmentName, usageReply } from '../format.ts';
import { joinMd, type Mrkdwn, md, type Reply, trusted } from '../reply.ts';

type UpdateSource = Update['source'];

export type Fields = { value?: number; percent?: number; state?: ProjectState; milestoneId?: string };

/** A report to log: the item, what it says, and where it came from. */
export type ReportToLog = {
  itemId: string;
  fields: Fields;
  note?: string;
  evidence: Evidence[];
  source: UpdateSource;
  /** The Slack message it was read from: deduplicates redeliveries and lets edits find it. */
  message?: MessageRef;
  /** The Slack event id, when it came from the Events API. */
  eventId?: string;
  /** Shown in the confirmation: "新增 5 项". */
  increment?: number;
  /** Figures and states in the text that were not recorded, and why: the confirmation says so. */
  unrecorded?: Unrecorded[];
  /** An admin closes it without the evidence it needs (免佐证销号). */
  waived?: boolean;
};

export type LogResult =
  | { kind: 'logged'; update: Update; reviewId?: string; before: ItemStatus; after: ItemStatus; model: ReadModel }
  | { kind: 'duplicate' }
  | { kind: 'refused'; reply: Reply };

function statusAt(state: StoreState, ctx: WriteContext, itemId: string): ItemStatus {
  return statusInState(state, ctx.model.timeZone, ctx.today, ctx.model.calendar, itemId)!;
}

/** Who may report for an item, in words: "住建局的联络员（<@U1>）或督查室". */
export function whoCanReport(state: Pick<StoreState, 'departments'>, item: Item, locale: Locale): Mrkdwn {
  const m = messages(locale);
  const owner = state.departments.find((d) => d.id === item.departmentId);
  const people = owner ? reportersOf(owner).map((u) => `<@${u}>`) : [];
  const name = owner ? departmentName(owner, locale) : item.departmentId;
  // User ids come from the store, validated as U…/W… ids, so they are safe to render as mentions.
  const list = people.length ? m.format.parens(people.join(' ')) : '';
  return trusted(`${md`${m.progress.whoCanReport(name)}`.mrkdwn}${list}${md`${m.progress.orAdmins}`.mrkdwn}`);
}

export function refusal(item: Item, state: StoreState, locale: Locale): Reply {
  const m = messages(locale);
  const text = joinMd([md`${m.progress.notYours(pick(item.name, locale))}`, whoCanReport(state, item, locale)]);
  return {
    text: m.progress.notYours(pick(item.name, locale)),
    blocks: [{ type: 'section', text }],
    visibility: 'ephemeral',
  };
}

function subTasksOpenReply(item: Item, open: readonly Milestone[], locale: Locale): Reply {
  const text = messages(locale).evidence.subTasksOpen(
    pick(item.name, locale),
    messages(locale).format.list(open.map((m) => pick(m.name, locale))),
  );
  return { text, blocks: [{ type: 'section', text: md`${text}` }], visibility: 'ephemeral' };
}

function validate(item: Item, kind: ItemKind, fields: Fields, locale: Locale): string | undefined {
  const m = messages(locale).progress;
  if (fields.value !== undefined && (!Number.isFinite(fields.value) || Math.abs(fields.value) > 1e15))
    return m.badValue;
  if (fields.percent !== undefined && (!(fields.percent >= 0) || fields.percent > 100)) return m.badPercent;
  if (fields.value !== undefined && kind !== 'target') return m.valueNeedsTarget;
  if (fields.milestoneId && !('milestones' in item && item.milestones.some((x) => x.id === fields.milestoneId)))
    return m.badMilestone;
  return undefined;
}

/** Records one update in a transaction; a repeated delivery records nothing. */
export async function logReport(req: ReportToLog, ctx: WriteContext): Promise<LogResult> {
  const { result, model } = await ctx.store.transact((tx) => {
    const state = tx.state;
    if (req.eventId && state.seen.events[req.eventId] !== undefined) return { kind: 'duplicate' as const };
    if (req.message && state.seen.messages[messageKey(req.message)]) return { kind: 'duplicate' as const };
    const found = readModelFromState(state, ctx.model.timeZone).item(req.itemId);
    if (!found)
      return {
        kind: 'refused' as const,
        reply: usageReply(
          messages(ctx.locale).progress.noSuchItem(req.itemId),
          messages(ctx.locale).examples.progress,
          ctx.locale,
        ),
      };
    // A sub-task's own department may report that sub-task done (and nothing else of the item).
    const subTask =
      req.fields.state === 'done' && req.fields.milestoneId
        ? canReportSubTask(state.departments, ctx.userId, found.item, req.fields.milestoneId, ctx.isAdmin)
        : false;
    if (!subTask && !canReport(state.departments, ctx.userId, found.item, ctx.isAdmin))
      return { kind: 'refused' as const, reply: refusal(found.item, state, ctx.locale) };
    const problem = validate(found.item, found.kind, req.fields, ctx.locale);
    if (problem)
      return {
        kind: 'refused' as const,
        reply: usageReply(problem, messages(ctx.locale).examples.progress, ctx.locale),
      };

    const claimsDone = req.fields.state === 'done' && !req.fields.milestoneId;
    // An item with sub-tasks is done only once every one of them is.
    const progressNow = own(state.progress, req.itemId);
    const open = subTasksOf(found.item).filter((m) => own(progressNow?.milestonesDone, m.id) === undefined);
    if (claimsDone && open.length > 0)
      return { kind: 'refused' as const, reply: subTasksOpenReply(found.item, open, ctx.locale) };
    // 销号 with evidence: a claim of done that needs a file or link and has none records nothing.
    const unproven =
      claimsDone && req.evidence.length === 0 && needsEvidence(state.settings.evidenceRequired, found.item, found.kind);
    if (unproven && !ctx.isAdmin)
      return { kind: 'refused' as const, reply: evidenceNeededReply(found.item, req.note, ctx.userId, ctx.locale) };
    const before = statusAt(state, ctx, req.itemId);
    // An increment was added to the value the request saw; another report (here or on another instance)
    // may have been logged since: add it to the value as it is now, so none is lost or counted twice.
    const seen = own(ctx.model.db.progress, req.itemId)?.value;
    const fields =
      req.increment !== undefined && req.fields.value !== undefined && progressNow?.value !== seen
        ? { ...req.fields, value: (progressNow?.value ?? 0) + req.increment }
        : req.fields;
    const seq = state.journal.lastSeq + 1;
    const at = ctx.now.toISOString();
    const reviewId = claimsDone && needsReview(ctx.isAdmin) ? `rv-${seq}` : undefined;
    const update: Update = {
      id: `live-${seq}`,
      itemId: req.itemId,
      at,
      by: ctx.userId,
      ...fields,
      ...(req.note ? { note: req.note.slice(0, 4000) } : {}),
      evidence: req.evidence.slice(0, 20),
      source: req.source,
      ...(req.message ? { message: req.message } : {}),
      ...(reviewId ? { reviewId } : {}),
      // An admin's close without the evidence it needs is a waiver, and says so in the audit trail.
      ...(unproven || req.waived ? { evidenceWaived: true } : {}),
    };
    tx.append({ type: 'update', at, by: ctx.userId, update, ...(req.eventId ? { eventId: req.eventId } : {}) });
    if (reviewId) {
      tx.append({
        type: 'review.request',
        at,
        by: ctx.userId,
        review: { id: reviewId, itemId: req.itemId, updateId: update.id, requestedBy: ctx.userId, requestedAt: at },
      });
    }
    return {
      kind: 'logged' as const,
      update,
      ...(reviewId ? { reviewId } : {}),
      before,
      after: statusAt(tx.state, ctx, req.itemId),
    };
  });
  // Stored first; a long note's machine summary follows later, or never (the assistant does not wait).
  if (result.kind === 'logged') ctx.assistant?.updateLogged(result.update, result.after.item);
  return result.kind === 'logged' ? { ...result, model } : result;
}
