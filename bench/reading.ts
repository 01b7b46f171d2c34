/**
 * The reader, side by side with the reader it replaced (parse-progress.ts at the commit before the
 * pipeline, taken from git into a temporary module), in one run:
 *
 * - accuracy on the corpus of real reports (test/fixtures/reading), with and without a prior value;
 * - time to read a typical reply (the corpus, one sentence at a time) and a 4,000-character note.
 *
 *   npm run bench:reading [-- --rounds 5]
 *
 * Targets (issue: read what people actually write): 0 confidently wrong, ≥ 85% right, the rest asked
 * with the right option first; < 1 ms per typical reply; < 20 ms for a 4,000-character note.
 */
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { ItemProgress } from '../src/domain/progress.ts';
import { type Interpretation, readProgress } from '../src/domain/reading/index.ts';
import type { Commitment, Project, Target } from '../src/domain/schema.ts';
import {
  formatTally,
  type Graded,
  grade,
  itemOf,
  loadCorpus,
  priorOf,
  type Reader,
  tally,
} from '../test/support/reading-corpus.ts';

const BASELINE_COMMIT = 'e736b31';
const rounds = Number(process.argv[process.argv.indexOf('--rounds') + 1]) || 5;

async function loadBaseline(): Promise<{ read: Reader; cleanup: () => void }> {
  const source = execFileSync('git', ['show', `${BASELINE_COMMIT}:src/domain/parse-progress.ts`], { encoding: 'utf8' });
  const path = fileURLToPath(new URL('../src/domain/reading-baseline.bench.ts', import.meta.url));
  writeFileSync(path, source);
  const mod = (await import(path)) as {
    parseProgress: (t: string) => unknown;
    interpretFor: (p: unknown, i: unknown, c: unknown) => Interpretation;
  };
  return {
    read: (text, item, current) => mod.interpretFor(mod.parseProgress(text), item, current),
    cleanup: () => rmSync(path, { force: true }),
  };
}

function accuracy(read: Reader): { withPrior: Graded[]; without: Graded[] } {
  const corpus = loadCorpus();
  return { withPrior: corpus.map((c) => grade(c, true, read)), without: corpus.map((c) => grade(c, false, read)) };
}

/** Wall-clock time of every read, and the process's CPU time per read (user + system), which a busy machine disturbs far less. */
function timeReads(
  read: Reader,
  texts: Array<{ text: string; item: Target | Project | Commitment; prior: ItemProgress }>,
): { perReadMs: number[]; cpuPerReadMs: number } {
  const perReadMs: number[] = [];
  const cpu0 = process.cpuUsage();
  for (let r = 0; r < rounds; r++) {
    for (const { text, item, prior } of texts) {
      const t0 = performance.now();
      read(text, item, prior);
      perReadMs.push(performance.now() - t0);
    }
  }
  const cpu = process.cpuUsage(cpu0);
  return { perReadMs, cpuPerReadMs: (cpu.user + cpu.system) / 1000 / Math.max(1, perReadMs.length) };
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
}

const fmt = (ms: number) => (ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(2)} ms`);

async function main(): Promise<void> {
  const corpus = loadCorpus();
  const baseline = await loadBaseline();
  try {
    console.log(
      `duban reader benchmark — ${new Date().toISOString()}, node ${process.version}, ${corpus.length} real sentences from ${new Set(corpus.map((c) => c.source)).size} sources`,
    );
    for (const [name, read] of [
      ['before (parse-progress.ts)', baseline.read],
      ['after (src/domain/reading)', readProgress as Reader],
    ] as const) {
      const a = accuracy(read);
      console.log(`\n${name}`);
      console.log(`  ${formatTally('with a prior value', tally(a.withPrior))}`);
      console.log(`  ${formatTally('with nothing recorded yet', tally(a.without))}`);
    }

    const typical = corpus.map((c) => ({ text: c.text, item: itemOf(c), prior: priorOf(c) }));
    const longNote = corpus
      .map((c) => c.text)
      .join('\n')
      .slice(0, 4000);
    const longCases = corpus.slice(0, 40).map((c) => ({ text: longNote, item: itemOf(c), prior: priorOf(c) }));
    // Warm both up once (the converter of traditional characters builds its dictionary on first use).
    timeReads(readProgress as Reader, typical.slice(0, 20));
    timeReads(baseline.read, typical.slice(0, 20));
    console.log(
      `\nTime per read (${rounds} rounds; typical = each corpus sentence, ${Math.round(typical.reduce((n, t) => n + t.text.length, 0) / typical.length)} characters on average; long = a ${longNote.length}-character note)`,
    );
    console.log(
      `load average ${loadavg()
        .map((x) => x.toFixed(2))
        .join(', ')}`,
    );
    console.log(
      '| reader | typical p50 | typical p95 | typical, CPU per read | long p50 | long p95 | long, CPU per read |',
    );
    console.log('| --- | --- | --- | --- | --- | --- | --- |');
    for (const [name, read] of [
      ['before', baseline.read],
      ['after', readProgress as Reader],
    ] as const) {
      const t = timeReads(read, typical);
      const l = timeReads(read, longCases);
      console.log(
        `| ${name} | ${fmt(pct(t.perReadMs, 50))} | ${fmt(pct(t.perReadMs, 95))} | ${fmt(t.cpuPerReadMs)} | ${fmt(pct(l.perReadMs, 50))} | ${fmt(pct(l.perReadMs, 95))} | ${fmt(l.cpuPerReadMs)} |`,
      );
    }
    const after = timeReads(readProgress as Reader, typical).perReadMs;
    const long = timeReads(readProgress as Reader, longCases).perReadMs;
    const ok = pct(after, 50) < 1 && pct(long, 95) < 20;
    console.log(
      `\n${ok ? 'PASS' : 'FAIL'}: typical reply p50 ${fmt(pct(after, 50))} (< 1 ms), 4,000-character note p95 ${fmt(pct(long, 95))} (< 20 ms)`,
    );
  } finally {
    baseline.cleanup();
  }
}

await main();
