// The store as it was at fb9d9d5, before the write-ahead log (src/store/{store,journal-files}.ts then),
// kept unchanged as bench/store-scale.ts's baseline and to show test/store/old-folder.test.ts that a
// folder stopped cleanly is still one it reads. Only its import paths were changed.
/**
 * The only importer of lowdb. The store is a hot document (definitions, the persisted fold of the
 * journal, delivery bookkeeping) plus the journal, an append-only history in monthly chunks. Every change is
 * a transaction: its events are appended to the journal first, then the hot document is written,
 * each durably, and only then does the caller learn it happened. A crash between the two is repaired
 * at the next start by replaying the journal past the document's watermark (`journal.lastSeq`).
 */
import { copyFile, readFile } from 'node:fs/promises';
import { type Adapter, Low, Memory } from 'lowdb';
import lockfile from 'proper-lockfile';
import { applyEvent, HistoryNeededError } from '../../../src/domain/apply.ts';
import type { CalendarData } from '../../../src/domain/calendar.ts';
import { localDate } from '../../../src/domain/dates.ts';
import { forgetExpired } from '../../../src/domain/delivery.ts';
import { itemOfEvent, JournalEvent, type JournalEventInput } from '../../../src/domain/journal.ts';
import type { BookkeepingKey, TxPort, WritePort } from '../../../src/domain/ports.ts';
import { type ReadModel, readModelFromState } from '../../../src/domain/read-model.ts';
import { Database } from '../../../src/domain/schema.ts';
import {
  assignNumbers,
  emptyState,
  type JournalChunk,
  STATE_VERSION,
  StoreState,
  stateFromDatabase,
  withSafeRecords,
} from '../../../src/domain/state.ts';
import { DataFileError, formatIssues, StoreLockedError } from '../../../src/store/errors.ts';
import { DurableTextFile } from '../../../src/store/json-file.ts';
import { chunkNameFor, type Journal, JournalFiles, MemoryJournal } from './journal-files.ts';

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

/** Files a new event under its chunk in the journal's list of chunks (mutating that copy). */
function fileEvent(chunks: JournalChunk[], e: JournalEvent, timeZone: string): string {
  const name = chunkNameFor(monthOf(e.at, timeZone), chunks);
  const at = chunks.findIndex((c) => c.name === name);
  if (at < 0) chunks.push({ name, firstSeq: e.seq, lastSeq: e.seq, count: 1 });
  else chunks[at] = { ...chunks[at]!, lastSeq: e.seq, count: chunks[at]!.count + 1 };
  return name;
}

/**
 * Which chunks hold events about which item: built the first time an item's history is asked for,
 * from the chunks' text (without parsing their events), then kept up to date as events are appended,
 * so look-ups read and parse only the chunks that name the item.
 */
class ItemChunks {
  #map: Map<string, Set<string>> | undefined;
  #built: Promise<void> | undefined;

  note(chunk: string, events: readonly JournalEvent[]): void {
    if (!this.#map) return;
    for (const e of events) {
      const item = itemOfEvent(e);
      if (item) this.#add(item, chunk);
    }
  }

  #add(item: string, chunk: string): void {
    let set = this.#map!.get(item);
    if (!set) this.#map!.set(item, (set = new Set()));
    set.add(chunk);
  }

  /** Builds the map once; it is in place while being built, so events appended meanwhile are noted too. */
  #build(journal: Journal, chunks: readonly JournalChunk[]): Promise<void> {
    this.#built ??= (async () => {
      this.#map = new Map();
      for (const c of chunks) for (const item of await journal.itemsIn(c.name)) this.#add(item, c.name);
    })().catch((e: unknown) => {
      this.#map = undefined;
      this.#built = undefined;
      throw e;
    });
    return this.#built;
  }

  async history(
    journal: Journal,
    chunks: readonly JournalChunk[],
    itemId: string | undefined,
  ): Promise<JournalEvent[]> {
    const out: JournalEvent[] = [];
    if (itemId === undefined) {
      for (const c of chunks) out.push(...(await journal.read(c.name)));
      return out;
    }
    await this.#build(journal, chunks);
    const wanted = this.#map!.get(itemId) ?? new Set<string>();
    for (const c of chunks) if (wanted.has(c.name)) out.push(...(await journal.readItem(c.name, itemId)));
    return out;
  }
}

async function historyOf(
  journal: Journal,
  chunks: readonly JournalChunk[],
  itemId: string | undefined,
  itemChunks?: ItemChunks,
): Promise<JournalEvent[]> {
  if (itemChunks) return itemChunks.history(journal, chunks, itemId);
  const out: JournalEvent[] = [];
  for (const c of chunks)
    for (const e of await journal.read(c.name)) if (itemId === undefined || itemOfEvent(e) === itemId) out.push(e);
  return out;
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
        const history = (await historyOf(journal, chunks, item)).filter((x) => x.seq < e.seq);
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

/** Reads and validates a data file and its journal without locking or writing (for `duban check`). */
export async function loadState(
  file: string,
  timeZone: string,
): Promise<{ state: StoreState; exists: boolean; replayable: number }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { state: emptyState(), exists: false, replayable: 0 };
    throw e;
  }
  const raw = parseJson(file, text);
  if ((raw as { version?: unknown })?.version === WHOLE_DOCUMENT_STORE_VERSION) {
    const parsed = Database.safeParse(raw);
    if (!parsed.success)
      throw new DataFileError(file, formatIssues(raw, parsed.error.issues), 'The file was left untouched.');
    return { state: stateFromDatabase(parsed.data, timeZone), exists: true, replayable: 0 };
  }
  const state = parseState(file, raw);
  const journal = new JournalFiles(journalDirOf(file));
  const { replayed } = await reconcile(state, journal, timeZone);
  return { state, exists: true, replayable: replayed };
}

export async function openStore(file: string, options: OpenStoreOptions): Promise<Store> {
  const { timeZone } = options;
  const clock = options.clock ?? (() => new Date());
  const memory = options.memory !== undefined && options.memory !== false;
  const release = memory || options.lock === false ? async () => undefined : await acquireLock(file);
  const journal: Journal = memory ? new MemoryJournal() : new JournalFiles(journalDirOf(file));
  let low: Low<StoreState>;
  try {
    if (memory) {
      const initial = typeof options.memory === 'object' ? options.memory.initial : emptyState();
      low = new Low<StoreState>(new Memory<StoreState>(), withSafeRecords(initial));
    } else {
      low = new Low<StoreState>(new StateFile(file), emptyState());
      const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
        if (e.code === 'ENOENT') return null;
        throw e;
      });
      if (text !== null) {
        const raw = parseJson(file, text);
        if ((raw as { version?: unknown })?.version === WHOLE_DOCUMENT_STORE_VERSION) {
          const upgraded = await upgradeV1(file, raw, journal, timeZone);
          await copyFile(file, `${file}.v1.bak`);
          low.data = withSafeRecords(upgraded);
          await low.write();
          options.onNotice?.('upgraded the data file to version 2; the original is kept', {
            backup: `${file}.v1.bak`,
            events: upgraded.journal.lastSeq,
          });
        } else {
          low.data = parseState(file, raw);
        }
        const { state, replayed } = await reconcile(low.data, journal, timeZone);
        if (replayed > 0 || state.journal.chunks.length !== low.data.journal.chunks.length) {
          low.data = withSafeRecords(state);
          await low.write();
          if (replayed > 0) options.onNotice?.('replayed journal events a crash left unapplied', { events: replayed });
        }
      }
    }
  } catch (e) {
    await release();
    throw e;
  }

  let model = readModelFromState(low.data, timeZone, 0, undefined, options.calendar);
  const itemChunks = new ItemChunks();
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;
  // Bookkeeping noted with remember() is written within FLUSH_MS, with the next transaction at the latest.
  let dirty = false;
  let flushTimer: ReturnType<typeof setTimeout> | undefined;

  const run = async <T>(
    fn: (tx: Tx) => T | Promise<T>,
  ): Promise<{ result: T; model: ReadModel; events: JournalEvent[] }> => {
    if (closed) throw new Error(`store ${file} is closed`);
    let state = low.data;
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
        state = { ...state, ...change(state) };
        bookkept = true;
      },
      append(input, itemHistory) {
        const e = JournalEvent.parse({ ...input, seq: state.journal.lastSeq + 1 });
        state = applyEvent(state, e, timeZone, itemHistory);
        events.push(e);
        const name = fileEvent(chunks, e, timeZone);
        placement.set(name, [...(placement.get(name) ?? []), e]);
        return e;
      },
      async itemHistory(itemId) {
        const stored = await historyOf(journal, low.data.journal.chunks, itemId, itemChunks);
        return [...stored, ...events.filter((e) => itemId === undefined || itemOfEvent(e) === itemId)];
      },
    };
    const result = await fn(tx);
    if (!replaced && !bookkept && events.length === 0) return { result, model, events };
    state = forgetExpired(state, clock().getTime());
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
    state = { ...state, journal: { lastSeq: state.journal.lastSeq, chunks } };
    // The journal first: it is the record; the document is its fold and can be rebuilt from it.
    for (const [name, list] of placement) {
      const bytes = await journal.append(name, list);
      itemChunks.note(name, list);
      const at = chunks.findIndex((c) => c.name === name);
      if (at >= 0) chunks[at] = { ...chunks[at]!, bytes };
    }
    const previous = low.data;
    low.data = state;
    try {
      await low.write();
    } catch (e) {
      low.data = previous;
      throw e;
    }
    dirty = false;
    model = readModelFromState(state, timeZone, model.revision + 1, model);
    return { result, model, events };
  };

  const enqueue = <T>(fn: () => Promise<T>): Promise<T> => {
    const p = queue.then(fn);
    queue = p.catch(() => undefined);
    return p;
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
        low.data = withSafeRecords({ ...low.data, ...change(low.data) });
        model = readModelFromState(low.data, timeZone, model.revision + 1, model);
        dirty = true;
        flushTimer ??= setTimeout(flush, FLUSH_MS);
        flushTimer.unref?.();
      });
    },
    async history(filter = {}) {
      await queue;
      return historyOf(journal, low.data.journal.chunks, filter.itemId, itemChunks);
    },
    async close() {
      if (closed) return;
      if (flushTimer) clearTimeout(flushTimer);
      flushTimer = undefined;
      if (dirty) await enqueue(() => run((tx) => tx.bookkeep(() => ({})))).catch(() => undefined);
      closed = true;
      await queue.catch(() => undefined);
      await release();
    },
  };
}
