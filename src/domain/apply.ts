/**
 * How each journal event changes the store's hot state. Pure and immutable: a new state shares
 * everything the event did not touch, so a transaction never copies the whole document.
 */

import { messageKey, SEEN_EVENT_MS, SEEN_MESSAGE_MS } from './delivery.ts';
import {
  applyDepartmentEvent,
  applyReviewDecision,
  applyUpdateToProgress,
  emptyItemProgress,
  itemOfEvent,
  type JournalEvent,
  refoldItem,
  withSummary,
} from './journal.ts';
import { own, withEntry } from './lookup.ts';
import { setEntry } from './owned-records.ts';
import type { Milestone } from './schema.ts';
import type { PublicationRecord, StoreState } from './state.ts';

export class HistoryNeededError extends Error {
  constructor(readonly itemId: string) {
    super(`the history of "${itemId}" is needed to apply this event`);
  }
}

/**
 * Applies `e` to `state`. Edits and retractions change the past, so they need the item's earlier
 * events (`itemHistory`, in journal order) to refold its progress.
 */
export function applyEvent(
  state: StoreState,
  e: JournalEvent,
  timeZone: string,
  itemHistory?: readonly JournalEvent[],
): StoreState {
  checkReferences(state, e);
  const next: StoreState = { ...state, journal: { ...state.journal, lastSeq: Math.max(state.journal.lastSeq, e.seq) } };
  switch (e.type) {
    case 'update': {
      const id = e.update.itemId;
      const prev = own(state.progress, id) ?? emptyItemProgress();
      // A report dated before the latest one (an import of old history) cannot be folded on top.
      if (prev.lastReportAt && Date.parse(e.update.at) < Date.parse(prev.lastReportAt)) {
        if (!itemHistory) throw new HistoryNeededError(id);
        next.progress = { ...state.progress, [id]: refoldItem([...itemHistory, e], timeZone) };
      } else {
        next.progress = { ...state.progress, [id]: applyUpdateToProgress(prev, e.update, timeZone) };
      }
      // What was logged from Slack is remembered with the event itself, so a replay after a crash
      // still recognises a redelivery of the same event or message.
      const atMs = Date.parse(e.at);
      const message = e.update.message;
      if (e.eventId || message) {
        next.seen = {
          events: e.eventId ? setEntry(state.seen.events, e.eventId, atMs + SEEN_EVENT_MS) : state.seen.events,
          messages: message
            ? setEntry(state.seen.messages, messageKey(message), {
                updateId: e.update.id,
                itemId: id,
                until: atMs + SEEN_MESSAGE_MS,
              })
            : state.seen.messages,
        };
      }
      // An update answers the reminders: the streak towards escalation starts again.
      if (own(state.streaks, id)) {
        const { [id]: _, ...rest } = state.streaks;
        next.streaks = rest;
      }
      return next;
    }
    case 'reminder': {
      const streaks = { ...state.streaks };
      for (const itemId of e.itemIds) {
        const prev = own(streaks, itemId);
        if (prev?.lastSlot === e.slot) continue;
        streaks[itemId] = {
          count: (prev?.count ?? 0) + 1,
          lastSlot: e.slot,
          level: prev?.level ?? 0,
          // A streak from before these dates were kept has none: its grace is taken as met.
          ...(prev ? (prev.since ? { since: prev.since } : {}) : { since: e.at }),
          ...(prev?.levelAt ? { levelAt: prev.levelAt } : {}),
        };
      }
      next.streaks = streaks;
      return next;
    }
    case 'escalation': {
      const streaks = { ...state.streaks };
      for (const itemId of e.itemIds) {
        const prev = own(streaks, itemId);
        if (prev && e.level > prev.level) streaks[itemId] = { ...prev, level: e.level, levelAt: e.at };
      }
      next.streaks = streaks;
      return next;
    }
    case 'document': {
      const { seq: _, type: __, key, ...record } = e;
      next.documents = { ...state.documents, [key]: record };
      return next;
    }
    case 'snooze': {
      const { [e.subject]: _, ...rest } = state.snoozes;
      next.snoozes =
        e.change === 'set' && e.until
          ? { ...rest, [e.subject]: { until: e.until, reason: e.reason ?? '', by: e.by } }
          : rest;
      return next;
    }
    case 'absence': {
      const { [e.userId]: _, ...rest } = state.absences;
      next.absences =
        e.change === 'set' && e.from && e.to ? { ...rest, [e.userId]: { from: e.from, to: e.to, by: e.by } } : rest;
      return next;
    }
    case 'settings':
      next.settings = e.after;
      return next;
    case 'bulletin':
      next.lastBulletin = { slot: e.slot, date: e.date, snapshot: e.snapshot };
      return next;
    case 'publication':
      next.publications = { ...state.publications, [e.id]: applyPublication(own(state.publications, e.id), e) };
      return next;
    case 'update.edit':
    case 'update.retract': {
      if (!itemHistory) throw new HistoryNeededError(e.itemId);
      next.progress = { ...state.progress, [e.itemId]: refoldItem([...itemHistory, e], timeZone) };
      if (e.type === 'update.retract') {
        next.reviews = state.reviews.filter((r) => r.updateId !== e.updateId);
      }
      return next;
    }
    case 'review.request':
      next.reviews = [...state.reviews.filter((r) => r.id !== e.review.id), e.review];
      return next;
    case 'review.decide': {
      const prev = own(state.progress, e.itemId);
      next.reviews = state.reviews.filter((r) => r.id !== e.reviewId);
      if (prev)
        next.progress = { ...state.progress, [e.itemId]: applyReviewDecision(prev, e.decision, e.reason, e.reviewId) };
      return next;
    }
    case 'extension.request': {
      const others = (own(state.extensions, e.itemId) ?? []).filter((r) => r.id !== e.request.id);
      next.extensions = withEntry(state.extensions, e.itemId, [...others, e.request].slice(-100));
      return next;
    }
    case 'extension.decide': {
      const requests = own(state.extensions, e.itemId) ?? [];
      next.extensions = withEntry(
        state.extensions,
        e.itemId,
        requests.map((r) =>
          r.id === e.requestId && r.status === 'pending'
            ? {
                ...r,
                status: e.decision,
                decidedBy: e.by,
                decidedAt: e.at,
                ...(e.reason ? { decisionReason: e.reason } : {}),
              }
            : r,
        ),
      );
      return next;
    }
    case 'membership':
    case 'channel':
      next.departments = state.departments.map((d) => applyDepartmentEvent(d, e));
      return next;
    case 'exemption': {
      const others = state.exemptions.filter((x) => x.itemId !== e.itemId);
      next.exemptions =
        e.change === 'set' ? [...others, { itemId: e.itemId, reason: e.reason ?? '', by: e.by, at: e.at }] : others;
      return next;
    }
    case 'import':
      return next;
    case 'item.assign':
      // The transaction that assigns adds the item itself; a replay after a crash finds it missing and adds it here.
      if (!state.commitments.some((c) => c.id === e.item.id)) next.commitments = [...state.commitments, e.item];
      return next;
    case 'subtask.add': {
      // The transaction that splits the item adds the sub-task itself; a replay after a crash finds it missing and adds it here.
      const add = <T extends { id: string; milestones: Milestone[] }>(list: T[]) =>
        list.map((i) =>
          i.id === e.itemId && !i.milestones.some((m) => m.id === e.milestone.id)
            ? { ...i, milestones: [...i.milestones, e.milestone] }
            : i,
        );
      next.commitments = add(state.commitments);
      next.projects = add(state.projects);
      return next;
    }
    case 'sign': {
      next.signs = {
        ...state.signs,
        [e.itemId]: { ...own(state.signs, e.itemId), [e.departmentId]: { by: e.by, at: e.at } },
      };
      // The lead's signature answers the reminders about an unsigned item, as an update does.
      const lead = state.commitments.find((c) => c.id === e.itemId)?.departmentId;
      if (lead === e.departmentId && own(state.streaks, e.itemId)) {
        const { [e.itemId]: _, ...rest } = state.streaks;
        next.streaks = rest;
      }
      return next;
    }
    case 'update.summary': {
      const prev = own(state.progress, e.itemId);
      if (prev)
        next.progress = {
          ...state.progress,
          [e.itemId]: withSummary(prev, new Map([[e.updateId, { text: e.summary, model: e.model }]])),
        };
      return next;
    }
    case 'llm': {
      const switches = state.llm;
      const on = e.change === 'on';
      next.llm = e.departmentId
        ? { ...switches, departments: { ...switches.departments, [e.departmentId]: on } }
        : { ...switches, enabled: on };
      return next;
    }
  }
}

/** An event about an item or department that does not exist is a programming error, never written. */
function checkReferences(state: StoreState, e: JournalEvent): void {
  // An assignment brings its item with it (a replay may apply it to a document written before it).
  const item = e.type === 'item.assign' ? undefined : itemOfEvent(e);
  if (item && ![state.targets, state.projects, state.commitments].some((list) => list.some((i) => i.id === item))) {
    throw new Error(`journal event ${e.type} refers to unknown item "${item}"`);
  }
  if (
    (e.type === 'membership' ||
      e.type === 'channel' ||
      e.type === 'reminder' ||
      e.type === 'escalation' ||
      e.type === 'sign' ||
      e.type === 'document') &&
    !state.departments.some((d) => d.id === e.departmentId)
  ) {
    throw new Error(`journal event ${e.type} refers to unknown department "${e.departmentId}"`);
  }
  if (e.type === 'llm' && e.departmentId && !state.departments.some((d) => d.id === e.departmentId)) {
    throw new Error(`journal event ${e.type} refers to unknown department "${e.departmentId}"`);
  }
}

export { itemOfEvent };

/** A publication after one of its steps: the content goes once published or returned, except a monthly report's (shown on request). */
function applyPublication(
  prev: PublicationRecord | undefined,
  e: Extract<JournalEvent, { type: 'publication' }>,
): PublicationRecord {
  const status = e.step === 'preview' ? 'pending' : e.step;
  const base: PublicationRecord = prev
    ? { ...prev, status, at: e.at, by: e.by }
    : { kind: e.kind, period: e.period, status, at: e.at, by: e.by };
  const posted = e.channel && e.ts ? { channel: e.channel, ts: e.ts } : undefined;
  if (e.step === 'preview') {
    return {
      ...base,
      ...(e.content ? { content: e.content } : {}),
      ...(e.snapshot ? { snapshot: e.snapshot } : {}),
      ...(e.slot ? { slot: e.slot } : {}),
      ...(posted ? { preview: posted } : {}),
    };
  }
  const { content: _, snapshot: __, ...rest } = base;
  const keep = e.step === 'approved' || base.kind === 'monthly';
  return {
    ...(keep ? base : rest),
    ...(e.reason ? { reason: e.reason } : {}),
    ...(e.step === 'published' && posted ? { published: posted } : {}),
  };
}
