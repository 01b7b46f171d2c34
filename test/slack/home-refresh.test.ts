/**
 * The App Home refresher on its own (src/slack/home-refresh.ts), with a recording client and its own
 * wall clock: a burst of writes is one publish per user, only those who opened Home recently are
 * refreshed (a refresh is not an opening), the number remembered is bounded, and a write that appends
 * no event refreshes nobody; chart files beyond the bound are deleted from Slack. test/slack/home-roles.test.ts
 * checks the same through the Slack app.
 */
import type { webApi } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChartSpec } from '../../src/charts/port.ts';
import type { JournalEvent } from '../../src/domain/journal.ts';
import type { WritePort } from '../../src/domain/ports.ts';
import { createReadModel } from '../../src/domain/read-model.ts';
import { Database } from '../../src/domain/schema.ts';
import { createLogger } from '../../src/log.ts';
import {
  createChartFiles,
  createHomePublisher,
  type HomePublisher,
  watchWrites,
} from '../../src/slack/home-refresh.ts';
import { BOT_TOKEN } from '../support/app.ts';
import { startFakeSlack } from '../support/fake-slack.ts';

const model = createReadModel(
  Database.parse({
    version: 1,
    departments: [
      { id: 'a', name: { zh: '甲局' }, memberIds: ['U0MEMBERA1', 'U0MEMBERA2', 'U0MEMBERA3'] },
      { id: 'b', name: { zh: '乙局' }, memberIds: ['U0MEMBERB1'] },
    ],
    targets: [
      {
        id: 't-a',
        departmentId: 'a',
        kind: 'cumulative',
        name: { zh: '甲指标' },
        unit: { zh: '个' },
        target: 10,
        period: { start: '2026-01-01', end: '2026-12-31' },
      },
    ],
  }),
  'Asia/Shanghai',
);

const update = {
  seq: 1,
  type: 'update',
  at: '2026-09-15T02:00:00.000Z',
  by: 'U0MEMBERA1',
  update: { id: 'u1', itemId: 't-a', at: '2026-09-15T02:00:00.000Z', by: 'U0MEMBERA1', value: 3, source: 'command' },
} as unknown as JournalEvent;

const DEBOUNCE_MS = 30;
const settle = () => new Promise((r) => setTimeout(r, DEBOUNCE_MS * 4));

let home: HomePublisher | undefined;
afterEach(() => home?.close());

function setup(options: { maxUsers?: number } = {}) {
  const published: string[] = [];
  const client = {
    views: {
      publish: async (args: { user_id: string }) => {
        published.push(args.user_id);
        return { ok: true };
      },
    },
  } as unknown as webApi.WebClient;
  let now = 1_000_000;
  const store = { model: () => model } as unknown as WritePort;
  home = createHomePublisher(
    client,
    {
      store,
      charts: { render: () => Promise.reject(new Error('no chart in this test')), close: async () => undefined },
      locale: async () => 'zh-CN',
      admins: { isAdmin: async () => false, all: async () => [] },
      readContext: (userId, locale) => ({ model, today: '2026-09-15', locale, ...(userId ? { userId } : {}) }),
      logger: createLogger('silent'),
    },
    { debounceMs: DEBOUNCE_MS, recentMs: 60_000, nowMs: () => now, ...options },
  );
  return { home, published, advance: (ms: number) => (now += ms) };
}

describe('App Home refresh', () => {
  it('publishes once per user for a burst of writes', async () => {
    const { home, published } = setup();
    await home.publish('U0MEMBERA1');
    await home.publish('U0MEMBERA2');
    published.length = 0;
    for (let i = 0; i < 5; i++) home.changed([update]);
    await settle();
    expect(published.sort()).toEqual(['U0MEMBERA1', 'U0MEMBERA2']);
  });

  it('refreshes only the department a write touches, and no one for an empty write', async () => {
    const { home, published } = setup();
    await home.publish('U0MEMBERA1');
    await home.publish('U0MEMBERB1');
    published.length = 0;
    home.changed([update]);
    await settle();
    expect(published).toEqual(['U0MEMBERA1']);
    published.length = 0;
    const transacted = watchWrites(
      {
        model: () => model,
        transact: async (fn) => ({ result: await fn({} as never), model, events: [] }),
        history: async () => [],
        remember: () => undefined,
      },
      (events) => home.changed(events),
    );
    await transacted.transact(() => undefined);
    await settle();
    expect(published).toEqual([]);
  });

  it.each([
    ['opened just now', 0, true],
    ['opened 59 s ago', 59_000, true],
    ['opened 61 s ago (past the 60 s window)', 61_000, false],
  ])('a user who %s is refreshed: %s', async (_, ago, refreshed) => {
    const { home, published, advance } = setup();
    await home.publish('U0MEMBERA1');
    advance(ago);
    published.length = 0;
    home.changed([update]);
    await settle();
    expect(published).toEqual(refreshed ? ['U0MEMBERA1'] : []);
  });

  it('does not count its own refresh as an opening', async () => {
    const { home, published, advance } = setup();
    await home.publish('U0MEMBERA1');
    advance(50_000);
    home.changed([update]);
    await settle();
    advance(20_000);
    published.length = 0;
    home.changed([update]);
    await settle();
    expect(published).toEqual([]);
  });

  it('remembers at most maxUsers, forgetting the oldest', async () => {
    const { home, published } = setup({ maxUsers: 2 });
    for (const u of ['U0MEMBERA1', 'U0MEMBERA2', 'U0MEMBERA3']) await home.publish(u);
    published.length = 0;
    home.changed([update]);
    await settle();
    expect(published.sort()).toEqual(['U0MEMBERA2', 'U0MEMBERA3']);
  });
});

describe('App Home chart files', () => {
  const spec = (title: string) =>
    ({ kind: 'ranking', name: title, title, alt: title, width: 10, height: 10, option: {} }) as unknown as ChartSpec;
  const png = (title: string) => ({
    png: Buffer.from(`png of ${title}`),
    width: 20,
    height: 20,
    title,
    alt: title,
    filename: `${title}.png`,
  });

  it('uploads each content once and deletes the oldest file from Slack beyond the bound', async () => {
    const fake = await startFakeSlack();
    try {
      const client = new WebClient(BOT_TOKEN, { slackApiUrl: `${fake.url}`, retryConfig: { retries: 0 } });
      const failed: string[] = [];
      const files = createChartFiles(
        { render: async (s) => png(s.title), close: async () => undefined },
        client,
        2,
        (_err, id) => failed.push(id),
      );
      const a = await files.ensure(spec('a'));
      expect(await files.ensure(spec('a'))).toBe(a);
      const b = await files.ensure(spec('b'));
      expect(fake.callsTo('files.getUploadURLExternal')).toHaveLength(2);
      expect(fake.callsTo('files.delete')).toHaveLength(0);
      await files.ensure(spec('c'));
      const deleted = await fake.waitFor('files.delete');
      expect(deleted.args.file).toBe(a);
      expect(deleted.ok).toBe(true);
      expect(files.cached(spec('a'))).toBeUndefined();
      expect(files.cached(spec('b'))).toBe(b);
      // Drawn again when asked for again: a new upload, and b (now the oldest) goes.
      expect(await files.ensure(spec('a'))).not.toBe(a);
      expect((await fake.waitForCount('files.delete', 2)).map((c) => c.args.file)).toEqual([a, b]);
      expect(failed).toEqual([]);
    } finally {
      await fake.close();
    }
  });
});
