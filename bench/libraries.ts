/**
 * Libraries measured against the reader's own steps, side by side, on the corpus of real reports
 * (test/fixtures/reading) and on the reader's own unit-test tables:
 *
 * - nzh (Chinese numerals → numbers) against numbers.ts `parseChineseNumeral`;
 * - chrono-node's zh locale (dates and periods: 1-6月, 前三季度, 截至9月底) against frames.ts `findFrames`;
 * - @node-rs/jieba (word segmentation) against measure.ts, which compares two-character windows of
 *   Han text and finds act words (开工, 签约, 入驻 …) as substrings.
 *
 *   npm run bench:libraries [-- --rounds 20] [-- --libs DIR] [-- --skip-install]
 *
 * The candidates are not dependencies of duban. The bench installs each one at a pinned version into a
 * temporary folder of its own — `npm install` writes a lockfile there, then `npm ci` installs from that
 * lockfile, which is the installability check — and measures the copy it installed. `--libs DIR` measures
 * the copies under DIR/node_modules instead (say after `npm install --prefix DIR nzh@1.0.14 …`), and
 * `--skip-install` skips the install and looks in DIR or in duban's own node_modules (after
 * `npm install --no-save …`). duban's own package.json and lockfile are never touched.
 *
 * Replacing a step end to end: the bench copies src/domain/reading into a temporary folder, once per
 * candidate, with that one function handing its input to the library, and grades every corpus sentence
 * with that reader exactly as the corpus test grades duban's (test/support/reading-corpus.ts).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { findFrames } from '../src/domain/reading/frames.ts';
import { simplified } from '../src/domain/reading/normalise.ts';
import { parseChineseNumeral } from '../src/domain/reading/numbers.ts';
import { CHINESE_NUMERALS, NOT_NUMERALS } from '../test/fixtures/reading/numerals.ts';
import {
  type CorpusCase,
  formatTally,
  type Graded,
  grade,
  loadCorpus,
  type Outcome,
  type Reader,
  tally,
} from '../test/support/reading-corpus.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const READING = join(ROOT, 'src/domain/reading');
const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const rounds = Number(arg('--rounds')) || 20;
const skipInstall = process.argv.includes('--skip-install');
const libsDir = arg('--libs');

const CANDIDATES = [
  { name: 'nzh', version: '1.0.14', step: 'numbers.ts parseChineseNumeral' },
  { name: 'chrono-node', version: '2.10.3', step: 'frames.ts findFrames' },
  { name: '@node-rs/jieba', version: '2.0.3', step: 'measure.ts two-character windows and act substrings' },
] as const;

// ---------------------------------------------------------------------------------------------
// Installing the candidates: from a lockfile, in a folder of their own
// ---------------------------------------------------------------------------------------------

type Install = {
  name: string;
  ok: boolean;
  detail: string;
  bytes?: number;
  files?: number;
  lockEntries?: number;
  dir?: string;
  repoLock?: string;
};

const npm = (args: string[], cwd: string) =>
  execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 300_000,
  });

function sizeOf(dir: string): { bytes: number; files: number } {
  let bytes = 0;
  let files = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      const s = sizeOf(path);
      bytes += s.bytes;
      files += s.files;
    } else if (entry.isFile()) {
      bytes += statSync(path).size;
      files++;
    }
  }
  return { bytes, files };
}

function installOne(name: string, version: string): Install {
  const dir = mkdtempSync(join(tmpdir(), 'duban-lib-'));
  try {
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ name: 'duban-library-check', private: true, dependencies: { [name]: version } }),
    );
    npm(['install', '--package-lock-only'], dir);
    const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, unknown>;
    };
    npm(['ci'], dir);
    const { bytes, files } = sizeOf(join(dir, 'node_modules'));
    const lockEntries = Object.keys(lock.packages).filter((k) => k !== '').length;
    return {
      name,
      ok: true,
      detail: `npm ci from its lockfile: ok`,
      bytes,
      files,
      lockEntries,
      dir,
      repoLock: repoLockCheck(name, version),
    };
  } catch (e) {
    return {
      name,
      ok: false,
      detail: `install failed: ${String((e as { stderr?: string }).stderr ?? e)
        .split('\n')
        .slice(0, 3)
        .join(' ')}`,
      dir,
    };
  }
}

/** Whether the candidate resolves beside duban's own locked dependencies (its package.json and lockfile copied, never changed). */
function repoLockCheck(name: string, version: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'duban-lock-'));
  try {
    for (const f of ['package.json', 'package-lock.json']) writeFileSync(join(dir, f), readFileSync(join(ROOT, f)));
    const before = Object.keys(
      (JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8')) as { packages: object }).packages,
    ).length;
    npm(['install', '--package-lock-only', '--save-dev', '--save-exact', `${name}@${version}`], dir);
    const after = Object.keys(
      (JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8')) as { packages: object }).packages,
    ).length;
    return `resolves beside duban's lockfile, +${after - before} lock entries`;
  } catch (e) {
    return `does not resolve beside duban's lockfile: ${String((e as { stderr?: string }).stderr ?? e).split('\n')[0]}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// The candidates' own APIs, as far as this bench uses them
// ---------------------------------------------------------------------------------------------

type Nzh = { decodeS(s: string): string | number };
type ChronoResult = { index: number; text: string; start: ChronoComponents; end?: ChronoComponents | null };
type ChronoComponents = { isCertain(c: string): boolean; get(c: string): number | null };
type Chrono = {
  parse(text: string, ref?: Date): ChronoResult[];
  zh: { parse(text: string, ref?: Date): ChronoResult[] };
};
type JiebaWord = { word: string; tag: string };
type Jieba = {
  cut(s: string, hmm?: boolean): string[];
  cutForSearch(s: string, hmm?: boolean): string[];
  tag(s: string, hmm?: boolean): JiebaWord[];
};
type Libraries = { nzh: Nzh; chrono: Chrono; jieba: Jieba; loadMs: Record<string, number> };

function loadLibraries(dirs: Record<string, string>): Libraries {
  const loadMs: Record<string, number> = {};
  const from = (name: string) => createRequire(join(dirs[name] ?? ROOT, 'package.json'));
  const timed = <T>(name: string, load: () => T): T => {
    const t0 = performance.now();
    const out = load();
    loadMs[name] = performance.now() - t0;
    return out;
  };
  const nzh = timed('nzh', () => from('nzh')('nzh/cn') as Nzh);
  const chrono = timed('chrono-node', () => from('chrono-node')('chrono-node') as Chrono);
  const jieba = timed('@node-rs/jieba', () => {
    const req = from('@node-rs/jieba');
    const { Jieba } = req('@node-rs/jieba') as { Jieba: { withDict(d: Uint8Array): Jieba } };
    const { dict } = req('@node-rs/jieba/dict') as { dict: Uint8Array };
    return Jieba.withDict(dict);
  });
  return { nzh, chrono, jieba, loadMs };
}

// ---------------------------------------------------------------------------------------------
// The reader with one step handed to a library: a temporary copy of src/domain/reading
// ---------------------------------------------------------------------------------------------

type Hooks = {
  numeral?: (s: string) => number | undefined;
  frames?: (scan: string) => unknown[];
  framesRangesOnly?: (scan: string) => unknown[];
  grams?: (s: string) => Iterable<string>;
};
type Variant = { read: Reader; hanGrams: (s: string) => Set<string>; acts: string[]; dir: string };
(globalThis as { __libbench?: Hooks }).__libbench = {};

/** Every temporary copy is removed at the end, whatever happens. */
const temporary: string[] = [];

async function loadVariant(label: string, hook: keyof Hooks | undefined): Promise<Variant> {
  const dir = mkdtempSync(join(tmpdir(), `duban-reader-${label}-`));
  temporary.push(dir);
  // Outside the repository, the copy needs its own word that it is ESM.
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
  const outside = (spec: string) => pathToFileURL(join(ROOT, 'src/domain', spec)).href;
  for (const file of readdirSync(READING)) {
    let text = readFileSync(join(READING, file), 'utf8')
      .replace(/from '\.\.\/([^']+)'/g, (_m, spec: string) => `from '${outside(spec)}'`)
      .replace(/from '(?!\.|node:|file:)([^']+)'/g, (_m, spec: string) => `from '${import.meta.resolve(spec)}'`);
    const patch = (search: string, insert: string) => {
      if (!text.includes(search)) throw new Error(`${file}: "${search}" not found; the bench must follow the reader`);
      text = text.replace(search, `${search}\n${insert}`);
    };
    // The copy is run, never type-checked: `any` there saves declaring the hooks in every copied module.
    const lib = `(globalThis as any).__libbench.${hook}`;
    if (file === 'numbers.ts' && hook === 'numeral')
      patch('export function parseChineseNumeral(input: string): number | undefined {', `  return ${lib}(input);`);
    if (file === 'frames.ts' && hook?.startsWith('frames'))
      patch('export function findFrames(scan: string): Frame[] {', `  return ${lib}(scan);`);
    if (file === 'measure.ts') {
      if (hook === 'grams')
        patch(
          'function hanGrams(s: string): Set<string> {',
          `  return new Set([...${lib}(s)].filter((w: string) => !GENERIC_ZH.has(w)));`,
        );
      text += '\nexport { hanGrams as __hanGrams, ACTS as __ACTS };\n';
    }
    writeFileSync(join(dir, file), text);
  }
  const index = (await import(pathToFileURL(join(dir, 'index.ts')).href)) as { readProgress: Reader };
  const measure = (await import(pathToFileURL(join(dir, 'measure.ts')).href)) as {
    __hanGrams: (s: string) => Set<string>;
    __ACTS: string[];
  };
  return {
    read: index.readProgress,
    hanGrams: measure.__hanGrams,
    acts: measure.__ACTS.filter((a) => /\p{Script=Han}/u.test(a)),
    dir,
  };
}

// ---------------------------------------------------------------------------------------------
// Grading: the corpus, read by duban's reader and by the reader with one step replaced
// ---------------------------------------------------------------------------------------------

const RANK: Record<Outcome, number> = {
  right: 5,
  asked: 4,
  'asked-not-first': 3,
  unparsed: 2,
  'asked-wrong': 1,
  wrong: 0,
};

function gradeAll(corpus: readonly CorpusCase[], read: Reader): Graded[] {
  return corpus.flatMap((c) => [grade(c, true, read), grade(c, false, read)]);
}

function compareGrades(label: string, base: Graded[], other: Graded[]): string[] {
  const lines: string[] = [];
  const t = tally(other);
  lines.push(`  ${formatTally(`${label}, with a prior value`, tally(other.filter((g) => g.withPrior)))}`);
  lines.push(`  ${formatTally(`${label}, with nothing recorded yet`, tally(other.filter((g) => !g.withPrior)))}`);
  let same = 0;
  const better: Array<[Graded, Graded]> = [];
  const worse: Array<[Graded, Graded]> = [];
  base.forEach((b, i) => {
    const o = other[i]!;
    if (b.outcome === o.outcome && JSON.stringify(b.got) === JSON.stringify(o.got)) same++;
    else if (RANK[o.outcome] > RANK[b.outcome]) better.push([b, o]);
    else if (RANK[o.outcome] < RANK[b.outcome]) worse.push([b, o]);
    else same++;
  });
  lines.push(
    `  agreement with duban's reader: ${same}/${base.length} readings the same (${pct(same, base.length)}); the library's reader better on ${better.length}, worse on ${worse.length}; confidently wrong ${t.wrong}`,
  );
  const wrongIds = other
    .filter((g) => g.outcome === 'wrong')
    .map((g) => `${g.c.id}${g.withPrior ? '' : ' (no prior)'}`);
  if (wrongIds.length) lines.push(`    confidently wrong: ${wrongIds.join(', ')}`);
  for (const [b, o] of better.slice(0, 8))
    lines.push(
      `    library better: ${o.c.id}${o.withPrior ? '' : ' (no prior)'} ${b.outcome} → ${o.outcome}: ${short(o.c.text)}`,
    );
  for (const [b, o] of worse.slice(0, 12))
    lines.push(
      `    library worse: ${o.c.id}${o.withPrior ? '' : ' (no prior)'} ${b.outcome} → ${o.outcome}: ${short(o.c.text)}`,
    );
  if (worse.length > 12) lines.push(`    … and ${worse.length - 12} more`);
  return lines;
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

const pct = (n: number, d: number) => `${((100 * n) / Math.max(1, d)).toFixed(1)}%`;
const short = (s: string, n = 48) => (s.length > n ? `${s.slice(0, n)}…` : s);
const fmtMs = (ms: number) => (ms < 1 ? `${(ms * 1000).toFixed(1)} µs` : `${ms.toFixed(2)} ms`);
const kb = (b: number) => (b >= 1024 * 1024 ? `${(b / 1024 / 1024).toFixed(1)} MB` : `${(b / 1024).toFixed(0)} KB`);

/** The text every step reads: what parseProgress scans (NFKC, simplified, lower case, "，" as ", "). */
const scanOf = (text: string) => simplified(text.replace(/，/g, ', ').normalize('NFKC')).toLowerCase();

/**
 * Time per input: the fastest of 7 batches of `passes` passes each, after one warm-up pass. The machine
 * is shared (other processes come and go), and the fastest batch is the one they disturbed least.
 */
function timePer<T>(inputs: readonly T[], run: (x: T) => unknown, passes = rounds): number {
  for (const x of inputs) run(x);
  let best = Infinity;
  for (let b = 0; b < 7; b++) {
    const t0 = performance.now();
    for (let r = 0; r < passes; r++) for (const x of inputs) run(x);
    best = Math.min(best, (performance.now() - t0) / (passes * Math.max(1, inputs.length)));
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// 1. Chinese numerals: nzh against parseChineseNumeral
// ---------------------------------------------------------------------------------------------

/** The reader's own table (test/fixtures/reading/numerals.ts), with the runs it must refuse. */
const NUMERALS: Array<[string, number | undefined]> = [
  ...CHINESE_NUMERALS.map(([s, v]): [string, number | undefined] => [s, v]),
  ...NOT_NUMERALS.map((s): [string, number | undefined] => [s, undefined]),
];
/**
 * The Chinese numbers in the reader's figure tables (same file: "figures", "absolute or increment"),
 * as the tokens step hands them over (a trailing 万/亿 is split off as the magnitude first), and a few
 * numbers the issue names (两, 两个, 三十余). Values by hand.
 */
const FIGURE_NUMERALS: Array<[string, number | undefined]> = [
  ['三十一', 31],
  ['十二', 12],
  ['一百零五', 105],
  ['两千', 2000],
  ['三十', 30],
  ['一点五', 1.5],
  ['一', 1],
  ['两', 2],
  ['三十万', 300_000],
  ['两千亿', 200_000_000_000],
];

/** The Chinese numeral runs of the corpus, as the tokens step finds them (same pattern as tokens.ts CN_NUMERAL). */
const CN_RUN =
  /(?<![零〇一二两三四五六七八九十百千万亿点])[零〇一二两三四五六七八九十][零〇一二两三四五六七八九十百千万亿点]{0,19}(?![零〇一二两三四五六七八九十百千万亿点])/g;
/**
 * Every distinct run of the corpus judged by hand: the number the characters mean as a numeral (the 零 of
 * 零售 and the 五 of 五金 are still 零 and 五: whether a number is a figure is the next steps' question),
 * or undefined where the run is no numeral (七一, the name of 1 July in "七一"前后).
 */
const CORPUS_RUN_TRUTH: Record<string, number | undefined> = {
  三: 3,
  零: 0,
  两: 2,
  五: 5,
  四: 4,
  一: 1,
  二十: 20,
  二: 2,
  七一: undefined,
  六: 6,
  十: 10,
};

function nzhValue(nzh: Nzh, s: string): number | undefined {
  let out: string | number;
  try {
    out = nzh.decodeS(s);
  } catch {
    return undefined;
  }
  const v = typeof out === 'number' ? out : Number(out);
  return out === '' || !Number.isFinite(v) ? undefined : v;
}

function measureNumerals(libs: Libraries, corpus: readonly CorpusCase[]): string[] {
  const lines: string[] = ['', '## nzh 1.0.14 (Chinese numerals) against numbers.ts parseChineseNumeral'];
  const table = (label: string, rows: Array<[string, number | undefined]>) => {
    let agree = 0;
    let readerOnly = 0;
    let nzhOnly = 0;
    const wrong: string[] = [];
    for (const [s, want] of rows) {
      const r = parseChineseNumeral(s);
      const n = nzhValue(libs.nzh, s);
      if (r === n) agree++;
      const rOk = r === want;
      const nOk = n === want;
      if (rOk && !nOk) readerOnly++;
      if (nOk && !rOk) nzhOnly++;
      if (!nOk || !rOk) wrong.push(`"${s}" want ${want ?? 'none'}: reader ${r ?? 'none'}, nzh ${n ?? 'none'}`);
    }
    lines.push(
      `${label}: ${rows.length} rows — agree ${agree}; reader right and nzh wrong ${readerOnly}; nzh right and reader wrong ${nzhOnly}`,
    );
    for (const w of wrong) lines.push(`    ${w}`);
  };
  table("the reader's numeral table", NUMERALS);
  table("numbers of the reader's figure tables", FIGURE_NUMERALS);

  const runs = new Map<string, number>();
  const runsPerSentence = corpus.map((c) => [...scanOf(c.text).matchAll(CN_RUN)].map((m) => m[0]));
  for (const list of runsPerSentence) for (const r of list) runs.set(r, (runs.get(r) ?? 0) + 1);
  const total = [...runs.values()].reduce((a, b) => a + b, 0);
  const corpusRows: Array<[string, number | undefined]> = [...runs.keys()].map((r) => [
    r,
    r in CORPUS_RUN_TRUTH ? CORPUS_RUN_TRUTH[r] : NaN,
  ]);
  const unjudged = corpusRows.filter(([, v]) => Number.isNaN(v)).map(([r]) => r);
  lines.push(
    `corpus: ${total} Chinese numeral runs in ${corpus.length} sentences, ${runs.size} distinct (${[...runs].map(([r, n]) => `${r}×${n}`).join(' ')}); none is a figure the corpus records (every recorded figure is written in digits, or in English words)`,
  );
  table(
    'corpus runs, judged by hand',
    corpusRows.filter(([, v]) => !Number.isNaN(v)),
  );
  if (unjudged.length) lines.push(`    not judged yet (the corpus grew): ${unjudged.join(' ')}`);

  const all = [...NUMERALS, ...FIGURE_NUMERALS].map(([s]) => s).filter(Boolean);
  lines.push(
    `time per numeral (${all.length} table numerals): reader ${fmtMs(timePer(all, parseChineseNumeral))}, nzh ${fmtMs(timePer(all, (s) => nzhValue(libs.nzh, s)))}; ` +
      `per corpus sentence (its runs): reader ${fmtMs(timePer(runsPerSentence, (l) => l.forEach((s) => parseChineseNumeral(s))))}, nzh ${fmtMs(timePer(runsPerSentence, (l) => l.forEach((s) => nzhValue(libs.nzh, s))))}`,
  );
  return lines;
}

// ---------------------------------------------------------------------------------------------
// 2. Period frames: chrono-node's zh locale against findFrames
// ---------------------------------------------------------------------------------------------

type FrameKind = 'ytd' | 'single' | 'mom' | 'years';
/** The frames frames.ts documents and the issue lists, with the kind a clerk reads in each. */
const FRAME_PHRASES: Array<[string, FrameKind]> = [
  ['前七月', 'ytd'],
  ['前7个月', 'ytd'],
  ['1-6月', 'ytd'],
  ['1~6月', 'ytd'],
  ['1—11月份', 'ytd'],
  ['1月至10月', 'ytd'],
  ['今年1-10月', 'ytd'],
  ['截至9月底', 'ytd'],
  ['截至9月末', 'ytd'],
  ['一季度', 'ytd'],
  ['上半年', 'ytd'],
  ['前三季度', 'ytd'],
  ['年初以来', 'ytd'],
  ['今年以来', 'ytd'],
  ['本月', 'single'],
  ['当月', 'single'],
  ['7月份', 'single'],
  ['三季度', 'single'],
  ['环比', 'mom'],
  ['2019-2024年', 'years'],
  ['2019年至2024年', 'years'],
];
const REFERENCE = new Date(Date.UTC(2026, 10, 28, 4));

/**
 * chrono's results as frames, mapping as little as possible: a range that starts in January is the year
 * to date, a range over several years is years, another range or a month without a day is one period;
 * a day or a time is a date, not a frame (the tokens step blanks dates on its own). `rangesOnly` drops
 * the month alone too, since chrono answers "6月" for "1-6月" and "9月" for "截至9月底": the kinder reading.
 * The reader's frames are Chinese and English, so chrono reads with its English locale as well (the
 * longer of two overlapping results wins).
 */
function chronoFrames(
  chrono: Chrono,
  scan: string,
  rangesOnly = false,
): Array<{ start: number; end: number; kind: FrameKind; word: string }> {
  const out: Array<{ start: number; end: number; kind: FrameKind; word: string }> = [];
  const results = [
    ...chrono.zh.parse(scan, REFERENCE),
    ...(/[a-z]{3}/.test(scan) ? chrono.parse(scan, REFERENCE) : []),
  ].sort((a, b) => a.index - b.index || b.text.length - a.text.length);
  let lastEnd = -1;
  for (const r of results) {
    if (r.index < lastEnd) continue;
    lastEnd = r.index + r.text.length;
    let kind: FrameKind | undefined;
    if (r.end) {
      const y0 = r.start.get('year');
      const y1 = r.end.get('year');
      kind = y0 !== y1 ? 'years' : r.start.get('month') === 1 ? 'ytd' : 'single';
    } else if (!rangesOnly && r.start.isCertain('month') && !r.start.isCertain('day')) kind = 'single';
    if (kind) out.push({ start: r.index, end: r.index + r.text.length, kind, word: r.text });
  }
  return out;
}

/** A frame is read the same when the other finds one of the same kind covering the same words (the longer may include a 份 or 底). */
function frameMatches(
  a: { start: number; end: number; kind: FrameKind },
  others: ReadonlyArray<{ start: number; end: number; kind: FrameKind }>,
) {
  const overlapping = others.filter((o) => o.start < a.end && a.start < o.end);
  if (!overlapping.length) return 'missed';
  return overlapping.some((o) => o.kind === a.kind && Math.abs(o.start - a.start) <= 1 && Math.abs(o.end - a.end) <= 2)
    ? 'same'
    : 'differs';
}

function measureFrames(libs: Libraries, corpus: readonly CorpusCase[]): string[] {
  const lines: string[] = [
    '',
    '## chrono-node 2.10.3, zh locale, en for English text (dates and period frames) against frames.ts findFrames',
  ];
  let readerRight = 0;
  let chronoRight = 0;
  lines.push('the frames frames.ts documents and the issue lists (want → reader | chrono as it answers):');
  for (const [phrase, kind] of FRAME_PHRASES) {
    const scan = scanOf(phrase);
    const full = (f: { start: number; end: number; kind: FrameKind }) =>
      f.start === 0 && f.end === scan.length && f.kind === kind;
    const r = findFrames(scan);
    const raw = libs.chrono.zh.parse(scan, REFERENCE);
    const c = chronoFrames(libs.chrono, scan);
    if (r.some(full)) readerRight++;
    if (c.some(full)) chronoRight++;
    lines.push(
      `    ${phrase} → ${kind} | reader ${r.map((f) => `${f.word}:${f.kind}`).join(' ') || '—'} | chrono ${raw.map((x) => `"${x.text}" ${x.start.get('month')}月${x.end ? `→${x.end.get('month')}月` : ''}`).join(' ') || '—'}`,
    );
  }
  lines.push(
    `  whole phrase read with the right kind: reader ${readerRight}/${FRAME_PHRASES.length}, chrono ${chronoRight}/${FRAME_PHRASES.length}`,
  );

  // Every corpus sentence: the reader's frames against chrono's, per frame.
  const counts = { reader: 0, same: 0, differs: 0, missed: 0, chrono: 0, chronoOnly: 0, strayDigit: 0 };
  const byKind = new Map<FrameKind, { n: number; same: number }>();
  const samples: string[] = [];
  const chronoOnly = new Map<string, number>();
  const scans = corpus.map((c) => scanOf(c.text));
  for (const scan of new Set(scans)) {
    const r = findFrames(scan);
    const c = chronoFrames(libs.chrono, scan);
    counts.reader += r.length;
    counts.chrono += c.length;
    for (const f of r) {
      const m = frameMatches(f, c);
      counts[m]++;
      const k = byKind.get(f.kind) ?? { n: 0, same: 0 };
      k.n++;
      if (m === 'same') k.same++;
      byKind.set(f.kind, k);
      if (m !== 'same' && samples.length < 14)
        samples.push(
          `    ${f.word} (${f.kind}) → chrono ${
            c
              .filter((o) => o.start < f.end && f.start < o.end)
              .map((o) => `${o.word}:${o.kind}`)
              .join(' ') || '—'
          }`,
        );
      // What chrono leaves of a range it reads only in part: the "1-" of "1-6月", read as a figure "1" by a step after it.
      const part = c.find((o) => o.start > f.start && o.start < f.end);
      if (part && /\d/.test(scan.slice(f.start, part.start))) counts.strayDigit++;
    }
    for (const o of c) {
      if (!r.some((f) => f.start < o.end && o.start < f.end)) {
        counts.chronoOnly++;
        chronoOnly.set(`${o.word}:${o.kind}`, (chronoOnly.get(`${o.word}:${o.kind}`) ?? 0) + 1);
      }
    }
  }
  lines.push(
    `corpus (${new Set(scans).size} distinct sentences): the reader finds ${counts.reader} frames; chrono reads ${counts.same} of them the same (${pct(counts.same, counts.reader)}), ` +
      `${counts.differs} differently, misses ${counts.missed}; ${counts.strayDigit} of the reader's range frames chrono reads in part, leaving a number of the range ("1-" of "1-6月") outside its frame`,
  );
  lines.push(`  by the reader's kind: ${[...byKind].map(([k, v]) => `${k} ${v.same}/${v.n}`).join(', ')}`);
  lines.push(
    `  chrono finds ${counts.chrono} frames in all; ${counts.chronoOnly} where the reader has none: ${[...chronoOnly].map(([w, n]) => `${w}×${n}`).join(' ') || '—'}`,
  );
  lines.push("  a sample of frames chrono reads otherwise or not at all (the reader's frame → chrono's):");
  lines.push(...samples);
  const distinct = [...new Set(scans)];
  lines.push(
    `time per corpus sentence: findFrames ${fmtMs(timePer(distinct, findFrames))}, chrono zh parse ${fmtMs(timePer(distinct, (s) => libs.chrono.zh.parse(s, REFERENCE)))}`,
  );
  return lines;
}

// ---------------------------------------------------------------------------------------------
// 3. Segmentation: @node-rs/jieba against measure.ts's two-character windows and act substrings
// ---------------------------------------------------------------------------------------------

/**
 * Act words the reader finds as substrings where jieba glues them into a longer word, judged by hand:
 * does the word, in these reports, name the act a count counts (the reader is right to see 开工 in 新开工),
 * or something else (开工率 is a rate, 竣工验收 is a milestone's name; jieba is right to keep them whole)?
 */
const GLUED_JUDGED: Record<string, 'act' | 'not-act'> = {
  开工率: 'not-act', // a rate of projects started, never a count of them
  完成率: 'not-act',
  提前完成: 'act', // finished early is finished
  超额完成: 'act',
  圆满完成: 'act',
  交付使用: 'act',
  引进外资: 'act', // 累计引进外资项目12个 counts projects brought in
};

function measureSegmentation(libs: Libraries, corpus: readonly CorpusCase[], base: Variant): string[] {
  const lines: string[] = [
    '',
    '## @node-rs/jieba 2.0.3 (segmentation) against measure.ts (two-character windows, act words as substrings)',
  ];
  const texts = [...new Set(corpus.map((c) => scanOf(c.text)))];
  // Proxy 1: act words. Where the reader sees an act word as a substring, is it a word of its own to jieba?
  let hits = 0;
  let ownWord = 0;
  let prefixed = 0;
  const glued = new Map<string, number>();
  let split = 0;
  const splitSamples: string[] = [];
  for (const scan of texts) {
    const words = libs.jieba.cut(scan, true);
    const at: Array<{ start: number; end: number; word: string }> = [];
    let i = 0;
    for (const w of words) {
      at.push({ start: i, end: i + w.length, word: w });
      i += w.length;
    }
    for (const act of base.acts) {
      for (let from = scan.indexOf(act); from >= 0; from = scan.indexOf(act, from + 1)) {
        hits++;
        const inside = at.find((w) => w.start <= from && w.end >= from + act.length);
        if (!inside) {
          split++;
          if (splitSamples.length < 6)
            splitSamples.push(
              `${act} in ${at
                .filter((w) => w.end > from && w.start < from + act.length)
                .map((w) => w.word)
                .join('/')}`,
            );
        } else if (inside.word === act) ownWord++;
        else if (inside.word.endsWith(act) && inside.word.length <= act.length + 1) prefixed++;
        else glued.set(inside.word, (glued.get(inside.word) ?? 0) + 1);
      }
    }
  }
  const gluedAll = [...glued].sort((a, b) => b[1] - a[1]);
  const judged = gluedAll.filter(([w]) => w in GLUED_JUDGED);
  const jiebaRight = judged.filter(([w]) => GLUED_JUDGED[w] === 'not-act').reduce((n, [, k]) => n + k, 0);
  const readerRight = judged.filter(([w]) => GLUED_JUDGED[w] === 'act').reduce((n, [, k]) => n + k, 0);
  const gluedN = gluedAll.reduce((n, [, k]) => n + k, 0);
  lines.push(
    `act words (${base.acts.join(' ')}) found by the reader as substrings in ${texts.length} corpus sentences: ${hits}; jieba keeps ${ownWord} as a word of their own, ${prefixed} with a one-character prefix (新开工, 已完成), ` +
      `glues ${gluedN} into a longer word, and cuts ${split} across two words${splitSamples.length ? ` (${splitSamples.join('; ')})` : ''}`,
  );
  lines.push(
    `  the glued ones judged by hand: jieba right (not the act) ${jiebaRight}, the reader right (the act) ${readerRight}, not judged ${gluedN - jiebaRight - readerRight}`,
  );
  lines.push(`    ${gluedAll.map(([w, n]) => `${w}×${n}${GLUED_JUDGED[w] ? `:${GLUED_JUDGED[w]}` : ''}`).join(' ')}`);

  // Proxy 2: item-name words. How often does the item's name share words with its own sentence, and with the others?
  const nameSep = (cut: (s: string) => Set<string>) => {
    let own = 0;
    let foreign = 0;
    let pairs = 0;
    let ranked = 0;
    const named = corpus.filter((c) => !('note' in c.expect));
    for (const c of named) {
      const name = cut(simplified(c.item.name.zh));
      const score = (t: string) => {
        const ws = cut(scanOf(t));
        let n = 0;
        for (const w of name) if (ws.has(w)) n++;
        return n / Math.max(1, name.size);
      };
      const mine = score(c.text);
      own += mine;
      // Against every other case's sentence about another item: does the item's own sentence score higher?
      for (const o of named) {
        if (o.text === c.text || o.item.name.zh === c.item.name.zh) continue;
        const theirs = score(o.text);
        foreign += theirs;
        pairs++;
        if (mine > theirs) ranked++;
      }
    }
    return {
      own: own / Math.max(1, named.length),
      foreign: foreign / Math.max(1, pairs),
      ranked: ranked / Math.max(1, pairs),
      named: named.length,
      pairs,
    };
  };
  const words = (s: string) => new Set(libs.jieba.cut(s, true).filter((w) => /^\p{Script=Han}{2,}$/u.test(w)));
  const searchWords = (s: string) =>
    new Set(libs.jieba.cutForSearch(s, true).filter((w) => /^\p{Script=Han}{2,}$/u.test(w)));
  for (const [label, cut] of [
    ['two-character windows (the reader)', base.hanGrams],
    ['jieba words', words],
    ['jieba search-mode words', searchWords],
  ] as const) {
    const s = nameSep(cut);
    lines.push(
      `  item-name words (${s.named} sentences about a named item, ${s.pairs} pairs): ${label}: share of the name found in its own sentence ${(100 * s.own).toFixed(1)}%, in another item's sentence ${(100 * s.foreign).toFixed(1)}%; ` +
        `own sentence ranks strictly higher in ${(100 * s.ranked).toFixed(1)}% of pairs`,
    );
  }
  lines.push(
    `time per corpus sentence: two-character windows ${fmtMs(timePer(texts, base.hanGrams))}, jieba cut ${fmtMs(timePer(texts, (s) => libs.jieba.cut(s, true)))}, jieba search-mode ${fmtMs(timePer(texts, (s) => libs.jieba.cutForSearch(s, true)))}`,
  );
  return lines;
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const corpus = loadCorpus();
  const out: string[] = [];
  const log = (...ls: string[]) => {
    for (const l of ls) {
      console.log(l);
      out.push(l);
    }
  };
  log(
    `# Libraries measured for the reader — ${new Date().toISOString()}, node ${process.version}, ${process.platform}-${process.arch}, load ${loadavg()
      .map((x) => x.toFixed(2))
      .join(', ')}`,
  );
  log(
    `${corpus.length} corpus sentences from ${new Set(corpus.map((c) => c.source)).size} sources, each read with and without a prior value; each timing the fastest of 7 batches of ${rounds} passes`,
  );

  const installs: Install[] = [];
  const dirs: Record<string, string> = {};
  log('', '## Installing');
  for (const c of CANDIDATES) {
    if (libsDir) dirs[c.name] = libsDir;
    if (skipInstall || libsDir) continue;
    const t0 = performance.now();
    const i = installOne(c.name, c.version);
    installs.push(i);
    if (i.dir) temporary.push(i.dir);
    if (i.ok && i.dir) dirs[c.name] = i.dir;
    log(
      `${c.name}@${c.version}: ${i.detail} in ${((performance.now() - t0) / 1000).toFixed(1)} s` +
        (i.ok ? `; ${i.lockEntries} lock entries, installed ${kb(i.bytes!)} in ${i.files} files; ${i.repoLock}` : ''),
    );
  }
  if (skipInstall || libsDir)
    log(`(install check skipped; measuring the copies in ${libsDir ?? "duban's node_modules"})`);

  let libs: Libraries;
  try {
    libs = loadLibraries(dirs);
  } catch (e) {
    console.error(
      `cannot load a candidate (${(e as Error).message}). Run without --skip-install, or install them: npm install --no-save ${CANDIDATES.map((c) => `${c.name}@${c.version}`).join(' ')}`,
    );
    process.exitCode = 2;
    return;
  }
  log(
    `first load (require, and jieba's default dictionary): ${Object.entries(libs.loadMs)
      .map(([n, ms]) => `${n} ${ms.toFixed(0)} ms`)
      .join(', ')}`,
  );

  const hooks = (globalThis as { __libbench?: Hooks }).__libbench!;
  hooks.numeral = (s) => nzhValue(libs.nzh, s);
  hooks.frames = (scan) => chronoFrames(libs.chrono, scan);
  hooks.framesRangesOnly = (scan) => chronoFrames(libs.chrono, scan, true);
  hooks.grams = (s) => libs.jieba.cut(s, true).filter((w) => /^\p{Script=Han}{2,}$/u.test(w));

  const base = await loadVariant('base', undefined);
  const baseGrades = gradeAll(corpus, base.read);
  log('', "## duban's reader, as the corpus test grades it (a copy of src/domain/reading, unchanged)");
  log(`  ${formatTally('with a prior value', tally(baseGrades.filter((g) => g.withPrior)))}`);
  log(`  ${formatTally('with nothing recorded yet', tally(baseGrades.filter((g) => !g.withPrior)))}`);

  log(...measureNumerals(libs, corpus));
  const withNzh = await loadVariant('nzh', 'numeral');
  log(
    'the reader with parseChineseNumeral handed to nzh, on the corpus:',
    ...compareGrades('nzh', baseGrades, gradeAll(corpus, withNzh.read)),
  );

  log(...measureFrames(libs, corpus));
  const withChrono = await loadVariant('chrono', 'frames');
  log(
    'the reader with findFrames handed to chrono (mapped as above), on the corpus:',
    ...compareGrades('chrono', baseGrades, gradeAll(corpus, withChrono.read)),
  );
  const withChronoRanges = await loadVariant('chrono-ranges', 'framesRangesOnly');
  log(
    "the same with chrono's ranges only (a month alone is no frame):",
    ...compareGrades('chrono, ranges only', baseGrades, gradeAll(corpus, withChronoRanges.read)),
  );

  log(...measureSegmentation(libs, corpus, base));
  const withJieba = await loadVariant('jieba', 'grams');
  log(
    "the reader with measure.ts's two-character windows replaced by jieba's words (generic words still dropped), on the corpus:",
    ...compareGrades('jieba', baseGrades, gradeAll(corpus, withJieba.read)),
  );

  const perRead = (v: Variant) => timePer(corpus, (c) => grade(c, true, v.read), 1);
  log('', '## Time per corpus sentence, whole reader (read and graded; fastest of 7 passes over the corpus)');
  log(
    `duban ${fmtMs(perRead(base))}, with nzh ${fmtMs(perRead(withNzh))}, with chrono ${fmtMs(perRead(withChrono))}, with jieba ${fmtMs(perRead(withJieba))}`,
  );

  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  const file = join(ROOT, 'bench/results', `libraries-${new Date().toISOString().replace(/[:.]/g, '-')}.txt`);
  writeFileSync(file, `${out.join('\n')}\n`);
  console.log(`\n(written to ${file})`);
}

try {
  await main();
} finally {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
}
