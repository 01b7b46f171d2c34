/**
 * Many zones on a real Postgres (test/support/postgres.ts): one pool and one change feed per process
 * for every zone, each zone's store opened once, commit notifications handed to their own zone only,
 * catch-up for every zone after the feed is cut, and the installations table.
 */
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { chineseCalendarData } from '../../src/scheduler/holidays.ts';
import { importIntoStore } from '../../src/store/import.ts';
import { openPostgresZones, type PostgresZones } from '../../src/zones/postgres.ts';
import { createSealer } from '../../src/zones/secrets.ts';
import { startTestPostgres, type TestPostgres } from '../support/postgres.ts';

const SEED = join(import.meta.dirname, '..', '..', 'data', 'seed', 'nantong-2026.json');
const NOW = new Date('2026-11-28T10:00:00+08:00');
const sealer = createSealer(Buffer.alloc(32, 3));

let server: TestPostgres;
/** The clock of installations (moved on by the reinstall test). */
let later = NOW;
const opened: PostgresZones[] = [];

beforeAll(async () => {
  server = await startTestPostgres();
}, 60_000);
afterAll(async () => server?.stop());
afterEach(async () => {
  for (const z of opened.splice(0).reverse()) await z.close();
});

async function zonesOn(url: string, poolSize = 4): Promise<PostgresZones> {
  const z = await openPostgresZones({
    url,
    sealer,
    timeZone: 'Asia/Shanghai',
    calendar: chineseCalendarData(),
    clock: () => later,
    poolSize,
  });
  opened.push(z);
  return z;
}

async function sql<T extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** duban's connections to the database now (the pool's and the change feed's), not the test's own. */
const dubanConnections = async (url: string): Promise<Record<string, number>> => {
  const rows = await sql<{ app: string; n: string }>(
    url,
    `SELECT application_name AS app, count(*) AS n FROM pg_stat_activity
     WHERE datname = current_database() AND pid <> pg_backend_pid() GROUP BY 1`,
  );
  return Object.fromEntries(rows.map((r) => [r.app, Number(r.n)]));
};

const ids = Array.from({ length: 20 }, (_, i) => `T0ZONE${String(i).padStart(3, '0')}`);

describe('many zones in one process', () => {
  it('serves 20 zones writing at once on one pool and one change feed: at most pool size + 1 connections', async () => {
    const url = await server.database('zones');
    const zones = await zonesOn(url, 5);
    const stores = await Promise.all(ids.map(async (id) => (await zones.open(id)).store));
    let peak = 0;
    const writing = Promise.all(
      stores.map(async (s) => {
        for (let i = 0; i < 3; i++) await s.transact((tx) => tx.bookkeep(() => ({})));
      }),
    );
    const sampling = (async () => {
      let done = false;
      void writing.finally(() => (done = true));
      while (!done) {
        const now = await dubanConnections(url);
        peak = Math.max(peak, (now.duban ?? 0) + (now['duban-feed'] ?? 0));
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    await Promise.all([writing, sampling]);
    const after = await dubanConnections(url);
    expect(after['duban-feed']).toBe(1);
    expect(after.duban).toBeLessThanOrEqual(5);
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThanOrEqual(5 + 1);
    expect(zones.status()).toMatchObject({ store: 'postgres', connected: true, zones: 20, pool: { max: 5 } });
    const revisions = await sql<{ zone_id: string; revision: string }>(
      url,
      'SELECT zone_id, revision FROM snapshots ORDER BY 1',
    );
    expect(revisions.map((r) => [r.zone_id, Number(r.revision)])).toEqual(ids.map((id) => [id, 3]));
  });

  it('opens a zone once when two requests ask for it together, and refuses an id that is not a Slack id', async () => {
    const url = await server.database('zones');
    const zones = await zonesOn(url);
    const [a, b] = await Promise.all([zones.open('T0ONCE01'), zones.open('T0ONCE01')]);
    expect(a.store).toBe(b.store);
    expect(zones.status().zones).toBe(1);
    await expect(zones.open('default')).rejects.toThrow('not a zone id');
    await expect(zones.open("T0'; DROP TABLE events; --")).rejects.toThrow('not a zone id');
  });

  it("hands each commit to its own zone's store in another process, and to no other zone", async () => {
    const url = await server.database('zones');
    const one = await zonesOn(url);
    const two = await zonesOn(url);
    const [aTwo, bTwo] = await Promise.all([two.open('T0AAAA01'), two.open('T0BBBB02')]);
    const aOne = (await one.open('T0AAAA01')).store;
    await importIntoStore(aOne as never, SEED, { now: NOW, by: 'seed' });
    await vi.waitFor(() => expect(aTwo.store.model().db.departments.length).toBeGreaterThan(0), { timeout: 5_000 });
    expect(aTwo.store.model().db.departments).toEqual(aOne.model().db.departments);
    expect(bTwo.store.model().db.departments).toEqual([]);
    expect(await bTwo.store.history()).toEqual([]);
  });

  it('catches every zone up after the one change feed is cut, and says it is down meanwhile', async () => {
    const url = await server.database('zones');
    const one = await zonesOn(url);
    const two = await zonesOn(url);
    const watched = await Promise.all(ids.slice(0, 3).map(async (id) => (await two.open(id)).store));
    const writers = await Promise.all(ids.slice(0, 3).map(async (id) => (await one.open(id)).store));
    const cut = await sql(
      url,
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'duban-feed'",
    );
    expect(cut).toHaveLength(2);
    await vi.waitFor(() => expect(two.status().connected).toBe(false));
    await Promise.all(writers.map((s) => importIntoStore(s as never, SEED, { now: NOW, by: 'seed' })));
    await vi.waitFor(
      () => {
        expect(two.status().connected).toBe(true);
        for (const s of watched) expect(s.model().db.departments.length).toBeGreaterThan(0);
      },
      { timeout: 5_000, interval: 50 },
    );
    expect((await dubanConnections(url))['duban-feed']).toBe(2);
  });

  it('closes every zone before the shared pool, leaving no connection behind', async () => {
    const url = await server.database('zones');
    const zones = await openPostgresZones({
      url,
      sealer,
      timeZone: 'Asia/Shanghai',
      calendar: chineseCalendarData(),
      clock: () => NOW,
    });
    const stores = await Promise.all(ids.slice(0, 4).map(async (id) => (await zones.open(id)).store));
    // Bookkeeping remembered but not yet written: each store writes it as it closes, on the shared pool.
    for (const s of stores) s.remember(() => ({}));
    await zones.close();
    await expect(stores[0]!.transact(() => undefined)).rejects.toThrow('closed');
    await expect(zones.open(ids[0]!)).rejects.toThrow('closed');
    expect(await dubanConnections(url)).toEqual({});
    const revisions = await sql<{ revision: string }>(url, 'SELECT revision FROM snapshots');
    expect(revisions.map((r) => Number(r.revision))).toEqual([1, 1, 1, 1]);
  });
});

describe('the installations table', () => {
  it('keeps one sealed row per zone, updated on reinstall, deleted on uninstall while the zone stays', async () => {
    const url = await server.database('zones');
    const zones = await zonesOn(url);
    const install = (token: string) =>
      zones.installations.storeInstallation({
        team: { id: 'T0INST001', name: '南通开发区' },
        enterprise: undefined,
        user: { id: 'U0ADMIN01', token: undefined, scopes: undefined },
        bot: { id: 'B0BOT', userId: 'U0BOT', token, scopes: ['chat:write'] },
        tokenType: 'bot',
        isEnterpriseInstall: false,
        appId: 'A0APP',
      });
    await install('xoxb-first-token');
    const [first] = await sql<{ sealed: string; installed_at: Date; updated_at: Date }>(
      url,
      'SELECT sealed, installed_at, updated_at FROM installations',
    );
    expect(first!.sealed).not.toContain('xoxb-first-token');
    expect(first!.updated_at).toEqual(NOW);
    later = new Date(NOW.getTime() + 86_400_000);
    await install('xoxb-second-token');
    const rows = await sql<{ sealed: string; installed_at: Date; updated_at: Date }>(
      url,
      'SELECT sealed, installed_at, updated_at FROM installations',
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.sealed).not.toBe(first!.sealed);
    expect(rows[0]!.installed_at).toEqual(NOW);
    expect(rows[0]!.updated_at).toEqual(later);
    expect(await zones.installations.botToken('T0INST001')).toBe('xoxb-second-token');
    expect(await zones.installations.installer('T0INST001')).toBe('U0ADMIN01');

    await zones.open('T0INST001');
    await zones.installations.deleteInstallation!({
      teamId: 'T0INST001',
      enterpriseId: undefined,
      isEnterpriseInstall: false,
    });
    expect(await zones.installations.zoneIds()).toEqual([]);
    await expect(zones.installations.botToken('T0INST001')).rejects.toThrow('no installation');
    expect(await sql(url, "SELECT id FROM zones WHERE id = 'T0INST001'")).toHaveLength(1);
  });
});
