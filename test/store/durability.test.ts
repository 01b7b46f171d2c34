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
import { applyEvent } from '../../src/domain/apply.ts';
import { messageKey, SEEN_EVENT_MS } from '../../src/domain/delivery.ts';
import { own } from '../../src/domain/lookup.ts';
import { Update } from '../../src/domain/schema.ts';
import type { StoreState } from '../../src/domain/state.ts';
import { importIntoStore } from '../../src/store/import.ts';
import { journalDirOf, loadState, openStore, type Store } from '../../src/store/store.ts';
import { walDirOf } from '../../src/store/wal.ts';
import { WRITER_CLOCK_AFTER_START_MS, writerEventId, writerMessage } from '../support/store-writer-deliveries.ts';

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
const REPLAYED = 'replayed journal events a crash left unapplied';
const TORN = 'repaired journal chunks a crash left torn';

let root: string;
let template: string;
/** The seeded store every scenario starts from, as loaded before any writer ran. */
let seeded: StoreState;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'duban-durability-'));
  template = join(root, 'template');
  await mkdir(template);
  const store = await openStore(join(template, 'db.json'), { timeZone: TZ });
  await importIntoStore(store, SEED, { now: new Date('2026-11-28T10:00:00+08:00') });
  await store.close();
  seeded = (await loadState(join(template, 'db.json'), TZ)).state;
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
  // The model is the seeded store with the journal's later events replayed on it, nothing more or less.
  let replayed = seeded;
  for (const e of history) if (e.seq > seeded.journal.lastSeq) replayed = applyEvent(replayed, e, TZ);
  expect(JSON.parse(JSON.stringify(store.model().db.progress))).toEqual(JSON.parse(JSON.stringify(replayed.progress)));
  // The delivery bookkeeping, changed in place and logged key by key, is back with the reports: every
  // written report's message, and its event id unless the writer's clock had expired it (an
  // acknowledged report whose event id expired as it was noted left none).
  const { seen } = store.model().db;
  const reports = history.flatMap((e) => (e.type === 'update' && e.update.id.startsWith('w-') ? [e.update] : []));
  const clockMs = Date.parse(reports[0]!.at) + WRITER_CLOCK_AFTER_START_MS;
  const ackedSet = new Set(acked);
  let expired = 0;
  for (const report of reports) {
    const i = Number(report.id.slice(2));
    expect(own(seen.messages, messageKey(writerMessage(i)))?.updateId, report.id).toBe(report.id);
    const until = Date.parse(report.at) + SEEN_EVENT_MS;
    if (until > clockMs) expect(own(seen.events, writerEventId(i)), report.id).toBe(until);
    else if (ackedSet.has(i)) {
      expect(own(seen.events, writerEventId(i)), report.id).toBeUndefined();
      expired++;
    }
  }
  expect(expired).toBeGreaterThan(0);
  // And the journal on disk reads whole: every chunk in the layout the store writes.
  for (const c of journal.chunks) {
    const text = await readFile(join(journalDirOf(store.file), `${c.name}.json`), 'utf8');
    expect(text.endsWith('\n]}\n'), c.name).toBe(true);
  }
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
  // The store's default checkpoint (every 250 transactions) and a frequent one, so that kills also
  // land while a checkpoint is being written.
  it.each([
    ...killPoints(20261128, 4).map((k) => [k.nth, k.delayMs, 'default', k.after] as const),
    ...killPoints(20261207, 3).map((k) => [k.nth, k.delayMs, '25', k.after] as const),
  ])(
    'keeps every acknowledged update when killed after the %s acknowledgement (+%i ms, checkpoints: %s), and loads',
    async (_nth, delayMs, every, after) => {
      const file = await freshDataFile(`random-${after}-${delayMs}-${every}`);
      const args = every === 'default' ? [] : ['--checkpoint-every', every];
      const run = await runWriter(file, RANDOM_START, { killAfter: after, delayMs, args });
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

describe('kill -9 at exact points of a transaction', () => {
  // A transaction appends its journal lines in place (not flushed), then writes its write-ahead log
  // line and flushes it, then resolves; the writer acknowledges w-i only after that. Killed in the 50th
  // transaction (w-49), w-0 … w-48 are acknowledged; whether w-49 survives depends on how far it got.
  it.each([
    ['half-way through its journal lines (a torn chunk)', 'torn-journal:50', { survives: false, notices: [TORN] }],
    ['after its journal lines, before its log line', 'before-log-write:50', { survives: true, notices: [REPLAYED] }],
    ['half-way through its log line', 'torn-log:50', { survives: true, notices: [REPLAYED] }],
    ['with its log line written but not flushed', 'before-log-sync:50', { survives: true, notices: [] }],
    [
      'after its log line was flushed, before it was acknowledged',
      'after-log-sync:50',
      { survives: true, notices: [] },
    ],
  ] as const)(
    'keeps every acknowledged update when killed %s (%s)',
    async (_case, crashAt, { survives, notices: expected }) => {
      const file = await freshDataFile(crashAt.replaceAll(':', '-'));
      const run = await runWriter(file, RANDOM_START, { args: ['--crash-at', crashAt] });
      expect(run.signal, run.stderr).toBe('SIGKILL');
      expect(run.acked).toEqual(Array.from({ length: 49 }, (_, i) => i));

      const notices: string[] = [];
      const store = await restart(file, notices);
      try {
        const { written } = await expectEverythingAcknowledged(store, run.acked);
        expect(written).toHaveLength(survives ? 50 : 49);
        expect(notices).toEqual(expected);
        await expectWritable(store, RANDOM_START, 50);
      } finally {
        await store.close();
      }
    },
    TIMEOUT,
  );
});

describe('kill -9 while the document is checkpointed', () => {
  // With a checkpoint every 20 transactions, the second one is under way while transactions go on.
  it.each([
    ['before the new document is renamed into place', 'before-rename:db.json:2'],
    ['after the new document, before the older log segments are removed', 'after-rename:db.json:2'],
  ])(
    'keeps every acknowledged update when killed %s',
    async (_case, crashAt) => {
      const file = await freshDataFile(`checkpoint-${crashAt.replaceAll(':', '-')}`);
      const run = await runWriter(file, RANDOM_START, {
        args: ['--crash-at', crashAt, '--checkpoint-every', '20'],
      });
      expect(run.signal, run.stderr).toBe('SIGKILL');
      expect(run.acked.length).toBeGreaterThanOrEqual(20);

      const notices: string[] = [];
      const store = await restart(file, notices);
      try {
        const { written } = await expectEverythingAcknowledged(store, run.acked);
        // A transaction under way at the kill may have its journal line written but not yet its log line:
        // it was never acknowledged, and start-up replays it (and says so). Nothing else is to be noticed.
        expect(notices.filter((n) => n !== 'replayed journal events a crash left unapplied')).toEqual([]);
        // A clean stop leaves one document and no log.
        await store.close();
        expect(await readdir(walDirOf(file))).toEqual([]);
        const reopened = await openStore(file, { timeZone: TZ });
        try {
          await expectEverythingAcknowledged(reopened, run.acked);
          await expectWritable(reopened, RANDOM_START, written.length + 1);
        } finally {
          await reopened.close();
        }
      } finally {
        await store.close();
      }
    },
    TIMEOUT,
  );
});

describe('kill -9 while a new month starts a new journal chunk', () => {
  it(
    'loses nothing acknowledged when killed half-way through creating the new chunk',
    async () => {
      const file = await freshDataFile('rollover-torn');
      const run = await runWriter(file, ROLLOVER_START, { args: ['--crash-at', 'torn-journal:31'] });
      expect(run.signal, run.stderr).toBe('SIGKILL');
      // Killed inside the first December transaction: every November report acknowledged, none after.
      expect(run.acked).toEqual(Array.from({ length: 30 }, (_, i) => i));
      const journalDir = journalDirOf(file);
      expect(await readdir(journalDir)).toContain('2026-12.json');

      const notices: string[] = [];
      const store = await restart(file, notices);
      try {
        const { written } = await expectEverythingAcknowledged(store, run.acked);
        expect(written).toHaveLength(30);
        expect(notices).toEqual([TORN]);
        // The torn chunk held nothing whole: it is gone, and the next December report creates it properly.
        expect(await readdir(journalDir)).not.toContain('2026-12.json');
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
    'replays and indexes the new chunk when killed after it was written but before the log line',
    async () => {
      const file = await freshDataFile('rollover-after');
      const run = await runWriter(file, ROLLOVER_START, { args: ['--crash-at', 'before-log-write:31'] });
      expect(run.signal, run.stderr).toBe('SIGKILL');
      expect(run.acked).toEqual(Array.from({ length: 30 }, (_, i) => i));
      expect(await readdir(journalDirOf(file))).toContain('2026-12.json');

      const notices: string[] = [];
      const store = await restart(file, notices);
      try {
        const { written } = await expectEverythingAcknowledged(store, run.acked);
        // The unacknowledged w-30 reached the journal, so it is kept: "the last acknowledged value or a later one".
        expect(written).toHaveLength(31);
        expect(store.model().progress.get(ITEM)?.value).toBe(30);
        expect(notices).toEqual([REPLAYED]);
        const lastSeq = store.model().db.journal.lastSeq;
        expect(store.model().db.journal.chunks.find((c) => c.name === '2026-12')).toMatchObject({
          count: 1,
          firstSeq: lastSeq,
        });
        // The restart wrote a checkpoint: the document on disk is caught up with the journal.
        const onDisk = JSON.parse(await readFile(file, 'utf8')) as { journal: { lastSeq: number } };
        expect(onDisk.journal.lastSeq).toBe(lastSeq);
        await expectWritable(store, ROLLOVER_START, 31);
      } finally {
        await store.close();
      }
    },
    TIMEOUT,
  );
});
