/**
 * The journal: every change to progress, membership, reviews and exemptions is an event appended
 * to an append-only log (the audit trail), and the store's hot state is the fold of those events
 * over the definitions. Pure: the store decides where events live on disk.
 */

import { z } from 'zod';
import { localDate } from './dates.ts';
import { DocumentLevel } from './documents.ts';
import { ExtensionRequest } from './extension.ts';
import { withEntry } from './lookup.ts';
import {
  Commitment,
  type Database,
  type Department,
  Exemption,
  Id,
  IsoDateTime,
  MessageRef,
  Milestone,
  ProjectState,
  Settings,
  SlackChannelId,
  SlackUserId,
  Update,
} from './schema.ts';

export const UpdatePatch = Update.pick({
  value: true,
  percent: true,
  state: true,
  milestoneId: true,
  note: true,
  evidence: true,
}).partial();
export type UpdatePatch = z.infer<typeof UpdatePatch>;

export const Review = z.object({
  id: Id,
  itemId: Id,
  updateId: Id,
  requestedBy: z.string().min(1).max(64),
  requestedAt: IsoDateTime,
  /** The review request message, so it can be updated once decided. */
  message: MessageRef.optional(),
});
export type Review = z.infer<typeof Review>;

const eventBase = {
  seq: z.number().int().positive(),
  at: IsoDateTime.describe('When the event was recorded'),
  by: z.string().min(1).max(64).describe('Slack user id, or "seed", "import", "duban"'),
};

/** A preview awaiting approval (审核): the bulletin of a run, or a month's report. */
export const PublicationId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9:@._-]{0,79}$/);
export const PublicationKind = z.enum(['bulletin', 'monthly']);
export type PublicationKind = z.infer<typeof PublicationKind>;
/** A reply as plain data (commands/reply.ts): its text and blocks, stored as they were previewed. */
export const PublicationContent = z.object({ text: z.string().max(4000), blocks: z.array(z.unknown()).max(50) });
export type PublicationContent = z.infer<typeof PublicationContent>;

/** The longest machine-written summary kept for an update. */
export const MACHINE_SUMMARY_MAX = 160;

export const JournalEvent = z.discriminatedUnion('type', [
  z.object({
    ...eventBase,
    type: z.literal('update'),
    update: Update,
    /** The Slack event it came from: replaying the journal restores the de-duplication of deliveries too. */
    eventId: z.string().max(64).optional(),
  }),
  z.object({
    ...eventBase,
    type: z.literal('update.edit'),
    itemId: Id,
    updateId: Id,
    before: UpdatePatch,
    after: UpdatePatch,
  }),
  z.object({
    ...eventBase,
    type: z.literal('update.retract'),
    itemId: Id,
    updateId: Id,
    reason: z.string().max(500).optional(),
  }),
  z.object({ ...eventBase, type: z.literal('review.request'), review: Review }),
  z.object({
    ...eventBase,
    type: z.literal('review.decide'),
    itemId: Id,
    reviewId: Id,
    decision: z.enum(['approved', 'returned']),
    reason: z.string().max(1000).optional(),
  }),
  /** 延期申请: a later deadline asked for (src/domain/extension.ts). */
  z.object({ ...eventBase, type: z.literal('extension.request'), itemId: Id, request: ExtensionRequest }),
  z.object({
    ...eventBase,
    type: z.literal('extension.decide'),
    itemId: Id,
    requestId: Id,
    decision: z.enum(['approved', 'refused']),
    reason: z.string().max(1000).optional(),
  }),
  z.object({
    ...eventBase,
    type: z.literal('membership'),
    departmentId: Id,
    role: z.enum(['member', 'lead']),
    userId: SlackUserId,
    change: z.enum(['add', 'remove']),
  }),
  z.object({
    ...eventBase,
    type: z.literal('channel'),
    departmentId: Id,
    before: SlackChannelId.optional(),
    after: SlackChannelId.optional(),
  }),
  z.object({
    ...eventBase,
    type: z.literal('exemption'),
    itemId: Id,
    change: z.enum(['set', 'clear']),
    reason: z.string().max(500).optional(),
  }),
  /** An item assigned (交办) during the year, from a message or the form: the item as it was created. */
  z.object({ ...eventBase, type: z.literal('item.assign'), itemId: Id, item: Commitment }),
  /** A department acknowledged (签收) an assigned item: the lead for the item, a supporting department for its part. */
  z.object({ ...eventBase, type: z.literal('sign'), itemId: Id, departmentId: Id }),
  /** An item split into a sub-task (拆分子任务) from Slack: the milestone as added, with its own department. */
  z.object({ ...eventBase, type: z.literal('subtask.add'), itemId: Id, milestone: Milestone }),
  z.object({
    ...eventBase,
    type: z.literal('reminder'),
    slot: z.string().max(60),
    departmentId: Id,
    itemIds: z.array(Id).max(500),
    channel: z.string().max(20),
    ts: z.string().max(30).optional(),
  }),
  z.object({
    ...eventBase,
    type: z.literal('escalation'),
    slot: z.string().max(60),
    departmentId: Id,
    itemIds: z.array(Id).max(500),
    level: z.number().int().min(1).max(5),
    notified: z.array(z.string().max(20)).max(100),
  }),
  /** A numbered 督办单 (提示单, 督办单 or 督办函) issued for a step: its number is this event's (src/domain/documents.ts). */
  z.object({
    ...eventBase,
    type: z.literal('document'),
    key: z.string().min(1).max(200),
    number: z.number().int().positive(),
    year: z.number().int().min(2000).max(2100),
    level: DocumentLevel,
    departmentId: Id,
    itemIds: z.array(Id).min(1).max(100),
    channel: z.string().max(20),
  }),
  z.object({
    ...eventBase,
    type: z.literal('snooze'),
    subject: Id,
    change: z.enum(['set', 'clear']),
    until: z.iso.date().optional(),
    reason: z.string().max(500).optional(),
  }),
  z.object({
    ...eventBase,
    type: z.literal('absence'),
    userId: SlackUserId,
    change: z.enum(['set', 'clear']),
    from: z.iso.date().optional(),
    to: z.iso.date().optional(),
  }),
  z.object({ ...eventBase, type: z.literal('settings'), before: Settings, after: Settings }),
  z.object({
    ...eventBase,
    type: z.literal('bulletin'),
    slot: z.string().max(60),
    channel: z.string().max(20),
    ts: z.string().max(30).optional(),
    date: z.iso.date(),
    snapshot: z.record(z.string(), z.enum(['red', 'amber', 'green', 'done', 'exempt', 'pending'])),
  }),
  /** A step of the bulletin's or the monthly report's preview → approve → publish (审核发布). */
  z.object({
    ...eventBase,
    type: z.literal('publication'),
    id: PublicationId,
    kind: PublicationKind,
    step: z.enum(['preview', 'approved', 'returned', 'published']),
    /** The month (YYYY-MM) of a monthly report, or the date of a bulletin. */
    period: z.string().regex(/^\d{4}-\d{2}(-\d{2})?$/),
    reason: z.string().max(1000).optional(),
    channel: z.string().max(20).optional(),
    ts: z.string().max(30).optional(),
    /** What the preview showed (plain reply data), so what is approved is exactly what is published. */
    content: PublicationContent.optional(),
    /** A bulletin's statuses, which become the last bulletin's once it is published. */
    snapshot: z.record(z.string(), z.enum(['red', 'amber', 'green', 'done', 'exempt', 'pending'])).optional(),
    slot: z.string().max(60).optional(),
  }),
  z.object({
    ...eventBase,
    type: z.literal('import'),
    file: z.string().max(500),
    summary: z.record(z.string(), z.unknown()).describe('What the import added and changed'),
  }),
  /** A machine-written one-line summary of a long update; the update itself is never changed. */
  z.object({
    ...eventBase,
    type: z.literal('update.summary'),
    itemId: Id,
    updateId: Id,
    summary: z.string().min(1).max(MACHINE_SUMMARY_MAX),
    model: z.string().max(128),
  }),
  /** An admin turned the optional model on or off, zone-wide or for one department. */
  z.object({ ...eventBase, type: z.literal('llm'), change: z.enum(['on', 'off']), departmentId: Id.optional() }),
]);
export type JournalEvent = z.infer<typeof JournalEvent>;
export type JournalEventInput = JournalEvent extends infer E ? (E extends unknown ? Omit<E, 'seq'> : never) : never;

/** The persisted fold of an item's history: what views and status need without reading the journal. */
export const RecentUpdate = z.object({
  id: Id,
  at: IsoDateTime,
  by: z.string(),
  value: z.number().optional(),
  percent: z.number().optional(),
  state: ProjectState.optional(),
  milestoneId: Id.optional(),
  note: z.string().max(300).optional(),
  evidence: z.number().int().min(0).default(0),
  /** A machine-written one-line summary of the note, and the model that wrote it (never a figure). */
  summary: z.object({ text: z.string().max(MACHINE_SUMMARY_MAX), model: z.string().max(128) }).optional(),
});
export type RecentUpdate = z.infer<typeof RecentUpdate>;

export const ItemProgressState = z.object({
  value: z.number().optional(),
  percent: z.number().optional(),
  state: ProjectState.optional(),
  stateNote: z.string().max(4000).optional(),
  milestonesDone: z.record(z.string(), z.iso.date()).default({}),
  lastReportAt: IsoDateTime.optional(),
  lastReportDate: z.iso.date().optional(),
  lastReportBy: z.string().optional(),
  lastNote: z.string().max(4000).optional(),
  reports: z.number().int().min(0).default(0),
  /** Newest first, at most RECENT_LIMIT. */
  recent: z.array(RecentUpdate).default([]),
  /** One point per report date (value for targets, percent otherwise), oldest first, at most SERIES_LIMIT. */
  series: z.array(z.tuple([z.iso.date(), z.number()])).default([]),
  /** A claim of "done" awaiting the supervision office's review (复核). */
  pendingReview: Id.optional(),
});
export type ItemProgressState = z.infer<typeof ItemProgressState>;

export const RECENT_LIMIT = 5;
export const SERIES_LIMIT = 120;

/** Who may claim "done" without review: seed and import data, and the supervision office itself. */
export type ReviewPolicy = (update: Update) => boolean;

export function emptyItemProgress(): ItemProgressState {
  return { milestonesDone: Object.create(null) as Record<string, string>, reports: 0, recent: [], series: [] };
}

function recentOf(u: Update): RecentUpdate {
  return {
    id: u.id,
    at: u.at,
    by: u.by,
    ...(u.value !== undefined ? { value: u.value } : {}),
    ...(u.percent !== undefined ? { percent: u.percent } : {}),
    ...(u.state !== undefined ? { state: u.state } : {}),
    ...(u.milestoneId !== undefined ? { milestoneId: u.milestoneId } : {}),
    ...(u.note ? { note: u.note.length > 300 ? `${u.note.slice(0, 299)}…` : u.note } : {}),
    evidence: u.evidence.length,
  };
}

/**
 * Applies one accepted update. A "done" that needs review leaves the state as it was and records
 * the pending review instead; the review's approval sets it.
 */
export function applyUpdateToProgress(p: ItemProgressState, u: Update, timeZone: string): ItemProgressState {
  const date = localDate(new Date(u.at), timeZone);
  const next: ItemProgressState = {
    ...p,
    lastReportAt: u.at,
    lastReportDate: date,
    lastReportBy: u.by,
    reports: p.reports + 1,
    recent: [recentOf(u), ...p.recent].slice(0, RECENT_LIMIT),
  };
  if (u.value !== undefined) next.value = u.value;
  if (u.percent !== undefined) next.percent = u.percent;
  if (u.note !== undefined) next.lastNote = u.note;
  if (u.milestoneId) {
    if (u.state === 'done') next.milestonesDone = withEntry(p.milestonesDone, u.milestoneId, date);
  } else if (u.state !== undefined) {
    if (u.state === 'done' && u.reviewId) {
      next.pendingReview = u.reviewId;
    } else {
      next.state = u.state;
      next.stateNote = u.note;
      if (u.state === 'done' && next.percent === undefined) next.percent = 100;
    }
  }
  const point = u.value ?? u.percent;
  if (point !== undefined) {
    const series = p.series.filter(([d]) => d !== date);
    series.push([date, point]);
    series.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    next.series = series.slice(-SERIES_LIMIT);
  }
  return next;
}

export function applyReviewDecision(
  p: ItemProgressState,
  decision: 'approved' | 'returned',
  reason: string | undefined,
  reviewId: string,
): ItemProgressState {
  if (p.pendingReview !== reviewId) return p;
  const { pendingReview: _, ...rest } = p;
  if (decision === 'approved') return { ...rest, state: 'done', percent: rest.percent ?? 100 };
  return { ...rest, ...(reason ? { stateNote: reason } : {}) };
}

/** An update with an edit applied: a key present with undefined clears that field. */
export function applyPatch(u: Update, patch: UpdatePatch): Update {
  const next: Update = { ...u };
  for (const key of ['value', 'percent', 'state', 'milestoneId', 'note'] as const) {
    if (key in patch) {
      const v = patch[key];
      if (v === undefined) delete next[key];
      else (next as Record<string, unknown>)[key] = v;
    }
  }
  if (patch.evidence) next.evidence = patch.evidence;
  return next;
}

/**
 * Recomputes an item's progress from all of its events (in journal order): used after an edit or a
 * retraction, and to check the incremental fold.
 */
export function refoldItem(events: readonly JournalEvent[], timeZone: string): ItemProgressState {
  const updates = new Map<string, { update: Update; retracted: boolean }>();
  const decisions = new Map<string, { decision: 'approved' | 'returned'; reason?: string }>();
  const summaries = new Map<string, NonNullable<RecentUpdate['summary']>>();
  for (const e of events) {
    if (e.type === 'update') updates.set(e.update.id, { update: e.update, retracted: false });
    else if (e.type === 'update.edit') {
      const entry = updates.get(e.updateId);
      if (entry) entry.update = applyPatch(entry.update, e.after);
      // A summary describes the update as it was written; after an edit it no longer holds.
      summaries.delete(e.updateId);
    } else if (e.type === 'update.retract') {
      const entry = updates.get(e.updateId);
      if (entry) entry.retracted = true;
    } else if (e.type === 'update.summary') {
      summaries.set(e.updateId, { text: e.summary, model: e.model });
    } else if (e.type === 'review.decide') {
      decisions.set(e.reviewId, { decision: e.decision, ...(e.reason ? { reason: e.reason } : {}) });
    }
  }
  const live = [...updates.values()]
    .filter((x) => !x.retracted)
    .sort((a, b) => Date.parse(a.update.at) - Date.parse(b.update.at));
  let p = emptyItemProgress();
  for (const { update } of live) {
    p = applyUpdateToProgress(p, update, timeZone);
    const d = update.reviewId ? decisions.get(update.reviewId) : undefined;
    if (update.reviewId && d) p = applyReviewDecision(p, d.decision, d.reason, update.reviewId);
  }
  return summaries.size > 0 ? withSummary(p, summaries) : p;
}

/** Attaches machine-written summaries to the recent updates they are about (others are only in the journal). */
export function withSummary(
  p: ItemProgressState,
  summaries: ReadonlyMap<string, NonNullable<RecentUpdate['summary']>>,
): ItemProgressState {
  if (!p.recent.some((r) => summaries.has(r.id))) return p;
  return { ...p, recent: p.recent.map((r) => (summaries.has(r.id) ? { ...r, summary: summaries.get(r.id)! } : r)) };
}

/** The item an event is about, for history look-ups. */
export function itemOfEvent(e: JournalEvent): string | undefined {
  switch (e.type) {
    case 'update':
      return e.update.itemId;
    case 'review.request':
      return e.review.itemId;
    case 'update.edit':
    case 'update.retract':
    case 'update.summary':
    case 'review.decide':
    case 'exemption':
    case 'item.assign':
    case 'sign':
    case 'subtask.add':
    case 'extension.request':
    case 'extension.decide':
      return e.itemId;
    default:
      return undefined;
  }
}

/** Applies a membership or channel change to a department (pure). */
export function applyDepartmentEvent(d: Department, e: JournalEvent): Department {
  if (e.type === 'membership' && e.departmentId === d.id) {
    const key = e.role === 'lead' ? 'leadIds' : 'memberIds';
    const set = new Set(d[key]);
    if (e.change === 'add') set.add(e.userId);
    else set.delete(e.userId);
    return { ...d, [key]: [...set] };
  }
  if (e.type === 'channel' && e.departmentId === d.id) {
    const { channelId: _, ...rest } = d;
    return e.after ? { ...rest, channelId: e.after } : rest;
  }
  return d;
}

export { Exemption };
export type DefinitionsOf = Pick<Database, 'departments' | 'targets' | 'projects' | 'commitments'>;
