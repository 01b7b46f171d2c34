/**
 * The store's write-ahead log: one line per transaction, appended and flushed (fdatasync) before the
 * transaction resolves, holding its journal events and what it changed in the hot document as a patch
 * (paths set or removed). The hot document is then only a checkpoint, written now and then; a start
 * after a crash applies the log's patches to it and puts any journal chunk a crash tore back in shape.
 *
 * The log lives in segments, `db.wal/<n>.jsonl`: a checkpoint starts a new segment, writes the
 * document, then removes the older ones. Applying a segment the checkpoint already holds is harmless:
 * a patch sets values, so applying the same patches again, in order, ends in the same state.
 */
import { type FileHandle, mkdir, open, readdir, readFile, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { JournalEvent } from '../domain/journal.ts';
import { DataFileError } from './errors.ts';
import { syncDirectory } from './json-file.ts';

/** A change to the document: the value at a path, or its removal (no value). */
export type PatchOp = [path: string[], value: unknown] | [path: string[]];

/** Parts of the document never patched: the journal's index is rebuilt from the journal at start. */
const UNPATCHED = new Set(['journal']);
/** How deep a patch names what changed: `seen.messages.<channel:ts>` is three keys down. */
const DEPTH = 3;

/** How many keys a record had when last diffed (records are never changed in place). */
const keyCounts = new WeakMap<object, number>();

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * What changed from `before` to `after`, found by identity: a part that is the same object is unchanged,
 * and only the entries that changed are visited. The store's bookkeeping records are the exception:
 * they change in place (owned-records.ts), the store names them in `changedInPlace` and patches their
 * changed keys itself.
 */
export function diffState(before: object, after: object, changedInPlace: Iterable<object> = []): PatchOp[] {
  // A record changed in place (owned-records.ts) has another key count than remembered: count it again.
  for (const record of changedInPlace) keyCounts.delete(record);
  const ops: PatchOp[] = [];
  diffInto(ops, before as Record<string, unknown>, after as Record<string, unknown>, [], 1);
  return ops;
}

function diffInto(
  ops: PatchOp[],
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  path: string[],
  depth: number,
): void {
  const keys = Object.keys(after);
  let shared = 0;
  for (const key of keys) {
    if (depth === 1 && UNPATCHED.has(key)) continue;
    const a = after[key];
    const had = Object.hasOwn(before, key);
    if (had) shared++;
    const b = had ? before[key] : undefined;
    if (a === b) continue;
    if (a === undefined) {
      if (b !== undefined) ops.push([[...path, key]]);
    } else if (depth < DEPTH && isRecord(a) && isRecord(b)) diffInto(ops, b, a, [...path, key], depth + 1);
    else ops.push([[...path, key], a]);
  }
  // Removed keys, if any: `before` has more keys than the two share. The count of a record diffed as
  // `after` last time is remembered, so a record of thousands of delivery ids is walked once, not
  // twice, when nothing was forgotten.
  keyCounts.set(after, keys.length);
  const unpatched = depth === 1 ? keys.filter((k) => UNPATCHED.has(k)).length : 0;
  const counted = keyCounts.get(before);
  if (counted !== undefined && counted <= shared + unpatched) return;
  const beforeKeys = Object.keys(before);
  if (beforeKeys.length <= shared + unpatched) return;
  for (const key of beforeKeys) {
    if (depth === 1 && UNPATCHED.has(key)) continue;
    if (!Object.hasOwn(after, key) && before[key] !== undefined) ops.push([[...path, key]]);
  }
}

/** `doc` with the patch applied, copying only the objects on the patched paths (null-prototype copies). */
export function applyPatch<T extends object>(doc: T, ops: readonly PatchOp[]): T {
  const root = copy(doc as Record<string, unknown>);
  const copied = new Set<object>([root]);
  for (const op of ops) {
    const [path] = op;
    if (path.length === 0) continue;
    let node: Record<string, unknown> | undefined = root;
    for (const key of path.slice(0, -1)) {
      const next: unknown = Object.hasOwn(node, key) ? node[key] : undefined;
      let child: Record<string, unknown>;
      if (isRecord(next) && copied.has(next)) child = next;
      else if (op.length === 1 && !isRecord(next)) {
        // Nothing there to remove.
        node = undefined;
        break;
      } else {
        child = isRecord(next) ? copy(next) : (Object.create(null) as Record<string, unknown>);
        copied.add(child);
        node[key] = child;
      }
      node = child;
    }
    if (!node) continue;
    const last = path[path.length - 1]!;
    if (op.length === 1) delete node[last];
    else node[last] = op[1];
  }
  return root as T;
}

function copy(x: Record<string, unknown>): Record<string, unknown> {
  return Object.assign(Object.create(null) as Record<string, unknown>, x);
}

const WalRecord = z.object({
  seq: z.number().int().min(0),
  events: z.array(z.object({ chunk: z.string(), event: JournalEvent })),
  patch: z.array(z.union([z.tuple([z.array(z.string())]), z.tuple([z.array(z.string()), z.unknown()])])),
});
export type WalRecord = { seq: number; events: Array<{ chunk: string; event: JournalEvent }>; patch: PatchOp[] };

/** One transaction's line, reusing its events' JSON lines. */
export function walLine(
  seq: number,
  events: ReadonlyArray<{ chunk: string; line: string }>,
  patch: readonly PatchOp[],
): string {
  const list = events.map((e) => `{"chunk":${JSON.stringify(e.chunk)},"event":${e.line}}`).join(',');
  return `{"seq":${seq},"events":[${list}],"patch":${JSON.stringify(patch)}}\n`;
}

/** Where the log of a data file lives: data/db.json → data/db.wal/. */
export function walDirOf(file: string): string {
  return `${file.replace(/\.json$/i, '')}.wal`;
}

const SEGMENT = /^([0-9]{8})\.jsonl$/;
const segmentName = (n: number) => `${String(n).padStart(8, '0')}.jsonl`;

export class WriteAheadLog {
  #fh: FileHandle | undefined;
  #segment = 0;
  #bytes = 0;

  constructor(readonly dir: string) {}

  /** Segment numbers on disk, oldest first. */
  async segments(): Promise<number[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    return names
      .map((n) => SEGMENT.exec(n)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
  }

  /**
   * Every whole record on disk, oldest first. A crash can leave the last line of the last segment
   * torn: that transaction was never acknowledged, and it and anything after it are ignored.
   * Throws `vanished` (ENOENT) when a segment is removed while being read (a checkpoint beside a reader).
   */
  async read(): Promise<{ records: WalRecord[]; segments: number[] }> {
    const segments = await this.segments();
    const records: WalRecord[] = [];
    for (const n of segments) {
      const path = join(this.dir, segmentName(n));
      const text = await readFile(path, 'utf8');
      const lines = text.split('\n');
      // Only a line with its newline was written whole.
      lines.pop();
      for (const [i, line] of lines.entries()) {
        let raw: unknown;
        try {
          raw = JSON.parse(line);
        } catch {
          raw = undefined;
        }
        const parsed = WalRecord.safeParse(raw);
        if (!parsed.success) {
          if (n === segments.at(-1) && i === lines.length - 1) break;
          throw new DataFileError(
            path,
            [`line ${i + 1}: not a write-ahead record`],
            'The log was left untouched. Restore the data folder from a backup.',
          );
        }
        records.push(parsed.data as WalRecord);
      }
    }
    return { records, segments };
  }

  /** Starts a new segment after `after` (creating the folder), flushed into its folder before it is used. */
  async start(after: number): Promise<number> {
    await mkdir(this.dir, { recursive: true });
    await syncDirectory(dirname(this.dir));
    const next = after + 1;
    const fh = await open(join(this.dir, segmentName(next)), 'a');
    await syncDirectory(this.dir);
    const previous = this.#fh;
    this.#fh = fh;
    this.#segment = next;
    this.#bytes = 0;
    await previous?.close();
    return next;
  }

  get segment(): number {
    return this.#segment;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** Appends one record and resolves once it is on disk. */
  async append(line: string): Promise<void> {
    if (!this.#fh) throw new Error(`write-ahead log ${this.dir} is not open`);
    const buffer = Buffer.from(line, 'utf8');
    let written = 0;
    while (written < buffer.length) {
      const { bytesWritten } = await this.#fh.write(buffer, written, buffer.length - written);
      written += bytesWritten;
    }
    await this.#fh.datasync();
    this.#bytes += buffer.length;
  }

  /** Removes the segments before `segment` (their records are in a checkpoint now). */
  async removeBefore(segment: number): Promise<void> {
    for (const n of await this.segments()) if (n < segment) await unlink(join(this.dir, segmentName(n)));
  }

  async close(): Promise<void> {
    await this.#fh?.close();
    this.#fh = undefined;
  }
}
