/**
 * Many workspaces (Slack's OAuth distribution): two workspaces install duban through /slack/install and
 * the redirect, each becomes a zone with its own data, and nothing crosses between them: each answers
 * from its own store, every Web API call made for a zone carries that zone's bot token, and bot tokens
 * are stored sealed. The same scenarios run on the embedded store (a folder per zone) and on Postgres
 * (a real server, test/support/postgres.ts: every zone in one database, one pool, one change feed).
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Config } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import { chineseCalendarData } from '../../src/scheduler/holidays.ts';
import { type AppZones, type RunningApp, startSlackApp } from '../../src/slack/app.ts';
import { importIntoStore } from '../../src/store/import.ts';
import { loadState, type Store } from '../../src/store/store.ts';
import { embeddedZones, zoneDataFile } from '../../src/zones/embedded.ts';
import { openPostgresZones, type PostgresZones } from '../../src/zones/postgres.ts';
import { createSealer } from '../../src/zones/secrets.ts';
import { SEED_NOW } from '../support/app.ts';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.ts';
import { startTestPostgres, type TestPostgres } from '../support/postgres.ts';
import { SEED_FILE } from '../support/seed-model.ts';
import { SlackClient } from '../support/slack-requests.ts';
import { CHANNEL, freshId } from './helpers.ts';

const SIGNING_SECRET = 'zonessigningsecret0123456789ab';
const KEY = Buffer.alloc(32, 7);
const A = { teamId: 'T0ZONEA01', teamName: '南通开发区', userId: 'U0ADMINA1', botToken: 'xoxb-zone-a-token' };
const B = { teamId: 'T0ZONEB02', teamName: '如东开发区', userId: 'U0ADMINB2', botToken: 'xoxb-zone-b-token' };

let fake: FakeSlack;
let running: RunningApp;
let slack: SlackClient;
let baseUrl: string;
let dir: string;
let zones: AppZones & { close(): Promise<void> };
const logs: string[] = [];
const sealer = createSealer(KEY);
const clock = () => SEED_NOW;

/** Where the zones live: what each store needs set up, and how its stored installations read back. */
type Backend = {
  zones(): Promise<AppZones & { close(): Promise<void> }>;
  storeStatus?: () => { connected: boolean } & Record<string, unknown>;
  database?: Config['database'];
  /** Every stored installation as stored, by zone id. */
  sealed(): Promise<Record<string, string>>;
  /** The zones whose stored data has departments, by id. */
  zonesWithData(): Promise<string[]>;
  /** What /healthz says of the database, if anything. */
  health?: Record<string, unknown>;
  close(): Promise<void>;
};

function embeddedBackend(): Backend {
  return {
    zones: async () =>
      embeddedZones({ dataDir: dir, sealer, timeZone: 'Asia/Shanghai', calendar: chineseCalendarData(), clock }),
    async sealed() {
      const file = JSON.parse(await readFile(join(dir, 'installations.json'), 'utf8'));
      return Object.fromEntries(
        Object.entries(file.installations as Record<string, { sealed: string }>).map(([k, v]) => [k, v.sealed]),
      );
    },
    async zonesWithData() {
      const ids = await readdir(join(dir, 'zones'));
      // Read from disk as a new process would (data file, write-ahead log, journal).
      const withData = await Promise.all(
        ids.map(async (id) =>
          (await loadState(zoneDataFile(dir, id), 'Asia/Shanghai')).state.departments.length > 0 ? id : '',
        ),
      );
      return withData.filter(Boolean).sort();
    },
    close: async () => undefined,
  };
}

let server: TestPostgres | undefined;
let url = '';
/** The database's rows, read by a connection of the test's own. */
async function sql<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

function postgresBackend(): Backend {
  let opened: PostgresZones | undefined;
  const backend: Backend = {
    async zones() {
      server = await startTestPostgres();
      url = await server.database('zones');
      backend.database = { url, zone: 'default', campaignMs: 5_000 };
      opened = await openPostgresZones({
        url,
        sealer,
        timeZone: 'Asia/Shanghai',
        calendar: chineseCalendarData(),
        clock,
        poolSize: 4,
      });
      return opened;
    },
    storeStatus: () => opened!.status(),
    health: { store: 'postgres', connected: true, zones: 2, pool: { max: 4 } },
    async zonesWithData() {
      const rows = await sql<{ zone_id: string }>(
        "SELECT zone_id FROM snapshot_parts WHERE key = 'departments' AND json_array_length(value) > 0 ORDER BY 1",
      );
      return rows.map((r) => r.zone_id);
    },
    async sealed() {
      const rows = await sql<{ zone_id: string; sealed: string }>('SELECT zone_id, sealed FROM installations');
      return Object.fromEntries(rows.map((r) => [r.zone_id, r.sealed]));
    },
    close: async () => {
      await server?.stop();
      server = undefined;
    },
  };
  return backend;
}

/** Installs duban in a workspace the way a person does: /slack/install, Slack's consent page, the redirect. */
async function install(code: string): Promise<{ status: number; body: string }> {
  const start = await fetch(`${baseUrl}/slack/install`, { redirect: 'manual' });
  expect(start.status).toBe(302);
  const location = new URL(start.headers.get('location')!);
  expect(location.pathname).toBe('/oauth/v2/authorize');
  expect(location.searchParams.get('scope')).toContain('chat:write');
  const state = location.searchParams.get('state')!;
  const cookie = start.headers.get('set-cookie')!.split(';')[0]!;
  const back = await fetch(`${baseUrl}/slack/oauth_redirect?code=${code}&state=${encodeURIComponent(state)}`, {
    headers: { cookie },
    redirect: 'manual',
  });
  return { status: back.status, body: await back.text() };
}

/** A second, smaller zone: the sample's 经发局 alone, under another zone name. */
async function smallZoneFile(): Promise<string> {
  const seed = JSON.parse(await readFile(SEED_FILE, 'utf8'));
  const keep = new Set(['edb', 'supervision']);
  const data = {
    ...seed,
    meta: { ...seed.meta, zone: { zh: '如东经济开发区', en: 'Rudong Economic Development Zone' } },
    departments: seed.departments.filter((d: { id: string }) => keep.has(d.id)),
    targets: seed.targets.filter((x: { departmentId: string }) => keep.has(x.departmentId)),
    projects: [],
    commitments: [],
    updates: seed.updates.filter((u: { itemId: string }) =>
      seed.targets.some((x: { id: string; departmentId: string }) => x.id === u.itemId && keep.has(x.departmentId)),
    ),
  };
  const file = join(dir, 'rudong.json');
  await writeFile(file, JSON.stringify(data));
  return file;
}

/** Sends a slash command from a workspace and resolves with the text of its answer and the token it was sent with. */
async function ask(teamId: string, command: string, text: string, channelId = CHANNEL) {
  const id = freshId('zones');
  const http = await slack.command({
    command,
    text,
    userId: 'U0LIAISON1',
    channelId,
    teamId,
    responseUrl: fake.responseUrl(id),
  });
  expect(http.status).toBe(200);
  const answer = await fake.waitFor(
    (r) =>
      (r.kind === 'response' && r.id === id) ||
      (r.kind === 'api' && r.method === 'chat.postMessage' && r.args.channel === channelId && !seen.has(r)),
  );
  seen.add(answer);
  if (answer.kind === 'api') return { raw: JSON.stringify(answer.args), token: answer.token };
  return { raw: answer.kind === 'response' ? answer.raw : '' };
}
const seen = new Set<unknown>();

async function setUp(backend: Backend) {
  dir = await mkdtemp(join(tmpdir(), 'duban-zones-'));
  fake = await startFakeSlack({ oauthCodes: { 'code-a': A, 'code-b': B }, tokens: [A.botToken, B.botToken] });
  const logger = createLogger(
    'debug',
    new Writable({
      write(chunk, _enc, cb) {
        logs.push(String(chunk));
        cb();
      },
    }),
  );
  zones = await backend.zones();
  const config: Config = {
    slack: {
      signingSecret: SIGNING_SECRET,
      apiUrl: fake.url,
      oauth: {
        clientId: '1111.2222',
        clientSecret: 'clientsecret0123456789',
        stateSecret: 'state-secret-0123456789',
        tokenKey: KEY,
      },
    },
    mode: 'http',
    port: 0,
    dataFile: join(dir, 'db.json'),
    ...(backend.database ? { database: backend.database } : {}),
    locale: 'zh-CN',
    timeZone: 'Asia/Shanghai',
    logLevel: 'debug',
    adminUserIds: [],
    scheduler: { enabled: false, overrides: {} },
  };
  running = await startSlackApp(config, {
    zones,
    clock,
    requestClock: Date.now,
    timeZone: 'Asia/Shanghai',
    defaultLocale: 'zh-CN',
    logger,
    ...(backend.storeStatus ? { storeStatus: backend.storeStatus } : {}),
  });
  baseUrl = `http://127.0.0.1:${running.port}`;
  slack = new SlackClient({ baseUrl, secret: SIGNING_SECRET });
}

async function tearDown(backend: Backend) {
  await running?.stop();
  await zones?.close();
  await fake?.close();
  await backend.close();
  await rm(dir, { recursive: true, force: true });
}

describe.each([
  ['the embedded store', embeddedBackend],
  ['Postgres', postgresBackend],
])('two workspaces side by side on %s', (_name, make) => {
  const backend = make();
  beforeAll(() => setUp(backend), 60_000);
  afterAll(() => tearDown(backend));

  it('installs through /slack/install and the OAuth redirect, and stores each bot token sealed', async () => {
    for (const code of ['code-a', 'code-b']) {
      const done = await install(code);
      expect(done.status).toBe(200);
    }
    expect(fake.calls.filter((c) => c.method === 'oauth.v2.access')).toHaveLength(2);
    expect(await zones.installations.zoneIds()).toEqual([A.teamId, B.teamId]);
    // Read back as stored: sealed, not the token, and opening only as its own zone.
    const stored = await backend.sealed();
    expect(Object.keys(stored).sort()).toEqual([A.teamId, B.teamId]);
    for (const { teamId, botToken } of [A, B]) {
      expect(stored[teamId]).toMatch(/^v1\./);
      expect(stored[teamId]).not.toContain(botToken);
      expect(stored[teamId]).not.toContain(botToken.slice(5));
      expect(JSON.parse(sealer.open(stored[teamId]!, teamId)).bot.token).toBe(botToken);
      expect(() => sealer.open(stored[teamId]!, teamId === A.teamId ? B.teamId : A.teamId)).toThrow();
    }
    expect(await zones.installations.botToken(B.teamId)).toBe(B.botToken);
  });

  it('refuses an install whose state was not issued here, and stores nothing', async () => {
    const res = await fetch(`${baseUrl}/slack/oauth_redirect?code=code-a&state=forged`, { redirect: 'manual' });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(await zones.installations.zoneIds()).toEqual([A.teamId, B.teamId]);
  });

  it("answers each workspace from its own zone's data, with its own token only", async () => {
    const a = (await running.zone(A.teamId)).deps.store as Store;
    const b = (await running.zone(B.teamId)).deps.store as Store;
    await importIntoStore(a, SEED_FILE, { now: SEED_NOW, by: 'seed' });
    await importIntoStore(b, await smallZoneFile(), { now: SEED_NOW, by: 'seed' });

    const before = fake.calls.length;
    const [a1, b1] = await Promise.all([
      ask(A.teamId, '/targets', '', 'C0ZONEA001'),
      ask(B.teamId, '/targets', '', 'C0ZONEB002'),
    ]);
    const inA = a1.raw;
    const inB = b1.raw;
    expect(a1.token).toBe(A.botToken);
    expect(b1.token).toBe(B.botToken);
    expect(inA).toContain('南通经济技术开发区');
    expect(inA).toContain('住建局');
    expect(inB).toContain('如东经济开发区');
    expect(inB).not.toContain('住建局');
    expect(inB).not.toContain('南通经济技术开发区');
    const tokens = new Set(fake.calls.slice(before).map((c) => c.token));
    expect([...tokens].every((t) => t === A.botToken || t === B.botToken)).toBe(true);
  });

  it('keeps writes apart: a department named in one zone is unknown in the other', async () => {
    const inB = (await ask(B.teamId, '/targets', '住建局')).raw;
    expect(inB).not.toContain('南通经济技术开发区');
    const a = (await running.zone(A.teamId)).deps.store.model();
    const b = (await running.zone(B.teamId)).deps.store.model();
    expect(a.db.departments.length).toBeGreaterThan(b.db.departments.length);
  });

  it('sends a workspace that never installed duban nothing, and keeps answering the others', async () => {
    const before = fake.calls.length;
    const http = await slack.command({
      command: '/targets',
      text: '',
      userId: 'U0STRANGER',
      channelId: CHANNEL,
      teamId: 'T0NOTHERE9',
      responseUrl: fake.responseUrl(freshId('stranger')),
    });
    expect(http.status).toBeGreaterThanOrEqual(200);
    expect(fake.calls.slice(before).filter((c) => c.method.startsWith('chat.'))).toHaveLength(0);
    expect((await ask(A.teamId, '/targets', '', 'C0ZONEA001')).raw).toContain('南通经济技术开发区');
  });

  it("runs each zone's scheduled bulletin with that zone's token, into that zone's channels", async () => {
    for (const [zone, channel] of [
      [A.teamId, 'C0BULLETA1'],
      [B.teamId, 'C0BULLETB2'],
    ] as const) {
      const runtime = await running.zone(zone);
      await runtime.deps.store.transact((tx) =>
        tx.replace({
          ...tx.state,
          settings: {
            ...tx.state.settings,
            schedule: { ...tx.state.settings.schedule, bulletinChannelId: channel, bulletinApproval: false },
          },
        }),
      );
      fake.setChannel(channel);
    }
    const before = fake.calls.length;
    for (const zone of [A.teamId, B.teamId]) await (await running.zone(zone)).scheduler.runNow('bulletin');
    const posts = fake.calls.slice(before).filter((c) => c.method === 'chat.postMessage');
    const toA = posts.filter((c) => c.args.channel === 'C0BULLETA1');
    const toB = posts.filter((c) => c.args.channel === 'C0BULLETB2');
    expect(toA.length).toBeGreaterThan(0);
    expect(toB.length).toBeGreaterThan(0);
    expect(toA.every((c) => c.token === A.botToken)).toBe(true);
    expect(toB.every((c) => c.token === B.botToken)).toBe(true);
    expect(JSON.stringify(toB.map((c) => c.args))).not.toContain('住建局');
    // Two bulletins with their charts: slow on a loaded machine.
  }, 60_000);

  it("keeps each zone's data under its Slack id and says how the store is on /healthz", async () => {
    expect(await backend.zonesWithData()).toEqual([A.teamId, B.teamId]);
    const health = (await (await fetch(`${baseUrl}/healthz`)).json()) as Record<string, unknown>;
    expect(health.status).toBe('ok');
    expect(health.zones).toBe(2);
    if (backend.health) expect(health.database).toMatchObject(backend.health);
    else expect(health.database).toBeUndefined();
  });

  it('stops answering a workspace that removed duban, keeps its data, and answers it again once reinstalled', async () => {
    const http = await slack.event({ type: 'app_uninstalled' }, { teamId: B.teamId });
    expect(http.status).toBe(200);
    await vi.waitFor(() => expect(running.zones().map((z) => z.id)).toEqual([A.teamId]), { timeout: 5_000 });
    expect(await zones.installations.zoneIds()).toEqual([A.teamId]);
    expect(Object.keys(await backend.sealed())).toEqual([A.teamId]);

    const before = fake.calls.length;
    await slack.command({
      command: '/targets',
      text: '',
      userId: 'U0LIAISON1',
      channelId: 'C0ZONEB002',
      teamId: B.teamId,
      responseUrl: fake.responseUrl(freshId('gone')),
    });
    expect((await ask(A.teamId, '/targets', '', 'C0ZONEA001')).raw).toContain('南通经济技术开发区');
    expect(fake.calls.slice(before).filter((c) => c.token === B.botToken)).toHaveLength(0);
    expect(await backend.zonesWithData()).toEqual([A.teamId, B.teamId]);

    expect((await install('code-b')).status).toBe(200);
    const again = await ask(B.teamId, '/targets', '', 'C0ZONEB002');
    expect(again.token).toBe(B.botToken);
    expect(again.raw).toContain('如东经济开发区');

    // Revoking the bot's token removes duban just the same.
    await slack.event({ type: 'tokens_revoked', tokens: { oauth: [], bot: ['U0BOTB0002'] } }, { teamId: B.teamId });
    await vi.waitFor(() => expect(running.zones().map((z) => z.id)).toEqual([A.teamId]), { timeout: 5_000 });
    expect(await zones.installations.zoneIds()).toEqual([A.teamId]);
  });

  it('keeps a workspace whose user revoked only their own token', async () => {
    expect((await install('code-b')).status).toBe(200);
    expect((await ask(B.teamId, '/targets', '', 'C0ZONEB002')).token).toBe(B.botToken);
    await slack.event({ type: 'tokens_revoked', tokens: { oauth: [B.userId] } }, { teamId: B.teamId });
    // An event handled after it, from the same workspace, is answered: the zone is still installed.
    expect((await ask(B.teamId, '/targets', '', 'C0ZONEB002')).token).toBe(B.botToken);
    expect(await zones.installations.zoneIds()).toEqual([A.teamId, B.teamId]);
  });
});
