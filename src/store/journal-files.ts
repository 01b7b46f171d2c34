/**
 * The journal on disk: one JSON document per chunk (a month, split every CHUNK_LIMIT events), one
 * event per line. A chunk is appended to in place: the new lines overwrite its closing `\n]}\n` and
 * bring their own. Appends are not flushed one by one: the store's write-ahead log (wal.ts) is what
 * makes a transaction durable, and `sync()` flushes every chunk appended since the last call before
 * the store checkpoints. After a crash only a chunk's tail can be torn; `readLenient` finds the events
 * that survived and `rewrite` puts the chunk back in shape, from the write-ahead log's copy of the rest.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { type FileHandle, mkdir, open, readdir, readFile, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { itemOfEvent, JournalEvent } from '../domain/journal.ts';
import type { JournalChunk } from '../domain/state.ts';
import { DataFileError, formatIssues } from './errors.ts';
import { DurableTextFile, syncDirectory } from './json-file.ts';

/** Events per chunk file: the unit start-up re-reads after a crash, and a full-history read's step. */
export const CHUNK_LIMIT = 500;
/** Chunk files kept open for appending (the current month's, mostly). */
const OPEN_HANDLES = 4;
const CLOSER = '\n]}\n';

const ChunkDocument = z.object({
  version: z.literal(2),
  chunk: z.string(),
  events: z.array(JournalEvent),
});

const headerOf = (name: string) => `{"version":2,"chunk":${JSON.stringify(name)},"events":[`;

/** A chunk's whole text as the store writes it, from its events' lines. */
export function chunkText(name: string, lines: readonly string[]): string {
  return `${headerOf(name)}\n${lines.join(',\n')}${CLOSER}`;
}

/**
 * The event lines of a chunk as the store writes it (a header line, one event per line, a closing
 * line), without their separating commas; undefined for any other layout.
 */
function eventLinesOf(text: string, name: string): string[] | undefined {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  if (lines.length < 2 || lines[0] !== headerOf(name) || lines.at(-1) !== ']}') return undefined;
  const events = lines.slice(1, -1);
  for (let i = 0; i < events.length; i++) {
    const line = events[i]!;
    const last = i === events.length - 1;
    if (!line.startsWith('{') || !(last ? line.endsWith('}') : line.endsWith('},'))) return undefined;
    if (!last) events[i] = line.slice(0, -1);
  }
  return events;
}

/** "2026-11" for the month of `at` in the zone; ".2", ".3"… when that month already has full chunks. */
export function chunkNameFor(month: string, chunks: readonly JournalChunk[]): string {
  const same = chunks.filter((c) => c.name === month || c.name.startsWith(`${month}.`));
  const last = same[same.length - 1];
  if (!last) return month;
  if (last.count < CHUNK_LIMIT) return last.name;
  const n = last.name.includes('.') ? Number(last.name.split('.')[1]) + 1 : 2;
  return `${month}.${n}`;
}

/** Where events are kept: files on disk, or memory for the console and tests. */
export interface Journal {
  list(): Promise<string[]>;
  read(name: string): Promise<readonly JournalEvent[]>;
  /**
   * Appends events (with their JSON lines when the caller has them) and resolves with the chunk's
   * size once the file has them; not yet flushed to disk (see sync).
   */
  append(name: string, events: readonly JournalEvent[], lines?: readonly string[]): Promise<number>;
  /** Takes back the last append to a chunk, which the store could not commit. */
  rollback(name: string): Promise<void>;
  /** Flushes every chunk appended to since the last call, and the folder when a chunk was created. */
  sync(): Promise<void>;
  readAll(names: readonly string[]): Promise<JournalEvent[]>;
  /** The chunk's size on disk (bytes), or undefined when it is not there. */
  size(name: string): Promise<number | undefined>;
  /** The events of one item, in journal order, over the given chunks (the store's index of them). */
  itemHistory(chunks: readonly string[], itemId: string): Promise<JournalEvent[]>;
  close(): Promise<void>;
  describe(): string;
}

/** Every `"itemId":"…"` in a chunk's text: each event about an item names it so (see itemOfEvent). */
export function itemIdsInText(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(/"itemId"\s*:\s*"((?:[^"\\]|\\.)*)"/g))
    out.add(m[1]!.includes('\\') ? (JSON.parse(`"${m[1]!}"`) as string) : m[1]!);
  return out;
}

function parseEventLine(path: string, line: string): JournalEvent {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch (e) {
    throw new DataFileError(path, [`not valid JSON: ${(e as Error).message}`], 'The journal file was left untouched.');
  }
  const parsed = JournalEvent.safeParse(raw);
  if (!parsed.success)
    throw new DataFileError(path, formatIssues(raw, parsed.error.issues), 'The journal file was left untouched.');
  return parsed.data;
}

export class MemoryJournal implements Journal {
  readonly #chunks = new Map<string, JournalEvent[]>();
  readonly #before = new Map<string, JournalEvent[] | undefined>();
  async list() {
    return [...this.#chunks.keys()];
  }
  async read(name: string) {
    return this.#chunks.get(name) ?? [];
  }
  async append(name: string, events: readonly JournalEvent[]) {
    this.#before.set(name, this.#chunks.get(name));
    const all = [...(this.#chunks.get(name) ?? []), ...events];
    this.#chunks.set(name, all);
    return all.length;
  }
  async rollback(name: string) {
    if (!this.#before.has(name)) return;
    const before = this.#before.get(name);
    this.#before.delete(name);
    if (before === undefined) this.#chunks.delete(name);
    else this.#chunks.set(name, before);
  }
  async sync() {}
  async size(name: string) {
    return this.#chunks.get(name)?.length;
  }
  async readAll(names: readonly string[]) {
    return names.flatMap((n) => this.#chunks.get(n) ?? []);
  }
  async itemHistory(chunks: readonly string[], itemId: string) {
    return chunks.flatMap((n) => (this.#chunks.get(n) ?? []).filter((e) => itemOfEvent(e) === itemId));
  }
  async close() {}
  describe() {
    return '(memory journal)';
  }
}

/**
 * Where each item's events are: per item, [seq, chunk number, byte offset, byte length] of each line,
 * flat. Built once from the chunks' text without parsing their events, then kept up to date by the
 * appends; a look-up reads and parses only the item's own lines.
 */
type ItemLines = { chunkNames: string[]; chunkNo: Map<string, number>; byItem: Map<string, number[]> };

const ITEM_ID = Buffer.from('"itemId":');

export class JournalFiles implements Journal {
  /** Open handles for appending, most recently used last. */
  readonly #handles = new Map<string, FileHandle>();
  /** The size of each chunk this process has appended to or checked. */
  readonly #sizes = new Map<string, number>();
  readonly #dirty = new Set<string>();
  /** Each chunk's size before its last append (undefined: the append created it), for rollback. */
  readonly #before = new Map<string, number | undefined>();
  #created = false;
  #index: ItemLines | undefined;
  #building: Promise<ItemLines> | undefined;

  constructor(readonly dir: string) {}

  describe(): string {
    return this.dir;
  }

  pathOf(name: string): string {
    return join(this.dir, `${name}.json`);
  }

  /** Names of chunk files present on disk, oldest first. */
  async list(): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    return names
      .filter((n) => /^[0-9]{4}-[0-9]{2}(\.[0-9]+)?\.json$/.test(n))
      .map((n) => n.slice(0, -5))
      .sort((a, b) => {
        const [ma = '', ia = '1'] = a.split('.');
        const [mb = '', ib = '1'] = b.split('.');
        return ma < mb ? -1 : ma > mb ? 1 : Number(ia) - Number(ib);
      });
  }

  async #text(name: string): Promise<string | null> {
    try {
      return await readFile(this.pathOf(name), 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  /** Every event of a chunk, validated; a chunk in another layout (edited by hand) is read as JSON. */
  async read(name: string): Promise<readonly JournalEvent[]> {
    const text = await this.#text(name);
    if (text === null) return [];
    const lines = eventLinesOf(text, name);
    if (lines) return lines.map((line) => parseEventLine(this.pathOf(name), line));
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (e) {
      throw new DataFileError(
        this.pathOf(name),
        [`not valid JSON: ${(e as Error).message}`],
        'The journal file was left untouched.',
      );
    }
    const parsed = ChunkDocument.safeParse(raw);
    if (!parsed.success)
      throw new DataFileError(
        this.pathOf(name),
        formatIssues(raw, parsed.error.issues),
        'The journal file was left untouched.',
      );
    return parsed.data.events;
  }

  /**
   * The events of a chunk a crash may have torn: those of its whole lines that parse and validate,
   * up to the first that does not, and whether the file is exactly what the store writes for them.
   */
  async readLenient(name: string): Promise<{ events: JournalEvent[]; exact: boolean; exists: boolean }> {
    const text = await this.#text(name);
    if (text === null) return { events: [], exact: false, exists: false };
    const lines = text.split('\n');
    const events: JournalEvent[] = [];
    const kept: string[] = [];
    if (lines[0] === headerOf(name)) {
      for (let i = 1; i < lines.length - 1; i++) {
        const line = lines[i]!.endsWith(',') ? lines[i]!.slice(0, -1) : lines[i]!;
        if (!line.startsWith('{')) break;
        let raw: unknown;
        try {
          raw = JSON.parse(line);
        } catch {
          break;
        }
        const parsed = JournalEvent.safeParse(raw);
        if (!parsed.success) break;
        events.push(parsed.data);
        kept.push(line);
      }
    }
    return { events, exact: events.length > 0 && chunkText(name, kept) === text, exists: true };
  }

  /** Writes a chunk whole, durably (temp file, fsync, rename, fsync of the folder): crash repair only. */
  async rewrite(name: string, events: readonly JournalEvent[]): Promise<number> {
    await this.#closeHandle(name);
    if (events.length === 0) {
      await unlink(this.pathOf(name)).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'ENOENT') throw e;
      });
      this.#sizes.delete(name);
    } else {
      const text = chunkText(
        name,
        events.map((e) => JSON.stringify(e)),
      );
      await new DurableTextFile(this.pathOf(name)).write(text);
      this.#sizes.set(name, Buffer.byteLength(text));
    }
    this.#index = undefined;
    this.#building = undefined;
    return this.#sizes.get(name) ?? 0;
  }

  async #handle(name: string): Promise<FileHandle | undefined> {
    let fh = this.#handles.get(name);
    if (fh) {
      this.#handles.delete(name);
      this.#handles.set(name, fh);
      return fh;
    }
    try {
      fh = await open(this.pathOf(name), 'r+');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
    this.#handles.set(name, fh);
    while (this.#handles.size > OPEN_HANDLES) {
      const [oldest] = this.#handles.keys();
      await this.#closeHandle(oldest!, true);
    }
    return fh;
  }

  async #closeHandle(name: string, keepDirty = false): Promise<void> {
    const fh = this.#handles.get(name);
    if (!fh) return;
    this.#handles.delete(name);
    // A chunk waiting for sync() is flushed now: its handle is the one that wrote it.
    if (keepDirty && this.#dirty.delete(name)) await fh.sync();
    await fh.close();
  }

  /** Appends events to a chunk in place; resolves once the file has them (flushed by sync()). */
  async append(name: string, events: readonly JournalEvent[], given?: readonly string[]): Promise<number> {
    if (events.length === 0) return (await this.size(name)) ?? 0;
    const lines = given ?? events.map((e) => JSON.stringify(e));
    let fh = await this.#handle(name);
    let size = this.#sizes.get(name);
    let start: number;
    let text: string;
    if (!fh) {
      await mkdir(this.dir, { recursive: true });
      fh = await open(this.pathOf(name), 'wx+');
      this.#handles.set(name, fh);
      this.#created = true;
      text = chunkText(name, lines);
      start = 0;
      size = 0;
    } else {
      if (size === undefined) {
        size = (await fh.stat()).size;
        const tail = Buffer.alloc(CLOSER.length);
        await fh.read(tail, 0, tail.length, Math.max(0, size - tail.length));
        if (size < headerOf(name).length + CLOSER.length || tail.toString('latin1') !== CLOSER) {
          // Not the layout the store writes (edited by hand): written whole, in its layout, once.
          const before = await this.read(name);
          const bytes = await this.rewrite(name, [...before, ...events]);
          this.#dirty.delete(name);
          return bytes;
        }
      }
      start = size - CLOSER.length;
      text = `,\n${lines.join(',\n')}${CLOSER}`;
    }
    const buffer = Buffer.from(text, 'utf8');
    // Noted first: a write that fails half-way is taken back too.
    this.#before.set(name, start === 0 ? undefined : size);
    let written = 0;
    while (written < buffer.length) {
      const { bytesWritten } = await fh.write(buffer, written, buffer.length - written, start + written);
      written += bytesWritten;
    }
    const end = start + buffer.length;
    this.#sizes.set(name, end);
    this.#dirty.add(name);
    this.#noteLines(name, events, lines, start === 0 ? Buffer.byteLength(`${headerOf(name)}\n`) : start + 2);
    return end;
  }

  /** Records where appended lines are, when the item index is in use. */
  #noteLines(name: string, events: readonly JournalEvent[], lines: readonly string[], first: number): void {
    const index = this.#index;
    if (!index) return;
    let no = index.chunkNo.get(name);
    if (no === undefined) {
      no = index.chunkNames.length;
      index.chunkNames.push(name);
      index.chunkNo.set(name, no);
    }
    let offset = first;
    events.forEach((e, i) => {
      const length = Buffer.byteLength(lines[i]!);
      const item = itemOfEvent(e);
      if (item) addLine(index, item, e.seq, no, offset, length);
      offset += length + 2;
    });
  }

  async rollback(name: string): Promise<void> {
    if (!this.#before.has(name)) return;
    const size = this.#before.get(name);
    this.#before.delete(name);
    const fh = await this.#handle(name);
    if (!fh) return;
    if (size === undefined) {
      await this.#closeHandle(name);
      await unlink(this.pathOf(name));
      this.#sizes.delete(name);
    } else {
      await fh.truncate(size - CLOSER.length);
      await fh.write(CLOSER, size - CLOSER.length, 'latin1');
      this.#sizes.set(name, size);
    }
    // Offsets past the cut may have been noted: the index is rebuilt when next asked.
    this.#index = undefined;
    this.#building = undefined;
  }

  async sync(): Promise<void> {
    const names = [...this.#dirty];
    this.#dirty.clear();
    for (const name of names) await this.#handles.get(name)?.sync();
    if (this.#created) {
      this.#created = false;
      await syncDirectory(this.dir);
    }
  }

  async size(name: string): Promise<number | undefined> {
    try {
      return (await stat(this.pathOf(name))).size;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }

  /** Every event in the given chunks, in journal order. */
  async readAll(names: readonly string[]): Promise<JournalEvent[]> {
    const out: JournalEvent[] = [];
    for (const name of names) out.push(...(await this.read(name)));
    return out;
  }

  /** Builds the item index from the chunks' text, one chunk at a time; lines appended meanwhile are noted too. */
  #build(chunks: readonly string[]): Promise<ItemLines> {
    // The index is in place before it is complete (so appends are noted): callers wait for the build.
    this.#building ??= (async () => {
      const index: ItemLines = { chunkNames: [], chunkNo: new Map(), byItem: new Map() };
      for (const name of chunks) {
        index.chunkNo.set(name, index.chunkNames.length);
        index.chunkNames.push(name);
      }
      // In place while it is built, so that appends from now on are noted; a line both noted and
      // scanned is kept once (by its seq).
      this.#index = index;
      for (const name of chunks) {
        let bytes: Buffer;
        try {
          bytes = await readFile(this.pathOf(name));
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
          throw e;
        }
        scanChunk(index, index.chunkNo.get(name)!, bytes);
      }
      for (const [item, lines] of index.byItem) index.byItem.set(item, sortedBySeq(lines));
      return index;
    })().catch((e: unknown) => {
      this.#index = undefined;
      this.#building = undefined;
      throw e;
    });
    return this.#building;
  }

  async itemHistory(chunks: readonly string[], itemId: string): Promise<JournalEvent[]> {
    let index = await this.#build(chunks);
    if (index !== this.#index) index = await this.#build(chunks);
    const lines = sortedBySeq(index.byItem.get(itemId) ?? []);
    index.byItem.set(itemId, lines);
    const out: JournalEvent[] = [];
    let buffer = Buffer.alloc(4096);
    // Synchronous reads of a few hundred bytes each: the page cache answers them in microseconds,
    // where one promise per line would cost more than the read.
    let fd: number | undefined;
    let fdChunk = -1;
    try {
      for (let i = 0; i < lines.length; i += 4) {
        const no = lines[i + 1]!;
        const offset = lines[i + 2]!;
        const length = lines[i + 3]!;
        if (no !== fdChunk) {
          if (fd !== undefined) closeSync(fd);
          fd = undefined;
          fd = openSync(this.pathOf(index.chunkNames[no]!), 'r');
          fdChunk = no;
        }
        if (buffer.length < length) buffer = Buffer.alloc(length * 2);
        const got = readSync(fd!, buffer, 0, length, offset);
        const path = this.pathOf(index.chunkNames[no]!);
        const e = parseEventLine(path, buffer.toString('utf8', 0, got));
        // The text named the item; the event itself decides (a note may quote "itemId").
        if (itemOfEvent(e) === itemId) out.push(e);
      }
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
    return out;
  }

  async close(): Promise<void> {
    for (const name of [...this.#handles.keys()]) await this.#closeHandle(name, true);
  }
}

function addLine(index: ItemLines, item: string, seq: number, no: number, offset: number, length: number): void {
  let list = index.byItem.get(item);
  if (!list) index.byItem.set(item, (list = []));
  list.push(seq, no, offset, length);
}

/** The index entries [seq, chunk, offset, length]… in seq order, each seq once. */
function sortedBySeq(lines: number[]): number[] {
  let ordered = true;
  for (let i = 4; i < lines.length && ordered; i += 4) ordered = lines[i]! > lines[i - 4]!;
  if (ordered) return lines;
  const rows: number[][] = [];
  for (let i = 0; i < lines.length; i += 4) rows.push(lines.slice(i, i + 4));
  rows.sort((a, b) => a[0]! - b[0]!);
  const out: number[] = [];
  let last = -1;
  for (const r of rows) {
    if (r[0] === last) continue;
    last = r[0]!;
    out.push(...r);
  }
  return out;
}

/** Notes each whole event line of a chunk's bytes under the items its text names. */
function scanChunk(index: ItemLines, no: number, bytes: Buffer): void {
  let start = bytes.indexOf(10) + 1;
  while (start > 0 && start < bytes.length) {
    const nl = bytes.indexOf(10, start);
    if (nl < 0) break;
    let end = nl;
    if (bytes[end - 1] === 0x2c) end--;
    if (bytes[start] === 0x7b && bytes[end - 1] === 0x7d) {
      // Lines begin {"seq":N,…
      const seq = Number.parseInt(bytes.toString('latin1', start + 7, Math.min(start + 24, end)), 10);
      let at = bytes.indexOf(ITEM_ID, start);
      const items = new Set<string>();
      while (at >= 0 && at < end) {
        const quote = at + ITEM_ID.length;
        if (bytes[quote] === 0x22) {
          let close = quote + 1;
          while (close < end && bytes[close] !== 0x22) close += bytes[close] === 0x5c ? 2 : 1;
          const raw = bytes.toString('utf8', quote + 1, close);
          items.add(raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw);
        }
        at = bytes.indexOf(ITEM_ID, quote);
      }
      if (Number.isInteger(seq)) for (const item of items) addLine(index, item, seq, no, start, end - start);
    }
    start = nl + 1;
  }
}
