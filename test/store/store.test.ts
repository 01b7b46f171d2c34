import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Update } from '../../src/domain/schema.ts';
import { DataFileError, StoreLockedError } from '../../src/store/errors.ts';
import { importIntoStore } from '../../src/store/import.ts';
import { itemIdsInText } from '../../src/store/journal-files.ts';
import { journalDirOf, loadState, openStore, type Store } from '../../src/store/store.ts';
import { walDirOf } from '../../src/store/wal.ts';

const TZ = 'Asia/Shanghai';
const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'import');
const SEED = join(import.meta.dirname, '..', '..', 'data', 'seed', 'nantong-2026.json');

let dir: string;
let file: string;
const open: Store[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'duban-store-'));
  file = join(dir, 'db.json');
});
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  await rm(dir, { recursive: true, force: true });
});

async function openTracked(path = file) {
  const s = await openStore(path, { timeZone: TZ });
  open.push(s);
  return s;
}

const NOW = new Date('2026-11-28T10:00:00+08:00');

function logUpdate(store: Store, id: string, value: number, itemId = 't-edb-iva', at = '2026-05-01T10:00:00+08:00') {
  return store.transact((tx) =>
    tx.append({
      type: 'update',
      at: NOW.toISOString(),
      by: 'U0LIAISON1',
      update: Update.parse({ id, itemId, at, by: 'U0LIAISON1', value, source: 'command' }),
    }),
  );
}

async function expectUntouched(path: string, action: () => Promise<unknown>) {
  const before = await readFile(path);
  const mtime = (await stat(path)).mtimeMs;
  await action();
  expect(await readFile(path)).toEqual(before);
  expect((await stat(path)).mtimeMs).toBe(mtime);
}

/** The document, the write-ahead log and the journal are byte for byte what they were. */
async function expectNothingWritten(action: () => Promise<unknown>) {
  const snapshot = async () => {
    const out = new Map<string, Buffer>();
    for (const d of [dir, walDirOf(file), journalDirOf(file)])
      for (const name of await readdir(d).catch(() => [] as string[]))
        if (!name.endsWith('.lock'))
          out.set(join(d, name), await readFile(join(d, name)).catch(() => Buffer.from('dir')));
    return out;
  };
  const before = await snapshot();
  await action();
  expect(await snapshot()).toEqual(before);
}

describe('opening the store', () => {
  it('starts empty when the file does not exist, and creates it on the first write', async () => {
    const store = await openTracked();
    expect(store.model().db.departments).toEqual([]);
    await expect(stat(file)).rejects.toThrow();
    await importIntoStore(store, join(FIXTURES, 'basic.json'), { now: NOW });
    // The write-ahead log holds it at once; the document is written at the next checkpoint.
    expect((await loadState(file, TZ)).state.targets[0]?.id).toBe('t-edb-iva');
    await store.checkpoint();
    const onDisk = JSON.parse(await readFile(file, 'utf8'));
    expect(onDisk.version).toBe(2);
    expect(onDisk.targets[0].id).toBe('t-edb-iva');
    expect(onDisk.progress['t-edb-iva'].value).toBe(7.1);
  });

  it('refuses a file that is not JSON, naming it, and leaves it untouched', async () => {
    await writeFile(file, '{ "version": 1, "departments": [ ');
    await expectUntouched(file, async () => {
      const err = await openStore(file, { timeZone: TZ }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DataFileError);
      expect((err as DataFileError).message).toContain(file);
      expect((err as DataFileError).problems[0]).toMatch(/not valid JSON/);
    });
  });

  it('refuses an invalid document, listing every problem with its path, and leaves it untouched', async () => {
    await writeFile(
      file,
      JSON.stringify({
        version: 2,
        departments: [{ id: 'edb', name: { zh: '经发局' } }],
        targets: [
          {
            id: 't1',
            departmentId: 'edb',
            name: { zh: 'A' },
            kind: 'level',
            unit: { zh: '%' },
            target: '7.5',
            period: { start: '2026-01-01', end: '2026-12-31' },
          },
          {
            id: 't2',
            departmentId: 'edb',
            name: { zh: 'B' },
            kind: 'cumulative',
            unit: { zh: '项' },
            target: 40,
            period: { start: '2026-01-01', end: 'soon' },
          },
        ],
      }),
    );
    await expectUntouched(file, async () => {
      const err = (await openStore(file, { timeZone: TZ }).catch((e: unknown) => e)) as DataFileError;
      expect(err).toBeInstanceOf(DataFileError);
      expect(err.problems).toEqual([
        expect.stringMatching(/^targets\[id=t1\]\.target: .*expected number.* \(found "7\.5"\)$/),
        expect.stringMatching(/^targets\[id=t2\]\.period\.end: .*\(found "soon"\)$/),
      ]);
    });
  });

  it('refuses a document written by a newer version', async () => {
    await writeFile(file, JSON.stringify({ version: 99 }));
    const err = (await openStore(file, { timeZone: TZ }).catch((e: unknown) => e)) as DataFileError;
    expect(err.problems[0]).toMatch(/newer than this duban understands/);
  });

  it('lets only one store use a file at a time, and frees it on close', async () => {
    const first = await openStore(file, { timeZone: TZ });
    await expect(openStore(file, { timeZone: TZ })).rejects.toBeInstanceOf(StoreLockedError);
    await first.close();
    await openTracked();
  });

  it('leaves the document untouched when opened and closed with nothing written', async () => {
    const store = await openStore(file, { timeZone: TZ });
    await importIntoStore(store, join(FIXTURES, 'basic.json'), { now: NOW });
    await store.close();
    await expectUntouched(file, async () => {
      const again = await openStore(file, { timeZone: TZ });
      await again.close();
    });
  });

  it('validates without locking for read-only checks', async () => {
    await openTracked();
    const { exists, state } = await loadState(file, TZ);
    expect(exists).toBe(false);
    expect(state.version).toBe(2);
  });
});

describe('writing', () => {
  it('has the event in the journal and the state on disk when the transaction resolves', async () => {
    const store = await openTracked();
    await importIntoStore(store, join(FIXTURES, 'basic.json'), { now: NOW });
    await logUpdate(store, 'u-2', 7.3);
    // What a start after a crash would find: the checkpoint and the write-ahead log.
    const { state } = await loadState(file, TZ);
    expect(state.progress['t-edb-iva']).toMatchObject({ value: 7.3, reports: 2 });
    expect(state.journal.lastSeq).toBe(3);
    await store.checkpoint();
    const written = JSON.parse(await readFile(file, 'utf8'));
    expect(written.progress['t-edb-iva']).toMatchObject({ value: 7.3, reports: 2 });
    expect(written.updates).toBeUndefined();
    const chunk = JSON.parse(await readFile(join(journalDirOf(file), '2026-11.json'), 'utf8'));
    expect(chunk.events.map((e: { type: string }) => e.type)).toEqual(['update', 'import', 'update']);
    expect(chunk.events.at(-1).update).toMatchObject({ id: 'u-2', value: 7.3 });
    expect(store.model().progress.get('t-edb-iva')?.value).toBe(7.3);
  });

  it('rejects an event about an unknown item, writes nothing and keeps the previous snapshot', async () => {
    const store = await openTracked();
    await importIntoStore(store, join(FIXTURES, 'basic.json'), { now: NOW });
    const before = store.model();
    await expectNothingWritten(async () => {
      await expect(logUpdate(store, 'u-x', 1, 'no-such-item')).rejects.toThrow(/unknown item "no-such-item"/);
    });
    expect(store.model()).toBe(before);
  });

  it('keeps every one of 200 concurrent updates, in call order', async () => {
    const store = await openTracked();
    await importIntoStore(store, join(FIXTURES, 'basic.json'), { now: NOW });
    await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        logUpdate(
          store,
          `c-${i}`,
          i,
          't-edb-iva',
          new Date(Date.parse('2026-05-01T10:00:00+08:00') + i * 1000).toISOString(),
        ),
      ),
    );
    const history = await store.history({ itemId: 't-edb-iva' });
    expect(history.map((e) => (e.type === 'update' ? e.update.id : e.type))).toEqual([
      'u-1',
      ...Array.from({ length: 200 }, (_, i) => `c-${i}`),
    ]);
    expect(history.map((e) => e.seq)).toEqual([...history.map((e) => e.seq)].sort((a, b) => a - b));
    expect(store.model().revision).toBe(201);
    expect(store.model().progress.get('t-edb-iva')?.reports).toBe(201);
  });

  it('replays what a crash left in the journal but not in the document', async () => {
    let store = await openStore(file, { timeZone: TZ });
    await importIntoStore(store, join(FIXTURES, 'basic.json'), { now: NOW });
    await store.checkpoint();
    const stateBefore = await readFile(file, 'utf8');
    await logUpdate(store, 'u-crash', 8.2);
    await store.close();
    // As if the process died after the journal write and before the document write.
    await writeFile(file, stateBefore);
    const notices: string[] = [];
    store = await openStore(file, { timeZone: TZ, onNotice: (m) => notices.push(m) });
    open.push(store);
    expect(store.model().progress.get('t-edb-iva')?.value).toBe(8.2);
    expect(notices).toEqual(['replayed journal events a crash left unapplied']);
    expect(JSON.parse(await readFile(file, 'utf8')).journal.lastSeq).toBe(3);
  });

  it('refuses to start when journal files the document relies on are missing', async () => {
    const store = await openStore(file, { timeZone: TZ });
    await importIntoStore(store, join(FIXTURES, 'basic.json'), { now: NOW });
    await store.close();
    await rm(journalDirOf(file), { recursive: true });
    await expectUntouched(file, async () => {
      await expect(openStore(file, { timeZone: TZ })).rejects.toThrow(/journal files are missing/);
    });
  });

  it('upgrades a version 1 document, moving its history into the journal and keeping a backup', async () => {
    const v1 = { version: 1, ...JSON.parse(await readFile(join(FIXTURES, 'basic.json'), 'utf8')) };
    await writeFile(file, JSON.stringify(v1));
    const store = await openTracked();
    expect(store.model().progress.get('t-edb-iva')?.value).toBe(7.1);
    expect((await store.history()).map((e) => e.type)).toEqual(['update']);
    expect(JSON.parse(await readFile(`${file}.v1.bak`, 'utf8'))).toEqual(v1);
    expect(JSON.parse(await readFile(file, 'utf8')).version).toBe(2);
  });
});

describe('importing', () => {
  it('loads the bundled seed, and a second import changes nothing', async () => {
    const store = await openTracked();
    const first = await importIntoStore(store, SEED, { now: NOW });
    expect(first.departments.added).toBeGreaterThanOrEqual(3);
    expect(first.projects.added).toBeGreaterThanOrEqual(40);
    expect(first.updatesAdded).toBeGreaterThan(100);
    const again = await importIntoStore(store, SEED, { now: NOW });
    expect(again.departments).toEqual({ added: 0, changed: 0, unchanged: first.departments.added });
    expect(again.updatesAdded).toBe(0);
    expect(again.updatesSkipped).toBe(first.updatesAdded);
  });

  it('upserts definitions by id without touching history', async () => {
    const store = await openTracked();
    await importIntoStore(store, join(FIXTURES, 'basic.json'), { now: NOW });
    await logUpdate(store, 'live-1', 7.8, 't-edb-iva', '2026-06-30T17:00:00+08:00');
    const changed = JSON.parse(await readFile(join(FIXTURES, 'basic.json'), 'utf8'));
    changed.targets[0].tolerance = 0.3;
    changed.updates = [];
    const path = join(dir, 'changed.json');
    await writeFile(path, JSON.stringify(changed));
    const summary = await importIntoStore(store, path, { now: NOW });
    expect(summary.targets).toEqual({ added: 0, changed: 1, unchanged: 0 });
    expect(store.model().db.targets[0]).toMatchObject({ tolerance: 0.3 });
    const history = await store.history({ itemId: 't-edb-iva' });
    expect(history.flatMap((e) => (e.type === 'update' ? [e.update.id] : []))).toEqual(['u-1', 'live-1']);
    expect(store.model().progress.get('t-edb-iva')?.value).toBe(7.8);
  });

  it.each([
    ['malformed.json', [/not valid JSON/]],
    ['invalid.json', [/^targets\[id=t1\]\.target: .*\(found "约7\.5"\)$/, /^targets\[id=t2\]\.kind: /]],
    [
      'dangling.json',
      [
        /^targets\[id=t1\]\.departmentId: unknown department "nobody"$/,
        /^updates\[id=u1\]\.itemId: unknown item "ghost"$/,
      ],
    ],
  ])('refuses %s, reporting every problem, and writes nothing', async (fixture, expected) => {
    const store = await openTracked();
    await importIntoStore(store, join(FIXTURES, 'basic.json'), { now: NOW });
    await expectNothingWritten(async () => {
      const err = (await importIntoStore(store, join(FIXTURES, fixture), { now: NOW }).catch(
        (e: unknown) => e,
      )) as DataFileError;
      expect(err).toBeInstanceOf(DataFileError);
      for (const re of expected)
        expect(
          err.problems.some((p) => re.test(p)),
          `${re} in ${JSON.stringify(err.problems)}`,
        ).toBe(true);
    });
  });

  it('shows what a dry run would change without writing', async () => {
    const store = await openTracked();
    const summary = await importIntoStore(store, join(FIXTURES, 'basic.json'), { dryRun: true, now: NOW });
    expect(summary.targets.added).toBe(1);
    await expect(stat(file)).rejects.toThrow();
    expect(store.model().db.targets).toEqual([]);
  });
});

describe('item history', () => {
  it('finds the items a chunk names from its text alone, never mistaking a note for an item', () => {
    const chunk = JSON.stringify({
      version: 2,
      chunk: '2026-11',
      events: [
        { type: 'update', update: { itemId: 't-1', note: 'copied "itemId":"t-fake" into a note' } },
        { type: 'update.summary', itemId: 'p-2' },
        { type: 'review.request', review: { itemId: 'c-3' } },
        { type: 'membership', departmentId: 'edb' },
      ],
    });
    expect([...itemIdsInText(chunk)].sort()).toEqual(['c-3', 'p-2', 't-1']);
    expect([...itemIdsInText('{\n  "itemId" : "t-spaced"\n}')]).toEqual(['t-spaced']);
  });

  it('refuses a chunk whose line for the item was broken after start-up checked it, naming the file, and leaves it untouched', async () => {
    const seeded = await openTracked();
    await importIntoStore(seeded, SEED, { now: NOW });
    await seeded.close();
    open.splice(0);
    const chunk = join(journalDirOf(file), '2026-11.json');
    const text = await readFile(chunk, 'utf8');
    const lines = text.split('\n');
    const at = lines.findIndex((l) => l.includes('"itemId":"t-edb-iva-growth"'));
    // Same length, so start-up (which re-reads only chunks whose size changed) does not see it: the look-up does.
    lines[at] = lines[at]!.replace('"at":', '"at";');
    await writeFile(chunk, lines.join('\n'));
    const store = await openTracked();
    await expectUntouched(chunk, async () => {
      await expect(store.history({ itemId: 't-edb-iva-growth' })).rejects.toThrow(DataFileError);
      await expect(store.history({ itemId: 't-edb-iva-growth' })).rejects.toThrow(/2026-11\.json[\s\S]*not valid JSON/);
    });
  });

  it('finds every event of an item across chunks, also for items first written while the index was being built', async () => {
    const seeded = await openTracked();
    await importIntoStore(seeded, SEED, { now: NOW });
    const items = ['t-edb-iva-growth', 't-hurdb-renewal-starts'];
    // The seed's 681 reports and these fill three 500-event chunks: each item's events sit in several, among others'.
    for (let i = 0; i < 24; i++)
      await logUpdate(seeded, `spread-${i}`, i, items[i % 2], `2026-11-28T12:${String(i).padStart(2, '0')}:00+08:00`);
    await seeded.close();
    open.splice(0);
    // A fresh process: the index is built on the first look-up, while more reports arrive.
    const store = await openTracked();
    const all = await store.history();
    const [first, , during] = await Promise.all([
      store.history({ itemId: items[0] }),
      logUpdate(store, 'late-1', 99, items[1], '2026-11-28T13:00:00+08:00'),
      store.history({ itemId: items[1] }),
    ]);
    const expected = (itemId: string, events: typeof all) =>
      events
        .filter((e) => (e.type === 'update' ? e.update.itemId : 'itemId' in e ? e.itemId : undefined) === itemId)
        .map((e) => e.seq);
    expect(first.map((e) => e.seq)).toEqual(expected(items[0]!, all));
    expect(during.map((e) => e.seq).filter((seq) => seq <= all.at(-1)!.seq)).toEqual(expected(items[1]!, all));
    const after = await store.history({ itemId: items[1] });
    expect(after.map((e) => e.seq)).toEqual(expected(items[1]!, await store.history()));
    expect(after.some((e) => e.type === 'update' && e.update.id === 'late-1')).toBe(true);
  });
});
