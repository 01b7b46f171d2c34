/**
 * "An update is acknowledged to the user only after it is written to disk. If the process is killed
 * at any moment during a burst of updates, every update that was acknowledged is in the file
 * afterwards and the file loads." Proven with real processes: a writer (test/support/store-writer.ts)
 * logs reports in concurrent bursts and prints each one only once its transaction resolved; the test
 * kills it with SIGKILL, then starts duban's store again on the same files and compares.
 */
import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Update } from '../../src/domain/schema.ts';
import { importIntoStore } from '../../src/store/import.ts';
import { journalDirOf, openStore, type Store } from '../../src/store/store.ts';

const TZ = 'Asia/Shanghai';
const ROOT = join(import.meta.dirname, '..', '..');
const RUN_TS = join(ROOT, 'bin', 'run-ts.js');
const WRITER = join(ROOT, 'test', 'support', 'store-writer.ts');
const SEED = join(ROOT, 'data', 'seed', 'nantong-2026.json');
const ITEM = 't-edb-iva-growth';
/** The writer's reports are recorded one second apart from here: report w-100 is the first of December. */
const RANDOM_START = '2026-11-30T23:58:20+08:00';
/** … and from here, report w-30 is the first of December: it creates the chunk 2026-12. */
const ROLLOVER_START = '2026-11-30T23:59:30+08:00';
const TIMEOUT = 90_000;

let root: string;
let template: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'duban-durability-'));
  template = join(root, 'template');
  await mkdir(template);
  const store = await openStore(join(template, 'db.json'), { timeZone: TZ });
  await importIntoStore(store, SEED, { now: new Date('2026-11-28T10:00:00+08:00') });
  await store.close();
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A copy of the seeded store for one scenario. */
async function freshDataFile(name: string): Promise<string> {
  const dir = join(root, name);
  await cp(template, dir, { recursive: true });
  return join(dir, 'db.json');
}

type WriterRun = { acked: number[]; signal: NodeJS.Signals | null; code: number | null; stderr: string };

/**
 * Runs the writer until it is killed: by the test with SIGKILL `delayMs` after the `killAfter`-th
 * acknowledgement, or by itself (`--crash-at`). Resolves with every acknowledgement it printed.
 */
function runWriter(
  file: string,
  start: string,
  options: { killAfter?: number; delayMs?: number; args?: string[] },
): Promise<WriterRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [RUN_TS, WRITER, file, ITEM, start, ...(options.args ?? [])], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acked: number[] = [];
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const m = /^ack w-(\d+) (\d+)$/.exec(line);
      if (!m) return;
      acked.push(Number(m[2]));
      if (acked.length === options.killAfter) setTimeout(() => child.kill('SIGKILL'), options.delayMs ?? 0);
    });
    child.on('error', reject);
    // 'close' comes after stdout has ended: every line the writer printed has been read.
    child.on('close', (code, signal) => resolve({ acked, signal, code, stderr }));
  });
}

/** Starts the store again as duban would after the crash (the dead process's lock is stale by then). */
async function restart(file: string, notices: string[]): Promise<Store> {
  const lock = `${file}.lock`;
  // The killed process could not release its lock; duban takes a lock over once it is 10 s old.
  expect((await stat(lock)).isDirectory()).toBe(true);
  const past = new Date(Date.now() - 11_000);
  await utimes(lock, past, past);
  return openStore(file, { timeZone: TZ, onNotice: (m) => notices.push(m) });
}

/** Every check of a store reopened after a crash, given what the writer acknowledged. */
async function expectEverythingAcknowledged(store: Store, acked: readonly number[]): Promise<{ written: string[] }> {
  const history = await store.history();
  const written = history.flatMap((e) => (e.type === 'update' && e.update.id.startsWith('w-') ? [e.update.id] : []));
  const counts = new Map<string, number>();
  for (const id of written) counts.set(id, (counts.get(id) ?? 0) + 1);
  // Every acknowledged report is there exactly once.
  expect(acked.map((i) => `w-${i}`).filter((id) => counts.get(id) !== 1)).toEqual([]);
  // Transactions run one at a time in call order, so what survives is a prefix of what was sent, no gaps.
  expect(written).toEqual(Array.from({ length: written.length }, (_, i) => `w-${i}`));
  const lastAcked = Math.max(...acked);
  const progress = store.model().progress.get(ITEM);
  expect(progress?.value).toBe(written.length - 1);
  expect(progress!.value!).toBeGreaterThanOrEqual(lastAcked);
  // The document's watermark is the journal's length, and the index accounts for every event.
  const { journal } = store.model().db;
  expect(journal.lastSeq).toBe(history.length);
  expect(history.map((e) => e.seq)).toEqual(Array.from({ length: history.length }, (_, i) => i + 1));
  expect(journal.chunks.reduce((n, c) => n + c.count, 0)).toBe(history.length);
  return { written };
}

/** The restarted store takes new reports, and they are kept. */
async function expectWritable(store: Store, start: string, i: number): Promise<void> {
  const at = new Date(Date.parse(start) + i * 1000).toISOString();
  const update = Update.parse({ id: `after-${i}`, itemId: ITEM, at, by: 'U0WRITER1', value: i, source: 'slack' });
  await store.transact((tx) => {
    tx.append({ type: 'update', at, by: 'U0WRITER1', update });
  });
  const history = await store.history({ itemId: ITEM });
  expect(history.at(-1)).toMatchObject({ type: 'update', update: { id: `after-${i}` } });
  expect(store.model().progress.get(ITEM)?.value).toBe(i);
}

/** Kill points from a seeded PRNG (mulberry32): the same every run, different from each other. */
function killPoints(seed: number, n: number): Array<{ nth: string; after: number; delayMs: number }> {
  let a = seed >>> 0;
  const rand = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const ordinal = (k: number) =>
    `${k}${k % 100 >= 11 && k % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][k % 10] ?? 'th')}`;
  return Array.from({ length: n }, () => {
    const after = 20 + Math.floor(rand() * 160);
    return { nth: ordinal(after), after, delayMs: Math.floor(rand() * 25) };
  });
}

describe('kill -9 during a burst of updates', () => {
  it.each(killPoints(20261128, 4).map((k) => [k.nth, k.delayMs, k.after] as const))(
    'keeps every acknowledged update when killed after the %s acknowledgement (+%i ms), and loads',
    async (_nth, delayMs, after) => {
      const file = await freshDataFile(`random-${after}-${delayMs}`);
      const run = await runWriter(file, RANDOM_START, { killAfter: after, delayMs });
      expect(run.signal, run.stderr).toBe('SIGKILL');
      expect(run.acked.length).toBeGreaterThanOrEqual(after);
      expect(run.acked).toEqual(Array.from({ length: run.acked.length }, (_, i) => i));

      const notices: string[] = [];
      const store = await restart(file, notices);
      try {
        const { written } = await expectEverythingAcknowledged(store, run.acked);
        // A restart after a crash leaves the document caught up with the journal.
        expect(JSON.parse(await readFile(file, 'utf8')).journal.lastSeq).toBe(store.model().db.journal.lastSeq);
        await expectWritable(store, RANDOM_START, written.length + 1);
      } finally {
        await store.close();
      }
    },
    TIMEOUT,
  );
});

describe('kill -9 at exact points of a transaction (the writer kills itself at a rename)', () => {
  // A transaction writes its journal chunk (temp file, fsync, rename, fsync dir), then the document the
  // same way, then resolves; the writer acknowledges w-i only after that. Killed in the 50th transaction
  // (w-49), w-0 … w-48 are acknowledged; whether w-49 survives depends on how far its writes got.
  it.each([
    ['before its journal chunk is in place', 'before-rename:2026-11.2.json:50', { survives: false, replays: false }],
    [
      'after its journal chunk, before the document',
      'after-rename:2026-11.2.json:50',
      { survives: true, replays: true },
    ],
    [
      'with the new document written but not yet renamed',
      'before-rename:db.json:50',
      { survives: true, replays: true },
    ],
    ['after both writes, before it was acknowledged', 'after-rename:db.json:50', { survives: true, replays: false }],
  ] as const)(
    'keeps every acknowledged update when killed %s (%s)',
    async (_case, crashAt, { survives, replays }) => {
      const file = await freshDataFile(crashAt.replaceAll(':', '-'));
      const run = await runWriter(file, RANDOM_START, { args: ['--crash-at', crashAt] });
      expect(run.signal, run.stderr).toBe('SIGKILL');
      expect(run.acked).toEqual(Array.from({ length: 49 }, (_, i) => i));

      const notices: string[] = [];
      const store = await restart(file, notices);
      try {
        const { written } = await expectEverythingAcknowledged(store, run.acked);
        expect(written).toHaveLength(survives ? 50 : 49);
        expect(notices).toEqual(replays ? ['replayed journal events a crash left unapplied'] : []);
        await expectWritable(store, RANDOM_START, 50);
      } finally {
        await store.close();
      }
    },
    TIMEOUT,
  );
});

describe('kill -9 while a new month starts a new journal chunk', () => {
  it(
    'loses nothing acknowledged when killed before the new chunk is renamed into place',
    async () => {
      const file = await freshDataFile('rollover-before');
      const run = await runWriter(file, ROLLOVER_START, { args: ['--crash-at', 'before-rename:2026-12.json'] });
      expect(run.signal, run.stderr).toBe('SIGKILL');
      // Killed inside the first December transaction: every November report acknowledged, none after.
      expect(run.acked).toEqual(Array.from({ length: 30 }, (_, i) => i));
      const journalDir = journalDirOf(file);
      const left = await readdir(journalDir);
      expect(left).not.toContain('2026-12.json');
      expect(left.some((n) => n.startsWith('.2026-12.json.') && n.endsWith('.tmp'))).toBe(true);

      const notices: string[] = [];
      const store = await restart(file, notices);
      try {
        const { written } = await expectEverythingAcknowledged(store, run.acked);
        expect(written).toHaveLength(30);
        expect(notices).toEqual([]);
        // The next December report creates the chunk properly, the stray temporary file notwithstanding.
        await expectWritable(store, ROLLOVER_START, 30);
        expect(store.model().db.journal.chunks.map((c) => c.name)).toContain('2026-12');
        expect(await readdir(journalDir)).toContain('2026-12.json');
      } finally {
        await store.close();
      }
    },
    TIMEOUT,
  );

  it(
    'replays and indexes the new chunk when killed after it was written but before the document was',
    async () => {
      const file = await freshDataFile('rollover-after');
      const run = await runWriter(file, ROLLOVER_START, { args: ['--crash-at', 'after-rename:2026-12.json'] });
      expect(run.signal, run.stderr).toBe('SIGKILL');
      expect(run.acked).toEqual(Array.from({ length: 30 }, (_, i) => i));
      // The crash point: the journal has the new chunk, the document neither indexes nor applies it.
      const journalDir = journalDirOf(file);
      expect(await readdir(journalDir)).toContain('2026-12.json');
      const lagging = JSON.parse(await readFile(file, 'utf8')) as {
        journal: { lastSeq: number; chunks: Array<{ name: string }> };
      };
      expect(lagging.journal.chunks.map((c) => c.name)).not.toContain('2026-12');

      const notices: string[] = [];
      const store = await restart(file, notices);
      try {
        const { written } = await expectEverythingAcknowledged(store, run.acked);
        // The unacknowledged w-30 reached the journal, so it is kept: "the last acknowledged value or a later one".
        expect(written).toHaveLength(31);
        expect(store.model().progress.get(ITEM)?.value).toBe(30);
        expect(notices).toEqual(['replayed journal events a crash left unapplied']);
        expect(store.model().db.journal.chunks.find((c) => c.name === '2026-12')).toMatchObject({
          count: 1,
          firstSeq: lagging.journal.lastSeq + 1,
        });
        const onDisk = JSON.parse(await readFile(file, 'utf8')) as { journal: { lastSeq: number } };
        expect(onDisk.journal.lastSeq).toBe(lagging.journal.lastSeq + 1);
        await expectWritable(store, ROLLOVER_START, 31);
      } finally {
        await store.close();
      }
    },
    TIMEOUT,
  );
});
