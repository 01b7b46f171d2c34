// The store as it was at fb9d9d5, before the write-ahead log (src/store/{store,journal-files}.ts then),
// kept unchanged as bench/store-scale.ts's baseline and to show test/store/old-folder.test.ts that a
// folder stopped cleanly is still one it reads. Only its import paths were changed.
/**
 * The journal on disk: a folder of lowdb documents ("chunks"), one per month of recording, split
 * when a month grows past CHUNK_LIMIT events, so that appending an event rewrites one small file
 * however long the history. Each chunk holds one event per line, so it stays readable and diffable.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type Adapter, Low } from 'lowdb';
import { z } from 'zod';
import { itemOfEvent, JournalEvent } from '../../../src/domain/journal.ts';
import type { JournalChunk } from '../../../src/domain/state.ts';
import { DataFileError, formatIssues } from '../../../src/store/errors.ts';
import { DurableTextFile } from '../../../src/store/json-file.ts';

/** Events per chunk file: small enough that rewriting one on each append stays cheap. */
export const CHUNK_LIMIT = 500;
const CACHE_CHUNKS = 6;

const ChunkDocument = z.object({
  version: z.literal(2),
  chunk: z.string(),
  events: z.array(JournalEvent),
});
type ChunkDocument = z.infer<typeof ChunkDocument>;

class ChunkFile implements Adapter<ChunkDocument> {
  readonly #text: DurableTextFile;
  constructor(readonly path: string) {
    this.#text = new DurableTextFile(path);
  }
  async read(): Promise<ChunkDocument | null> {
    const text = await this.#text.read();
    if (text === null) return null;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (e) {
      throw new DataFileError(
        this.path,
        [`not valid JSON: ${(e as Error).message}`],
        'The journal file was left untouched.',
      );
    }
    const parsed = ChunkDocument.safeParse(raw);
    if (!parsed.success)
      throw new DataFileError(
        this.path,
        formatIssues(raw, parsed.error.issues),
        'The journal file was left untouched.',
      );
    return parsed.data;
  }
  write(doc: ChunkDocument): Promise<void> {
    const lines = doc.events.map((e) => JSON.stringify(e)).join(',\n');
    return this.#text.write(`{"version":2,"chunk":${JSON.stringify(doc.chunk)},"events":[\n${lines}\n]}\n`);
  }
}

/**
 * The event lines of a chunk as ChunkFile writes it (a header line, one event per line, a closing
 * line), without their separating commas; undefined for any other layout.
 */
function eventLinesOf(text: string, name: string): string[] | undefined {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  if (
    lines.length < 2 ||
    lines[0] !== `{"version":2,"chunk":${JSON.stringify(name)},"events":[` ||
    lines.at(-1) !== ']}'
  )
    return undefined;
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
  /** Appends, and resolves with the chunk's size on disk once it is there. */
  append(name: string, events: readonly JournalEvent[]): Promise<number>;
  readAll(names: readonly string[]): Promise<JournalEvent[]>;
  /** The chunk's size on disk (bytes), or undefined when it is not there. */
  size(name: string): Promise<number | undefined>;
  /**
   * The items a chunk has events about (a superset is allowed, never a subset): for the item index,
   * found without parsing or validating the chunk's events.
   */
  itemsIn(name: string): Promise<Set<string>>;
  /** The events of a chunk about one item, in order; only those are parsed and validated where the chunk's layout allows. */
  readItem(name: string, itemId: string): Promise<JournalEvent[]>;
  describe(): string;
}

/** Every `"itemId":"…"` in a chunk's text: each event about an item names it so (see itemOfEvent). */
export function itemIdsInText(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(/"itemId"\s*:\s*"((?:[^"\\]|\\.)*)"/g))
    out.add(m[1]!.includes('\\') ? (JSON.parse(`"${m[1]!}"`) as string) : m[1]!);
  return out;
}

export class MemoryJournal implements Journal {
  readonly #chunks = new Map<string, JournalEvent[]>();
  async list() {
    return [...this.#chunks.keys()];
  }
  async read(name: string) {
    return this.#chunks.get(name) ?? [];
  }
  async append(name: string, events: readonly JournalEvent[]) {
    const all = [...(this.#chunks.get(name) ?? []), ...events];
    this.#chunks.set(name, all);
    return all.length;
  }
  async size(name: string) {
    return this.#chunks.get(name)?.length;
  }
  async readAll(names: readonly string[]) {
    return names.flatMap((n) => this.#chunks.get(n) ?? []);
  }
  async itemsIn(name: string) {
    return itemIdsInText(JSON.stringify(this.#chunks.get(name) ?? []));
  }
  async readItem(name: string, itemId: string) {
    return (this.#chunks.get(name) ?? []).filter((e) => itemOfEvent(e) === itemId);
  }
  describe() {
    return '(memory journal)';
  }
}

export class JournalFiles implements Journal {
  readonly #cache = new Map<string, Low<ChunkDocument>>();

  constructor(readonly dir: string) {}

  describe(): string {
    return this.dir;
  }

  pathOf(name: string): string {
    return join(this.dir, `${name}.json`);
  }

  async #open(name: string): Promise<Low<ChunkDocument>> {
    let low = this.#cache.get(name);
    if (low) {
      // Most recently used last.
      this.#cache.delete(name);
      this.#cache.set(name, low);
      return low;
    }
    low = new Low<ChunkDocument>(new ChunkFile(this.pathOf(name)), { version: 2, chunk: name, events: [] });
    await low.read();
    this.#cache.set(name, low);
    while (this.#cache.size > CACHE_CHUNKS) this.#cache.delete(this.#cache.keys().next().value!);
    return low;
  }

  async itemsIn(name: string): Promise<Set<string>> {
    const cached = this.#cache.get(name);
    if (cached)
      return new Set(cached.data.events.map(itemOfEvent).filter((item): item is string => item !== undefined));
    try {
      return itemIdsInText(await readFile(this.pathOf(name), 'utf8'));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return new Set();
      throw e;
    }
  }

  async readItem(name: string, itemId: string): Promise<JournalEvent[]> {
    const cached = this.#cache.get(name);
    if (cached) return cached.data.events.filter((e) => itemOfEvent(e) === itemId);
    let text: string;
    try {
      text = await readFile(this.pathOf(name), 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    const lines = eventLinesOf(text, name);
    // A chunk not in the layout ChunkFile writes (edited by hand, say) is read and validated whole.
    if (!lines) return (await this.read(name)).filter((e) => itemOfEvent(e) === itemId);
    const needle = `"itemId":${JSON.stringify(itemId)}`;
    const out: JournalEvent[] = [];
    for (const line of lines) {
      if (!line.includes(needle)) continue;
      let raw: unknown;
      try {
        raw = JSON.parse(line);
      } catch (e) {
        throw new DataFileError(
          this.pathOf(name),
          [`not valid JSON: ${(e as Error).message}`],
          'The journal file was left untouched.',
        );
      }
      const parsed = JournalEvent.safeParse(raw);
      if (!parsed.success)
        throw new DataFileError(
          this.pathOf(name),
          formatIssues(raw, parsed.error.issues),
          'The journal file was left untouched.',
        );
      if (itemOfEvent(parsed.data) === itemId) out.push(parsed.data);
    }
    return out;
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

  async read(name: string): Promise<readonly JournalEvent[]> {
    return (await this.#open(name)).data.events;
  }

  /** Appends events to a chunk and resolves once the chunk is on disk. */
  async append(name: string, events: readonly JournalEvent[]): Promise<number> {
    const low = await this.#open(name);
    const previous = low.data;
    low.data = { ...previous, events: [...previous.events, ...events] };
    try {
      await low.write();
    } catch (e) {
      low.data = previous;
      throw e;
    }
    return (await this.size(name)) ?? 0;
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
}
