/**
 * The only importer of lowdb. The store is a hot document (definitions, the persisted fold of the
 * journal, delivery bookkeeping) plus the journal, an append-only history in monthly chunks. Every change is
 * a transaction: its events are appended to the journal, then one line holding them and what the
 * transaction changed in the document goes to the write-ahead log (wal.ts) and is flushed, and only
 * then does the caller learn it happened. The document itself is a checkpoint, written every few
 * hundred transactions, after an idle moment and on close, off the transactions' path. A start after
 * a crash applies the log to the checkpoint, puts a torn journal chunk back in shape, and replays
 * journal events past the watermark (`journal.lastSeq`) that no log line accounts for.
 */
import { copyFile, readFile } from 'node:fs/promises';
import type { Adapter } from 'lowdb';
import lockfile from 'proper-lockfile';
import { applyEvent, HistoryNeededError } from '../domain/apply.ts';
import type { CalendarData } from '../domain/calendar.ts';
import { localDate } from '../domain/dates.ts';
import { forgetExpired } from '../domain/delivery.ts';
import { itemOfEvent, JournalEvent, type JournalEventInput } from '../domain/journal.ts';
import { type ExpiryQueue, RecordWriter, withWriter } from '../domain/owned-records.ts';
import type { BookkeepingKey, TxPort, WritePort } from '../domain/ports.ts';
import { type ReadModel, readModelFromState } from '../domain/read-model.ts';
import { Database } from '../domain/schema.ts';
import {
  assignNumbers,
  emptyState,
  type JournalChunk,
  STATE_VERSION,
  StoreState,
  safeBookkeeping,
  stateFromDatabase,
  withSafeRecords,
} from '../domain/state.ts';
import { DataFileError, formatIssues, StoreLockedError } from './errors.ts';
import { chunkNameFor, type Journal, JournalFiles, MemoryJournal } from './journal-files.ts';
import { DurableTextFile } from './json-file.ts';
import { applyPatch, diffState, type PatchOp, WriteAheadLog, walDirOf, walLine } from './wal.ts';

export type Tx = TxPort & {
  /** The state as this transaction has changed it so far. */
  readonly state: StoreState;
  /** Replaces the state (imports, definitions); validated in full before anything is written. */
  replace(next: StoreState): void;
  /** Appends an event to the journal and applies it to the state; returns it with its sequence number. */
  append(event: JournalEventInput, itemHistory?: readonly JournalEvent[]): JournalEvent;
  /**
   * Changes the delivery bookkeeping (seen events and messages, threads, pending choices, runs and
   * their deliveries: src/domain/delivery.ts). Not history: no event, no full validation, but written
   * with the transaction.
   */
  bookkeep(change: (state: StoreState) => Partial<Pick<StoreState, BookkeepingKey>>): void;
  /** The history so far (journal and this transaction) of one item, or all of it, for events that change the past. */
  itemHistory(itemId?: string): Promise<JournalEvent[]>;
};

export type Store = WritePort & {
  readonly file: string;
  /** The current revision: an immutable snapshot, cheap to call on every request. */
  model(): ReadModel;
  /**
   * Runs `fn` alone (transactions never interleave), then writes its events and the new state
   * durably and resolves. If `fn` throws, or the result is invalid, nothing is written.
   */
  transact<T>(fn: (tx: Tx) => T | Promise<T>): Promise<{ result: T; model: ReadModel; events: JournalEvent[] }>;
  /** Events from the journal, oldest first: all, or those about one item. */
  history(filter?: { itemId?: string }): Promise<JournalEvent[]>;
  /** Writes the document now (tests, benchmarks); it is written on its own every few hundred transactions. */
  checkpoint(): Promise<void>;
  close(): Promise<void>;
};

export type OpenStoreOptions = {
  timeZone: string;
  /** Take the inter-process lock (default true). */
  lock?: boolean;
  /** Keep everything in memory (the demo console, tests): nothing is read or written. */
  memory?: boolean | { initial: StoreState };
  /** The clock that expires delivery bookkeeping (default: the system clock). */
  clock?: () => Date;
  /** Called with what start-up repaired or migrated, for the log. */
  onNotice?: (message: string, details: Record<string, unknown>) => void;
  /** The statutory working days, so that report deadlines count working days (see ReadModel.calendar). */
  calendar?: CalendarData;
  /** When the document is written (a checkpoint); see CheckpointPolicy. */
  checkpoint?: CheckpointPolicy;
};

/** Where the journal of a data file lives: data/db.json → data/db.journal/. */
/** How soon bookkeeping noted with remember() reaches the disk. */
export const FLUSH_MS = 1_000;

export function journalDirOf(file: string): string {
  return `${file.replace(/\.json$/i, '')}.journal`;
}

function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new DataFileError(
      file,
      [`not valid JSON: ${(e as Error).message}`],
      'The file was left untouched. Fix it, or restore it from a backup.',
    );
  }
}

/** Validates a version 2 document's text; throws DataFileError naming every problem. */
export function parseState(file: string, raw: unknown): StoreState {
  const version = raw && typeof raw === 'object' ? (raw as { version?: unknown }).version : undefined;
  if (typeof version === 'number' && version > STATE_VERSION) {
    throw new DataFileError(
      file,
      [`version: ${version} is newer than this duban understands (${STATE_VERSION})`],
      'Upgrade duban, or restore a file written by this version.',
    );
  }
  const result = StoreState.safeParse(raw);
  if (!result.success) {
    throw new DataFileError(
      file,
      formatIssues(raw, result.error.issues),
      'The file was left untouched. Fix the values above, then start again (`npx duban check` re-validates it).',
    );
  }
  return withSafeRecords(result.data);
}

/**
 * The document's JSON in top-level parts, each kept encoded for as long as it is the same object (the
 * state is never changed in place): a write encodes only the parts that changed, such as the delivery
 * bookkeeping after an answer or the progress after a report, rather than the whole document each time.
 * The bytes are exactly `JSON.stringify(state)`.
 */
export class DocumentEncoder {
  #parts = new Map<string, { value: unknown; bytes: Buffer }>();

  /** Parts changed in place (the store's own bookkeeping records, owned-records.ts): encoded again next time. */
  invalidate(keys: Iterable<string>): void {
    for (const key of keys) this.#parts.delete(key);
  }

  encode(state: StoreState): Buffer[] {
    const out: Buffer[] = [];
    const next = new Map<string, { value: unknown; bytes: Buffer }>();
    for (const [key, value] of Object.entries(state)) {
      if (value === undefined || typeof value === 'function') continue;
      let part = this.#parts.get(key);
      if (part?.value !== value)
        part = {
          value,
          bytes: Buffer.from(`${out.length === 0 ? '{' : ','}${JSON.stringify(key)}:${JSON.stringify(value)}`, 'utf8'),
        };
      // A part's leading "{" or "," depends on its place; re-encode it if that changed.
      else if ((part.bytes[0] === 0x7b) !== (out.length === 0))
        part = { value, bytes: Buffer.concat([Buffer.from(out.length === 0 ? '{' : ','), part.bytes.subarray(1)]) };
      next.set(key, part);
      out.push(part.bytes);
    }
    this.#parts = next;
    out.push(Buffer.from(out.length === 0 ? '{}\n' : '}\n'));
    return out;
  }
}

class StateFile implements Adapter<StoreState> {
  readonly #text: DurableTextFile;
  readonly #encoder = new DocumentEncoder();
  constructor(readonly file: string) {
    this.#text = new DurableTextFile(file);
  }
  async read(): Promise<StoreState | null> {
    const text = await this.#text.read();
    return text === null ? null : parseState(this.file, parseJson(this.file, text));
  }
  write(state: StoreState): Promise<void> {
    // Compact: this document is rewritten on every change, so its size is write latency.
    return this.#text.write(this.#encoder.encode(state));
  }
  /** The document's bytes now: records change in place, so a checkpoint encodes on the queue and writes after. */
  encode(state: StoreState): Buffer[] {
    return this.#encoder.encode(state);
  }
  writeEncoded(parts: readonly Buffer[]): Promise<void> {
    return this.#text.write(parts);
  }
  invalidate(keys: Iterable<string>): void {
    this.#encoder.invalidate(keys);
  }
}

async function acquireLock(file: string): Promise<() => Promise<void>> {
  try {
    return await lockfile.lock(file, {
      realpath: false,
      lockfilePath: `${file}.lock`,
      stale: 10_000,
      update: 4_000,
      retries: 0,
      onCompromised: (err) => {
        // Another process took the lock over: stop writing rather than risk two writers.
        process.emitWarning(`duban: lost the lock on ${file}: ${err.message}`);
        process.exit(1);
      },
    });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ELOCKED') throw new StoreLockedError(file);
    throw e;
  }
}

function monthOf(at: string, timeZone: string): string {
  return localDate(new Date(at), timeZone).slice(0, 7);
}

/** A bookkeeping record's path in the document and the keys changed in place since the last log line. */
type InPlace = { path: readonly string[]; keys: Set<string> };

/** Adds `writer`'s changes to `into`, by record. */
function collectInPlace(
  into: Map<object, InPlace>,
  writer: RecordWriter,
  owned: ReadonlyMap<object, readonly string[]>,
): Map<object, InPlace> {
  for (const [record, keys] of writer.changed()) {
    const entry = into.get(record);
    if (entry) for (const key of keys) entry.keys.add(key);
    else into.set(record, { path: owned.get(record)!, keys: new Set(keys) });
  }
  return into;
}

/** The delivery bookkeeping records of `state` that a transaction changes in place, with their paths. */
function ownedRecords(state: StoreState): Map<object, readonly string[]> {
  return new Map<object, readonly string[]>([
    [state.seen.events, ['seen', 'events']],
    [state.seen.messages, ['seen', 'messages']],
    [state.threads, ['threads']],
    [state.choices, ['choices']],
    [state.deliveries, ['deliveries']],
    [state.runs, ['runs']],
  ]);
}

/**
 * The patch for the keys changed in place: each key's value in the final state at its record's path
 * (which may by then be a copy a caller spread, so the final value is read there, not in the record).
 */
function inPlaceOps(changed: ReadonlyMap<object, InPlace>, state: StoreState): PatchOp[] {
  const ops: PatchOp[] = [];
  for (const { path, keys } of changed.values()) {
    let at: unknown = state;
    for (const key of path) at = (at as Record<string, unknown>)[key];
    const now = at as Record<string, unknown>;
    for (const key of keys) ops.push(Object.hasOwn(now, key) ? [[...path, key], now[key]] : [[...path, key]]);
  }
  return ops;
}

/** Files a new event under its chunk in the journal's list of chunks (mutating that copy). */
function fileEvent(chunks: JournalChunk[], e: JournalEvent, timeZone: string): string {
  const name = chunkNameFor(monthOf(e.at, timeZone), chunks);
  const at = chunks.findIndex((c) => c.name === name);
  if (at < 0) chunks.push({ name, firstSeq: e.seq, lastSeq: e.seq, count: 1 });
  else chunks[at] = { ...chunks[at]!, lastSeq: e.seq, count: chunks[at]!.count + 1 };
  return name;
}

/**
 * Brings the state up to the journal: events a crash left in the journal but not in the document
 * are applied again; chunk files missing from the journal's list of chunks are added to it.
 */
async function reconcile(
  state: StoreState,
  journal: Journal,
  timeZone: string,
): Promise<{ state: StoreState; replayed: number }> {
  const onDisk = await journal.list();
  let maxOnDisk = 0;
  let replayed = 0;
  let s = state;
  const chunks = [...state.journal.chunks];
  for (const name of onDisk) {
    const known = chunks.find((c) => c.name === name);
    // A chunk the document already accounts for, unchanged since, need not be read: start-up does
    // not grow with the years of history.
    if (
      known &&
      known.bytes !== undefined &&
      known.lastSeq <= s.journal.lastSeq &&
      (await journal.size(name)) === known.bytes
    ) {
      maxOnDisk = Math.max(maxOnDisk, known.lastSeq);
      continue;
    }
    const events = await journal.read(name);
    const first = events[0];
    const last = events[events.length - 1];
    if (!first || !last) continue;
    maxOnDisk = Math.max(maxOnDisk, last.seq);
    const entry = {
      name,
      firstSeq: first.seq,
      lastSeq: last.seq,
      count: events.length,
      bytes: (await journal.size(name)) ?? 0,
    };
    const at = chunks.findIndex((c) => c.name === name);
    if (at < 0) chunks.push(entry);
    else chunks[at] = entry;
    for (const e of events) {
      if (e.seq <= s.journal.lastSeq) continue;
      const item = itemOfEvent(e);
      try {
        s = applyEvent(s, e, timeZone);
      } catch (err) {
        if (!(err instanceof HistoryNeededError) || !item) throw err;
        const names = chunks.map((c) => c.name);
        const history = (await journal.itemHistory(names, item)).filter((x) => x.seq < e.seq);
        s = applyEvent(s, e, timeZone, history);
      }
      replayed++;
    }
  }
  const expected = state.journal.lastSeq;
  if (maxOnDisk < expected) {
    throw new DataFileError(
      journal.describe(),
      [`the journal ends at event ${maxOnDisk} but the store has applied ${expected}: journal files are missing`],
      'Restore the journal folder from a backup; nothing was changed.',
    );
  }
  return { state: { ...s, journal: { ...s.journal, chunks } }, replayed };
}

/**
 * Store files written before the journal were one whole document with its history inline, marked
 * version 1. That is the store file's version, not the import format's: the two may part.
 */
const WHOLE_DOCUMENT_STORE_VERSION = 1;

/** A version 1 document (history inline) becomes version 2: the history moves into the journal. */
async function upgradeV1(file: string, raw: unknown, journal: Journal, timeZone: string): Promise<StoreState> {
  const parsed = Database.safeParse(raw);
  if (!parsed.success)
    throw new DataFileError(file, formatIssues(raw, parsed.error.issues), 'The file was left untouched.');
  const { updates, ...rest } = parsed.data;
  let state: StoreState = { ...stateFromDatabase({ ...rest, updates: [] }, timeZone) };
  const ordered = [...updates].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const chunks: JournalChunk[] = [];
  const byChunk = new Map<string, JournalEvent[]>();
  ordered.forEach((update, i) => {
    const e: JournalEvent = { seq: i + 1, type: 'update', at: update.at, by: update.by, update };
    state = applyEvent(state, e, timeZone);
    const name = fileEvent(chunks, e, timeZone);
    byChunk.set(name, [...(byChunk.get(name) ?? []), e]);
  });
  for (const [name, events] of byChunk) {
    const bytes = await journal.append(name, events);
    const at = chunks.findIndex((c) => c.name === name);
    if (at >= 0) chunks[at] = { ...chunks[at]!, bytes };
  }
  return { ...state, journal: { lastSeq: ordered.length, chunks } };
}

/**
 * The document as of the write-ahead log: its patches applied in order and its events filed in the
 * journal's list of chunks. `pending` are the log's events past the document's watermark, by chunk:
 * what the journal must hold (a crash may have torn a chunk's tail, or lost lines never flushed).
 */
async function applyLog(
  state: StoreState,
  wal: WriteAheadLog,
  timeZone: string,
): Promise<{ state: StoreState; pending: Map<string, JournalEvent[]>; records: number; segments: number[] }> {
  const { records, segments } = await wal.read();
  const pending = new Map<string, JournalEvent[]>();
  if (records.length === 0) return { state, pending, records: 0, segments };
  const base = state.journal.lastSeq;
  let doc: StoreState = state;
  let lastSeq = base;
  const chunks = [...state.journal.chunks];
  for (const r of records) {
    doc = applyPatch(doc, r.patch);
    for (const { chunk, event } of r.events) {
      if (event.seq <= base) continue;
      pending.set(chunk, [...(pending.get(chunk) ?? []), event]);
      const filed = fileEvent(chunks, event, timeZone);
      if (filed !== chunk) {
        throw new DataFileError(
          wal.dir,
          [`event ${event.seq} was written to chunk ${chunk}, but belongs in ${filed}`],
          'The log was left untouched. Restore the data folder from a backup.',
        );
      }
      lastSeq = Math.max(lastSeq, event.seq);
    }
  }
  const checked = parseState(wal.dir, { ...doc, journal: { lastSeq, chunks } });
  return { state: checked, pending, records: records.length, segments };
}

/** Puts each chunk the log has events for, or whose size the document does not know, back in shape. */
async function repairChunks(
  state: StoreState,
  pending: ReadonlyMap<string, readonly JournalEvent[]>,
  journal: JournalFiles,
): Promise<number> {
  const known = new Map(state.journal.chunks.map((c) => [c.name, c]));
  const names = new Set([...(await journal.list()), ...pending.keys()]);
  let repaired = 0;
  for (const name of names) {
    const want = pending.get(name) ?? [];
    const entry = known.get(name);
    if (want.length === 0 && entry?.bytes !== undefined && (await journal.size(name)) === entry.bytes) continue;
    const { events, exact } = await journal.readLenient(name);
    const bySeq = new Map(events.map((e) => [e.seq, e]));
    let missing = 0;
    for (const e of want) {
      if (!bySeq.has(e.seq)) missing++;
      bySeq.set(e.seq, e);
    }
    if (exact && missing === 0) continue;
    await journal.rewrite(
      name,
      [...bySeq.values()].sort((a, b) => a.seq - b.seq),
    );
    repaired++;
  }
  return repaired;
}

/** Reads a data file's document, or null when there is none. */
async function readDocument(file: string): Promise<unknown | null> {
  const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return null;
    throw e;
  });
  return text === null ? null : parseJson(file, text);
}

/**
 * Reads and validates a data file, its write-ahead log and its journal without locking or writing (for
 * `duban check`, exports beside a running duban, the console): the state as of the last acknowledged
 * transaction, and how many journal events past it a start would apply.
 */
export async function loadState(
  file: string,
  timeZone: string,
): Promise<{ state: StoreState; exists: boolean; replayable: number }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await loadStateOnce(file, timeZone);
    } catch (e) {
      // A running duban removed a log segment between our reads (a checkpoint): read again.
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || attempt >= 3) throw e;
    }
  }
}

async function loadStateOnce(
  file: string,
  timeZone: string,
): Promise<{ state: StoreState; exists: boolean; replayable: number }> {
  const raw = await readDocument(file);
  if ((raw as { version?: unknown } | null)?.version === WHOLE_DOCUMENT_STORE_VERSION) {
    const parsed = Database.safeParse(raw);
    if (!parsed.success)
      throw new DataFileError(file, formatIssues(raw, parsed.error.issues), 'The file was left untouched.');
    return { state: stateFromDatabase(parsed.data, timeZone), exists: true, replayable: 0 };
  }
  // Before the first checkpoint, the log alone holds what was written.
  const checkpointed = raw === null ? emptyState() : parseState(file, raw);
  const { state, records } = await applyLog(checkpointed, new WriteAheadLog(walDirOf(file)), timeZone);
  if (raw === null && records === 0) return { state, exists: false, replayable: 0 };
  const journal = new JournalFiles(journalDirOf(file));
  const reconciled = await reconcile(state, journal, timeZone);
  return {
    state: { ...state, journal: { lastSeq: state.journal.lastSeq, chunks: reconciled.state.journal.chunks } },
    exists: true,
    replayable: reconciled.replayed,
  };
}

/** When the store writes its document (a checkpoint); every transaction is in the write-ahead log before. */
export type CheckpointPolicy = {
  /** After this many transactions (default 250). */
  transactions?: number;
  /** After this long without a transaction, when there is any to write (default 10 s). */
  idleMs?: number;
};

export async function openStore(file: string, options: OpenStoreOptions): Promise<Store> {
  const { timeZone } = options;
  const clock = options.clock ?? (() => new Date());
  const memory = options.memory !== undefined && options.memory !== false;
  const everyTx = options.checkpoint?.transactions ?? 250;
  const idleMs = options.checkpoint?.idleMs ?? 10_000;
  const release = memory || options.lock === false ? async () => undefined : await acquireLock(file);
  const files = memory ? undefined : new JournalFiles(journalDirOf(file));
  const journal: Journal = files ?? new MemoryJournal();
  const wal = memory ? undefined : new WriteAheadLog(walDirOf(file));
  const document = memory ? undefined : new StateFile(file);
  let current: StoreState;
  try {
    if (memory) {
      current = withSafeRecords(typeof options.memory === 'object' ? options.memory.initial : emptyState());
    } else {
      current = emptyState();
      const raw = await readDocument(file);
      let checkpointNow = false;
      if (raw !== null) {
        if ((raw as { version?: unknown })?.version === WHOLE_DOCUMENT_STORE_VERSION) {
          const upgraded = await upgradeV1(file, raw, journal, timeZone);
          await files!.sync();
          await copyFile(file, `${file}.v1.bak`);
          current = withSafeRecords(upgraded);
          await document!.write(current);
          options.onNotice?.('upgraded the data file to version 2; the original is kept', {
            backup: `${file}.v1.bak`,
            events: upgraded.journal.lastSeq,
          });
        } else {
          current = parseState(file, raw);
        }
      }
      const logged = await applyLog(current, wal!, timeZone);
      current = logged.state;
      const repaired = await repairChunks(current, logged.pending, files!);
      const { state, replayed } = await reconcile(current, journal, timeZone);
      checkpointNow =
        logged.records > 0 ||
        repaired > 0 ||
        replayed > 0 ||
        state.journal.chunks.length !== current.journal.chunks.length;
      current = withSafeRecords(state);
      if (checkpointNow) {
        await files!.sync();
        await document!.write(current);
        if (replayed > 0) options.onNotice?.('replayed journal events a crash left unapplied', { events: replayed });
        if (repaired > 0) options.onNotice?.('repaired journal chunks a crash left torn', { chunks: repaired });
      }
      const last = logged.segments.at(-1) ?? 0;
      await wal!.start(last);
      await wal!.removeBefore(wal!.segment);
    }
  } catch (e) {
    await wal?.close();
    await journal.close();
    await release();
    throw e;
  }

  /** What is on disk: the checkpoint and the write-ahead log together. */
  let committed = current;
  /** The bookkeeping records' expiry queues, kept from one transaction to the next (owned-records.ts). */
  const queues = new WeakMap<object, ExpiryQueue>();
  /** Keys remember() changed in place, written with the next transaction (see FLUSH_MS). */
  const remembered = new Map<object, InPlace>();
  let model = readModelFromState(current, timeZone, 0, undefined, options.calendar);
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;
  /** Set when a write failed half-way in a way this process cannot undo: a restart recovers. */
  let broken: Error | undefined;
  // Bookkeeping noted with remember() is written within FLUSH_MS, with the next transaction at the latest.
  let dirty = false;
  let flushTimer: ReturnType<typeof setTimeout> | undefined;
  let sinceCheckpoint = 0;
  /** Transactions committed, and how many of them the document on disk holds. */
  let commits = 0;
  let checkpointed = 0;
  let idleTimer: ReturnType<typeof setTimeout> | undefined;
  let checkpointing: Promise<void> | undefined;

  const enqueue = <T>(fn: () => Promise<T>): Promise<T> => {
    const p = queue.then(fn);
    queue = p.catch(() => undefined);
    return p;
  };

  /**
   * Writes the document as of the last transaction, off the transactions' path: a new log segment
   * is started (in the queue), the journal chunks and then the document are flushed, and only then
   * are the older segments removed.
   */
  const checkpoint = (): Promise<void> => {
    if (!wal || !document || !files) return Promise.resolve();
    checkpointing ??= (async () => {
      const { parts, segment, at } = await enqueue(async () => {
        // Encoded here, between transactions: the bookkeeping records change in place.
        const parts = document.encode(committed);
        sinceCheckpoint = 0;
        await files.sync();
        return { parts, segment: await wal.start(wal.segment), at: commits };
      });
      await document.writeEncoded(parts);
      checkpointed = Math.max(checkpointed, at);
      await wal.removeBefore(segment);
    })().finally(() => {
      checkpointing = undefined;
    });
    return checkpointing;
  };
  const checkpointLater = () => {
    if (!wal) return;
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = undefined;
    const failed = (e: unknown) =>
      options.onNotice?.('could not write a checkpoint; the write-ahead log keeps everything', {
        error: (e as Error).message,
      });
    if (sinceCheckpoint >= everyTx) {
      void checkpoint().catch(failed);
      return;
    }
    idleTimer = setTimeout(() => {
      idleTimer = undefined;
      if (sinceCheckpoint > 0 && !closed) void checkpoint().catch(failed);
    }, idleMs);
    idleTimer.unref?.();
  };

  const run = async <T>(
    fn: (tx: Tx) => T | Promise<T>,
  ): Promise<{ result: T; model: ReadModel; events: JournalEvent[] }> => {
    if (closed) throw new Error(`store ${file} is closed`);
    if (broken) throw broken;
    // The bookkeeping records of the current state change in place (owned-records.ts), undone on failure.
    const owned = ownedRecords(current);
    const writer = new RecordWriter(owned.keys(), queues);
    try {
      return await runWith(fn, writer, owned);
    } catch (e) {
      writer.undo();
      throw e;
    }
  };

  const runWith = async <T>(
    fn: (tx: Tx) => T | Promise<T>,
    writer: RecordWriter,
    owned: ReadonlyMap<object, readonly string[]>,
  ): Promise<{ result: T; model: ReadModel; events: JournalEvent[] }> => {
    let state = current;
    let replaced = false;
    let bookkept = false;
    const events: JournalEvent[] = [];
    const chunks = [...state.journal.chunks];
    const placement = new Map<string, JournalEvent[]>();
    const tx: Tx = {
      get state() {
        return state;
      },
      replace(next) {
        state = next;
        replaced = true;
      },
      bookkeep(change) {
        state = withWriter(writer, () => ({ ...state, ...change(state) }));
        bookkept = true;
      },
      append(input, itemHistory) {
        const e = JournalEvent.parse({ ...input, seq: state.journal.lastSeq + 1 });
        state = withWriter(writer, () => applyEvent(state, e, timeZone, itemHistory));
        events.push(e);
        const name = fileEvent(chunks, e, timeZone);
        placement.set(name, [...(placement.get(name) ?? []), e]);
        return e;
      },
      async itemHistory(itemId) {
        const stored = await historyOf(committed, itemId);
        return [...stored, ...events.filter((e) => itemId === undefined || itemOfEvent(e) === itemId)];
      },
    };
    const result = await fn(tx);
    if (!replaced && !bookkept && events.length === 0) return { result, model, events };
    const nowMs = clock().getTime();
    state = withWriter(writer, () => forgetExpired(state, nowMs));
    if (replaced) {
      // Numbered on a copy: the parts of a written state are never changed in place (DocumentEncoder).
      state = { ...state, numbers: { ...state.numbers } };
      assignNumbers(state);
      const check = StoreState.safeParse(state);
      if (!check.success)
        throw new DataFileError(file, formatIssues(state, check.error.issues), 'Nothing was written.');
      state = check.data;
    }
    // Whatever a change spread into plain objects becomes null-prototype again before anyone reads it.
    state = withSafeRecords(state);
    // This transaction's changes in place, and those remember() made since the last log line.
    const changedInPlace = collectInPlace(
      new Map([...remembered].map(([record, { path, keys }]) => [record, { path, keys: new Set(keys) }])),
      writer,
      owned,
    );
    document?.invalidate(new Set([...changedInPlace.values()].map(({ path }) => path[0]!)));
    if (wal) {
      // The journal first (the record), then the log line that commits the transaction: its events
      // and what it changed in the document. Only the log is flushed before the caller hears of it.
      const logged: Array<{ chunk: string; line: string }> = [];
      const appended: string[] = [];
      try {
        for (const [name, list] of placement) {
          const lines = list.map((e) => JSON.stringify(e));
          appended.push(name);
          const bytes = await journal.append(name, list, lines);
          const at = chunks.findIndex((c) => c.name === name);
          if (at >= 0) chunks[at] = { ...chunks[at]!, bytes };
          list.forEach((_, i) => logged.push({ chunk: name, line: lines[i]! }));
        }
      } catch (e) {
        await Promise.all(appended.map((name) => journal.rollback(name))).catch((undo: unknown) => {
          broken = undo as Error;
        });
        throw e;
      }
      state = { ...state, journal: { lastSeq: state.journal.lastSeq, chunks } };
      const patch = [...diffState(committed, state, changedInPlace.keys()), ...inPlaceOps(changedInPlace, state)];
      try {
        await wal.append(walLine(state.journal.lastSeq, logged, patch));
      } catch (e) {
        // A torn log line would stand between this and every later transaction: stop writing.
        broken = e as Error;
        throw e;
      }
    } else {
      // In memory: the journal is a list, nothing to flush.
      for (const [name, list] of placement) await journal.append(name, list);
      state = { ...state, journal: { lastSeq: state.journal.lastSeq, chunks } };
    }
    committed = state;
    remembered.clear();
    current = state;
    dirty = false;
    sinceCheckpoint++;
    commits++;
    checkpointLater();
    model = readModelFromState(state, timeZone, model.revision + 1, model);
    return { result, model, events };
  };

  /** The stored events of one item (through the journal's index), or all of them. */
  const historyOf = async (state: StoreState, itemId: string | undefined): Promise<JournalEvent[]> => {
    const names = state.journal.chunks.map((c) => c.name);
    if (itemId === undefined) return journal.readAll(names);
    return journal.itemHistory(names, itemId);
  };

  const flush = () => {
    flushTimer = undefined;
    if (!dirty || closed) return;
    void enqueue(() => run((tx) => tx.bookkeep(() => ({})))).catch((e: unknown) =>
      options.onNotice?.('could not write remembered bookkeeping', { error: (e as Error).message }),
    );
  };

  return {
    file,
    model: () => model,
    transact(fn) {
      return enqueue(() => run(fn));
    },
    remember(change) {
      void enqueue(async () => {
        // In place too (owned-records.ts); the keys go into the next transaction's log line.
        const owned = ownedRecords(current);
        const writer = new RecordWriter(owned.keys(), queues);
        // Only the changed bookkeeping is made safe: the rest of the state is already (walking every
        // item's progress here cost ≈9 ms an answer on a 10,000-item zone).
        const part = withWriter(writer, () => change(current));
        current = { ...current, ...safeBookkeeping(part) };
        collectInPlace(remembered, writer, owned);
        model = readModelFromState(current, timeZone, model.revision + 1, model);
        dirty = true;
        flushTimer ??= setTimeout(flush, FLUSH_MS);
        flushTimer.unref?.();
      });
    },
    async history(filter = {}) {
      await queue;
      return historyOf(committed, filter.itemId);
    },
    async checkpoint() {
      await queue;
      await checkpoint();
    },
    async close() {
      if (closed) return;
      if (flushTimer) clearTimeout(flushTimer);
      if (idleTimer) clearTimeout(idleTimer);
      flushTimer = undefined;
      idleTimer = undefined;
      if (dirty) await enqueue(() => run((tx) => tx.bookkeep(() => ({})))).catch(() => undefined);
      closed = true;
      await queue.catch(() => undefined);
      await checkpointing?.catch(() => undefined);
      try {
        // A clean stop leaves the document complete and no log: the folder is what earlier versions wrote.
        if (wal && document && files && !broken) {
          // Nothing since the last checkpoint: the document is already the state (and keeps its bytes and time).
          if (checkpointed !== commits) {
            await files.sync();
            await document.write(committed);
          }
          const segment = wal.segment;
          await wal.close();
          await wal.removeBefore(segment + 1);
        }
      } finally {
        await wal?.close();
        await journal.close();
        await release();
      }
    },
  };
}
