/**
 * The whole-store evaluation keeps answers between calls (forecasts per immutable report series, report
 * periods and deadlines per cadence and day): what it gives must be what a cold evaluation gives, for
 * every item, on the bundled sample and on a generated store, whatever was evaluated before.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateDataset } from '../../bench/generate.ts';
import { makeCalendar, type WorkingCalendar } from '../../src/domain/calendar.ts';
import { addDays, addMonths, endOfMonth, endOfQuarter, isoWeekday, startOfQuarter } from '../../src/domain/dates.ts';
import {
  forecastMilestone,
  forecastTarget,
  milestoneForecastOutcome,
  targetForecastOutcome,
} from '../../src/domain/forecast.ts';
import type { ItemProgress } from '../../src/domain/progress.ts';
import { createReadModel, evaluationContext } from '../../src/domain/read-model.ts';
import { type Evaluation, evaluateDatabase } from '../../src/domain/rollup.ts';
import {
  type Cadence,
  type CumulativeTarget,
  Database,
  type Item,
  type Period,
  type Project,
  type Target,
} from '../../src/domain/schema.ts';
import { evaluateProject, evaluateTarget, lastDueReport, reportCovers } from '../../src/domain/status.ts';
import { chineseCalendarData } from '../../src/scheduler/holidays.ts';

const TZ = 'Asia/Shanghai';
const sample = createReadModel(
  Database.parse({ ...JSON.parse(readFileSync('data/seed/nantong-2026.json', 'utf8')), version: 1 }),
  TZ,
);
const generated = createReadModel(
  Database.parse(
    generateDataset({ departments: 20, targets: 150, projects: 150, updatesPerItem: 5, seed: 20261207 }).doc,
  ),
  TZ,
);
const STORES = [
  ['the bundled sample', sample],
  ['a generated store of 300 items', generated],
] as const;

/** Fresh objects for every progress: nothing kept from an earlier evaluation can match them. */
function coldProgress(progress: ReadonlyMap<string, ItemProgress>): Map<string, ItemProgress> {
  return new Map(
    [...progress].map(([id, p]) => [
      id,
      { ...structuredClone(p), milestonesDone: Object.assign(Object.create(null), p.milestonesDone) },
    ]),
  );
}

/** Everything a user is shown of an evaluation, item by item. */
function shown(e: Evaluation) {
  return [...e.targets, ...e.projects, ...e.commitments].map((s) => ({
    id: s.item.id,
    status: s.status,
    reasons: s.reasons,
    severity: s.severity,
    forecast: s.forecast,
    milestoneForecast: s.milestoneForecast,
  }));
}

/** Same items, same everything shown: compared as text, and the first item that differs is shown as a diff. */
function expectSame(actual: Evaluation, expected: Evaluation): void {
  const [a, b] = [shown(actual), shown(expected)];
  if (JSON.stringify(a) === JSON.stringify(b)) return;
  const i = a.findIndex((x, k) => JSON.stringify(x) !== JSON.stringify(b[k]));
  expect(a[i]).toEqual(b[i]);
  expect(a.length).toBe(b.length);
}

// Days around the year's boundaries: the period's start, quarter ends and their grace days, the National
// Day holiday (working-day grace), the last day of the period and after it.
const DAYS = [
  '2026-01-01',
  '2026-03-31',
  '2026-04-07',
  '2026-06-30',
  '2026-09-15',
  '2026-10-09',
  '2026-12-31',
  '2027-01-05',
];

describe.each(STORES)('evaluating %s', (_name, model) => {
  const calendar = chineseCalendarData();
  const evaluate = (progress: ReadonlyMap<string, ItemProgress>, today: string, withCalendar = true) =>
    evaluateDatabase(model.db, progress, evaluationContext(model.db, today, withCalendar ? calendar : undefined));

  it.each(DAYS)('on %s gives what a cold evaluation gives, after other days and revisions', (day) => {
    // Warm: the same progress objects, after another day and a revision with one other item's report.
    evaluate(model.progress, addDays(day, -1));
    const changed = new Map(model.progress);
    const [id, p] = [...model.progress].find(([, q]) => q.series.length > 0)!;
    changed.set(id, { ...p, series: [...p.series, [day, (p.value ?? 0) + 1]] });
    evaluate(changed, day);
    const warm = evaluate(model.progress, day);
    const again = evaluate(model.progress, day);
    const cold = evaluate(coldProgress(model.progress), day);
    expectSame(warm, cold);
    expectSame(again, cold);
    expectSame(evaluate(model.progress, day, false), evaluate(coldProgress(model.progress), day, false));
  });

  it.each(DAYS)('on %s attaches the forecast the forecast functions give, item by item', (day) => {
    const e = evaluate(model.progress, day);
    let forecasts = 0;
    for (const s of e.targets) {
      const target = s.item as Target;
      if (target.kind !== 'cumulative' || s.reasons.some((r) => r.code === 'reached' || r.code === 'done')) continue;
      if (s.status === 'exempt' || s.status === 'pending') continue;
      const r = targetForecastOutcome(target, model.progress.get(target.id) ?? { series: [] }, day);
      expect(s.forecast).toEqual(r.ok ? r.forecast : undefined);
      if (r.ok) forecasts++;
      expect(s.reasons.some((x) => x.code === 'forecast_miss')).toBe(r.ok && r.forecast.outlook === 'miss');
    }
    for (const s of e.projects) {
      if (s.status === 'exempt' || s.status === 'done' || day < s.item.period.start) continue;
      const r = milestoneForecastOutcome(s.item as Project, s.progress, day);
      expect(s.milestoneForecast).toEqual(r.ok ? r.forecast : undefined);
    }
    // The comparison is not empty: mid-year, the stores' targets have forecasts to compare.
    if (day === '2026-09-15') expect(forecasts).toBeGreaterThan(model === sample ? 3 : 40);
  });
});

describe('a kept forecast', () => {
  const target = generated.db.targets.find(
    (t): t is CumulativeTarget =>
      t.kind === 'cumulative' && targetForecastOutcome(t, generated.progress.get(t.id)!, '2026-09-15').ok,
  )!;
  const progress = generated.progress.get(target.id)!;

  const rows: Array<[string, CumulativeTarget, string]> = [
    ['another day', target, '2026-09-30'],
    ['a day before the latest report', target, addDays(progress.series[progress.series.length - 1]![0], -1)],
    ['a day after the period', target, '2027-01-05'],
    ['the first day of the period', target, target.period.start],
    ['an edited target (same reports)', { ...target, target: target.target * 2 }, '2026-09-15'],
    ['an edited plan (same reports)', { ...target, checkpoints: [{ date: '2026-06-30', share: 0.2 }] }, '2026-09-15'],
  ];
  it.each(rows)('is not given for %s', (_what, asked, day) => {
    forecastTarget(target, progress, '2026-09-15');
    const r = targetForecastOutcome(asked, progress, day);
    expect(forecastTarget(asked, progress, day)).toEqual(r.ok ? r.forecast : undefined);
  });

  it('is not given for another project with the same milestones done', () => {
    const project = generated.db.projects.find((p) => {
      const done = generated.progress.get(p.id);
      return done !== undefined && milestoneForecastOutcome(p, done, '2026-09-15').ok;
    })!;
    const done = generated.progress.get(project.id)!;
    forecastMilestone(project, done, '2026-09-15');
    const moved = { ...project, milestones: project.milestones.map((m) => ({ ...m, due: addDays(m.due, 30) })) };
    const r = milestoneForecastOutcome(moved, done, '2026-09-15');
    expect(forecastMilestone(moved, done, '2026-09-15')).toEqual(r.ok ? r.forecast : undefined);
    expect(forecastMilestone(moved, done, '2026-09-15')).not.toEqual(forecastMilestone(project, done, '2026-09-15'));
  });
});

describe('a kept status', () => {
  const day = '2026-09-15';
  const ctx = evaluationContext(generated.db, day, chineseCalendarData());
  const target = generated.db.targets.find(
    (t) => evaluateTarget(t, generated.progress.get(t.id), ctx).status === 'amber',
  )!;
  const exemption = { itemId: target.id, reason: '政策调整', by: 'U0ADMIN', at: '2026-09-01T08:00:00.000Z' };

  it.each([
    ['other settings', { ...ctx, settings: { ...ctx.settings, amberGapPoints: 90, redGapPoints: 95 } }, undefined],
    ['another day', evaluationContext(generated.db, '2026-11-30', chineseCalendarData()), undefined],
    ['no working calendar', evaluationContext(generated.db, day, undefined), undefined],
    ['an exemption', ctx, exemption],
  ] as const)('is not given for %s', (_what, other, exempt) => {
    const progress = generated.progress.get(target.id);
    const first = evaluateTarget(target, progress, ctx);
    expect(evaluateTarget(target, progress, ctx)).toBe(first);
    const changed = evaluateTarget(target, progress, other, exempt);
    expect(changed).toEqual(
      evaluateTarget(target, coldProgress(new Map([[target.id, progress!]])).get(target.id), other, exempt),
    );
    expect(changed).not.toBe(first);
  });

  it('is not given for a project whose deadline was extended', () => {
    const lateCtx = (p: Project) => ({ ...ctx, today: addDays(p.period.end, 3) });
    const overdue = (p: Project, c: typeof ctx) =>
      evaluateProject(p, generated.progress.get(p.id), c).reasons.some((r) => r.code === 'deadline_overdue');
    const project = generated.db.projects.find((p) => overdue(p, lateCtx(p)))!;
    const extended = { ...lateCtx(project), extendedTo: new Map([[project.id, addDays(project.period.end, 30)]]) };
    expect(overdue(project, lateCtx(project))).toBe(true);
    expect(overdue(project, extended)).toBe(false);
  });
});

/**
 * The report periods and deadlines as they were computed before they were kept per cadence and day,
 * item by item: the reference the kept answers are held to.
 */
function periodOf(cadence: Exclude<Cadence, 'none'>, date: string): Period {
  if (cadence === 'weekly') {
    const start = addDays(date, 1 - isoWeekday(date));
    return { start, end: addDays(start, 6) };
  }
  if (cadence === 'monthly') return { start: `${date.slice(0, 7)}-01`, end: endOfMonth(date) };
  return { start: startOfQuarter(date), end: endOfQuarter(date) };
}
function previousOf(cadence: Exclude<Cadence, 'none'>, p: Period): Period {
  if (cadence === 'weekly') return periodOf(cadence, addDays(p.start, -7));
  return periodOf(cadence, addMonths(p.start, cadence === 'monthly' ? -1 : -3));
}
function referenceDeadline(end: string, grace: number, calendar?: WorkingCalendar) {
  return calendar ? calendar.addWorkingDays(end, grace) : addDays(end, grace);
}
function referenceLastDue(item: Pick<Item, 'period' | 'reporting'>, today: string, calendar?: WorkingCalendar) {
  const { cadence, graceDays } = item.reporting;
  if (cadence === 'none') return undefined;
  let p = previousOf(cadence, periodOf(cadence, today));
  while (referenceDeadline(p.end, graceDays, calendar) >= today) p = previousOf(cadence, p);
  if (p.end < item.period.start) return undefined;
  if (p.start > item.period.end) p = periodOf(cadence, item.period.end);
  const dueBy = referenceDeadline(p.end, graceDays, calendar);
  return dueBy < today ? { period: p, dueBy } : undefined;
}
function referenceCovers(item: Pick<Item, 'period' | 'reporting'>, date: string, calendar?: WorkingCalendar) {
  const { cadence, graceDays } = item.reporting;
  if (cadence === 'none') return date;
  const previous = previousOf(cadence, periodOf(cadence, date));
  return date <= referenceDeadline(previous.end, graceDays, calendar) && previous.end >= item.period.start
    ? previous.end
    : date;
}

describe('report periods and deadlines kept per cadence and day', () => {
  // One calendar object for every row, so rows of other cadences and grace days share its kept answers.
  const calendar = makeCalendar(chineseCalendarData());
  const items = (['weekly', 'monthly', 'quarterly'] as const).flatMap((cadence) =>
    [0, 3, 5, 10].flatMap((graceDays) =>
      [
        { start: '2026-01-01', end: '2026-12-31' },
        { start: '2026-05-10', end: '2026-08-20' },
      ].map((period) => ({ period, reporting: { cadence, graceDays } })),
    ),
  );
  const days: string[] = [];
  for (let d = '2026-01-01'; d <= '2027-01-20'; d = addDays(d, 1)) days.push(d);

  it.each([
    ['with the working calendar', calendar],
    ['in calendar days', undefined],
  ] as const)('match the item-by-item computation for every day of 2026 %s', (_how, cal) => {
    const mismatches: string[] = [];
    for (const day of days)
      for (const item of items) {
        const what = `${item.reporting.cadence}+${item.reporting.graceDays} ${item.period.start} on ${day}`;
        if (JSON.stringify(lastDueReport(item, day, cal)) !== JSON.stringify(referenceLastDue(item, day, cal)))
          mismatches.push(`lastDueReport ${what}`);
        if (reportCovers(item, day, cal) !== referenceCovers(item, day, cal)) mismatches.push(`reportCovers ${what}`);
      }
    expect(mismatches).toEqual([]);
  });
});
