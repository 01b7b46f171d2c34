import { describe, expect, it } from 'vitest';
import { applyPatch, diffState } from '../../src/store/wal.ts';

const plain = (x: unknown) => JSON.parse(JSON.stringify(x)) as unknown;

const base = {
  version: 2,
  progress: { 't-1': { value: 1, recent: [1] }, 'p-2': { percent: 50 } },
  seen: { events: { Ev1: 10, Ev2: 20 }, messages: { 'C1:1.0': { updateId: 'u-1', itemId: 't-1', until: 9 } } },
  threads: {},
  lastBulletin: { slot: 'w1', date: '2026-11-27', snapshot: { 't-1': 'green' } },
  journal: { lastSeq: 4, chunks: [{ name: '2026-11', firstSeq: 1, lastSeq: 4, count: 4 }] },
};
type Doc = typeof base & Record<string, unknown>;

describe('a write-ahead patch', () => {
  it.each<[string, (d: Doc) => Doc, number]>([
    ['nothing changed', (d) => d, 0],
    [
      'one item’s progress changed (its two changed fields)',
      (d) => ({ ...d, progress: { ...d.progress, 't-1': { value: 2, recent: [2, 1] } } }),
      2,
    ],
    [
      'an event id seen, three keys down',
      (d) => ({ ...d, seen: { ...d.seen, events: { ...d.seen.events, Ev3: 30 } } }),
      1,
    ],
    [
      'an expired message forgotten',
      (d) => ({ ...d, seen: { ...d.seen, messages: {} as Doc['seen']['messages'] } }),
      1,
    ],
    ['an optional part removed', ({ lastBulletin: _, ...d }) => d as Doc, 1],
    ['a part that was not there added', (d) => ({ ...d, llm: { enabled: true, departments: {} } }), 1],
    ['a whole part replaced by a list', (d) => ({ ...d, threads: [] as unknown as Doc['threads'] }), 1],
  ])('carries %s, and applying it gives the new document', (_case, change, ops) => {
    const after = change(base as Doc);
    const patch = diffState(base, after);
    expect(patch).toHaveLength(ops);
    const { journal: _j, ...rest } = after;
    const { journal: _k, ...applied } = applyPatch(base, patch) as Doc;
    expect(plain(applied)).toEqual(plain(rest));
  });

  it('never carries the journal’s index, which a start rebuilds from the journal', () => {
    const after = { ...base, journal: { lastSeq: 5, chunks: [] } };
    expect(diffState(base, after)).toEqual([]);
  });

  it('changes nothing it was given: the old document keeps its values', () => {
    const before = structuredClone(base);
    const after = { ...base, seen: { ...base.seen, events: { Ev9: 90 } } };
    applyPatch(base, diffState(base, after));
    expect(base).toEqual(before);
  });

  it('gives the same document when applied twice in order (a segment a checkpoint already holds)', () => {
    const s1 = { ...base, seen: { ...base.seen, events: { ...base.seen.events, Ev3: 30 } } };
    const s2 = {
      ...s1,
      seen: { ...s1.seen, events: { Ev3: 30 } },
      progress: { ...s1.progress, 'p-2': { percent: 60 } },
    };
    const p1 = diffState(base, s1);
    const p2 = diffState(s1, s2);
    const once = applyPatch(applyPatch(base, p1), p2);
    const twice = applyPatch(applyPatch(once, p1), p2);
    expect(plain(twice)).toEqual(plain(once));
    expect(plain(once)).toEqual(plain(s2));
  });

  it('keeps ids people chose as plain keys, "__proto__" and "constructor" included', () => {
    const events = Object.assign(Object.create(null) as Record<string, number>, base.seen.events);
    // A null-prototype record: "__proto__" is an own key here, as JSON.parse makes it.
    Object.defineProperty(events, '__proto__', { value: 1, enumerable: true, writable: true, configurable: true });
    Object.defineProperty(events, 'constructor', { value: 2, enumerable: true, writable: true, configurable: true });
    const after = { ...base, seen: { ...base.seen, events } };
    const patch = diffState(base, after);
    // Through JSON, as the log stores it.
    const applied = applyPatch(base, JSON.parse(JSON.stringify(patch))) as Doc;
    expect(Object.keys(applied.seen.events).sort()).toEqual(['Ev1', 'Ev2', '__proto__', 'constructor']);
    expect(Object.getPrototypeOf(applied.seen.events)).toBe(null);
    expect(({} as Record<string, unknown>).constructor).toBe(Object);
  });
});
