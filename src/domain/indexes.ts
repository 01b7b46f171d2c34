/**
 * How much delivery bookkeeping the store document keeps. Every answer posted in a channel remembers
 * its thread, every logged reply its event id and message, every question its pending choice; each
 * entry expires, but at a steady rate of requests an expiry alone lets an index grow with the rate
 * times the window (90 days of threads at ten answers a second is tens of millions). So each index
 * also holds at most a fixed number of entries, the newest, whatever the rate.
 */
import { recordOf } from './lookup.ts';
import type { StoreState } from './state.ts';

export type IndexLimits = Record<'events' | 'messages' | 'threads' | 'choices', number>;

/**
 * At most this many entries per index. The state is never changed in place, so noting an entry copies
 * its index: a few milliseconds at 5,000 entries, ten times that at 50,000, which at ten answers a
 * second would be most of a CPU. 5,000 is weeks of answers and months of logged replies for a zone,
 * and more than every delivery Slack may retry: it retries an event within about five minutes and
 * sends at most 30,000 events an hour (2,500 in five minutes), while the index keeps the newest 4,500
 * at least (see boundRecord). Event ids also expire after an hour (SEEN_EVENT_MS), messages (for edits
 * and deletions) and threads after 90 days, pending questions after 7; whichever comes first.
 */
export const INDEX_LIMITS: IndexLimits = { events: 5_000, messages: 5_000, threads: 5_000, choices: 1_000 };

/**
 * Entries of `record` that have not expired at `nowMs`, and at most `max` of them: the newest (by
 * expiry, which is a fixed window after they were noted). Over `max`, it trims to 90% of `max`, so
 * that the sort is paid once per many inserts rather than at each. Returns `record` itself when
 * nothing is dropped.
 */
export function boundRecord<T>(record: Record<string, T>, until: (value: T) => number, nowMs: number, max: number): Record<string, T> {
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

const DAY_MS = 86_400_000;

/**
 * Forgets delivery-index entries past their expiry, and the oldest beyond `limits`, so the document
 * stays within a fixed size however long duban runs. Scheduled runs and their deliveries are kept by
 * age alone: the schedule bounds them (a few per department a week).
 */
export function boundIndexes(state: StoreState, nowMs: number, limits: IndexLimits = INDEX_LIMITS): StoreState {
  const events = boundRecord(state.seen.events, (v) => v, nowMs, limits.events);
  const messages = boundRecord(state.seen.messages, (v) => v.until, nowMs, limits.messages);
  const threads = boundRecord(state.threads, (v) => v.until, nowMs, limits.threads);
  const choices = boundRecord(state.choices, (v) => v.until, nowMs, limits.choices);
  // Deliveries only guard a run's own window; runs are kept a while for /duban schedule.
  const deliveries = boundRecord(state.deliveries, (v) => Date.parse(v.at) + 30 * DAY_MS, nowMs, Number.POSITIVE_INFINITY);
  const runs = boundRecord(state.runs, (v) => Date.parse(v.at) + 120 * DAY_MS, nowMs, Number.POSITIVE_INFINITY);
  if (events === state.seen.events && messages === state.seen.messages && threads === state.threads && choices === state.choices && deliveries === state.deliveries && runs === state.runs) return state;
  return { ...state, seen: { events, messages }, threads, choices, deliveries, runs };
}
