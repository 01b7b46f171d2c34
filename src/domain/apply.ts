/**
 * How each journal event changes the store's hot state. Pure and immutable: a new state shares
 * everything the event did not touch, so a transaction never copies the whole document.
 */
import { applyDepartmentEvent, applyReviewDecision, applyUpdateToProgress, emptyItemProgress, itemOfEvent, refoldItem, type JournalEvent } from './journal.ts';
import type { StoreState } from './state.ts';

export class HistoryNeededError extends Error {
  constructor(readonly itemId: string) {
    super(`the history of "${itemId}" is needed to apply this event`);
  }
}

/**
 * Applies `e` to `state`. Edits and retractions change the past, so they need the item's earlier
 * events (`itemHistory`, in journal order) to refold its progress.
 */
export function applyEvent(state: StoreState, e: JournalEvent, timeZone: string, itemHistory?: readonly JournalEvent[]): StoreState {
  checkReferences(state, e);
  const next: StoreState = { ...state, journal: { ...state.journal, lastSeq: Math.max(state.journal.lastSeq, e.seq) } };
  switch (e.type) {
    case 'update': {
      const id = e.update.itemId;
      const prev = state.progress[id] ?? emptyItemProgress();
      // A report dated before the latest one (an import of old history) cannot be folded on top.
      if (prev.lastReportAt && Date.parse(e.update.at) < Date.parse(prev.lastReportAt)) {
        if (!itemHistory) throw new HistoryNeededError(id);
        next.progress = { ...state.progress, [id]: refoldItem([...itemHistory, e], timeZone) };
      } else {
        next.progress = { ...state.progress, [id]: applyUpdateToProgress(prev, e.update, timeZone) };
      }
      return next;
    }
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
      const prev = state.progress[e.itemId];
      next.reviews = state.reviews.filter((r) => r.id !== e.reviewId);
      if (prev) next.progress = { ...state.progress, [e.itemId]: applyReviewDecision(prev, e.decision, e.reason, e.reviewId) };
      return next;
    }
    case 'membership':
    case 'channel':
      next.departments = state.departments.map((d) => applyDepartmentEvent(d, e));
      return next;
    case 'exemption': {
      const others = state.exemptions.filter((x) => x.itemId !== e.itemId);
      next.exemptions = e.change === 'set' ? [...others, { itemId: e.itemId, reason: e.reason ?? '', by: e.by, at: e.at }] : others;
      return next;
    }
    case 'import':
      return next;
  }
}

/** An event about an item or department that does not exist is a programming error, never written. */
function checkReferences(state: StoreState, e: JournalEvent): void {
  const item = itemOfEvent(e);
  if (item && ![state.targets, state.projects, state.commitments].some((list) => list.some((i) => i.id === item))) {
    throw new Error(`journal event ${e.type} refers to unknown item "${item}"`);
  }
  if ((e.type === 'membership' || e.type === 'channel') && !state.departments.some((d) => d.id === e.departmentId)) {
    throw new Error(`journal event ${e.type} refers to unknown department "${e.departmentId}"`);
  }
}

export { itemOfEvent };
