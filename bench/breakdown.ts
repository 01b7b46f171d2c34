/**
 * Where a /targets request's CPU goes, in process and without HTTP or store: the whole command
 * (targets.run + Block Kit rendering) per query kind, then the steps it is made of, on the benchmark's store.
 * Complements `npm run bench` (which measures over HTTP) when a target fails.
 *
 *   node bin/run-ts.js bench/breakdown.ts [--iterations 200]
 */
import type { CommandContext } from '../commands/index.ts';
import { targets as targetsCommand } from '../commands/targets.ts';
import { findItemById, matchDepartment, normalize, searchItems } from '../src/domain/match.ts';
import { rollupZone } from '../src/domain/rollup.ts';
import { formatNumber } from '../src/i18n/index.ts';
import { renderMessage } from '../src/slack/blocks.ts';
import { BENCH_TODAY, buildBenchModel, DEFAULT_DATASET, QUERY_KINDS, queryText } from './generate.ts';
import { sourceFingerprint } from './shared.ts';
import { ms, table } from './stats.ts';

const argv = process.argv.slice(2);
const itIndex = argv.indexOf('--iterations');
const iterations = itIndex >= 0 ? Math.max(1, Math.min(100_000, Number(argv[itIndex + 1]) || 200)) : 200;

const { model, dataset } = buildBenchModel();
const ctx: CommandContext = { model, today: BENCH_TODAY, locale: 'zh-CN', userId: 'U0BENCH001' };
model.evaluate(BENCH_TODAY);

/** Mean milliseconds per call of `fn` over `n` calls, after `n / 5` warm-up calls. */
function time(n: number, fn: (i: number) => unknown): number {
  for (let i = 0; i < Math.ceil(n / 5); i++) fn(i);
  const t = performance.now();
  for (let i = 0; i < n; i++) fn(i);
  return (performance.now() - t) / n;
}

const rows: string[][] = [];
for (const kind of QUERY_KINDS) {
  const perCall = time(iterations, (i) => {
    const parsed = targetsCommand.parse(queryText(kind, i, DEFAULT_DATASET));
    if (!parsed.ok) throw new Error('unexpected query');
    return renderMessage(targetsCommand.run(parsed.args, ctx), ctx.locale);
  });
  rows.push([`/targets ${kind === 'overview' ? '' : `<${kind}>`}`.trim(), ms(perCall)]);
}
console.log(
  `Store: ${dataset.counts.departments} departments, ${dataset.counts.targets} targets, ${dataset.counts.projects} projects, ${dataset.counts.updates} updates; source ${sourceFingerprint()}; ${iterations} calls each, mean ms per call\n`,
);
console.log('Whole command (targets.run + renderMessage), by query kind');
console.log(table(['command', 'ms/call'], rows));

const evaluation = model.evaluate(BENCH_TODAY);
const depts = model.db.departments;
const targets = model.db.targets;
const names = targets.flatMap((t) => [
  t.id,
  t.name.zh,
  t.name.en ?? '',
  t.category?.zh ?? '',
  t.category?.en ?? '',
  ...t.tags,
]);
const pre = targets.map((t) => [
  normalize(t.id),
  normalize(t.name.zh),
  normalize(t.name.en ?? ''),
  normalize(t.category?.zh ?? ''),
  normalize(t.category?.en ?? ''),
  ...t.tags.map(normalize),
]);
const steps: Array<[string, number]> = [
  [
    'findItemById over all targets (no match: every non-id query)',
    time(iterations, () => findItemById(targets, '东区经发局')),
  ],
  [
    'matchDepartment, exact name (dept query)',
    time(iterations, (i) => matchDepartment(depts, queryText('dept', i, DEFAULT_DATASET))),
  ],
  [
    'matchDepartment, no match → suggestDepartments (search query)',
    time(iterations, () => matchDepartment(depts, '规上工业产值')),
  ],
  ['searchItems over all targets (search query)', time(iterations, () => searchItems(targets, '规上工业产值'))],
  [
    '  normalize() of every id, name, category, tag (what searchItems recomputes, at most)',
    time(iterations, () => names.map(normalize)),
  ],
  [
    '  the same search over names normalised once (what-if)',
    time(iterations, () => pre.filter((p) => p.some((n) => n.includes('规上工业产值')))),
  ],
  [
    'rollupZone of the targets (overview and page queries)',
    time(iterations, () => rollupZone(depts, { ...evaluation, tracked: evaluation.targets })),
  ],
  [
    'formatNumber() (new Intl.NumberFormat per call), per call',
    time(iterations * 20, (i) => formatNumber(i * 1.5, 'zh-CN', 1)),
  ],
  [
    'the same with one cached Intl.NumberFormat (what-if), per call',
    (() => {
      const f = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 1 });
      return time(iterations * 20, (i) => f.format(i * 1.5));
    })(),
  ],
];
console.log('\nSteps');
console.log(
  table(
    ['step', 'ms/call'],
    steps.map(([k, v]) => [k, v < 0.01 ? v.toFixed(4) : ms(v)]),
  ),
);
