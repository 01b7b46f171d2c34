/**
 * Delivery bookkeeping: the records that make Slack deliveries idempotent and let replies in a thread
 * find what it is about — seen event ids and messages, threads, pending questions, scheduled runs and
 * their deliveries. This module owns their keys, how long each is kept and how many: nobody else
 * builds a message key or picks an expiry.
 *
 * How much delivery bookkeeping the store document keeps. Every answer posted in a channel remembers
 * its thread, every logged reply its event id and message, every question its pending choice; each
 * entry expires, but at a steady rate of requests an expiry alone lets an index grow with the rate
 * times the window (90 days of threads at ten answers a second is tens of millions). So each index
 * also holds at most a fixed number of entries, the newest, whatever the rate.
 */
import { recordOf } from './lookup.ts';
import { forgetFrom } from './owned-records.ts';
import type { MessageRef } from './schema.ts';
import type { StoreState } from './state.ts';

const DAY_MS = 86_400_000;

/** The key of a Slack message in the bookkeeping: its channel and ts. */
export function messageKey(m: Pick<MessageRef, 'channel' | 'ts'>): string {
  return `${m.channel}:${m.ts}`;
}

/**
 * How long a Slack delivery (event id) and a logged message (channel:ts) are remembered. Slack retries
 * an event three times within about five minutes, so an hour covers every retry; a message is
 * remembered longer, so editing or deleting it still corrects its entry.
 */
export const SEEN_EVENT_MS = 60 * 60_000;
export const SEEN_MESSAGE_MS = 90 * DAY_MS;
/** How long duban remembers what a thread it posted is about, and a question it asked. */
export const THREAD_MS = 90 * DAY_MS;
export const CHOICE_MS = 7 * DAY_MS;
/** Deliveries only guard a scheduled run's own window; runs are kept a while for /duban schedule. */
const DELIVERY_MS = 30 * DAY_MS;
const RUN_MS = 120 * DAY_MS;

export type DeliveryLimits = Record<'events' | 'messages' | 'threads' | 'choices', number>;

/**
 * At most this many entries of each kind. Outside the store's writer (owned-records.ts) noting an entry
 * copies its record: a few milliseconds at 5,000 entries, ten times that at 50,000. The store changes
 * its own records in place and expires them from a queue, so its writes cost the same at any size. 5,000 is weeks of answers and months of logged replies for a zone,
 * and more than every delivery Slack may retry: it retries an event within about five minutes and
 * sends at most 30,000 events an hour (2,500 in five minutes), while the record keeps the newest 4,500
 * at least (see boundRecord). Event ids also expire after an hour (SEEN_EVENT_MS), messages (for edits
 * and deletions) and threads after 90 days, pending questions after 7; whichever comes first.
 */
export const DELIVERY_LIMITS: DeliveryLimits = { events: 5_000, messages: 5_000, threads: 5_000, choices: 1_000 };

/**
 * Entries of `record` that have not expired at `nowMs`, and at most `max` of them: the newest (by
 * expiry, which is a fixed window after they were noted). Over `max`, it trims to 90% of `max`, so
 * that the sort is paid once per many inserts rather than at each. Returns `record` itself when
 * nothing is dropped.
 */
export function boundRecord<T>(
  record: Record<string, T>,
  until: (value: T) => number,
  nowMs: number,
  max: number,
): Record<string, T> {
  let live: Array<[string, T]> | undefined;
  const entries = Object.entries(record);
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    if (until(entry[1]) > nowMs) live?.push(entry);
    else live ??= entries.slice(0, i);
  }
  let kept = live ?? entries;
  if (kept.length > max) {
    const keep = Math.max(1, Math.floor(max * 0.9));
    kept = [...kept].sort((a, b) => until(a[1]) - until(b[1])).slice(kept.length - keep);
  } else if (!live) return record;
  return recordOf(kept);
}

/**
 * Forgets bookkeeping entries past their expiry, and the oldest beyond `limits`, so the document
 * stays within a fixed size however long duban runs. Scheduled runs and their deliveries are kept by
 * age alone: the schedule bounds them (a few per department a week).
 */
export function forgetExpired(state: StoreState, nowMs: number, limits: DeliveryLimits = DELIVERY_LIMITS): StoreState {
  const events = bound(state.seen.events, eventUntil, nowMs, limits.events);
  const messages = bound(state.seen.messages, untilField, nowMs, limits.messages);
  const threads = bound(state.threads, untilField, nowMs, limits.threads);
  const choices = bound(state.choices, untilField, nowMs, limits.choices);
  const deliveries = bound(state.deliveries, deliveryUntil, nowMs, Number.POSITIVE_INFINITY);
  const runs = bound(state.runs, runUntil, nowMs, Number.POSITIVE_INFINITY);
  if (
    events === state.seen.events &&
    messages === state.seen.messages &&
    threads === state.threads &&
    choices === state.choices &&
    deliveries === state.deliveries &&
    runs === state.runs
  )
    return state;
  return { ...state, seen: { events, messages }, threads, choices, deliveries, runs };
}

// When each kind of entry expires: one function each, so a record's expiry queue (owned-records.ts) is kept
// from one write to the next.
const eventUntil = (v: number) => v;
const untilField = (v: { until: number }) => v.until;
const deliveryUntil = (v: { at: string }) => Date.parse(v.at) + DELIVERY_MS;
const runUntil = (v: { at: string }) => Date.parse(v.at) + RUN_MS;

/** In place from its expiry queue when the store's writer owns `record` (owned-records.ts), else boundRecord. */
function bound<T>(record: Record<string, T>, until: (value: T) => number, nowMs: number, max: number) {
  return forgetFrom(record, until, nowMs, max) ?? boundRecord(record, until, nowMs, max);
}

/** A thread's record: what a message duban posted is about, until when. */
export function threadRecord(
  about: { departmentId?: string; itemIds?: readonly string[] },
  nowMs: number,
): StoreState['threads'][string] {
  return {
    ...(about.departmentId ? { departmentId: about.departmentId } : {}),
    itemIds: (about.itemIds ?? []).slice(0, 100),
    until: nowMs + THREAD_MS,
  };
}
