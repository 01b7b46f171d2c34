import { afterEach, describe, expect, it } from 'vitest';
import type { WriteContext } from '../../commands/context.ts';
import { logReport } from '../../commands/reporting/index.ts';
import { localDate } from '../../src/domain/dates.ts';
import {
  boundRecord,
  DELIVERY_LIMITS,
  type DeliveryLimits,
  forgetExpired,
  SEEN_EVENT_MS,
} from '../../src/domain/delivery.ts';
import { emptyState, type StoreState } from '../../src/domain/state.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { seedModel } from '../support/app.ts';

const TZ = 'Asia/Shanghai';
const START = new Date('2026-11-28T10:00:00+08:00').getTime();
/** Slack retries an event immediately, after a minute and after five minutes. */
const RETRY_WINDOW_MS = 5 * 60_000;

describe('bounding one kind of record', () => {
  const until = (v: number) => v;

  it('returns the same record when nothing has expired and it is within its limit (unchanged parts are not re-encoded)', () => {
    const record = { a: 20, b: 30 };
    expect(boundRecord(record, until, 10, 5)).toBe(record);
  });

  it('drops entries at or past their expiry', () => {
    expect(boundRecord({ a: 10, b: 30, c: 11 }, until, 10, 5)).toEqual({ b: 30, c: 11 });
  });

  it('keeps the newest entries when over its limit, trimming to nine tenths of it', () => {
    const record = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`k${i}`, 1000 + i]));
    const bounded = boundRecord(record, until, 0, 100);
    expect(Object.keys(bounded)).toHaveLength(90);
    expect(bounded.k100).toBe(1100);
    expect(bounded.k11).toBe(1011);
    expect(bounded.k10).toBeUndefined();
  });
});

describe('delivery bookkeeping under steady use', () => {
  it('hold at most their limit after thousands of distinct deliveries, and still know every delivery Slack may retry', () => {
    // Scaled down: one delivery a second with limits of 400, where the real limit is 5,000 event ids against
    // Slack's 30,000 events an hour. Either way the limit holds more than the retry window's deliveries.
    const limits: DeliveryLimits = { events: 400, messages: 400, threads: 400, choices: 50 };
    let state: StoreState = emptyState();
    const deliveries = 3_000;
    const most = { events: 0, messages: 0, threads: 0 };
    for (let i = 0; i < deliveries; i++) {
      const now = START + i * 1000;
      const key = `C1:${i}.000100`;
      state = {
        ...state,
        seen: {
          events: { ...state.seen.events, [`Ev${i}`]: now + SEEN_EVENT_MS },
          messages: {
            ...state.seen.messages,
            [key]: { updateId: `live-${i}`, itemId: 't1', until: now + 90 * 86_400_000 },
          },
        },
        threads: { ...state.threads, [key]: { itemIds: ['t1'], until: now + 90 * 86_400_000 } },
      };
      state = forgetExpired(state, now, limits);
      most.events = Math.max(most.events, Object.keys(state.seen.events).length);
      most.messages = Math.max(most.messages, Object.keys(state.seen.messages).length);
      most.threads = Math.max(most.threads, Object.keys(state.threads).length);
    }
    expect(most).toEqual({ events: limits.events, messages: limits.messages, threads: limits.threads });
    const last = deliveries - 1;
    for (let i = last - RETRY_WINDOW_MS / 1000; i <= last; i++)
      expect(state.seen.events[`Ev${i}`], `delivery ${i}`).toBeDefined();
    expect(state.seen.messages[`C1:${last}.000100`]).toBeDefined();
    expect(state.threads[`C1:${last}.000100`]).toBeDefined();
  });

  it('have limits that keep every delivery Slack may still retry at the most it ever sends (30,000 events an hour)', () => {
    const mostInRetryWindow = 30_000 * (RETRY_WINDOW_MS / 3_600_000);
    expect(Math.floor(DELIVERY_LIMITS.events * 0.9)).toBeGreaterThan(mostInRetryWindow);
    expect(SEEN_EVENT_MS).toBeGreaterThan(RETRY_WINDOW_MS);
  });
});

describe('logging thread replies for hours', () => {
  const stores: Store[] = [];
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
  });

  it('logs each of 600 distinct replies once, keeps an hour of event ids, and still refuses a retried delivery', async () => {
    let now = START;
    const store = await openStore('(test)', {
      timeZone: TZ,
      memory: { initial: (await seedModel()).db as StoreState },
      clock: () => new Date(now),
    });
    stores.push(store);
    const ctx = (): WriteContext => ({
      model: store.model(),
      today: localDate(new Date(now), TZ),
      locale: 'zh-CN',
      userId: 'U0ADMIN01',
      now: new Date(now),
      isAdmin: true,
      store,
    });
    const reply = (i: number) => ({
      itemId: 't-hurdb-renewal-starts',
      fields: { value: i },
      evidence: [],
      source: 'slack' as const,
      message: { channel: 'C0HURDB', ts: `${1_764_295_200 + i}.000100` },
      eventId: `Ev${String(i).padStart(6, '0')}`,
    });
    const replies = 600;
    const everyMs = 10_000;
    const before = store.model().db.journal.lastSeq;
    for (let i = 0; i < replies; i++) {
      now = START + i * everyMs;
      expect((await logReport(reply(i), ctx())).kind).toBe('logged');
    }
    const db = store.model().db;
    expect(db.journal.lastSeq - before).toBe(replies);
    // Only the last hour's event ids are left: 360 at one reply every 10 s, not 600.
    expect(Object.keys(db.seen.events).length).toBeLessThanOrEqual(SEEN_EVENT_MS / everyMs);
    expect(Object.keys(db.seen.events).length).toBeGreaterThan(SEEN_EVENT_MS / everyMs - 5);
    expect(Object.keys(db.seen.messages)).toHaveLength(replies);

    // Slack's retry of a reply from four minutes ago, and one of the first reply, long after its event id expired:
    // the message itself is still known, so neither is logged again.
    now += 60_000;
    expect((await logReport(reply(replies - 18), ctx())).kind).toBe('duplicate');
    expect(db.seen.events[reply(0).eventId]).toBeUndefined();
    expect((await logReport(reply(0), ctx())).kind).toBe('duplicate');
    expect(store.model().db.journal.lastSeq - before).toBe(replies);
  });
});
