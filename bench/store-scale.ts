/**
 * The store at scale: years of use, 100,000 stored progress reports, against the targets of issue 15
 * (logging one update commits in p95 ≤ 10 ms, peak RSS ≤ 200 MB with item histories read and reports
 * corrected; start-up ≤ 1.5 s from the first store issue), side by side in the same run with the store
 * before the write-ahead log (bench/store/legacy: each write rewrote its journal chunk and the hot
 * document durably) and the naive design (one lowdb JSONFile, pretty-printed, history inline).
 *
 *   node bin/run-ts.js bench/store-scale.ts
 *   node bin/run-ts.js bench/store-scale.ts --updates 100000 --writes 200 --definitions yearly
 *   node bin/run-ts.js bench/store-scale.ts --compiled   (the children as compiled JS under plain Node: production)
 *   node bin/run-ts.js bench/store-scale.ts --help
 *
 * The generated history is cached in the system temp folder by options and code (bench/store/dataset-cache.ts).
 *
 * 1. A deterministic history (bench/store/history.ts) is written twice into a temporary folder:
 *    through the real store (imports + one transaction per month of recording, so the journal chunks
 *    and the hot document are exactly what the store writes) and as the naive lowdb document.
 * 2. Each measurement runs in a fresh child process (bench/store/measure.ts), so its RSS is its own:
 *    start-up (`openStore` + first `model()` + `rollup(today)`, `--startups` times, alternating
 *    store, store before, naive load), then `--writes` sequential one-update transactions on each
 *    store (each on its own copy of the files), 21 item histories and 3 corrections, then the naive writes.
 * 3. A last child takes start-up and one write apart step by step, to show where the time goes.
 * The temporary folder is removed at the end. Nothing is written into the repository.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sourceFiles } from '../bin/build-stamp.js';
import { CHUNK_LIMIT } from '../src/store/journal-files.ts';
import { journalDirOf } from '../src/store/store.ts';
import { sourceFingerprint } from './shared.ts';
import { ms, percentile, table } from './stats.ts';
import { cachedStoreDataset, datasetCacheDir } from './store/dataset-cache.ts';
import {
  DEFAULT_HISTORY,
  definitionsOfYear,
  type HistoryOptions,
  itemsOf,
  lastDayOf,
  writeNaiveDataset,
} from './store/history.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const RUN_TS = join(ROOT, 'bin', 'run-ts.js');
const MEASURE = join(ROOT, 'bench', 'store', 'measure.ts');

/** Issue 15: log one update p95 ≤ 10 ms, peak RSS ≤ 200 MB (start-up ≤ 1.5 s kept from the first store issue). */
export const TARGETS = { writeP95Ms: 10, startupMs: 1500, rssMb: 200 } as const;

type Options = {
  history: HistoryOptions;
  writes: number;
  naiveWrites: number;
  startups: number;
  breakdownReps: number;
  profileDir: string | undefined;
  json: string | undefined;
  keep: boolean;
  check: boolean;
  cache: boolean;
  compiled: boolean;
};

const HELP = `Usage: node bin/run-ts.js bench/store-scale.ts [options]

  --updates N        progress reports in the generated history (default ${DEFAULT_HISTORY.updates})
  --years Y          years of recording, from 1 January ${DEFAULT_HISTORY.startYear} (default ${DEFAULT_HISTORY.years})
  --definitions D    seed: the seed's 64 items get every report (default);
                     yearly: a copy of the seed's items per year, imported each 1 January
  --writes N         one-update transactions timed on the store (default 200), with N/2 more
                     reports logged through commands/progress.ts between them
  --naive-writes N   writes timed on the naive document, ~0.5 s each (default 20)
  --startups N       fresh-process start-ups of each side, alternating (default 3)
  --breakdown-reps N repetitions of the step-by-step write (default 40)
  --seed N           generator seed (default ${DEFAULT_HISTORY.seed})
  --profile DIR      write V8 CPU profiles of the store's children to DIR
                     (summarise: node bin/run-ts.js bench/profile-summary.ts FILE.cpuprofile)
  --json FILE        also write every figure as JSON to FILE
  --keep             keep the temporary data folder (its path is printed)
  --compiled         run the measuring children as compiled JavaScript under plain Node
                     (production) instead of TypeScript through tsx (development)
  --no-cache         generate the history even when a cached copy fits (cached in
                     ${datasetCacheDir()}, by options and by the code that writes it)
  --check            exit with status 1 when a target fails
  --help             this text
`;

function parseOptions(argv: string[]): Options {
  const flags = new Map<string, string>();
  const booleans = new Set(['keep', 'check', 'help', 'no-cache', 'compiled']);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${arg} (try --help)`);
    const name = arg.slice(2);
    if (booleans.has(name)) flags.set(name, 'true');
    else flags.set(name, argv[++i] ?? '');
  }
  const known = new Set([
    ...booleans,
    'updates',
    'years',
    'definitions',
    'writes',
    'naive-writes',
    'startups',
    'breakdown-reps',
    'seed',
    'profile',
    'json',
  ]);
  for (const name of flags.keys()) if (!known.has(name)) throw new Error(`unknown option --${name} (try --help)`);
  if (flags.has('help')) {
    console.log(HELP);
    process.exit(0);
  }
  const int = (name: string, fallback: number, min: number): number => {
    const v = flags.get(name);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} needs a whole number ≥ ${min}, got "${v}"`);
    return n;
  };
  const definitions = flags.get('definitions') ?? DEFAULT_HISTORY.definitions;
  if (definitions !== 'seed' && definitions !== 'yearly')
    throw new Error(`--definitions is seed or yearly, got "${definitions}"`);
  const writes = int('writes', 200, 20);
  return {
    history: {
      updates: int('updates', DEFAULT_HISTORY.updates, 1_000),
      years: int('years', DEFAULT_HISTORY.years, 1),
      startYear: DEFAULT_HISTORY.startYear,
      definitions,
      seed: int('seed', DEFAULT_HISTORY.seed, 0),
      // The measured writes (and the command-path ones between them) fill the history's last chunk up
      // to the limit: each rewrites a chunk of 1,700 … 2,000 events, the heaviest a journal append gets.
      lastChunkFill: Math.max(0, CHUNK_LIMIT - writes - Math.floor(writes / 2)),
    },
    writes,
    naiveWrites: int('naive-writes', 20, 1),
    startups: int('startups', 3, 1),
    breakdownReps: int('breakdown-reps', 40, 1),
    profileDir: flags.get('profile'),
    json: flags.get('json'),
    keep: flags.has('keep'),
    cache: !flags.has('no-cache'),
    compiled: flags.has('compiled'),
    check: flags.has('check'),
  };
}

/**
 * The measuring script, compiled: duban in production runs compiled JavaScript under plain Node (issue
 * 15), without tsx's 40 MB. src/, commands/ and bench/store/ are compiled as `npm run build` compiles
 * src/ and commands/ (tsconfig.build.json: types stripped, file by file) into a temporary folder beside
 * package.json (ESM) and node_modules, with the data and non-TypeScript files the modules read.
 */
async function compileMeasure(dir: string): Promise<string> {
  const out = join(dir, 'js');
  await mkdir(out, { recursive: true });
  const config = join(out, 'tsconfig.json');
  await writeFile(
    config,
    JSON.stringify({
      extends: join(ROOT, 'tsconfig.build.json'),
      compilerOptions: { rootDir: ROOT, outDir: out, types: [] },
      include: ['src/**/*.ts', 'commands/**/*.ts', 'bench/store/**/*.ts', 'bench/generate.ts'].map((g) =>
        join(ROOT, g),
      ),
      exclude: [join(ROOT, '**/*.bench.ts')],
    }),
  );
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const compiled = spawnSync(process.execPath, [tsc, '-p', config], { stdio: 'inherit' });
  if (compiled.status !== 0) throw new Error('tsc could not compile the measuring script');
  for (const file of sourceFiles(ROOT)) {
    if (file.endsWith('.ts') || !file.includes('/')) continue;
    await mkdir(dirname(join(out, file)), { recursive: true });
    await cp(join(ROOT, file), join(out, file));
  }
  await cp(join(ROOT, 'package.json'), join(out, 'package.json'));
  await symlink(join(ROOT, 'node_modules'), join(out, 'node_modules'));
  await symlink(join(ROOT, 'data'), join(out, 'data'));
  return join(out, 'bench', 'store', 'measure.js');
}

/** How children run: the TypeScript through tsx (default), or the compiled JavaScript (--compiled). */
let childCommand: string[] = [RUN_TS, MEASURE];

/** Runs one measurement in a fresh process and returns its RESULT. */
function measure<T>(args: string[], profileDir?: string): Promise<T> {
  const execArgv = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...execArgv, ...childCommand, ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      if (code !== 0 || !line) reject(new Error(`measure ${args.join(' ')} exited with ${code}\n${err}${out}`));
      else resolve(JSON.parse(line.slice('RESULT '.length)) as T);
    });
  });
}

async function sizeOf(path: string): Promise<{ bytes: number; files: number }> {
  const s = await stat(path);
  if (!s.isDirectory()) return { bytes: s.size, files: 1 };
  let bytes = 0;
  let files = 0;
  for (const name of await readdir(path)) {
    const inner = await sizeOf(join(path, name));
    bytes += inner.bytes;
    files += inner.files;
  }
  return { bytes, files };
}

type StoreStartup = {
  openMs: number;
  modelRollupMs: number;
  startupMs: number;
  sinceProcessStartMs: number;
  rssBeforeMb: number;
  rssAfterMb: number;
  peakRssMb: number;
  lastSeq: number;
  indexedEvents: number;
  chunks: number;
  notices: string[];
};
type NaiveStartup = {
  loadMs: number;
  validateMs: number;
  modelRollupMs: number;
  startupMs: number;
  rssBeforeMb: number;
  rssAfterLoadMb: number;
  peakRssAfterLoadMb: number;
  rssAfterMb: number;
  peakRssMb: number;
  updates: number;
};
type Writes = { latenciesMs: number[]; rssBeforeMb: number; rssAfterMb: number; peakRssMb: number };
type StoreWrites = Writes & {
  commandLatenciesMs: number[];
  firstHistoryMs: number;
  historyEvents: number;
  cpuMs: number[];
  historyMs: number[];
  editMs: number[];
  peakRssAfterHistoryMb: number;
  chunkBefore?: { name: string; count: number };
  chunkAfter?: { name: string; count: number };
  hotDocumentBytes: number;
  chunkBytes: number;
};
type Breakdown = {
  startupMs: Record<string, number>;
  writeMedianMs: Record<string, number>;
  writeP95Ms: Record<string, number>;
  journal: { chunks: number; events: number };
  reps: number;
};

const MB = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;
const sec = (x: number) => (x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${ms(x)} ms`);
/** Nearest-rank percentile (p in 0..100) of unsorted samples. */
const pct = (xs: readonly number[], p: number) => percentile(Float64Array.from(xs).sort(), p);
const med = (xs: readonly number[]) => pct(xs, 50);
const ratio = (naive: number, store: number) => (store > 0 ? `${(naive / store).toFixed(1)}×` : '—');
const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');

async function main(): Promise<void> {
  let o: Options;
  try {
    o = parseOptions(process.argv.slice(2));
  } catch (e) {
    console.error((e as Error).message);
    process.exit(2);
  }
  const h = o.history;
  const startedAt = new Date();
  const loadBefore = loadavg();
  const dir = await mkdtemp(join(tmpdir(), 'duban-store-scale-'));
  const file = join(dir, 'db.json');
  const naiveFile = join(dir, 'naive.json');
  const today = lastDayOf(h);
  const interrupted = () => {
    void rm(dir, { recursive: true, force: true }).finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  try {
    const items =
      itemsOf(definitionsOfYear(h.startYear, h.definitions)).length * (h.definitions === 'yearly' ? h.years : 1);
    console.log(
      `duban store at scale — ${h.updates.toLocaleString('en')} updates over ${h.years} years (${h.definitions} definitions: ${items} items), ${cpus().length} CPUs (${availableParallelism()} available), node ${process.version}`,
    );
    console.log(
      `source fingerprint ${sourceFingerprint()} (src/, commands/, package-lock.json); data in ${dir}; load average ${loadBefore.map((x) => x.toFixed(2)).join(' ')}\n`,
    );

    if (o.compiled) {
      process.stdout.write('compiling the measuring script (plain Node, as in production) … ');
      const started = performance.now();
      childCommand = [await compileMeasure(dir)];
      console.log(sec(performance.now() - started));
    }
    // The store's files from the shared cache of generated histories (bench/store/dataset-cache.ts).
    const generated = await cachedStoreDataset(file, h, {
      cache: o.cache,
      onGenerate: () => process.stdout.write('generating the history through the store … '),
    });
    if (generated.cached)
      console.log(`the generated history from the cache: ${generated.entry} (${sec(generated.ms)})`);
    else console.log(`${sec(generated.ms)} (${generated.events.toLocaleString('en')} journal events)`);
    const storeGenMs = generated.cached ? 0 : generated.ms;
    process.stdout.write('writing the naive lowdb document … ');
    const t = performance.now();
    await writeNaiveDataset(naiveFile, h);
    console.log(sec(performance.now() - t));

    const hot = await sizeOf(file);
    const journal = await sizeOf(journalDirOf(file));
    const naiveSize = await sizeOf(naiveFile);

    // The store before the write-ahead log (bench/store/legacy) gets its own copy of the same files.
    const legacyDir = join(dir, 'legacy');
    await mkdir(legacyDir);
    const legacyFile = join(legacyDir, 'db.json');
    await cp(file, legacyFile);
    await cp(journalDirOf(file), journalDirOf(legacyFile), { recursive: true });

    const storeStarts: StoreStartup[] = [];
    const legacyStarts: StoreStartup[] = [];
    const naiveStarts: NaiveStartup[] = [];
    for (let i = 0; i < o.startups; i++) {
      process.stdout.write(`start-up ${i + 1}/${o.startups}: store … `);
      storeStarts.push(await measure<StoreStartup>(['store-startup', file, today, 'wal'], o.profileDir));
      process.stdout.write(`${sec(storeStarts.at(-1)!.startupMs)}; before … `);
      legacyStarts.push(await measure<StoreStartup>(['store-startup', legacyFile, today, 'legacy']));
      process.stdout.write(`${sec(legacyStarts.at(-1)!.startupMs)}; naive … `);
      naiveStarts.push(await measure<NaiveStartup>(['naive-startup', naiveFile, today]));
      console.log(`${sec(naiveStarts.at(-1)!.loadMs)} load, ${sec(naiveStarts.at(-1)!.startupMs)} to first rollup`);
    }
    for (const check of [storeStarts[0]!, legacyStarts[0]!]) {
      if (check.notices.length > 0 || check.indexedEvents !== check.lastSeq || check.lastSeq !== generated.events) {
        throw new Error(
          `the generated store is not what it should be: ${JSON.stringify({ notices: check.notices, lastSeq: check.lastSeq, indexed: check.indexedEvents, generated: generated.events })}`,
        );
      }
    }
    if (naiveStarts[0]!.updates !== h.updates)
      throw new Error(`the naive document holds ${naiveStarts[0]!.updates} updates, not ${h.updates}`);

    process.stdout.write(`${o.writes} one-update transactions on the store … `);
    const storeWrites = await measure<StoreWrites>(
      ['store-writes', file, String(o.writes), String(h.seed + 1), 'wal'],
      o.profileDir,
    );
    console.log(`p95 ${ms(pct(storeWrites.latenciesMs, 95))} ms`);
    process.stdout.write(`${o.writes} on the store before the write-ahead log … `);
    const legacyWrites = await measure<StoreWrites>([
      'store-writes',
      legacyFile,
      String(o.writes),
      String(h.seed + 1),
      'legacy',
    ]);
    console.log(`p95 ${ms(pct(legacyWrites.latenciesMs, 95))} ms`);
    process.stdout.write(`${o.naiveWrites} writes on the naive document … `);
    const naiveWrites = await measure<Writes & { fileBytes: number }>([
      'naive-writes',
      naiveFile,
      String(o.naiveWrites),
      String(h.seed + 1),
    ]);
    console.log(`p50 ${ms(med(naiveWrites.latenciesMs))} ms`);
    process.stdout.write('step-by-step breakdown … ');
    const scratch = await mkdtemp(join(dir, 'scratch-'));
    const breakdown = await measure<Breakdown>(['store-breakdown', file, today, String(o.breakdownReps), scratch]);
    console.log('done\n');
    const loadAfter = loadavg();

    // ------------------------------------------------------------------------------------------
    const summary = (w: StoreWrites) => ({
      p50: pct(w.latenciesMs, 50),
      p95: pct(w.latenciesMs, 95),
      p99: pct(w.latenciesMs, 99),
      max: Math.max(...w.latenciesMs),
      c50: pct(w.commandLatenciesMs, 50),
      c95: pct(w.commandLatenciesMs, 95),
      c99: pct(w.commandLatenciesMs, 99),
      h50: pct(w.historyMs, 50),
      h95: pct(w.historyMs, 95),
      cpu50: pct(w.cpuMs, 50),
      cpu95: pct(w.cpuMs, 95),
    });
    const sw = summary(storeWrites);
    const lw = summary(legacyWrites);
    const nw = {
      p50: pct(naiveWrites.latenciesMs, 50),
      p95: pct(naiveWrites.latenciesMs, 95),
      p99: pct(naiveWrites.latenciesMs, 99),
      max: Math.max(...naiveWrites.latenciesMs),
    };
    const startupOf = (xs: StoreStartup[]) => med(xs.map((s) => s.startupMs));
    const storeStartup = startupOf(storeStarts);
    const legacyStartup = startupOf(legacyStarts);
    const naiveLoad = med(naiveStarts.map((s) => s.loadMs));
    const naiveStartup = med(naiveStarts.map((s) => s.startupMs));
    const peakOf = (starts: StoreStartup[], w: StoreWrites) =>
      Math.max(...starts.map((s) => s.peakRssMb), w.peakRssMb, w.peakRssAfterHistoryMb);
    const storePeak = peakOf(storeStarts, storeWrites);
    const legacyPeak = peakOf(legacyStarts, legacyWrites);
    const naivePeak = Math.max(...naiveStarts.map((s) => s.peakRssMb), naiveWrites.peakRssMb);
    const range = (xs: number[]) => `${sec(Math.min(...xs))} … ${sec(Math.max(...xs))}`;

    const rows: string[][] = [
      ['data on disk', MB(hot.bytes + journal.bytes), '(same files)', MB(naiveSize.bytes), ''],
      ['  hot document / journal (chunks)', `${MB(hot.bytes)} / ${MB(journal.bytes)} (${journal.files})`, '', '—', ''],
      [
        'bytes written per write (durably)',
        'its journal line + one log line',
        MB(legacyWrites.hotDocumentBytes + legacyWrites.chunkBytes),
        MB(naiveWrites.fileBytes),
        '',
      ],
      [
        `start-up to first rollup, median of ${o.startups}`,
        sec(storeStartup),
        sec(legacyStartup),
        sec(naiveStartup),
        ratio(legacyStartup, storeStartup),
      ],
      [
        '  range',
        range(storeStarts.map((s) => s.startupMs)),
        range(legacyStarts.map((s) => s.startupMs)),
        range(naiveStarts.map((s) => s.startupMs)),
        '',
      ],
      [
        `write one update p50 (n = ${o.writes} / ${o.writes} / ${o.naiveWrites})`,
        `${ms(sw.p50)} ms`,
        `${ms(lw.p50)} ms`,
        `${ms(nw.p50)} ms`,
        ratio(lw.p50, sw.p50),
      ],
      ['**write one update p95**', `${ms(sw.p95)} ms`, `${ms(lw.p95)} ms`, `${ms(nw.p95)} ms`, ratio(lw.p95, sw.p95)],
      ['write one update p99', `${ms(sw.p99)} ms`, `${ms(lw.p99)} ms`, `${ms(nw.p99)} ms`, ratio(lw.p99, sw.p99)],
      ['write one update max', `${ms(sw.max)} ms`, `${ms(lw.max)} ms`, `${ms(nw.max)} ms`, ''],
      [
        '  CPU time of one write p50 / p95 (process-wide)',
        `${ms(sw.cpu50)} / ${ms(sw.cpu95)} ms`,
        `${ms(lw.cpu50)} / ${ms(lw.cpu95)} ms`,
        '',
        ratio(lw.cpu95, sw.cpu95),
      ],
      [
        `log one report via logReport p50 / p95 / p99 (n = ${storeWrites.commandLatenciesMs.length})`,
        `${ms(sw.c50)} / ${ms(sw.c95)} / ${ms(sw.c99)} ms`,
        `${ms(lw.c50)} / ${ms(lw.c95)} / ${ms(lw.c99)} ms`,
        '',
        ratio(lw.c95, sw.c95),
      ],
      [
        'history of one item: first look-up (builds the index)',
        `${sec(storeWrites.firstHistoryMs)} (${storeWrites.historyEvents} events)`,
        `${sec(legacyWrites.firstHistoryMs)}`,
        'in memory',
        ratio(legacyWrites.firstHistoryMs, storeWrites.firstHistoryMs),
      ],
      [
        `history of one item, then p50 / p95 (n = ${storeWrites.historyMs.length})`,
        `${ms(sw.h50)} / ${ms(sw.h95)} ms`,
        `${ms(lw.h50)} / ${ms(lw.h95)} ms`,
        '',
        ratio(lw.h95, sw.h95),
      ],
      [
        'correct one report (edit), median of 3',
        sec(med(storeWrites.editMs)),
        sec(med(legacyWrites.editMs)),
        '≈ a write',
        ratio(med(legacyWrites.editMs), med(storeWrites.editMs)),
      ],
      [
        'RSS after load',
        `${med(storeStarts.map((s) => s.rssAfterMb))} MB`,
        `${med(legacyStarts.map((s) => s.rssAfterMb))} MB`,
        `${med(naiveStarts.map((s) => s.rssAfterLoadMb))} MB`,
        '',
      ],
      [
        'peak RSS, writes',
        `${storeWrites.peakRssMb} MB`,
        `${legacyWrites.peakRssMb} MB`,
        `${naiveWrites.peakRssMb} MB`,
        '',
      ],
      [
        'peak RSS after history + corrections',
        `${storeWrites.peakRssAfterHistoryMb} MB`,
        `${legacyWrites.peakRssAfterHistoryMb} MB`,
        '',
        '',
      ],
      ['**peak RSS, all of the above**', `${storePeak} MB`, `${legacyPeak} MB`, `${naivePeak} MB`, ''],
    ];
    console.log(table(['', 'store (after)', 'store (before)', 'naive', 'before/after'], rows));
    console.log(
      [
        '',
        'after: a write appends its journal lines in place (not flushed) and one write-ahead log line (flushed: fdatasync)',
        '  before resolving; the hot document is a checkpoint written every 250 transactions / 10 s idle, off the queue.',
        'before: bench/store/legacy, the store as it was: a write rewrites its journal chunk and the hot document, each durably',
        '  (temp file, fsync, rename, fsync dir). Start-up = openStore (lock, read + validate, reconcile the journal) + model() + rollup(today).',
        '  A write = transact appending the report and remembering its Slack delivery, as commands/progress.ts does;',
        '  logReport = the command itself, with its duplicate check, permission check and status before and after.',
        `  A fresh process is ready ${sec(med(storeStarts.map((s) => s.sinceProcessStartMs)))} after it starts (tsx compiling the sources and loading modules included);`,
        `  it holds ${med(storeStarts.map((s) => s.rssBeforeMb))} MB before openStore.`,
        `naive: lowdb Low + JSONFile (JSON.stringify(data, null, 2), temp file + rename, no fsync); load = db.read(); start-up to first rollup`,
        `  adds zod validation (${sec(med(naiveStarts.map((s) => s.validateMs)))}) and folding the history into progress (${sec(med(naiveStarts.map((s) => s.modelRollupMs)))}); a write = push + db.write().`,
      ].join('\n'),
    );

    const verdicts = [
      [
        `logging one update commits in p95 ≤ ${TARGETS.writeP95Ms} ms`,
        `${ms(sw.p95)} ms`,
        verdict(sw.p95 <= TARGETS.writeP95Ms),
      ],
      [
        '  … through the command path (commands/progress.ts)',
        `${ms(sw.c95)} ms`,
        verdict(sw.c95 <= TARGETS.writeP95Ms),
      ],
      [
        `start-up loads in ≤ ${TARGETS.startupMs / 1000} s (median)`,
        sec(storeStartup),
        verdict(storeStartup <= TARGETS.startupMs),
      ],
      [
        `peak RSS ≤ ${TARGETS.rssMb} MB (start-up, writes, item histories and corrections)`,
        `${storePeak} MB`,
        verdict(storePeak <= TARGETS.rssMb),
      ],
    ];
    console.log(`\nTargets at ${h.updates.toLocaleString('en')} stored updates (store, after):`);
    console.log(table(['target', 'measured', ''], verdicts));
    console.log(
      `\nThe naive document for comparison: write p95 ${ms(nw.p95)} ms, load ${sec(naiveLoad)}, peak RSS ${naivePeak} MB.`,
    );
    console.log(
      `Writes landed on chunk ${storeWrites.chunkBefore?.name} (${storeWrites.chunkBefore?.count} → ${storeWrites.chunkAfter?.name} ${storeWrites.chunkAfter?.count} events).`,
    );

    console.log('\nWhere start-up goes (one process, each step once):');
    console.log(
      table(
        ['step', 'ms'],
        Object.entries(breakdown.startupMs).map(([k, v]) => [k, ms(v)]),
      ),
    );
    console.log(
      `\nWhere one write went before (${breakdown.reps} repetitions; the old store did these in order, then resolved; the last line is what a write does now):`,
    );
    console.log(
      table(
        ['step', 'median ms', 'p95 ms'],
        Object.entries(breakdown.writeMedianMs).map(([k, v]) => [k, ms(v), ms(breakdown.writeP95Ms[k] ?? Number.NaN)]),
      ),
    );
    console.log(
      `\nload average before ${loadBefore.map((x) => x.toFixed(2)).join(' ')}, after ${loadAfter.map((x) => x.toFixed(2)).join(' ')}; generation through the store took ${storeGenMs > 0 ? sec(storeGenMs) : '— (cached)'}; run took ${sec(Date.now() - startedAt.getTime())}`,
    );

    if (o.json) {
      const { writeFile } = await import('node:fs/promises');
      await writeFile(
        o.json,
        `${JSON.stringify({ startedAt, source: sourceFingerprint(), options: o, machine: { cpus: cpus().length, model: cpus()[0]?.model, memBytes: totalmem(), node: process.version, loadBefore, loadAfter }, sizes: { hot, journal, naive: naiveSize }, storeStarts, legacyStarts, naiveStarts, storeWrites, legacyWrites, naiveWrites, breakdown }, null, 2)}\n`,
      );
    }
    const passed =
      sw.p95 <= TARGETS.writeP95Ms &&
      sw.c95 <= TARGETS.writeP95Ms &&
      storeStartup <= TARGETS.startupMs &&
      storePeak <= TARGETS.rssMb;
    if (o.check && !passed) process.exitCode = 1;
  } finally {
    process.off('SIGINT', interrupted);
    if (o.keep) console.log(`kept ${dir}`);
    else await rm(dir, { recursive: true, force: true });
  }
}

await main();
