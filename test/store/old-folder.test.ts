/**
 * Data folders outlive versions: a folder the store wrote before the write-ahead log opens as it is,
 * and a clean stop leaves a folder that store can still open. And the disk may lose what was never
 * flushed: a journal chunk cut back to the last checkpoint is rebuilt from the log.
 */
import { cp, mkdtemp, readdir, readFile, rm, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore as openStoreBefore } from '../../bench/store/legacy/store.ts';
import { Update } from '../../src/domain/schema.ts';
import { journalDirOf, loadState, openStore, type Store } from '../../src/store/store.ts';
import { walDirOf } from '../../src/store/wal.ts';

const TZ = 'Asia/Shanghai';
const OLD = join(import.meta.dirname, '..', 'fixtures', 'store', 'written-by-2026-12-07');
const ITEM = 't-edb-iva';

let dir: string;
let file: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'duban-old-folder-'));
  file = join(dir, 'db.json');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function report(store: Store, id: string, value: number, at: string) {
  const update = Update.parse({ id, itemId: ITEM, at, by: 'U0LIAISON1', value, source: 'slack' });
  return store.transact((tx) => {
    tx.append({ type: 'update', at, by: 'U0LIAISON1', update });
  });
}

const reportIds = (events: Awaited<ReturnType<Store['history']>>) =>
  events.flatMap((e) => (e.type === 'update' ? [e.update.id] : []));

describe('a folder written before the write-ahead log', () => {
  it('opens as it is, with its progress, history and delivery bookkeeping', async () => {
    await cp(OLD, dir, { recursive: true });
    const notices: string[] = [];
    const store = await openStore(file, { timeZone: TZ, onNotice: (m) => notices.push(m) });
    try {
      expect(notices).toEqual([]);
      expect(store.model().progress.get(ITEM)).toMatchObject({ value: 7.4, reports: 4 });
      expect(reportIds(await store.history({ itemId: ITEM }))).toEqual(['u-1', 'old-1', 'old-2', 'old-3']);
      // Its Slack messages, so an edit of one is still matched to its report.
      expect(Object.values(store.model().db.seen.messages).map((m) => m.updateId)).toEqual(['old-1', 'old-2', 'old-3']);
      await report(store, 'new-1', 7.5, '2026-11-29T09:00:00+08:00');
      expect(reportIds(await store.history({ itemId: ITEM })).at(-1)).toBe('new-1');
    } finally {
      await store.close();
    }
  });

  it('is left, after a clean stop, as that store can open it: one document, no log', async () => {
    await cp(OLD, dir, { recursive: true });
    const store = await openStore(file, { timeZone: TZ });
    await report(store, 'new-1', 7.5, '2026-11-29T09:00:00+08:00');
    await report(store, 'new-2', 7.6, '2026-12-01T09:00:00+08:00');
    await store.close();
    expect(await readdir(walDirOf(file))).toEqual([]);
    const before = await openStoreBefore(file, { timeZone: TZ });
    try {
      expect(before.model().progress.get(ITEM)).toMatchObject({ value: 7.6, reports: 6 });
      expect(reportIds(await before.history({ itemId: ITEM }))).toEqual([
        'u-1',
        'old-1',
        'old-2',
        'old-3',
        'new-1',
        'new-2',
      ]);
    } finally {
      await before.close();
    }
  });
});

describe('a journal chunk that lost what was never flushed', () => {
  it('is rebuilt from the write-ahead log at the next start', async () => {
    await cp(OLD, dir, { recursive: true });
    const store = await openStore(file, { timeZone: TZ });
    await store.checkpoint();
    const checkpointed = (await loadState(file, TZ)).state.journal.chunks.find((c) => c.name === '2026-11')!;
    for (let i = 0; i < 3; i++) await report(store, `late-${i}`, 8 + i, `2026-11-29T0${i}:00:00+08:00`);
    // The disk as a power cut could leave it: the log was flushed, the chunk's appends were not. The
    // copy is taken while the store still holds the files, as a crash would leave them.
    const crashed = join(dir, 'crashed');
    await cp(file, join(crashed, 'db.json'));
    await cp(journalDirOf(file), journalDirOf(join(crashed, 'db.json')), { recursive: true });
    await cp(walDirOf(file), walDirOf(join(crashed, 'db.json')), { recursive: true });
    await store.close();
    const chunk = join(journalDirOf(join(crashed, 'db.json')), '2026-11.json');
    await truncate(chunk, checkpointed.bytes! - 3);

    const notices: string[] = [];
    const reopened = await openStore(join(crashed, 'db.json'), { timeZone: TZ, onNotice: (m) => notices.push(m) });
    try {
      expect(notices).toEqual(['repaired journal chunks a crash left torn']);
      expect(reportIds(await reopened.history({ itemId: ITEM })).slice(-3)).toEqual(['late-0', 'late-1', 'late-2']);
      expect(reopened.model().progress.get(ITEM)?.value).toBe(10);
      expect((await readFile(chunk, 'utf8')).endsWith('\n]}\n')).toBe(true);
    } finally {
      await reopened.close();
    }
  });
});
