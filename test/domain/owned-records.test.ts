import { describe, expect, it } from 'vitest';
import { boundRecord, type DeliveryLimits, forgetExpired } from '../../src/domain/delivery.ts';
import { recordOf } from '../../src/domain/lookup.ts';
import {
  deleteEntry,
  type ExpiryQueue,
  forgetFrom,
  RecordWriter,
  setEntry,
  withWriter,
} from '../../src/domain/owned-records.ts';
import { emptyState, type StoreState } from '../../src/domain/state.ts';

const until = (v: number) => v;
const keysOf = (r: object) => Object.keys(r).sort();

/** A small deterministic generator, so every row is the same on every run. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('outside a writer, records are copied and never changed', () => {
  it.each([
    ['setEntry adds a key', (r: Record<string, number>) => setEntry(r, 'c', 3), { a: 1, b: 2, c: 3 }],
    ['setEntry replaces a value', (r: Record<string, number>) => setEntry(r, 'a', 9), { a: 9, b: 2 }],
    ['deleteEntry removes a key', (r: Record<string, number>) => deleteEntry(r, 'a'), { b: 2 }],
  ])('%s on a copy', (_, change, expected) => {
    const record = recordOf([
      ['a', 1],
      ['b', 2],
    ]);
    const next = change(record);
    expect(next).not.toBe(record);
    expect({ ...next }).toEqual(expected);
    expect(Object.getPrototypeOf(next)).toBeNull();
    expect({ ...record }).toEqual({ a: 1, b: 2 });
  });

  it('deleteEntry of a key that is not there returns the record itself', () => {
    const record = recordOf([['a', 1]]);
    expect(deleteEntry(record, 'zz')).toBe(record);
  });

  it('forgetFrom leaves a record no writer owns to boundRecord', () => {
    expect(forgetFrom(recordOf([['a', 1]]), until, 5, 10)).toBeUndefined();
  });

  it('a writer changes only the records it owns, and only inside its scope', () => {
    const mine = recordOf<number>([['a', 1]]);
    const other = recordOf<number>([['a', 1]]);
    const writer = new RecordWriter([mine]);
    expect(setEntry(mine, 'b', 2)).not.toBe(mine);
    withWriter(writer, () => {
      expect(setEntry(mine, 'b', 2)).toBe(mine);
      expect(setEntry(other, 'b', 2)).not.toBe(other);
    });
    expect({ ...mine }).toEqual({ a: 1, b: 2 });
    expect({ ...other }).toEqual({ a: 1 });
    expect(setEntry(mine, 'c', 3)).not.toBe(mine);
  });

  it('refuses an asynchronous function, whose changes would land outside the scope', () => {
    expect(() => withWriter(new RecordWriter([]), () => Promise.resolve(1))).toThrow(/synchronous/);
  });
});

describe('a writer logs its changes and undoes them', () => {
  it.each([
    ['a new key', [['set', 'c', 3]], { c: 3 }],
    ['a changed value', [['set', 'a', 7]], { a: 7 }],
    ['a removed key', [['delete', 'b']], { b: undefined }],
    [
      'the same key twice',
      [
        ['set', 'a', 5],
        ['set', 'a', 6],
      ],
      { a: 6 },
    ],
    [
      'a key added then removed',
      [
        ['set', 'x', 1],
        ['delete', 'x'],
      ],
      { x: undefined },
    ],
  ] as const)('%s', (_, steps, finalOfChanged) => {
    const record = recordOf<number>([
      ['a', 1],
      ['b', 2],
    ]);
    const writer = new RecordWriter([record]);
    withWriter(writer, () => {
      for (const step of steps) {
        if (step[0] === 'set') setEntry<number>(record, step[1], step[2]);
        else deleteEntry(record, step[1]);
      }
    });
    const changed = writer.changed();
    expect([...changed.keys()]).toEqual([record]);
    expect([...changed.get(record)!].sort()).toEqual(Object.keys(finalOfChanged).sort());
    for (const [key, value] of Object.entries(finalOfChanged)) expect(record[key]).toBe(value);
    writer.undo();
    expect({ ...record }).toEqual({ a: 1, b: 2 });
    expect(Object.keys(record)).toEqual(['a', 'b']);
    expect(writer.changes).toHaveLength(0);
  });
});

describe('expiry from a queue ordered by expiry', () => {
  it.each([
    // name, entries (key → until), now, max, kept keys
    ['nothing expired, within the limit', { a: 20, b: 30 }, 10, 5, ['a', 'b']],
    ['an entry expiring exactly now is dropped', { a: 10, b: 30, c: 11 }, 10, 5, ['b', 'c']],
    ['every entry expired', { a: 1, b: 2 }, 2, 5, []],
    ['at the limit: nothing trimmed', { a: 11, b: 12, c: 13 }, 0, 3, ['a', 'b', 'c']],
    ['one over the limit: trimmed to nine tenths, the newest kept', { a: 11, b: 12, c: 13, d: 14 }, 0, 3, ['c', 'd']],
    ['a limit of 1 keeps the newest one', { a: 11, b: 12, c: 13 }, 0, 1, ['c']],
    ['expired first, then the limit', { a: 1, b: 12, c: 13, d: 14, e: 15 }, 5, 3, ['d', 'e']],
    ['equal expiries: the earlier noted goes first', { a: 12, b: 12, c: 12, d: 12 }, 0, 3, ['c', 'd']],
  ])('%s', (_, entries, now, max, kept) => {
    const record = recordOf(Object.entries(entries));
    const writer = new RecordWriter([record]);
    expect(withWriter(writer, () => forgetFrom(record, until, now, max))).toBe(record);
    expect(keysOf(record)).toEqual(kept);
    expect(keysOf(boundRecord(recordOf(Object.entries(entries)), until, now, max))).toEqual(kept);
  });

  it.each([
    [1, 50, 8],
    [2, 400, 40],
    [3, 2_000, 300],
    [4, 2_000, Number.POSITIVE_INFINITY],
  ])('seed %i: %i random changes with a limit of %s keep what boundRecord keeps', (seed, steps, max) => {
    const rand = prng(seed);
    const queues = new WeakMap<object, ExpiryQueue>();
    const owned = Object.create(null) as Record<string, number>;
    let copy: Record<string, number> = Object.create(null);
    let now = 1_000;
    // Distinct expiries, so the order of the kept entries is the same however ties fall.
    let tick = 0;
    for (let i = 0; i < steps; i++) {
      const writer = new RecordWriter([owned], queues);
      const r = rand();
      now += Math.floor(rand() * 5);
      const key = `k${Math.floor(rand() * steps * 0.7)}`;
      if (r < 0.7) {
        const value = now + 1 + Math.floor(rand() * 200) + ++tick / 1e6;
        withWriter(writer, () => setEntry(owned, key, value));
        copy = setEntry(copy, key, value);
      } else if (r < 0.8) {
        withWriter(writer, () => deleteEntry(owned, key));
        copy = deleteEntry(copy, key);
      }
      withWriter(writer, () => forgetFrom(owned, until, now, max));
      copy = boundRecord(copy, until, now, max);
      expect(keysOf(owned), `step ${i}`).toEqual(keysOf(copy));
      // A failed transaction now and then: undone, and the queue rebuilt next time.
      if (rand() < 0.05) {
        const failing = new RecordWriter([owned], queues);
        withWriter(failing, () => setEntry(owned, `doomed${i}`, now + 10_000));
        failing.undo();
      }
    }
    expect({ ...owned }).toEqual({ ...copy });
  });

  it('keeps its queue from one writer to the next and rebuilds it when stale entries pile up', () => {
    const record = Object.create(null) as Record<string, number>;
    const queues = new WeakMap<object, ExpiryQueue>();
    for (let i = 0; i < 5_000; i++) {
      const writer = new RecordWriter([record], queues);
      // The same ten keys noted again and again: most queue entries go stale.
      withWriter(writer, () => {
        setEntry(record, `k${i % 10}`, 100_000 + i);
        forgetFrom(record, until, 0, 100);
      });
    }
    expect(queues.get(record)!.size).toBe(10);
    expect(Object.keys(record)).toHaveLength(10);
  });
});

describe('forgetExpired on the store document, in place and copied', () => {
  const limits: DeliveryLimits = { events: 40, messages: 40, threads: 40, choices: 5 };

  function stateWith(n: number, start: number): StoreState {
    const s = emptyState();
    const events = Object.create(null) as Record<string, number>;
    const messages = Object.create(null) as StoreState['seen']['messages'];
    const threads = Object.create(null) as StoreState['threads'];
    for (let i = 0; i < n; i++) {
      events[`Ev${i}`] = start + i * 10;
      messages[`C1:${i}.0001`] = { updateId: `u${i}`, itemId: 't1', until: start + i * 10 };
      threads[`C1:${i}.0001`] = { itemIds: ['t1'], until: start + i * 10 };
    }
    return { ...s, seen: { events, messages }, threads };
  }

  it.each([
    ['nothing to forget', 30, 0],
    ['some expired', 30, 1_100],
    ['over every limit', 100, 0],
    ['everything expired', 100, 1_000_000],
  ])('%s: the same records either way', (_, n, now) => {
    const copied = forgetExpired(stateWith(n, 1_000), now, limits);
    const state = stateWith(n, 1_000);
    const writer = new RecordWriter([state.seen.events, state.seen.messages, state.threads]);
    const inPlace = withWriter(writer, () => forgetExpired(state, now, limits));
    expect(inPlace.seen.events).toBe(state.seen.events);
    for (const part of ['events', 'messages'] as const)
      expect(keysOf(inPlace.seen[part])).toEqual(keysOf(copied.seen[part]));
    expect(keysOf(inPlace.threads)).toEqual(keysOf(copied.threads));
  });
});
