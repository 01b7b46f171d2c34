/**
 * The whole-store evaluation (every item's status, forecasts included) on the benchmark's 5,000-target,
 * 5,000-project store, against the same function of an earlier tree, in one process:
 *
 *   npm run bench:evaluation -- [--before <git ref>] [--rounds 7]
 *
 * The earlier tree's src/ is taken with `git archive` into a temporary folder (default: the commit before
 * the evaluation was made cheaper), so both evaluate the same documents. Each round, in alternating order
 * (AB BA), each tree evaluates a day it has not seen (the first /targets of a day: nothing of that day is
 * kept), then the same day again after one target's new report (the next revision after a write, which
 * re-evaluates the whole store). A warm-up day first. Prints wall and CPU time per evaluation, the load
 * average, and whether both trees gave the same statuses, reasons, severities and forecasts.
 * The garbage is collected before each timed evaluation when node runs with --expose-gc (the npm script does).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { addDays } from '../src/domain/dates.ts';
import type { ItemProgress } from '../src/domain/progress.ts';
import { evaluationContext as evaluationContextAfter } from '../src/domain/read-model.ts';
import { type Evaluation, evaluateDatabase as evaluateDatabaseAfter } from '../src/domain/rollup.ts';
import type { StoreState } from '../src/domain/state.ts';
import { chineseCalendarData } from '../src/scheduler/holidays.ts';
import { BENCH_TODAY, buildBenchModel } from './generate.ts';
import { median, ms } from './stats.ts';

/** The tree this change started from (main when issue 14's evaluation cost was recorded). */
const DEFAULT_BEFORE = '53619f6';

const argv = process.argv.slice(2);
const flag = (name: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const before = flag('before') ?? DEFAULT_BEFORE;
const rounds = Math.max(1, Math.min(50, Number(flag('rounds') ?? 7) || 7));

type Evaluate = (state: StoreState, progress: ReadonlyMap<string, ItemProgress>, today: string) => Evaluation;
type Tree = { name: string; evaluate: Evaluate };

const root = resolve(import.meta.dirname, '..');
const calendar = chineseCalendarData();

async function treeAt(ref: string): Promise<Tree> {
  const sha = execFileSync('git', ['rev-parse', '--short=12', ref], { cwd: root, encoding: 'utf8' }).trim();
  const dir = join(tmpdir(), `duban-evaluation-${sha}`);
  if (!existsSync(join(dir, 'src'))) {
    mkdirSync(dir, { recursive: true });
    execFileSync('sh', ['-c', `git archive ${sha} src package.json tsconfig.json | tar -x -C '${dir}'`], { cwd: root });
  }
  // This checkout's packages (a link left by another checkout may point at one that is gone: replaced).
  const modules = join(dir, 'node_modules');
  if (!existsSync(modules)) {
    rmSync(modules, { force: true });
    symlinkSync(join(root, 'node_modules'), modules);
  }
  const rollup = (await import(pathToFileURL(join(dir, 'src/domain/rollup.ts')).href)) as {
    evaluateDatabase: typeof evaluateDatabaseAfter;
  };
  const readModel = (await import(pathToFileURL(join(dir, 'src/domain/read-model.ts')).href)) as {
    evaluationContext: typeof evaluationContextAfter;
  };
  return {
    name: `before (${sha})`,
    evaluate: (state, progress, today) =>
      rollup.evaluateDatabase(state, progress, readModel.evaluationContext(state, today, calendar)),
  };
}

const after: Tree = {
  name: 'after (this tree)',
  evaluate: (state, progress, today) =>
    evaluateDatabaseAfter(state, progress, evaluationContextAfter(state, today, calendar)),
};
const trees = [await treeAt(before), after];

const { model } = buildBenchModel();
const state = model.db;
const reported = state.targets.find(
  (t) => t.kind === 'cumulative' && (model.progress.get(t.id)?.series.length ?? 0) > 3,
);
if (!reported) throw new Error('no cumulative target with reports in the bench store');

/** The progress after one more report on one target: a new object for it, every other item's unchanged. */
function withReport(progress: ReadonlyMap<string, ItemProgress>, today: string): Map<string, ItemProgress> {
  const next = new Map(progress);
  const p = progress.get(reported!.id)!;
  const last = p.series[p.series.length - 1]!;
  next.set(reported!.id, {
    ...p,
    series: [...p.series, [today, last[1] + 1]],
    value: last[1] + 1,
    reports: p.reports + 1,
  });
  return next;
}

/** Collects the garbage first (with --expose-gc, as the npm script runs it), so neither tree pays for the other's. */
const gc = (globalThis as { gc?: () => void }).gc;

function timed(fn: () => Evaluation): { wall: number; cpu: number; evaluation: Evaluation } {
  gc?.();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const evaluation = fn();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(cpu0);
  return { wall, cpu: (c.user + c.system) / 1000, evaluation };
}

/** What a user is shown of an evaluation: every item's status, reasons (forecasts in them), severity and forecasts. */
function shown(e: Evaluation): string {
  return JSON.stringify(
    [...e.targets, ...e.projects, ...e.commitments].map((s) => [
      s.item.id,
      s.status,
      s.reasons,
      s.severity,
      s.forecast ?? null,
      s.milestoneForecast ?? null,
    ]),
  );
}

const loadBefore = loadavg();
const samples = new Map(trees.map((t) => [t.name, { first: [] as number[][], next: [] as number[][] }]));
let identical = true;
// Warm-up: the JIT, on a day no round evaluates.
for (const t of trees) for (let i = 0; i < 2; i++) t.evaluate(state, model.progress, addDays(BENCH_TODAY, -30));
for (let r = 0; r < rounds; r++) {
  const day = addDays(BENCH_TODAY, r);
  const order = r % 2 === 0 ? trees : [...trees].reverse();
  const seen: string[] = [];
  for (const t of order) {
    const first = timed(() => t.evaluate(state, model.progress, day));
    const next = timed(() => t.evaluate(state, withReport(model.progress, day), day));
    samples.get(t.name)!.first.push([first.wall, first.cpu]);
    samples.get(t.name)!.next.push([next.wall, next.cpu]);
    seen.push(shown(first.evaluation) + shown(next.evaluation));
  }
  if (seen[0] !== seen[1]) identical = false;
}
const loadAfter = loadavg();

const cell = (xs: number[][], i: number) => {
  const v = xs.map((x) => x[i]!);
  return `${ms(median(v))} (${ms(Math.min(...v))}–${ms(Math.max(...v))})`;
};
const [b, a] = trees.map((t) => samples.get(t.name)!);
const ratio = (k: 'first' | 'next', i: number) =>
  `${(median(b![k].map((x) => x[i]!)) / median(a![k].map((x) => x[i]!))).toFixed(2)}×`;
console.log(
  `Whole-store evaluation, ${state.targets.length} targets, ${state.projects.length} projects, ${state.commitments.length} commitments; ${rounds} rounds (AB BA), days from ${BENCH_TODAY}; ms per evaluation, median (min–max)`,
);
console.log(
  `load average ${loadBefore.map((x) => x.toFixed(1)).join(' ')} at start, ${loadAfter.map((x) => x.toFixed(1)).join(' ')} at end; node ${process.version}`,
);
console.log('');
console.log('| evaluation | tree | wall ms | CPU ms |');
console.log('| --- | --- | ---: | ---: |');
for (const [k, label] of [
  ['first', 'first of a day'],
  ['next', 'next revision, same day (one new report)'],
] as const) {
  for (const t of trees) {
    const s = samples.get(t.name)![k];
    console.log(`| ${label} | ${t.name} | ${cell(s, 0)} | ${cell(s, 1)} |`);
  }
  console.log(`| ${label} | before ÷ after | ${ratio(k, 0)} | ${ratio(k, 1)} |`);
}
console.log('');
console.log(`statuses, reasons, severities and forecasts identical in both trees: ${identical ? 'yes' : 'NO'}`);
if (!identical) process.exitCode = 1;
