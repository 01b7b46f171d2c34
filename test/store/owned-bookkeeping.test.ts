/**
 * The store changes its delivery bookkeeping in place (src/domain/owned-records.ts): a write's log
 * line names only the keys it changed, a copy of the folder taken without a clean stop (as a crash
 * leaves it) opens to the same bookkeeping, a checkpoint writes what changed in place, and a failed
 * transaction leaves nothing behind.
 */
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { messageKey, SEEN_EVENT_MS, threadRecord } from '../../src/domain/delivery.ts';
import { setEntry } from '../../src/domain/owned-records.ts';
import { Update } from '../../src/domain/schema.ts';
import type { StoreState } from '../../src/domain/state.ts';
import { importIntoStore } from '../../src/store/import.ts';
import { journalDirOf, openStore, type Store } from '../../src/store/store.ts';
import { walDirOf } from '../../src/store/wal.ts';

const TZ = 'Asia/Shanghai';
const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'import');
const ITEM = 't-edb-iva';
const START = new Date('2026-11-28T10:00:00+08:00').getTime();

let dir: string;
let file: string;
let now = START;
const open: Store[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'duban-owned-'));
  file = join(dir, 'db.json');
  now = START;
});
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  await rm(dir, { recursive: true, force: true });
});

async function openAt(path: string) {
  const s = await openStore(path, { timeZone: TZ, clock: () => new Date(now), checkpoint: { idleMs: 3_600_000 } });
  open.push(s);
  return s;
}

/** A report read from a Slack message, as commands/reporting/log.ts appends it: event id and message on the event. */
function fromSlack(store: Store, i: number, fail = false) {
  now += 1_000;
  const at = new Date(now).toISOString();
  const message = { channel: 'C0DEPT', ts: `${1_790_000_000 + i}.000100` };
  const update = Update.parse({ id: `u${i}`, itemId: ITEM, at, by: 'U0LIAISON1', value: i, source: 'slack', message });
  return store.transact((tx) => {
    tx.append({ type: 'update', at, by: 'U0LIAISON1', update, eventId: `Ev${i}` });
    if (fail) throw new Error('refused after the append');
  });
}

const bookkeeping = (s: StoreState) => ({
  events: { ...s.seen.events },
  messages: { ...s.seen.messages },
  threads: { ...s.threads },
});

async function walLines(path: string): Promise<Array<{ patch: Array<[string[], unknown?]> }>> {
  const wal = walDirOf(path);
  const lines: Array<{ patch: Array<[string[], unknown?]> }> = [];
  for (const name of (await readdir(wal)).sort())
    for (const line of (await readFile(join(wal, name), 'utf8')).split('\n').filter(Boolean))
      lines.push(JSON.parse(line));
  return lines;
}

/** The folder as a crash leaves it: copied while the store is still open. */
async function crashCopy(): Promise<string> {
  const crashed = await mkdtemp(join(tmpdir(), 'duban-owned-crash-'));
  const copy = join(crashed, 'db.json');
  await cp(file, copy).catch(() => undefined);
  await cp(journalDirOf(file), journalDirOf(copy), { recursive: true });
  await cp(walDirOf(file), walDirOf(copy), { recursive: true });
  return copy;
}

describe('delivery bookkeeping changed in place', () => {
  it('logs only the keys a write changed, however many are remembered, and a crash copy opens to the same bookkeeping', async () => {
    const store = await openAt(file);
    await importIntoStore(store, join(FIXTURES, 'basic.json'), { now: new Date(now) });
    for (let i = 0; i < 300; i++) await fromSlack(store, i);
    // An hour on: the first event ids expire with this write.
    now += SEEN_EVENT_MS - 250_000;
    await fromSlack(store, 300);
    const lines = await walLines(file);
    const last = lines.at(-1)!;
    const paths = last.patch.map(([path]) => path.join('.'));
    // The new event id and message, the ids that expired (removed), the item's progress: never 300 entries.
    expect(paths).toContain('seen.events.Ev300');
    expect(paths).toContain(`seen.messages.${messageKey({ channel: 'C0DEPT', ts: '1790000300.000100' })}`);
    const removed = last.patch.filter((op) => op.length === 1).map(([path]) => path.join('.'));
    expect(removed.length).toBeGreaterThan(0);
    expect(removed.every((p) => p.startsWith('seen.events.'))).toBe(true);
    expect(last.patch.length).toBeLessThan(100);
    const live = bookkeeping(store.model().db);
    expect(Object.keys(live.events)).not.toContain('Ev0');
    expect(Object.keys(live.events)).toContain('Ev299');
    expect(Object.keys(live.messages)).toHaveLength(301);

    const copy = await crashCopy();
    try {
      const reopened = await openAt(copy);
      expect(bookkeeping(reopened.model().db)).toEqual(live);
    } finally {
      await open.pop()!.close();
      await rm(join(copy, '..'), { recursive: true, force: true });
    }
  });

  it('writes what changed in place at a checkpoint, and opens to it after a clean stop', async () => {
    const store = await openAt(file);
    await importIntoStore(store, join(FIXTURES, 'basic.json'), { now: new Date(now) });
    for (let i = 0; i < 5; i++) await fromSlack(store, i);
    await store.checkpoint();
    const first = JSON.parse(await readFile(file, 'utf8')) as StoreState;
    expect(Object.keys(first.seen.events)).toEqual(['Ev0', 'Ev1', 'Ev2', 'Ev3', 'Ev4']);
    await fromSlack(store, 5);
    // A thread noted in place: the top-level record keeps its identity, only its key changes.
    await store.transact((tx) =>
      tx.bookkeep((s) => ({ threads: setEntry(s.threads, 'C0DEPT:1.000100', threadRecord({ itemIds: [ITEM] }, now)) })),
    );
    await store.checkpoint();
    const second = JSON.parse(await readFile(file, 'utf8')) as StoreState;
    expect(Object.keys(second.seen.events)).toContain('Ev5');
    expect(Object.keys(second.seen.messages)).toHaveLength(6);
    expect(Object.keys(second.threads)).toEqual(['C0DEPT:1.000100']);
    const live = bookkeeping(store.model().db);
    await open.pop()!.close();
    const reopened = await openAt(file);
    expect(bookkeeping(reopened.model().db)).toEqual(live);
  });

  it('writes a thread remembered in place with the next transaction, and a crash copy opens with it', async () => {
    const store = await openAt(file);
    await importIntoStore(store, join(FIXTURES, 'basic.json'), { now: new Date(now) });
    for (let i = 0; i < 3; i++) await fromSlack(store, i);
    const threadsBefore = store.model().db.threads;
    store.remember((s) => ({
      threads: setEntry(s.threads, 'C0DEPT:2.000100', threadRecord({ itemIds: [ITEM] }, now)),
    }));
    // A transaction that fails does not take the remembered thread with it; the next one writes it.
    await expect(fromSlack(store, 50, true)).rejects.toThrow();
    await fromSlack(store, 3);
    expect(store.model().db.threads).toBe(threadsBefore);
    const last = (await walLines(file)).at(-1)!;
    expect(last.patch.map(([path]) => path.join('.'))).toContain('threads.C0DEPT:2.000100');
    const copy = await crashCopy();
    try {
      const reopened = await openAt(copy);
      expect(Object.keys(reopened.model().db.threads)).toEqual(['C0DEPT:2.000100']);
      expect(reopened.model().db.seen.events.Ev50).toBeUndefined();
    } finally {
      await open.pop()!.close();
      await rm(join(copy, '..'), { recursive: true, force: true });
    }
  });

  it('undoes a failed transaction: the model, the next transaction and the log never see its event id or message', async () => {
    const store = await openAt(file);
    await importIntoStore(store, join(FIXTURES, 'basic.json'), { now: new Date(now) });
    for (let i = 0; i < 3; i++) await fromSlack(store, i);
    const before = bookkeeping(store.model().db);
    const linesBefore = (await walLines(file)).length;
    await expect(fromSlack(store, 99, true)).rejects.toThrow('refused after the append');
    expect(bookkeeping(store.model().db)).toEqual(before);
    const seenInNext = await store.transact((tx) => ({
      event: tx.state.seen.events.Ev99,
      message: tx.state.seen.messages[messageKey({ channel: 'C0DEPT', ts: '1790000099.000100' })],
    }));
    expect(seenInNext.result).toEqual({ event: undefined, message: undefined });
    expect(await walLines(file)).toHaveLength(linesBefore);
    // The same delivery, retried, is logged once.
    await fromSlack(store, 99);
    expect(store.model().db.seen.events.Ev99).toBeDefined();
    const history = await store.history({ itemId: ITEM });
    expect(history.filter((e) => e.type === 'update' && e.update.id === 'u99')).toHaveLength(1);
  });
});
