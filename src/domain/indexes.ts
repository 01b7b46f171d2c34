/**
 * How much delivery bookkeeping the store document keeps. Every answer posted in a channel remembers
 * its thread, every logged reply its event id and message, every question its pending choice; each
 * entry expires, but at a steady rate of requests an expiry alone lets an index grow with the rate
 * times the window (90 days of threads at ten answers a second is tens of millions). So each index
 * also holds at most a fixed number of entries, the newest, whatever the rate.
 */
import type { StoreState } from './state.ts';

export type IndexLimits = Record<'events' | 'messages' | 'threads' | 'choices', number>;

/**
 * At most this many entries per index. Event ids are kept for an hour (SEEN_EVENT_MS), and Slack sends an
 * app at most 30,000 events per workspace in an hour (more are dropped and `app_rate_limited` is sent),
 * so 30,000 event ids hold every delivery Slack may still retry (it retries within about five minutes).
 * Messages (for edits and deletions) and threads are kept up to 90 days, and pending questions 7 days,
 * unless more than these arrive first; the oldest go first.
 */
export const INDEX_LIMITS: IndexLimits = { events: 30_000, messages: 50_000, threads: 50_000, choices: 5_000 };

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
  return Object.fromEntries(kept);
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
