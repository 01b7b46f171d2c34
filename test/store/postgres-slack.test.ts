/**
 * The real Bolt app over signed HTTP on the Postgres store (a real server, test/support/postgres.ts):
 * a progress scenario from test/slack/progress.test.ts, and two instances on two ports sharing one
 * database — what one acknowledges the other sees at once, and a retry delivered to the other is not
 * logged twice.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { JournalEvent } from '../../src/domain/journal.ts';
import { openPostgresStore } from '../../src/store/postgres/store.ts';
import { ask, CHANNEL, postedBy, replyInThread, ZH_USER } from '../slack/helpers.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { allText, type FakeSlack, startFakeSlack } from '../support/fake-slack.ts';
import { startTestPostgres, type TestPostgres } from '../support/postgres.ts';
import { message, retryHeaders } from '../support/slack-requests.ts';

const ADMIN = 'U0ADMIN001';
const TARGET = 't-hurdb-renewal-starts';

let server: TestPostgres;
let fake: FakeSlack;
const apps: TestApp[] = [];

beforeAll(async () => {
  server = await startTestPostgres();
  fake = await startFakeSlack();
  fake.setUser(ZH_USER, { locale: 'zh-CN', name: 'liaison' });
  fake.setUser(ADMIN, { locale: 'zh-CN', name: 'office' });
}, 60_000);
afterAll(async () => {
  await fake?.close();
  await server?.stop();
});
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
});

async function instance(url: string): Promise<TestApp> {
  const app = await startTestApp({
    admins: [ADMIN],
    fake,
    openStore: (clock) => openPostgresStore({ url, timeZone: 'Asia/Shanghai', clock }),
  });
  apps.push(app);
  return app;
}

async function updatesOf(t: TestApp): Promise<Array<Extract<JournalEvent, { type: 'update' }>>> {
  return (await t.store.history({ itemId: TARGET })).filter(
    (e): e is Extract<JournalEvent, { type: 'update' }> => e.type === 'update' && e.by !== 'seed',
  );
}

const valueOn = (t: TestApp) => t.store.model().progress.get(TARGET)?.value;

describe('a thread reply logged on the Postgres store', () => {
  it('logs an increment, reacts ✅, answers with the new total, and has it in the database', async () => {
    const url = await server.database();
    const t = await instance(url);
    await ask(t, '/duban', `member add <@${ZH_USER}|liaison> 住建局`, ADMIN);
    const { ts: thread } = await postedBy(t, '/targets', TARGET);
    const before = valueOn(t)!;
    const reply = await replyInThread(t, thread, '本月新开工3项');
    expect(reply.text).toContain(`已记录：城市更新项目开工数 新增 3 项（累计 ${before + 3}/40）`);
    await fake.waitFor((r) => r.kind === 'api' && r.method === 'reactions.add' && r.args.timestamp === reply.ts);
    // Durable before it was told: a fresh store on the same database has it.
    const other = await openPostgresStore({ url, timeZone: 'Asia/Shanghai' });
    try {
      expect(other.model().progress.get(TARGET)?.value).toBe(before + 3);
      const [last] = (await other.history({ itemId: TARGET })).slice(-1);
      expect(last).toMatchObject({ type: 'update', update: { value: before + 3, note: '本月新开工3项' } });
    } finally {
      await other.close();
    }
    const health = await fetch(`${t.baseUrl}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      status: 'ok',
      database: { store: 'postgres', zone: 'default', connected: true },
    });
  });
});

describe('two instances behind one database', () => {
  it('shows what one acknowledged on the other at once, and logs a retry delivered to the other once', async () => {
    const url = await server.database();
    const a = await instance(url);
    const b = await instance(url);
    await ask(a, '/duban', `member add <@${ZH_USER}|liaison> 住建局`, ADMIN);
    const { ts: thread } = await postedBy(a, '/targets', TARGET);
    const before = valueOn(a)!;

    const event = message({ text: '累计开工34项', userId: ZH_USER, channelId: CHANNEL, threadTs: thread });
    expect((await a.slack.event(event, { eventId: 'Ev0TWO0001' })).status).toBe(200);
    await fake.waitFor((r) => r.kind === 'api' && r.method === 'reactions.add' && r.args.timestamp === event.ts);
    expect(valueOn(a)).toBe(34);
    // B follows A's commit (NOTIFY) without a request of its own.
    await vi.waitFor(() => expect(valueOn(b)).toBe(34), { timeout: 2_000, interval: 10 });
    const onB = await ask(b, '/targets', TARGET, ZH_USER);
    expect(onB.text).toContain('34');

    // Slack retries the event to B, then delivers the same message to B under another event id.
    expect((await b.slack.event(event, { eventId: 'Ev0TWO0001', headers: retryHeaders(1) })).status).toBe(200);
    expect((await b.slack.event(event, { eventId: 'Ev0TWO0002' })).status).toBe(200);
    // A later reply in A's thread, to B: B knows the thread (A's bookkeeping is in the database) and logs it.
    const later = await replyInThread(b, thread, '累计开工35项');
    expect(later.text).toContain('已记录：城市更新项目开工数');
    const updates = await updatesOf(b);
    expect(updates.map((u) => u.update.value)).toEqual([34, 35]);
    expect(before).toBeLessThan(34);
    await vi.waitFor(() => expect(valueOn(a)).toBe(35), { timeout: 2_000, interval: 10 });
    const confirmations = fake.calls.filter(
      (r) => r.kind === 'api' && r.method === 'chat.postMessage' && allText(r.args).includes('累计 34/40'),
    );
    expect(confirmations).toHaveLength(1);
  });
});
