/**
 * Many workspaces (Slack's OAuth distribution): two workspaces install duban through /slack/install and
 * the redirect, each becomes a zone with its own data, and nothing crosses between them: each answers
 * from its own store, every Web API call made for a zone carries that zone's bot token, and bot tokens
 * are stored sealed.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import { chineseCalendarData } from '../../src/scheduler/holidays.ts';
import { type RunningApp, startSlackApp } from '../../src/slack/app.ts';
import { importIntoStore } from '../../src/store/import.ts';
import type { Store } from '../../src/store/store.ts';
import { embeddedZones } from '../../src/zones/embedded.ts';
import { createSealer } from '../../src/zones/secrets.ts';
import { SEED_NOW } from '../support/app.ts';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.ts';
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
let zones: ReturnType<typeof embeddedZones>;
const logs: string[] = [];

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

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'duban-zones-'));
  fake = await startFakeSlack({ oauthCodes: { 'code-a': A, 'code-b': B }, tokens: [A.botToken, B.botToken] });
  const clock = () => SEED_NOW;
  const logger = createLogger(
    'debug',
    new Writable({
      write(chunk, _enc, cb) {
        logs.push(String(chunk));
        cb();
      },
    }),
  );
  zones = embeddedZones({
    dataDir: dir,
    sealer: createSealer(KEY),
    timeZone: 'Asia/Shanghai',
    calendar: chineseCalendarData(),
    clock,
  });
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
  });
  baseUrl = `http://127.0.0.1:${running.port}`;
  slack = new SlackClient({ baseUrl, secret: SIGNING_SECRET });
});

afterAll(async () => {
  await running?.stop();
  await zones?.close();
  await fake?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('two workspaces side by side', () => {
  it('installs through /slack/install and the OAuth redirect, and stores each bot token sealed', async () => {
    for (const code of ['code-a', 'code-b']) {
      const done = await install(code);
      expect(done.status).toBe(200);
    }
    expect(fake.calls.filter((c) => c.method === 'oauth.v2.access')).toHaveLength(2);
    expect(await zones.installations.zoneIds()).toEqual([A.teamId, B.teamId]);
    const file = await readFile(join(dir, 'installations.json'), 'utf8');
    expect(file).toContain(A.teamId);
    expect(file).not.toContain(A.botToken);
    expect(file).not.toContain(B.botToken);
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
  });
});
