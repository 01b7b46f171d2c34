/**
 * The pieces of bench/ack-scale.ts at 200 updates: the dataset cache (generated once, then copied, and
 * the copy opens as the store wrote it) and one short run of the real app on the embedded store after
 * and before the write-ahead log, where every request must be acknowledged with HTTP 200 and every
 * report recorded. No timing is asserted: that is the benchmark's business.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseOptions, requestMix, runAckScale } from '../../bench/ack-scale.ts';
import { cachedStoreDataset } from '../../bench/store/dataset-cache.ts';
import { DEFAULT_HISTORY } from '../../bench/store/history.ts';
import { openStore } from '../../src/store/store.ts';

const HISTORY = { ...DEFAULT_HISTORY, updates: 200, years: 1 };

let dir: string;
const previous = process.env.DUBAN_BENCH_CACHE;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'duban-ack-scale-test-'));
  process.env.DUBAN_BENCH_CACHE = join(dir, 'cache');
});
afterAll(async () => {
  if (previous === undefined) delete process.env.DUBAN_BENCH_CACHE;
  else process.env.DUBAN_BENCH_CACHE = previous;
  await rm(dir, { recursive: true, force: true });
});

describe('the dataset cache', () => {
  it('generates a history once, then copies it, and the copy opens with every event', async () => {
    const first = await cachedStoreDataset(join(dir, 'a', 'db.json'), HISTORY);
    const second = await cachedStoreDataset(join(dir, 'b', 'other.json'), HISTORY);
    expect(first.cached).toBe(false);
    expect(second.cached).toBe(true);
    expect(second.entry).toBe(first.entry);
    expect(second.events).toBe(first.events);
    expect(first.updates).toBe(200);
    const store = await openStore(join(dir, 'b', 'other.json'), { timeZone: 'Asia/Shanghai' });
    try {
      expect(store.model().db.journal.lastSeq).toBe(first.events);
    } finally {
      await store.close();
    }
    const other = await cachedStoreDataset(join(dir, 'c', 'db.json'), { ...HISTORY, seed: HISTORY.seed + 1 });
    expect(other.cached).toBe(false);
    expect(other.entry).not.toBe(first.entry);
  });
});

describe('a short run of the benchmark', () => {
  it('sends the same seeded mix to every store', () => {
    const o = parseOptions(['--updates', '200', '--threads', '4']);
    expect(requestMix(o, 50)).toEqual(requestMix(o, 50));
    expect(new Set(requestMix(o, 50).map((r) => r.kind))).toEqual(new Set(['reply', 'progress', 'targets']));
  });

  it('acknowledges every request with 200 and records every report, after and before the write-ahead log', async () => {
    const o = {
      ...parseOptions([
        '--requests',
        '16',
        '--warmup',
        '0',
        '--rate',
        '40',
        '--threads',
        '2',
        '--stores',
        'wal,legacy',
      ]),
      history: HISTORY,
    };
    const result = await runAckScale(o);
    expect(result.results.map((r) => r.store)).toEqual(['wal', 'legacy']);
    for (const r of result.results) {
      expect(r.outcomes.map((x) => x.status)).toEqual(Array(16).fill(200));
      const writes = r.outcomes.filter((x) => x.kind !== 'targets');
      expect(writes.length).toBeGreaterThan(0);
      expect(writes.filter((x) => !x.recorded).map((x) => x.answer)).toEqual([]);
      expect(r.outcomes.every((x) => Number.isFinite(x.e2eMs))).toBe(true);
      expect(r.commitMs.length).toBeGreaterThanOrEqual(writes.length);
      expect(r.unfinished).toBe(0);
    }
  }, 180_000);
});
