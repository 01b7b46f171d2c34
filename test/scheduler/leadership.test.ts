/**
 * Several instances on one Postgres database (a real server, test/support/postgres.ts): exactly one leads
 * the schedule; when its session ends another takes over within the campaign interval; a leader killed
 * with SIGKILL in the middle of a reminder run (a child process, test/support/leader-child.ts) is replaced
 * and the run finished with every department's reminder in Slack exactly once — found by the key each
 * message carries, or sent. /healthz of two apps shows one leader and one follower.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLeadership, type Leadership, singleInstance } from '../../src/scheduler/leadership.ts';
import { openPostgresStore } from '../../src/store/postgres/store.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { baselineRun, failoverOnce, REMINDER_KEY } from '../support/failover.ts';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.ts';
import { startTestPostgres, type TestPostgres } from '../support/postgres.ts';
import { MONDAY_9 } from '../support/scheduler-instance.ts';

const CAMPAIGN_MS = 200;
let server: TestPostgres;
/** The reminder keys an uninterrupted run posts (one message each), with the slot's date. */
let expected: string[];

beforeAll(async () => {
  server = await startTestPostgres();
  expected = [...(await baselineRun(await server.database('baseline'))).keys()].sort();
}, 90_000);
afterAll(async () => {
  await server?.stop();
});

async function terminate(url: string, instance: string): Promise<number> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    const { rowCount } = await admin.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
      [`duban scheduler ${instance}`],
    );
    return rowCount ?? 0;
  } finally {
    await admin.end();
  }
}

describe('leadership by a session advisory lock', () => {
  it('lets exactly one of two instances lead, and hands over within the campaign interval when its session ends', async () => {
    const url = await server.database('leaders');
    const clock = () => new Date('2026-11-30T09:00:00+08:00');
    const a = createLeadership({ url, campaignMs: CAMPAIGN_MS, instance: 'a', clock });
    const b = createLeadership({ url, campaignMs: CAMPAIGN_MS, instance: 'b', clock });
    const all: Leadership[] = [a, b];
    try {
      await a.start();
      await b.start();
      expect([a.status().role, b.status().role]).toEqual(['leader', 'follower']);
      expect(await a.mayRun()).toBe(true);
      expect(await b.mayRun()).toBe(false);
      // Campaigns go on: still one leader after several rounds.
      await new Promise((r) => setTimeout(r, CAMPAIGN_MS * 3));
      expect([a.isLeader(), b.isLeader()]).toEqual([true, false]);
      expect(b.status()).toMatchObject({ role: 'follower', instance: 'b', lastCampaignAt: clock().toISOString() });

      // The leader's session ends (as when its process dies): Postgres frees the lock, b takes it.
      expect(await terminate(url, 'a')).toBe(1);
      const ended = performance.now();
      await vi.waitFor(() => expect(b.isLeader()).toBe(true), { timeout: 5_000, interval: 5 });
      const took = performance.now() - ended;
      expect(took).toBeLessThan(CAMPAIGN_MS + 1_000);
      // a stepped down at once and, reconnected, follows.
      expect(a.isLeader()).toBe(false);
      expect(await a.mayRun()).toBe(false);
      await new Promise((r) => setTimeout(r, CAMPAIGN_MS * 3));
      expect([a.isLeader(), b.isLeader()]).toEqual([false, true]);

      // A leader that stops frees the lock at once.
      await b.stop();
      await vi.waitFor(() => expect(a.isLeader()).toBe(true), { timeout: 5_000, interval: 5 });
    } finally {
      for (const l of all) await l.stop();
    }
  });

  it('says a store only one process can open is a single instance', async () => {
    const gate = singleInstance({ instance: 'host:1', clock: () => MONDAY_9 });
    expect(await gate.mayRun()).toBe(true);
    expect(gate.status()).toEqual({ role: 'single', instance: 'host:1', since: MONDAY_9.toISOString() });
  });
});

describe('a leader killed in the middle of a reminder run', () => {
  it.each([
    { afterPosts: 1, drop: false, why: 'posts Slack took but never answered' },
    { afterPosts: 2, drop: true, why: 'posts that never reached Slack' },
  ])(
    'is replaced, and the run finished with each reminder exactly once ($why)',
    async ({ afterPosts, drop }) => {
      expect(expected.length).toBeGreaterThan(afterPosts + 1);
      const url = await server.database('failover');
      const r = await failoverOnce({ url, afterPosts, drop, campaignMs: CAMPAIGN_MS, settleMs: 100 });
      // The kill fell in the middle: some went before (and, unless dropped, some unanswered), not all.
      expect(r.postedBeforeKill).toBeGreaterThanOrEqual(drop ? afterPosts : afterPosts + 1);
      expect(r.postedBeforeKill).toBeLessThan(expected.length);
      // The deliveries left "sending" were looked for in Slack by their key.
      expect(r.lookups).toBeGreaterThan(0);
      // Within the bound: the campaign interval plus the database noticing the closed socket.
      expect(r.takeoverMs, r.childErr).toBeLessThan(CAMPAIGN_MS + 2_000);
      // Every reminder of the uninterrupted run, once each: none missed, none twice.
      expect([...r.messagesPerKey.keys()].sort()).toEqual(expected);
      expect([...r.messagesPerKey.values()].every((n) => n === 1)).toBe(true);
      expect(r.run).toMatchObject({ status: 'done', attempts: 1 });
      for (const [key] of r.messagesPerKey) {
        const department = REMINDER_KEY.exec(key)![1]!;
        expect(r.reminderEvents.get(department), key).toBe(1);
        expect(r.run!.outcome[department]).toMatch(/^(sent|already sent)$/);
      }
    },
    90_000,
  );
});

describe('/healthz of two instances on one database', () => {
  let fake: FakeSlack;
  const apps: TestApp[] = [];
  const leaders: Leadership[] = [];
  beforeAll(async () => {
    fake = await startFakeSlack();
  });
  afterAll(async () => {
    for (const a of apps) await a.close();
    for (const l of leaders) await l.stop();
    await fake?.close();
  });

  it('shows one leader and one follower, and only the leader sends the due reminders', async () => {
    const url = await server.database('healthz');
    const instance = async (name: string) => {
      const gate = createLeadership({ url, campaignMs: CAMPAIGN_MS, instance: name, clock: () => MONDAY_9 });
      leaders.push(gate);
      await gate.start();
      const app = await startTestApp({
        fake,
        now: MONDAY_9,
        gate,
        openStore: (clock) => openPostgresStore({ url, timeZone: 'Asia/Shanghai', clock }),
      });
      apps.push(app);
      return app;
    };
    const a = await instance('a');
    const b = await instance('b');
    const departments = a.store.model().db.departments.map((d) => d.id);
    await a.store.transact((tx) => {
      departments.forEach((departmentId, i) =>
        tx.append({ type: 'channel', at: MONDAY_9.toISOString(), by: 'seed', departmentId, after: `C0HZ${i}` }),
      );
    });
    const health = async (t: TestApp) => {
      const res = await fetch(`${t.baseUrl}/healthz`);
      expect(res.status).toBe(200);
      return ((await res.json()) as { leadership: unknown }).leadership;
    };
    expect(await health(a)).toEqual({
      role: 'leader',
      instance: 'a',
      since: MONDAY_9.toISOString(),
      lastCampaignAt: MONDAY_9.toISOString(),
    });
    expect(await health(b)).toMatchObject({ role: 'follower', instance: 'b' });

    // Both tick at the Monday run: the follower skips quietly, the leader runs it.
    await b.scheduler.tick();
    expect(Object.keys(b.store.model().db.runs)).toEqual([]);
    await a.scheduler.tick();
    const runs = a.store.model().db.runs;
    const reminders = Object.entries(runs).filter(([slot]) => slot.startsWith('reminders@'));
    expect(reminders.map(([, r]) => r.status)).toEqual(['done']);
    // The follower sees the run done (the change feed) and, ticking again, sends nothing.
    await vi.waitFor(() => expect(Object.keys(b.store.model().db.runs)).toEqual(Object.keys(runs)), {
      timeout: 2_000,
      interval: 10,
    });
    await b.scheduler.tick();
    const keys = fake
      .callsTo('chat.postMessage')
      .map((c) => (c.args.metadata as { event_payload?: { key?: string } } | undefined)?.event_payload?.key)
      .filter((k) => k?.startsWith('reminder:'));
    expect(keys.length).toBeGreaterThan(1);
    expect(keys.length).toBe(new Set(keys).size);
  });
});
