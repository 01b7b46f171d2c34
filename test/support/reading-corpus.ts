/**
 * The corpus of real progress reports (test/fixtures/reading/corpus-*.json): sentences copied from
 * public government pages, each with its source address, an item it may be about, the last value
 * duban had recorded, and what a careful supervision clerk would record. Shared by the corpus test and
 * `bench/reading.ts`, which print the same figures.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { emptyProgress, type ItemProgress } from '../../src/domain/progress.ts';
import { type Interpretation, readProgress } from '../../src/domain/reading/index.ts';
import { type Commitment, CumulativeTarget, LevelTarget, Project, type Target } from '../../src/domain/schema.ts';

const Name = z.object({ zh: z.string().min(1), en: z.string().min(1).optional() });
const Reading = z
  .object({
    value: z.number().optional(),
    increment: z.number().optional(),
    percent: z.number().optional(),
    state: z.enum(['done', 'blocked', 'delayed', 'in_progress']).optional(),
    milestone: z.string().optional(),
  })
  .strict();

export const CorpusCase = z
  .object({
    id: z.string().min(1),
    source: z.url({ protocol: /^https?$/ }),
    text: z.string().min(4),
    class: z.string().min(1),
    item: z.discriminatedUnion('kind', [
      z.object({
        kind: z.literal('cumulative'),
        name: Name,
        unit: Name,
        baseline: z.number().default(0),
        target: z.number(),
      }),
      z.object({
        kind: z.literal('level'),
        name: Name,
        unit: Name,
        target: z.number(),
        comparator: z.enum(['atLeast', 'atMost']).default('atLeast'),
      }),
      z.object({
        kind: z.literal('project'),
        name: Name,
        milestones: z.array(z.object({ id: z.string(), name: Name })).default([]),
      }),
    ]),
    prior: z.object({ value: z.number().optional(), milestonesDone: z.array(z.string()).optional() }).default({}),
    expect: z.union([
      z.object({ record: Reading }).strict(),
      z.object({ note: z.literal(true) }).strict(),
      z.object({ ask: z.array(Reading).min(1) }).strict(),
    ]),
    why: z.string().optional(),
  })
  .strict();
export type CorpusCase = z.infer<typeof CorpusCase>;

const FIXTURES = new URL('../fixtures/reading/', import.meta.url);

export function loadCorpus(): CorpusCase[] {
  const files = readdirSync(FIXTURES)
    .filter((f) => /^corpus-.*\.json$/.test(f))
    .sort();
  return files.flatMap((f) => z.array(CorpusCase).parse(JSON.parse(readFileSync(new URL(f, FIXTURES), 'utf8'))));
}

const year = { start: '2026-01-01', end: '2026-12-31' };

export function itemOf(c: CorpusCase): Target | Project | Commitment {
  const base = { id: `i-${c.id}`, departmentId: 'dept', period: year };
  const it = c.item;
  if (it.kind === 'cumulative') return CumulativeTarget.parse({ ...base, ...it });
  if (it.kind === 'level') return LevelTarget.parse({ ...base, ...it });
  return Project.parse({ ...base, name: it.name, milestones: it.milestones.map((m) => ({ ...m, due: '2026-12-31' })) });
}

export function priorOf(c: CorpusCase): ItemProgress {
  const p = emptyProgress();
  if (c.prior.value !== undefined) p.value = c.prior.value;
  for (const id of c.prior.milestonesDone ?? []) p.milestonesDone[id] = '2026-06-30';
  if (c.prior.value !== undefined || c.prior.milestonesDone?.length) p.reports = 1;
  return p;
}

export type Outcome = 'right' | 'asked' | 'asked-not-first' | 'asked-wrong' | 'wrong' | 'unparsed';
export type Graded = { c: CorpusCase; withPrior: boolean; outcome: Outcome; got: Interpretation; want: string };

type Fields = { value?: number; percent?: number; state?: string; milestoneId?: string };

function expected(r: z.infer<typeof Reading>, item: Target | Project | Commitment, prior: ItemProgress): Fields {
  const out: Fields = {};
  if (r.value !== undefined) out.value = r.value;
  if (r.increment !== undefined)
    out.value = Number(((prior.value ?? ('baseline' in item ? item.baseline : 0)) + r.increment).toPrecision(12));
  if (r.percent !== undefined) out.percent = r.percent;
  if (r.milestone !== undefined) {
    out.milestoneId = r.milestone;
    out.state = 'done';
  } else if (r.state !== undefined) out.state = r.state;
  return out;
}

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(a), Math.abs(b));

function same(got: Fields, want: Fields): boolean {
  const keys = new Set(
    [...Object.keys(got), ...Object.keys(want)].filter(
      (k) => (got as Record<string, unknown>)[k] !== undefined || (want as Record<string, unknown>)[k] !== undefined,
    ),
  );
  for (const k of keys) {
    const a = (got as Record<string, unknown>)[k];
    const b = (want as Record<string, unknown>)[k];
    if (typeof a === 'number' && typeof b === 'number' ? !close(a, b) : a !== b) return false;
  }
  return true;
}

function fieldsOf(i: { value?: number; percent?: number; state?: string; milestoneId?: string }): Fields {
  const out: Fields = {};
  for (const k of ['value', 'percent', 'state', 'milestoneId'] as const)
    if (i[k] !== undefined) (out as Record<string, unknown>)[k] = i[k];
  return out;
}

export type Reader = (text: string, item: Target | Project | Commitment, current: ItemProgress) => Interpretation;

/** Grades one reading of a case: by duban's reader, or another one given (a benchmark's baseline). */
export function grade(c: CorpusCase, withPrior: boolean, read: Reader = readProgress): Graded {
  const item = itemOf(c);
  const prior = withPrior ? priorOf(c) : emptyProgress();
  const got: Interpretation = read(c.text, item, prior);
  const e = c.expect;
  const wantList =
    'record' in e ? [expected(e.record, item, prior)] : 'ask' in e ? e.ask.map((r) => expected(r, item, prior)) : [];
  const want = 'note' in e ? 'note' : JSON.stringify(wantList[0]);
  let outcome: Outcome;
  if (got.kind === 'note') outcome = 'note' in e ? 'right' : 'unparsed';
  else if (got.kind === 'update') {
    const f = fieldsOf(got);
    outcome = 'record' in e && same(f, wantList[0]!) ? 'right' : 'wrong';
  } else {
    const options = got.options.map((o) => fieldsOf(o.update));
    if ('note' in e) outcome = 'asked-not-first';
    else if (same(options[0] ?? {}, wantList[0]!)) outcome = 'ask' in e ? 'right' : 'asked';
    else if (options.some((o) => same(o, wantList[0]!))) outcome = 'asked-not-first';
    else outcome = 'asked-wrong';
  }
  return { c, withPrior, outcome, got, want };
}

export type Tally = Record<Outcome, number> & { total: number };

export function tally(graded: readonly Graded[]): Tally {
  const t: Tally = {
    total: graded.length,
    right: 0,
    asked: 0,
    'asked-not-first': 0,
    'asked-wrong': 0,
    wrong: 0,
    unparsed: 0,
  };
  for (const g of graded) t[g.outcome]++;
  return t;
}

export function formatTally(label: string, t: Tally): string {
  const pct = (n: number) => `${((100 * n) / Math.max(1, t.total)).toFixed(1)}%`;
  return `${label}: ${t.total} readings — right ${t.right} (${pct(t.right)}), asked with the right option first ${t.asked} (${pct(t.asked)}), asked with it later ${t['asked-not-first']}, asked without it ${t['asked-wrong']}, confidently wrong ${t.wrong} (${pct(t.wrong)}), nothing recorded ${t.unparsed} (${pct(t.unparsed)})`;
}
