/**
 * Keyed records that one writer may change in place. The delivery bookkeeping (delivery.ts) keeps
 * thousands of entries per record, and the state is otherwise never changed in place: noting one
 * delivery copied its record (5,000 entries) and expiring entries walked every record, on every write.
 *
 * Outside a writer's scope every function here is pure and copies, exactly as before. The store opens
 * a scope (`withWriter`) around the synchronous domain calls of one transaction, handing the writer
 * the records it owns (those of its current state, which nobody else changes: transactions run one at
 * a time). In that scope, `setEntry`, `deleteEntry` and `forgetFrom` change an owned record in place
 * and log each change, so that the store can
 * - write a patch of just the changed keys (the identity diff sees the same object and skips it),
 * - undo them all when the transaction fails, and
 * - expire entries from a queue ordered by expiry (`ExpiryQueue`) instead of walking the record.
 * A record the writer does not own (a fresh copy a caller spread) is copied, and diffed by identity.
 */
import { withEntry } from './lookup.ts';

type AnyRecord = Record<string, unknown>;

/** One change made in place: the record, the key, and what was there before (for undo). */
export type RecordChange = { record: AnyRecord; key: string; had: boolean; before: unknown };

/**
 * A record's entries ordered by expiry: a binary min-heap of (until, order, key), where `order` is
 * when the key was first noted, so ties go oldest first, as the record's own key order does. Entries
 * whose key has since changed or gone are skipped when they come up (and the heap rebuilt when stale
 * entries outnumber live ones). `size` is the record's key count, kept as keys come and go.
 */
export class ExpiryQueue<T = unknown> {
  #heap: Array<{ until: number; order: number; key: string }> = [];
  #order = new Map<string, number>();
  #next = 0;
  size = 0;

  constructor(
    readonly record: Record<string, T>,
    readonly until: (value: T) => number,
  ) {
    this.rebuild();
  }

  /** Puts every entry of the record back in the queue (at construction, and when stale entries pile up). */
  rebuild(): void {
    const order = new Map<string, number>();
    this.#heap = [];
    this.#next = 0;
    for (const [key, value] of Object.entries(this.record)) {
      const o = this.#order.get(key) ?? this.#next;
      order.set(key, o);
      this.#next = Math.max(this.#next, o + 1);
      this.#heap.push({ until: this.until(value), order: o, key });
    }
    this.#order = order;
    this.size = order.size;
    this.#heap.sort(earlier);
  }

  /** The record's `key` was set (after the fact); `had` says whether it was there already. */
  noteSet(key: string, had: boolean): void {
    if (!had) {
      this.size++;
      this.#order.set(key, this.#next++);
    }
    this.#push({ until: this.until(this.record[key] as T), order: this.#order.get(key)!, key });
    if (this.#heap.length > 2 * this.size + 1_024) this.rebuild();
  }

  /** The record's `key` was deleted (after the fact). */
  noteDelete(key: string): void {
    this.size--;
    this.#order.delete(key);
  }

  /** The key that expires first, and when; undefined when the record is empty. */
  peek(): { key: string; until: number } | undefined {
    while (this.#heap.length > 0) {
      const top = this.#heap[0]!;
      const value = Object.hasOwn(this.record, top.key) ? this.record[top.key] : undefined;
      if (value !== undefined && this.#order.get(top.key) === top.order && this.until(value) === top.until) return top;
      this.#pop();
    }
    return undefined;
  }

  #push(entry: { until: number; order: number; key: string }): void {
    const heap = this.#heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (earlier(heap[parent]!, entry) <= 0) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = entry;
  }

  #pop(): void {
    const heap = this.#heap;
    const last = heap.pop()!;
    if (heap.length === 0) return;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && earlier(heap[right]!, heap[left]!) < 0 ? right : left;
      if (earlier(last, heap[child]!) <= 0) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = last;
  }
}

const earlier = (a: { until: number; order: number }, b: { until: number; order: number }) =>
  a.until - b.until || a.order - b.order;

/** The one writer of a store's records: what it owns, what it changed, and its records' expiry queues. */
export class RecordWriter {
  readonly changes: RecordChange[] = [];
  readonly #owned: Set<object>;

  /**
   * `queues` outlive the writer (the store keeps them from one transaction to the next, for as long as
   * the record is the same object).
   */
  constructor(
    owned: Iterable<object>,
    readonly queues: WeakMap<object, ExpiryQueue> = new WeakMap(),
  ) {
    this.#owned = new Set(owned);
  }

  owns(record: object): boolean {
    return this.#owned.has(record);
  }

  set(record: AnyRecord, key: string, value: unknown): void {
    const had = Object.hasOwn(record, key);
    this.changes.push({ record, key, had, before: had ? record[key] : undefined });
    record[key] = value;
    this.queues.get(record)?.noteSet(key, had);
  }

  delete(record: AnyRecord, key: string): void {
    if (!Object.hasOwn(record, key)) return;
    this.changes.push({ record, key, had: true, before: record[key] });
    delete record[key];
    this.queues.get(record)?.noteDelete(key);
  }

  /** Puts every changed record back as it was, newest change first, and drops their queues (rebuilt when next needed). */
  undo(): void {
    for (let i = this.changes.length - 1; i >= 0; i--) {
      const c = this.changes[i]!;
      if (c.had) c.record[c.key] = c.before;
      else delete c.record[c.key];
      this.queues.delete(c.record);
    }
    this.changes.length = 0;
  }

  /** The records changed, each once with its changed keys. */
  changed(): Map<AnyRecord, Set<string>> {
    const out = new Map<AnyRecord, Set<string>>();
    for (const c of this.changes) {
      let keys = out.get(c.record);
      if (!keys) out.set(c.record, (keys = new Set()));
      keys.add(c.key);
    }
    return out;
  }
}

let active: RecordWriter | undefined;

/** Runs `fn` (synchronous) with `writer` changing its records in place; pure copies again after. */
export function withWriter<T>(writer: RecordWriter, fn: () => T): T {
  const previous = active;
  active = writer;
  try {
    const result = fn();
    if (result instanceof Promise) throw new Error('withWriter runs synchronous code only');
    return result;
  } finally {
    active = previous;
  }
}

/** `record` with `key` set to `value`: in place when the writer in scope owns it, else a null-prototype copy. */
export function setEntry<T>(record: Readonly<Record<string, T>>, key: string, value: T): Record<string, T> {
  if (active?.owns(record)) {
    active.set(record as AnyRecord, key, value);
    return record as Record<string, T>;
  }
  return withEntry(record, key, value);
}

/** `record` without `key`: in place when the writer in scope owns it, else a null-prototype copy (or itself, when it has no such key). */
export function deleteEntry<T>(record: Readonly<Record<string, T>>, key: string): Record<string, T> {
  if (!Object.hasOwn(record, key)) return record as Record<string, T>;
  if (active?.owns(record)) {
    active.delete(record as AnyRecord, key);
    return record as Record<string, T>;
  }
  const next = Object.assign(Object.create(null) as Record<string, T>, record);
  delete next[key];
  return next;
}

/**
 * When the writer in scope owns `record`: drops its entries expired at `nowMs` and, over `max`, the
 * oldest down to nine tenths of `max` (as delivery.ts's boundRecord does), in place from its expiry
 * queue, so a write that expires nothing costs nothing. Returns `record` itself then; undefined when
 * no writer owns it (the caller bounds a copy).
 */
export function forgetFrom<T>(
  record: Record<string, T>,
  until: (value: T) => number,
  nowMs: number,
  max: number,
): Record<string, T> | undefined {
  const writer = active;
  if (!writer?.owns(record)) return undefined;
  let queue = writer.queues.get(record) as ExpiryQueue<T> | undefined;
  if (!queue || queue.until !== until) {
    queue = new ExpiryQueue(record, until);
    writer.queues.set(record, queue as ExpiryQueue);
  }
  for (let top = queue.peek(); top && top.until <= nowMs; top = queue.peek()) writer.delete(record, top.key);
  if (queue.size > max) {
    const keep = Math.max(1, Math.floor(max * 0.9));
    for (let top = queue.peek(); top && queue.size > keep; top = queue.peek()) writer.delete(record, top.key);
  }
  return record;
}
