/**
 * The store on Postgres, behind the same port as the lowdb store (src/domain/ports.ts), with the same
 * pure core: events applied with applyEvent, the read model built with readModelFromState.
 *
 * The journal is the append-only `events` table; the hot document is a snapshot kept in top-level
 * parts (`snapshot_parts`), each rewritten only when the transaction changed it. A transaction takes
 * the zone's advisory lock, so writers to one zone are serialised across instances; catches up with
 * what other instances committed (the parts newer than its own revision); runs; writes its events,
 * the changed parts and its delivery keys in the same database transaction; notifies the other
 * instances (LISTEN/NOTIFY), which read the changed parts; and only then updates its read model and
 * tells the caller.
 */
import pg from 'pg';
import { applyEvent } from '../../domain/apply.ts';
import type { CalendarData } from '../../domain/calendar.ts';
import { forgetExpired, messageKey } from '../../domain/delivery.ts';
import { itemOfEvent, JournalEvent, type JournalEventInput } from '../../domain/journal.ts';
import type { BookkeepingKey, TxPort, WritePort } from '../../domain/ports.ts';
import { type ReadModel, readModelFromState } from '../../domain/read-model.ts';
import { assignNumbers, emptyState, StoreState, safeBookkeeping, withSafeRecords } from '../../domain/state.ts';
import { DataFileError, formatIssues } from '../errors.ts';
import { migrate } from './migrations.ts';

/** How soon bookkeeping noted with remember() is written: sooner than the lowdb store (1 s), since a reply in a thread another instance posted may reach this one. */
export const FLUSH_MS = 100;
/** The channel every instance listens on; the payload is `{ zone, revision, seq }`. */
export const COMMIT_CHANNEL = 'duban_commits';
const RECONNECT_MS = 1_000;

export type PostgresStoreOptions = {
  url: string;
  /** The zone this store reads and writes; single-workspace mode uses `default`. */
  zoneId?: string;
  zoneName?: string;
  timeZone: string;
  calendar?: CalendarData;
  /** The clock that expires delivery bookkeeping (default: the system clock). */
  clock?: () => Date;
  /** Start-up notices, a lost connection and its return, for the log. */
  onNotice?: (message: string, details: Record<string, unknown>) => void;
  /** Connections in the pool (default 4); ignored with `shared`. */
  poolSize?: number;
  /**
   * Many zones in one process (src/zones/postgres.ts): the process's one pool and one change feed,
   * opened with openSharedPostgres (schema migrated there). Without it, the store opens its own pool
   * and its own LISTEN connection, and closes them on close.
   */
  shared?: SharedPostgres;
};

/** One pool and one change feed for every zone a process serves; the schema version they were opened at. */
export type SharedPostgres = { pool: pg.Pool; feed: CommitFeed; schema: number };

export type PostgresStatus = {
  store: 'postgres';
  zone: string;
  /** The change feed (LISTEN) is connected: this instance sees other instances' commits at once. */
  connected: boolean;
  revision: number;
  seq: number;
  schema: number;
  error?: string;
};

export type PostgresStore = WritePort & {
  /** Where the data is, for logs: the database without its password, and the zone. */
  readonly file: string;
  transact<T>(fn: (tx: TxPort) => T | Promise<T>): Promise<{ result: T; model: ReadModel; events: JournalEvent[] }>;
  /** Reads what other instances committed now, without waiting for their notification. */
  refresh(): Promise<void>;
  status(): PostgresStatus;
  /** Nothing to do: every transaction commits its snapshot parts with its events (the embedded store's checkpoint). */
  checkpoint(): Promise<void>;
  close(): Promise<void>;
};

/** A Slack delivery already logged (by this or another instance): the transaction was refused. */
export class DuplicateDeliveryError extends Error {
  constructor(readonly keys: string[]) {
    super(`already logged: ${keys.join(', ')}`);
    this.name = 'DuplicateDeliveryError';
  }
}

type Change = (state: StoreState) => Partial<Pick<StoreState, BookkeepingKey>>;

/** The URL without its password, for logs and errors. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparsable DATABASE_URL)';
  }
}

/** The delivery keys an event claims: the Slack event id and the message it was logged from. */
export function deliveryKeysOf(e: JournalEvent): string[] {
  if (e.type !== 'update') return [];
  const keys: string[] = [];
  if (e.eventId) keys.push(`event:${e.eventId}`);
  if (e.update.message) keys.push(`message:${messageKey(e.update.message)}`);
  return keys;
}

/** Each top-level part's JSON, kept for as long as it is the same object (the state is never changed in place). */
class PartEncoder {
  #parts = new Map<string, { value: unknown; text: string }>();
  text(key: string, value: unknown): string {
    const known = this.#parts.get(key);
    if (known && known.value === value) return known.text;
    const text = JSON.stringify(value ?? null);
    this.#parts.set(key, { value, text });
    return text;
  }
  seed(key: string, value: unknown, text: string): void {
    this.#parts.set(key, { value, text });
  }
}

type Part = { key: string; text: string };

/** Parts that differ between two states (by identity), as JSON; an absent part is written as null. */
function changedParts(before: StoreState | undefined, after: StoreState, encoder: PartEncoder): Part[] {
  const keys = new Set([...Object.keys(after), ...(before ? Object.keys(before) : [])]);
  const out: Part[] = [];
  for (const key of keys) {
    const value = (after as Record<string, unknown>)[key];
    if (before && (before as Record<string, unknown>)[key] === value) continue;
    out.push({ key, text: encoder.text(key, value) });
  }
  return out;
}

type FeedListener = {
  /** Another instance (or another store of this process) committed `revision` in the zone. */
  committed(revision: number): void;
  /** The feed is (re)connected: read what was committed meanwhile. */
  connected(): void;
};

/**
 * The change feed: one LISTEN connection that hands each commit notification to the stores open on
 * its zone. After a lost connection it reconnects (every second) and has every zone catch up.
 */
export class CommitFeed {
  readonly #url: string;
  readonly #onNotice: ((message: string, details: Record<string, unknown>) => void) | undefined;
  readonly #zones = new Map<string, Set<FeedListener>>();
  #client: pg.Client | undefined;
  #connected = false;
  #closed = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Why the feed last went down, until it is back. */
  error: string | undefined;

  constructor(url: string, onNotice?: (message: string, details: Record<string, unknown>) => void) {
    this.#url = url;
    this.#onNotice = onNotice;
  }

  get connected(): boolean {
    return this.#connected;
  }

  /** Zones with a store listening. */
  get zones(): number {
    return this.#zones.size;
  }

  /** Connects; a failed first connection is retried in the background, like a lost one. */
  async start(): Promise<void> {
    await this.#listen().catch(() => undefined);
  }

  subscribe(zone: string, listener: FeedListener): () => void {
    let set = this.#zones.get(zone);
    if (!set) {
      set = new Set();
      this.#zones.set(zone, set);
    }
    set.add(listener);
    if (this.#connected) listener.connected();
    return () => {
      const now = this.#zones.get(zone);
      now?.delete(listener);
      if (now?.size === 0) this.#zones.delete(zone);
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    const client = this.#client;
    this.#client = undefined;
    this.#connected = false;
    await client?.end().catch(() => undefined);
  }

  #dispatch(payload: string) {
    let p: { zone?: unknown; revision?: unknown };
    try {
      p = JSON.parse(payload) as typeof p;
    } catch {
      return; // Not ours.
    }
    if (typeof p.zone !== 'string' || typeof p.revision !== 'number') return;
    for (const l of this.#zones.get(p.zone) ?? []) l.committed(p.revision);
  }

  async #listen(): Promise<void> {
    if (this.#closed) return;
    const client = new pg.Client({ connectionString: this.#url, application_name: 'duban-feed' });
    const lost = (e?: Error) => {
      if (this.#client !== client) return;
      this.#client = undefined;
      this.#connected = false;
      if (e) this.error = e.message;
      client.end().catch(() => undefined);
      if (this.#closed) return;
      this.#onNotice?.('lost the database change feed; reconnecting', { error: e?.message });
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#listen().catch(() => undefined);
      }, RECONNECT_MS);
      this.#timer.unref?.();
    };
    this.#client = client;
    client.on('error', lost);
    client.on('end', () => lost());
    client.on('notification', (n) => {
      if (n.channel === COMMIT_CHANNEL && n.payload) this.#dispatch(n.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${COMMIT_CHANNEL}`);
    } catch (e) {
      lost(e as Error);
      throw e;
    }
    if (this.#client !== client) return;
    this.#connected = true;
    this.error = undefined;
    // Whatever was committed while nobody listened, in every zone.
    for (const set of [...this.#zones.values()]) for (const l of [...set]) l.connected();
  }
}

/**
 * The pool and the change feed for many zones in one process, the schema migrated once.
 * Close the zones' stores first, then this.
 */
export async function openSharedPostgres(options: {
  url: string;
  /** Connections in the pool (default 10); the change feed's LISTEN connection is one more. */
  poolSize?: number;
  onNotice?: (message: string, details: Record<string, unknown>) => void;
}): Promise<SharedPostgres & { close(): Promise<void> }> {
  const where = describeUrl(options.url);
  const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10, application_name: 'duban' });
  pool.on('error', (e) => options.onNotice?.('a pooled database connection failed', { error: e.message }));
  let schema: number;
  try {
    const client = await pool.connect().catch((e: Error) => {
      throw new DataFileError(where, [`cannot connect: ${e.message}`], 'Check DATABASE_URL and that the server runs.');
    });
    try {
      schema = (await migrate(client)).to;
    } finally {
      client.release();
    }
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw e;
  }
  const feed = new CommitFeed(options.url, options.onNotice);
  await feed.start();
  return {
    pool,
    feed,
    schema,
    async close() {
      await feed.close();
      await pool.end();
    },
  };
}

export const ZONE_LOCK_SQL = "SELECT pg_advisory_xact_lock(hashtextextended('duban:zone:' || $1, 0))";

export async function openPostgresStore(options: PostgresStoreOptions): Promise<PostgresStore> {
  const { timeZone, url } = options;
  const zone = options.zoneId ?? 'default';
  const clock = options.clock ?? (() => new Date());
  const where = `${describeUrl(url)} (zone ${zone})`;
  const shared = options.shared;
  const pool =
    shared?.pool ?? new pg.Pool({ connectionString: url, max: options.poolSize ?? 4, application_name: 'duban' });
  let lastError: string | undefined;
  // A shared pool has its own error listener (openSharedPostgres).
  if (!shared)
    pool.on('error', (e) => {
      lastError = e.message;
      options.onNotice?.('a pooled database connection failed', { error: e.message });
    });
  /** Ends what this store opened itself: its own pool (a shared one is the caller's). */
  const endPool = async () => {
    if (!shared) await pool.end().catch(() => undefined);
  };
  const encoder = new PartEncoder();

  /** Reads the parts newer than `since` (all with -1) in one consistent snapshot of the database. */
  const readParts = async (client: pg.ClientBase, since: number) => {
    const head = await client.query<{ seq: string; revision: string }>(
      'SELECT seq, revision FROM snapshots WHERE zone_id = $1',
      [zone],
    );
    const row = head.rows[0];
    const revision = row ? Number(row.revision) : 0;
    if (revision <= since) return { revision, parts: undefined };
    const parts = await client.query<{ key: string; text: string }>(
      'SELECT key, value::text AS text FROM snapshot_parts WHERE zone_id = $1 AND revision > $2',
      [zone, since],
    );
    return { revision, parts: parts.rows };
  };

  const merge = (base: StoreState, parts: readonly { key: string; text: string }[]): StoreState => {
    const next: Record<string, unknown> = { ...base };
    for (const p of parts) {
      const value = JSON.parse(p.text) as unknown;
      if (value === null) delete next[p.key];
      else next[p.key] = value;
    }
    return next as StoreState;
  };

  // Start-up: the schema, the zone's rows, and its snapshot validated in full.
  let schema: number;
  let committed: StoreState;
  let dbRevision: number;
  {
    const client = await pool.connect().catch(async (e: Error) => {
      await endPool();
      throw new DataFileError(where, [`cannot connect: ${e.message}`], 'Check DATABASE_URL and that the server runs.');
    });
    try {
      schema = shared ? shared.schema : (await migrate(client)).to;
      await client.query('INSERT INTO zones (id, name) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING', [
        zone,
        options.zoneName ?? null,
      ]);
      await client.query('INSERT INTO snapshots (zone_id) VALUES ($1) ON CONFLICT (zone_id) DO NOTHING', [zone]);
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const { revision, parts } = await readParts(client, -1);
      await client.query('COMMIT');
      const raw = merge(emptyState(), parts ?? []);
      const check = StoreState.safeParse(raw);
      if (!check.success)
        throw new DataFileError(
          where,
          formatIssues(raw, check.error.issues),
          'The database was left untouched. Fix the values above, or restore a backup.',
        );
      committed = withSafeRecords(check.data);
      dbRevision = revision;
    } catch (e) {
      client.release();
      await endPool();
      throw e;
    }
    client.release();
  }

  /** Remembered bookkeeping not yet written, applied over what is committed. */
  let pending: Change[] = [];
  const withPending = (base: StoreState, changes: readonly Change[]) => {
    let s = base;
    for (const change of changes) s = { ...s, ...safeBookkeeping(change(s)) };
    return s;
  };
  let state = committed;
  let model = readModelFromState(state, timeZone, 0, undefined, options.calendar);
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;
  let flushTimer: ReturnType<typeof setTimeout> | undefined;

  const enqueue = <T>(fn: () => Promise<T>): Promise<T> => {
    const p = queue.then(fn);
    queue = p.catch(() => undefined);
    return p;
  };

  /** Takes in what other instances committed (parts newer than our revision), keeping remembered bookkeeping on top. */
  const adopt = (revision: number, parts: readonly { key: string; text: string }[] | undefined) => {
    if (!parts || revision <= dbRevision) return false;
    committed = withSafeRecords(merge(committed, parts));
    for (const p of parts) encoder.seed(p.key, (committed as Record<string, unknown>)[p.key], p.text);
    dbRevision = revision;
    state = withPending(committed, pending);
    model = readModelFromState(state, timeZone, model.revision + 1, model);
    return true;
  };

  const refreshNow = async () => {
    if (closed) return;
    const client = await pool.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const { revision, parts } = await readParts(client, dbRevision);
      await client.query('COMMIT');
      adopt(revision, parts);
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  };

  // The change feed: the process's shared one, or a LISTEN connection of this store's own; on
  // (re)connection, a catch-up read.
  const refreshSoon = () =>
    void enqueue(refreshNow).catch((e: unknown) => {
      lastError = (e as Error).message;
      options.onNotice?.('could not read what other instances committed', { error: lastError });
    });
  const feed = shared?.feed ?? new CommitFeed(url, options.onNotice);
  const unsubscribe = feed.subscribe(zone, {
    committed: (revision) => {
      if (revision > dbRevision) refreshSoon();
    },
    connected: () => {
      if (!shared) lastError = undefined;
      refreshSoon();
    },
  });
  if (!shared) await feed.start();

  const run = async <T>(
    fn: (tx: TxPort) => T | Promise<T>,
  ): Promise<{ result: T; model: ReadModel; events: JournalEvent[] }> => {
    if (closed) throw new Error(`store ${where} is closed`);
    const client = await pool.connect();
    let open = false;
    try {
      await client.query('BEGIN');
      open = true;
      await client.query(ZONE_LOCK_SQL, [zone]);
      // Under the lock: what other instances committed before us.
      const { revision, parts } = await readParts(client, dbRevision);
      adopt(revision, parts);
      const flushing = pending;
      const base = committed;
      let next = state;
      let replaced = false;
      let bookkept = flushing.length > 0;
      const events: JournalEvent[] = [];
      const tx: TxPort = {
        get state() {
          return next;
        },
        replace(s) {
          next = s;
          replaced = true;
        },
        bookkeep(change) {
          next = { ...next, ...change(next) };
          bookkept = true;
        },
        append(input: JournalEventInput, itemHistory?: readonly JournalEvent[]) {
          const e = JournalEvent.parse({ ...input, seq: next.journal.lastSeq + 1 });
          next = applyEvent(next, e, timeZone, itemHistory);
          events.push(e);
          return e;
        },
        async itemHistory(itemId) {
          const stored = await historyQuery(client, itemId);
          return [...stored, ...events.filter((e) => itemId === undefined || itemOfEvent(e) === itemId)];
        },
      };
      const result = await fn(tx);
      if (!replaced && !bookkept && events.length === 0) {
        await client.query('COMMIT');
        open = false;
        return { result, model, events };
      }
      next = forgetExpired(next, clock().getTime());
      if (replaced) {
        next = { ...next, numbers: { ...next.numbers } };
        assignNumbers(next);
        const check = StoreState.safeParse(next);
        if (!check.success)
          throw new DataFileError(where, formatIssues(next, check.error.issues), 'Nothing was written.');
        next = check.data;
      }
      next = withSafeRecords(next);
      // The journal's files are the lowdb store's; here the events table is the journal.
      next = { ...next, journal: { lastSeq: next.journal.lastSeq, chunks: [] } };
      if (events.length > 0) {
        await insertEvents(client, zone, events);
        const keys = events.flatMap((e) => deliveryKeysOf(e).map((k) => ({ key: k, seq: e.seq })));
        if (keys.length > 0) {
          const inserted = await client.query(
            'INSERT INTO deliveries (zone_id, key, seq) SELECT $1, k, s FROM unnest($2::text[], $3::bigint[]) AS u(k, s) ON CONFLICT DO NOTHING',
            [zone, keys.map((k) => k.key), keys.map((k) => k.seq)],
          );
          if (inserted.rowCount !== keys.length) throw new DuplicateDeliveryError(keys.map((k) => k.key));
        }
      }
      const nextRevision = dbRevision + 1;
      const changed = changedParts(base, next, encoder);
      // Each part its own parameter: node-postgres escapes a text[] parameter character by character in
      // JavaScript, which cost a fifth of a write's CPU with the bookkeeping parts (hundreds of KB) in it.
      if (changed.length > 0)
        await client.query(
          `INSERT INTO snapshot_parts (zone_id, key, revision, value)
           VALUES ${changed.map((_, i) => `($1, $${3 + 2 * i}, $2, $${4 + 2 * i}::json)`).join(', ')}
           ON CONFLICT (zone_id, key) DO UPDATE SET revision = EXCLUDED.revision, value = EXCLUDED.value`,
          [zone, nextRevision, ...changed.flatMap((p) => [p.key, p.text])],
        );
      await client.query('UPDATE snapshots SET seq = $2, revision = $3, updated_at = now() WHERE zone_id = $1', [
        zone,
        next.journal.lastSeq,
        nextRevision,
      ]);
      await client.query('SELECT pg_notify($1, $2)', [
        COMMIT_CHANNEL,
        JSON.stringify({ zone, revision: nextRevision, seq: next.journal.lastSeq }),
      ]);
      await client.query('COMMIT');
      open = false;
      committed = next;
      dbRevision = nextRevision;
      pending = pending.slice(flushing.length);
      state = withPending(committed, pending);
      model = readModelFromState(state, timeZone, model.revision + 1, model);
      return { result, model, events };
    } catch (e) {
      if (open) await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  };

  const historyQuery = async (client: pg.ClientBase | pg.Pool, itemId: string | undefined) => {
    const { rows } =
      itemId === undefined
        ? await client.query<{ body: JournalEvent }>('SELECT body FROM events WHERE zone_id = $1 ORDER BY seq', [zone])
        : await client.query<{ body: JournalEvent }>(
            'SELECT body FROM events WHERE zone_id = $1 AND item_id = $2 ORDER BY seq',
            [zone, itemId],
          );
    return rows.map((r) => r.body);
  };

  const flush = () => {
    flushTimer = undefined;
    if (pending.length === 0 || closed) return;
    void enqueue(() => run((tx) => tx.bookkeep(() => ({})))).catch((e: unknown) =>
      options.onNotice?.('could not write remembered bookkeeping', { error: (e as Error).message }),
    );
  };

  return {
    file: where,
    model: () => model,
    transact(fn) {
      return enqueue(() => run(fn));
    },
    remember(change) {
      void enqueue(async () => {
        pending.push(change);
        state = { ...state, ...safeBookkeeping(change(state)) };
        model = readModelFromState(state, timeZone, model.revision + 1, model);
        flushTimer ??= setTimeout(flush, FLUSH_MS);
        flushTimer.unref?.();
      });
    },
    async history(filter = {}) {
      await queue;
      return historyQuery(pool, filter.itemId);
    },
    refresh() {
      return enqueue(refreshNow);
    },
    status() {
      return {
        store: 'postgres',
        zone,
        connected: feed.connected,
        revision: dbRevision,
        seq: committed.journal.lastSeq,
        schema,
        ...((lastError ?? feed.error) ? { error: lastError ?? feed.error } : {}),
      };
    },
    async checkpoint() {},
    async close() {
      if (closed) return;
      if (flushTimer) clearTimeout(flushTimer);
      flushTimer = undefined;
      // What remember() queued is noted in turn: wait for it before writing what is pending.
      await queue.catch(() => undefined);
      if (pending.length > 0) await enqueue(() => run((tx) => tx.bookkeep(() => ({})))).catch(() => undefined);
      await queue.catch(() => undefined);
      closed = true;
      unsubscribe();
      if (!shared) await feed.close();
      await endPool();
    },
  };
}

/** Appends events to a zone's journal in one statement. */
export async function insertEvents(client: pg.ClientBase, zone: string, events: readonly JournalEvent[]) {
  const rows = events.map((e) => ({ seq: e.seq, type: e.type, at: e.at, item: itemOfEvent(e) ?? null, body: e }));
  await client.query(
    `INSERT INTO events (zone_id, seq, type, at, item_id, body)
     SELECT $1, r.seq, r.type, r.at, r.item, r.body FROM jsonb_to_recordset($2::jsonb) AS r(seq bigint, type text, at timestamptz, item text, body jsonb)`,
    [zone, JSON.stringify(rows)],
  );
}
