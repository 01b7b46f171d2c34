/**
 * One measurement of bench/store-scale.ts, run in a fresh process so that its RSS is its own:
 *
 *   node bin/run-ts.js bench/store/measure.ts store-startup   DATA_FILE TODAY [DESIGN]
 *   node bin/run-ts.js bench/store/measure.ts store-writes    DATA_FILE COUNT SEED [DESIGN]
 *   node bin/run-ts.js bench/store/measure.ts store-breakdown DATA_FILE TODAY REPS SCRATCH_DIR
 *   node bin/run-ts.js bench/store/measure.ts naive-startup   NAIVE_FILE TODAY
 *   node bin/run-ts.js bench/store/measure.ts naive-writes    NAIVE_FILE COUNT SEED
 *
 * DESIGN is `wal` (the store in src/store, default) or `legacy` (the store before the write-ahead log,
 * bench/store/legacy: every transaction rewrites its journal chunk and the hot document durably).
 * Prints one line, `RESULT {json}`, on stdout. Timings are `performance.now()` around the awaited
 * operation; RSS figures are in MB (peak = the process's maxRSS so far, from getrusage).
 */
import { open, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { logReport } from '../../commands/reporting/index.ts';
import { applyEvent } from '../../src/domain/apply.ts';
import { localDate } from '../../src/domain/dates.ts';
import { JournalEvent } from '../../src/domain/journal.ts';
import { createReadModel, readModelFromState } from '../../src/domain/read-model.ts';
import { Database, emptyDatabase, type Item } from '../../src/domain/schema.ts';
import type { StoreState } from '../../src/domain/state.ts';
import { JournalFiles } from '../../src/store/journal-files.ts';
import { DurableTextFile } from '../../src/store/json-file.ts';
import { journalDirOf, openStore, parseState } from '../../src/store/store.ts';
import { type ItemKind, itemsOf, prng, rememberDeliveries, reportOf, TIME_ZONE, USER_IDS } from './history.ts';
import { openStore as openLegacyStore } from './legacy/store.ts';

export type Design = 'wal' | 'legacy';
const opener = (design: Design) => (design === 'legacy' ? openLegacyStore : openStore);

export type Mode = 'store-startup' | 'store-writes' | 'store-breakdown' | 'naive-startup' | 'naive-writes';

const mb = (bytes: number) => Math.round((bytes / 1_048_576) * 10) / 10;
const rssMb = () => mb(process.memoryUsage().rss);
const peakRssMb = () => Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10;
const round = (x: number) => Math.round(x * 100) / 100;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s[Math.floor((s.length - 1) / 2)]!;
}

function p95(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s[Math.ceil(0.95 * s.length) - 1]!;
}

async function time<T>(fn: () => Promise<T> | T): Promise<[T, number]> {
  const t = performance.now();
  const out = await fn();
  return [out, performance.now() - t];
}

/** Items whose period contains `today` (those still reported on), or all of them. */
function activeItems(
  state: Pick<StoreState, 'targets' | 'projects' | 'commitments'>,
  today: string,
): Array<{ item: Item; kind: ItemKind }> {
  const all = itemsOf(state);
  const active = all.filter(({ item }) => item.period.start <= today && today <= item.period.end);
  return active.length > 0 ? active : all;
}

/** The instant after every report already stored, so new reports fold on top (no refold). */
function after(progress: StoreState['progress'] | undefined, updates: ReadonlyArray<{ at: string }> = []): number {
  let latest = 0;
  for (const p of Object.values(progress ?? {}))
    if (p.lastReportAt) latest = Math.max(latest, Date.parse(p.lastReportAt));
  for (const u of updates) latest = Math.max(latest, Date.parse(u.at));
  return latest + 1_000;
}

async function storeStartup(file: string, today: string, design: Design) {
  const rssBefore = rssMb();
  const notices: string[] = [];
  const [store, openMs] = await time(() =>
    opener(design)(file, { timeZone: TIME_ZONE, onNotice: (m) => notices.push(m) }),
  );
  const [counts, rollupMs] = await time(() => store.model().rollup(today).counts);
  const readyAt = performance.now();
  const rssAfter = rssMb();
  const peak = peakRssMb();
  const { journal } = store.model().db;
  await store.close();
  return {
    openMs: round(openMs),
    modelRollupMs: round(rollupMs),
    startupMs: round(openMs + rollupMs),
    sinceProcessStartMs: round(readyAt),
    rssBeforeMb: rssBefore,
    rssAfterMb: rssAfter,
    peakRssMb: peak,
    lastSeq: journal.lastSeq,
    indexedEvents: journal.chunks.reduce((n, c) => n + c.count, 0),
    chunks: journal.chunks.length,
    notices,
    counts,
  };
}

/**
 * `count` one-update transactions as the brief has them (append the report, remember its Slack
 * delivery), and after every second one a report logged through the real command path
 * (commands/reporting/log.ts `logReport`: duplicate check, permission, validation, status before and
 * after, in the same kind of transaction), timed separately.
 */
async function storeWrites(file: string, count: number, seed: number, design: Design) {
  let t = 0;
  const store = await opener(design)(file, { timeZone: TIME_ZONE, clock: () => new Date(t) });
  const rand = prng(seed);
  const state = store.model().db;
  const month = state.journal.chunks.at(-1)?.name.slice(0, 7) ?? '2026-01';
  const items = activeItems(state, `${month}-28`);
  const before = { lastSeq: state.journal.lastSeq, chunk: state.journal.chunks.at(-1) };
  t = after(state.progress);
  const latencies: number[] = [];
  const cpu: number[] = [];
  const commandLatencies: number[] = [];
  const rssBefore = rssMb();
  for (let i = 0, n = 0; i < count; i++) {
    t += 1_000;
    const { item, kind } = items[n++ % items.length]!;
    const by = USER_IDS[Math.floor(rand() * USER_IDS.length)]!;
    const update = reportOf(item, kind, `w-${i}`, t, by, rand);
    const at = new Date(t).toISOString();
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    await store.transact((tx) => {
      tx.append({ type: 'update', at, by, update });
      tx.bookkeep((s) => rememberDeliveries(s, [{ at, update }]));
    });
    latencies.push(performance.now() - start);
    // CPU time of the whole process (its file-system threads included): what a busy machine multiplies.
    const used = process.cpuUsage(cpuStart);
    cpu.push((used.user + used.system) / 1000);
    if (i % 2 === 1) {
      t += 1_000;
      const next = items[n++ % items.length]!;
      const u = reportOf(next.item, next.kind, `c-${i}`, t, by, rand);
      const now = new Date(t);
      const started = performance.now();
      const result = await logReport(
        {
          itemId: u.itemId,
          fields: {
            ...(u.value !== undefined ? { value: u.value } : {}),
            ...(u.percent !== undefined ? { percent: u.percent } : {}),
            ...(u.state ? { state: u.state } : {}),
            ...(u.milestoneId ? { milestoneId: u.milestoneId } : {}),
          },
          ...(u.note ? { note: u.note } : {}),
          evidence: u.evidence,
          source: u.source,
          ...(u.message ? { message: u.message, eventId: `EvC${i}` } : {}),
        },
        {
          model: store.model(),
          today: localDate(now, TIME_ZONE),
          locale: 'zh-CN',
          userId: by,
          now,
          isAdmin: true,
          store,
        },
      );
      commandLatencies.push(performance.now() - started);
      if (result.kind !== 'logged') throw new Error(`logReport did not log: ${result.kind}`);
    }
  }
  const written = latencies.length + commandLatencies.length;
  const end = store.model().db.journal;
  const rssAfter = rssMb();
  const peak = peakRssMb();
  // Reading an item's history (the audit command, a review's decision) and correcting a report (a
  // Slack message edited or deleted: a transaction that needs the item's history to refold it).
  const { item } = items[0]!;
  const historyMs: number[] = [];
  const editMs: number[] = [];
  // The first look-up builds the item index (once a process); then each item's own lines are read.
  const [firstHistory, firstHistoryMs] = await time(() => store.history({ itemId: item.id }));
  for (let i = 0; i < HISTORY_READS; i++) {
    const other = items[(i * 7) % items.length]!.item;
    const [events, took] = await time(() => store.history({ itemId: other.id }));
    historyMs.push(took);
    if (other.id === item.id && events.length < firstHistory.length) throw new Error('history shrank');
  }
  for (let i = 0; i < 3; i++) {
    t += 1_000;
    const at = new Date(t).toISOString();
    const [, took] = await time(() =>
      store.transact(async (tx) => {
        const history = await tx.itemHistory(item.id);
        const last = history.findLast((e) => e.type === 'update');
        if (last?.type !== 'update') throw new Error(`no report on ${item.id} to correct`);
        tx.append(
          {
            type: 'update.edit',
            at,
            by: last.by,
            itemId: item.id,
            updateId: last.update.id,
            before: { note: last.update.note },
            after: { note: `更正 ${i}` },
          },
          history,
        );
      }),
    );
    editMs.push(took);
  }
  const peakAfterHistory = peakRssMb();
  await store.close();
  if (end.lastSeq !== before.lastSeq + written)
    throw new Error(`expected ${written} new events, the journal grew by ${end.lastSeq - before.lastSeq}`);
  if (store.model().db.journal.lastSeq !== end.lastSeq + 3) throw new Error('the corrections were not all recorded');
  return {
    latenciesMs: latencies.map(round),
    cpuMs: cpu.map(round),
    commandLatenciesMs: commandLatencies.map(round),
    firstHistoryMs: round(firstHistoryMs),
    historyEvents: firstHistory.length,
    rssBeforeMb: rssBefore,
    rssAfterMb: rssAfter,
    peakRssMb: peak,
    historyMs: historyMs.map(round),
    editMs: editMs.map(round),
    peakRssAfterHistoryMb: peakAfterHistory,
    chunkBefore: before.chunk,
    chunkAfter: end.chunks.at(-1),
    hotDocumentBytes: (await stat(file)).size,
    chunkBytes: end.chunks.at(-1) ? (await stat(join(journalDirOf(file), `${end.chunks.at(-1)!.name}.json`))).size : 0,
  };
}

/** Where a start-up and a write spend their time, step by step, as the store does them. */
async function storeBreakdown(file: string, today: string, reps: number, scratch: string) {
  const startup: Record<string, number> = {};
  const [text, readMs] = await time(() => readFile(file, 'utf8'));
  startup['read hot document'] = readMs;
  const [raw, parseMs] = await time(() => JSON.parse(text) as unknown);
  startup['JSON.parse hot document'] = parseMs;
  const [state, validateMs] = await time(() => parseState(file, raw));
  startup['validate hot document (zod)'] = validateMs;
  const dir = journalDirOf(file);
  const [names, listMs] = await time(() => new JournalFiles(dir).list());
  startup['list journal folder'] = listMs;
  let bytes = 0;
  const [, rawChunksMs] = await time(async () => {
    for (const name of names) {
      const t = await readFile(join(dir, `${name}.json`), 'utf8');
      bytes += t.length;
      JSON.parse(t);
    }
  });
  startup[`read + JSON.parse all ${names.length} chunks`] = rawChunksMs;
  const journal = new JournalFiles(dir);
  let events = 0;
  const [, chunksMs] = await time(async () => {
    for (const name of names) events += (await journal.read(name)).length;
  });
  startup[`read + JSON.parse + validate all ${names.length} chunks (what reconcile() does)`] = chunksMs;
  // The fullest of the recent chunks: where the measured writes went, and the most a replay reads.
  const recent = [...state.journal.chunks].slice(-3).sort((x, y) => y.count - x.count || y.lastSeq - x.lastSeq)[0]!;
  const chunkName = recent.name;
  const [, oneChunkMs] = await time(() => new JournalFiles(dir).read(chunkName));
  startup[`read + validate one chunk only (${recent.count} events)`] = oneChunkMs;
  const [, modelMs] = await time(() => readModelFromState(state, TIME_ZONE, 0).rollup(today));
  startup['read model + rollup'] = modelMs;
  // What a reconcile that trusts the index would need instead of reading every chunk: one stat each.
  const [, statMs] = await time(async () => {
    for (const name of names) await stat(join(dir, `${name}.json`));
  });
  startup[`(what-if) stat all ${names.length} chunks instead of reading them`] = statMs;

  // One write, step by step, repeated, on that chunk.
  const chunkEvents = (await new JournalFiles(dir).read(chunkName)).slice();
  const last = chunkEvents.findLast((e) => e.type === 'update');
  if (last?.type !== 'update') throw new Error(`no report in chunk ${chunkName}`);
  // Dated after every stored report, so that it folds on top like a new report does.
  const later = new Date(after(state.progress)).toISOString();
  const sample = { ...last, at: later, update: { ...last.update, at: later } };
  const steps: Record<string, number[]> = {};
  const add = (k: string, v: number) => (steps[k] ??= []).push(v);
  const chunkFile = new DurableTextFile(join(scratch, 'chunk.json'));
  const docFile = new DurableTextFile(join(scratch, 'doc.json'));
  const tinyFile = new DurableTextFile(join(scratch, 'tiny.json'));
  // What an append-only journal would do per event: one line appended to an open file, then fdatasync.
  const appendFile = await open(join(scratch, 'append.jsonl'), 'a');
  let s = state;
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    const e = JournalEvent.parse({ ...sample, seq: s.journal.lastSeq + 1 });
    s = applyEvent(s, e, TIME_ZONE);
    const t1 = performance.now();
    const lines = [...chunkEvents, e].map((x) => JSON.stringify(x)).join(',\n');
    const chunkText = `{"version":2,"chunk":${JSON.stringify(chunkName)},"events":[\n${lines}\n]}\n`;
    const t2 = performance.now();
    await chunkFile.write(chunkText);
    const t3 = performance.now();
    const docText = `${JSON.stringify(s, null, 2)}\n`;
    const t4 = performance.now();
    await docFile.write(docText);
    const t5 = performance.now();
    readModelFromState(s, TIME_ZONE, i + 1);
    const t6 = performance.now();
    await tinyFile.write('{}\n');
    const t7 = performance.now();
    await appendFile.write(`${JSON.stringify(e)}\n`);
    await appendFile.datasync();
    const t8 = performance.now();
    add('validate + apply the event', t1 - t0);
    add(`serialise the chunk (${chunkEvents.length + 1} events, ${(chunkText.length / 1024).toFixed(0)} KB)`, t2 - t1);
    add('durable write of the chunk (temp, fsync, rename, fsync dir)', t3 - t2);
    add(`serialise the hot document (pretty, ${(docText.length / 1024).toFixed(0)} KB)`, t4 - t3);
    add('durable write of the hot document', t5 - t4);
    add('new read model', t6 - t5);
    add('(reference) durable write of a 3-byte file', t7 - t6);
    add('(what-if) append the event as one line to an open file + fdatasync', t8 - t7);
  }
  await appendFile.close();
  return {
    startupMs: Object.fromEntries(Object.entries(startup).map(([k, v]) => [k, round(v)])),
    journal: { chunks: names.length, events, chars: bytes },
    writeMedianMs: Object.fromEntries(Object.entries(steps).map(([k, v]) => [k, round(median(v))])),
    writeP95Ms: Object.fromEntries(Object.entries(steps).map(([k, v]) => [k, round(p95(v))])),
    reps,
  };
}

async function naiveStartup(file: string, today: string) {
  const rssBefore = rssMb();
  const db = new Low<Database>(new JSONFile<Database>(file), emptyDatabase());
  const [, loadMs] = await time(() => db.read());
  const rssAfterLoad = rssMb();
  const peakAfterLoad = peakRssMb();
  const [valid, validateMs] = await time(() => Database.safeParse(db.data).success);
  if (!valid) throw new Error(`${file} is not a valid version 1 document`);
  const [, modelMs] = await time(() => createReadModel(db.data, TIME_ZONE, 0).rollup(today));
  return {
    loadMs: round(loadMs),
    validateMs: round(validateMs),
    modelRollupMs: round(modelMs),
    startupMs: round(loadMs + validateMs + modelMs),
    rssBeforeMb: rssBefore,
    rssAfterLoadMb: rssAfterLoad,
    peakRssAfterLoadMb: peakAfterLoad,
    rssAfterMb: rssMb(),
    peakRssMb: peakRssMb(),
    updates: db.data.updates.length,
  };
}

async function naiveWrites(file: string, count: number, seed: number) {
  const db = new Low<Database>(new JSONFile<Database>(file), emptyDatabase());
  await db.read();
  const rand = prng(seed);
  const items = activeItems(db.data, `${db.data.updates.at(-1)?.at.slice(0, 10) ?? '2026-01-01'}`);
  let t = after(undefined, db.data.updates);
  const latencies: number[] = [];
  const rssBefore = rssMb();
  for (let i = 0; i < count; i++) {
    t += 1_000;
    const { item, kind } = items[i % items.length]!;
    const by = USER_IDS[Math.floor(rand() * USER_IDS.length)]!;
    const update = reportOf(item, kind, `w-${i}`, t, by, rand);
    const start = performance.now();
    db.data.updates.push(update);
    await db.write();
    latencies.push(performance.now() - start);
  }
  return {
    latenciesMs: latencies.map(round),
    rssBeforeMb: rssBefore,
    rssAfterMb: rssMb(),
    peakRssMb: peakRssMb(),
    fileBytes: (await stat(file)).size,
  };
}

// The whole of duban's module graph, as `duban start` loads it, so that RSS includes what the real
// process holds before its store opens (Bolt, pino, zod schemas, i18n …). Timings start after this.
await import('../../src/main.ts');

const HISTORY_READS = 20;
const [mode, file, a, b, c] = process.argv.slice(2) as [
  Mode | undefined,
  string | undefined,
  string | undefined,
  string | undefined,
  string | undefined,
];
if (!mode || !file) {
  console.error('usage: node bin/run-ts.js bench/store/measure.ts MODE FILE ARGS… (see the header of this file)');
  process.exit(2);
}
const result =
  mode === 'store-startup'
    ? await storeStartup(file, a!, (b ?? 'wal') as Design)
    : mode === 'store-writes'
      ? await storeWrites(file, Number(a), Number(b), (c ?? 'wal') as Design)
      : mode === 'store-breakdown'
        ? await storeBreakdown(file, a!, Number(b), c!)
        : mode === 'naive-startup'
          ? await naiveStartup(file, a!)
          : mode === 'naive-writes'
            ? await naiveWrites(file, Number(a), Number(b))
            : undefined;
if (result === undefined) {
  console.error(`unknown mode ${mode}`);
  process.exit(2);
}
console.log(`RESULT ${JSON.stringify(result)}`);
