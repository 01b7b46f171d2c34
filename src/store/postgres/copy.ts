/**
 * `duban migrate`: copies a lowdb store (hot document and journal) into a Postgres zone, or a zone back
 * into a lowdb data file. Nothing is lost either way: the state, every event with its number, and the
 * delivery bookkeeping. A target that already holds data is refused unless `force`; a replaced data
 * file is kept beside it as a backup.
 */
import { rename, stat } from 'node:fs/promises';
import pg from 'pg';
import { localDate } from '../../domain/dates.ts';
import type { JournalEvent } from '../../domain/journal.ts';
import { emptyState, type JournalChunk, StoreState, withSafeRecords } from '../../domain/state.ts';
import { DataFileError, formatIssues } from '../errors.ts';
import { chunkNameFor, JournalFiles } from '../journal-files.ts';
import { journalDirOf, openStore } from '../store.ts';
import { walDirOf } from '../wal.ts';
import { migrate } from './migrations.ts';
import { COMMIT_CHANNEL, deliveryKeysOf, describeUrl, insertEvents, ZONE_LOCK_SQL } from './store.ts';

/** The target of a copy already holds data, and --force was not given. */
export class TargetNotEmptyError extends Error {
  constructor(
    readonly target: string,
    detail: string,
  ) {
    super(`${target} already holds data (${detail}). Nothing was copied; add --force to replace it.`);
    this.name = 'TargetNotEmptyError';
  }
}

export type CopyResult = { events: number; items: number; from: string; to: string };

const BATCH = 2_000;

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (e) {
    throw new DataFileError(
      describeUrl(url),
      [`cannot connect: ${(e as Error).message}`],
      'Check the URL and that the server runs.',
    );
  }
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return false;
      throw e;
    },
  );
}

function itemsOf(state: StoreState): number {
  return state.targets.length + state.projects.length + state.commitments.length;
}

/** lowdb → Postgres: the data file's document and journal become the zone's snapshot and events. */
export async function copyToPostgres(options: {
  dataFile: string;
  url: string;
  zoneId?: string;
  timeZone: string;
  force?: boolean;
}): Promise<CopyResult> {
  const zone = options.zoneId ?? 'default';
  const to = `${describeUrl(options.url)} (zone ${zone})`;
  if (!(await exists(options.dataFile)))
    throw new DataFileError(options.dataFile, ['does not exist'], 'Name the data file to copy with --data FILE.');
  // The lock: no `duban start` may write the file while it is copied.
  const source = await openStore(options.dataFile, { timeZone: options.timeZone, clock: () => new Date(0) });
  let state: StoreState;
  let events: JournalEvent[];
  try {
    state = source.model().db as StoreState;
    events = await source.history();
  } finally {
    await source.close();
  }
  await withClient(options.url, async (client) => {
    await migrate(client);
    await client.query('BEGIN');
    try {
      await client.query('INSERT INTO zones (id) VALUES ($1) ON CONFLICT (id) DO NOTHING', [zone]);
      await client.query('INSERT INTO snapshots (zone_id) VALUES ($1) ON CONFLICT (zone_id) DO NOTHING', [zone]);
      await client.query(ZONE_LOCK_SQL, [zone]);
      const head = await client.query<{ revision: string; events: string }>(
        'SELECT s.revision, (SELECT count(*) FROM events e WHERE e.zone_id = $1) AS events FROM snapshots s WHERE s.zone_id = $1',
        [zone],
      );
      const revision = Number(head.rows[0]?.revision ?? 0);
      const held = Number(head.rows[0]?.events ?? 0);
      if ((revision > 0 || held > 0) && !options.force)
        throw new TargetNotEmptyError(to, `${held} events, snapshot revision ${revision}`);
      // Only this transaction may remove this zone's events (see the append-only trigger).
      await client.query("SELECT set_config('duban.replace_zone', $1, true)", [zone]);
      for (const table of ['events', 'deliveries', 'snapshot_parts'])
        await client.query(`DELETE FROM ${table} WHERE zone_id = $1`, [zone]);
      for (let i = 0; i < events.length; i += BATCH) await insertEvents(client, zone, events.slice(i, i + BATCH));
      const keys = events.flatMap((e) => deliveryKeysOf(e).map((key) => ({ key, seq: e.seq })));
      if (keys.length > 0)
        await client.query(
          'INSERT INTO deliveries (zone_id, key, seq) SELECT $1, k, s FROM unnest($2::text[], $3::bigint[]) AS u(k, s) ON CONFLICT DO NOTHING',
          [zone, keys.map((k) => k.key), keys.map((k) => k.seq)],
        );
      const doc: Record<string, unknown> = { ...state, journal: { lastSeq: state.journal.lastSeq, chunks: [] } };
      const parts = Object.entries(doc).filter(([, v]) => v !== undefined);
      const next = revision + 1;
      await client.query(
        'INSERT INTO snapshot_parts (zone_id, key, revision, value) SELECT $1, k, $2, v::json FROM unnest($3::text[], $4::text[]) AS u(k, v)',
        [zone, next, parts.map(([k]) => k), parts.map(([, v]) => JSON.stringify(v))],
      );
      await client.query('UPDATE snapshots SET seq = $2, revision = $3, updated_at = now() WHERE zone_id = $1', [
        zone,
        state.journal.lastSeq,
        next,
      ]);
      await client.query('SELECT pg_notify($1, $2)', [
        COMMIT_CHANNEL,
        JSON.stringify({ zone, revision: next, seq: state.journal.lastSeq }),
      ]);
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    }
  });
  return { events: events.length, items: itemsOf(state), from: options.dataFile, to };
}

/** Postgres → lowdb: the zone's snapshot and events become a data file and its journal. */
export async function copyFromPostgres(options: {
  url: string;
  dataFile: string;
  zoneId?: string;
  timeZone: string;
  force?: boolean;
  /** For the backup's name when a file is replaced (default: the clock). */
  now?: Date;
}): Promise<CopyResult & { backup?: string }> {
  const zone = options.zoneId ?? 'default';
  const from = `${describeUrl(options.url)} (zone ${zone})`;
  const file = options.dataFile;
  const journalDir = journalDirOf(file);
  const { state, events } = await withClient(options.url, async (client) => {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    try {
      const known = await client.query('SELECT 1 FROM snapshots WHERE zone_id = $1', [zone]).catch(() => ({
        rowCount: 0,
      }));
      if (!known.rowCount)
        throw new DataFileError(
          from,
          ['no such zone in this database'],
          'Name the zone with --zone, or check the URL.',
        );
      const parts = await client.query<{ key: string; text: string }>(
        'SELECT key, value::text AS text FROM snapshot_parts WHERE zone_id = $1',
        [zone],
      );
      // Parts never written since the zone was created are the empty document's, as the store reads them.
      const raw: Record<string, unknown> = { ...emptyState() };
      for (const p of parts.rows) {
        const v = JSON.parse(p.text) as unknown;
        if (v === null) delete raw[p.key];
        else raw[p.key] = v;
      }
      const rows = await client.query<{ body: JournalEvent }>(
        'SELECT body FROM events WHERE zone_id = $1 ORDER BY seq',
        [zone],
      );
      await client.query('COMMIT');
      const check = StoreState.safeParse(raw);
      if (!check.success) throw new DataFileError(from, formatIssues(raw, check.error.issues), 'Nothing was written.');
      return { state: withSafeRecords(check.data), events: rows.rows.map((r) => r.body) };
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    }
  });

  let backup: string | undefined;
  const walDir = walDirOf(file);
  const present = (await exists(file)) || (await exists(journalDir)) || (await exists(walDir));
  if (present) {
    if (!options.force) throw new TargetNotEmptyError(file, `the data file or its journal ${journalDir} exists`);
    backup = `${file}.replaced-${(options.now ?? new Date()).toISOString().replace(/[:.]/g, '-')}`;
    if (await exists(file)) await rename(file, `${backup}.json`);
    if (await exists(journalDir)) await rename(journalDir, `${backup}.journal`);
    // The write-ahead log may hold what the document has not taken in yet: it goes with the backup.
    if (await exists(walDir)) await rename(walDir, `${backup}.wal`);
  }

  // The document first (the store replays journal lines past its watermark at start, which needs the items),
  // with the epoch clock: nothing of the bookkeeping expires on the way.
  const target = await openStore(file, { timeZone: options.timeZone, clock: () => new Date(0) });
  try {
    await target.transact((tx) => tx.replace({ ...state, journal: { lastSeq: state.journal.lastSeq, chunks: [] } }));
  } finally {
    await target.close();
  }
  // Then the journal, in the lowdb store's monthly chunks, under the document's watermark.
  const journal = new JournalFiles(journalDir);
  const chunks: JournalChunk[] = [];
  let batch: { name: string; events: JournalEvent[] } | undefined;
  for (const e of events) {
    const name = chunkNameFor(localDate(new Date(e.at), options.timeZone).slice(0, 7), chunks);
    const at = chunks.findIndex((c) => c.name === name);
    if (at < 0) chunks.push({ name, firstSeq: e.seq, lastSeq: e.seq, count: 1 });
    else chunks[at] = { ...chunks[at]!, lastSeq: e.seq, count: chunks[at]!.count + 1 };
    if (batch && batch.name !== name) {
      await journal.append(batch.name, batch.events);
      batch = undefined;
    }
    batch ??= { name, events: [] };
    batch.events.push(e);
  }
  if (batch) await journal.append(batch.name, batch.events);
  // Opening again lists the journal's chunks in the document (the store's own start-up repair).
  await (await openStore(file, { timeZone: options.timeZone, clock: () => new Date(0) })).close();
  return { events: events.length, items: itemsOf(state), from, to: file, ...(backup ? { backup } : {}) };
}
