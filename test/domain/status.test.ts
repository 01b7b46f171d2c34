import { describe, expect, it } from 'vitest';
import { makeCalendar } from '../../src/domain/calendar.ts';
import { emptyProgress, type ItemProgress } from '../../src/domain/progress.ts';
import { CumulativeTarget, LevelTarget, Project, Settings } from '../../src/domain/schema.ts';
import {
  type EvaluationContext,
  evaluateProject,
  evaluateTarget,
  expectedShare,
  isBehind,
  isDueSoon,
  lastDueReport,
  paceDate,
  type Reason,
} from '../../src/domain/status.ts';
import { chineseCalendarData } from '../../src/scheduler/holidays.ts';

const settings = Settings.parse({});
const ctx = (today: string, overrides: Partial<Settings> = {}): EvaluationContext => ({
  today,
  settings: { ...settings, ...overrides },
});

const year = { start: '2026-01-01', end: '2026-12-31' };
const progress = (p: Partial<ItemProgress>): ItemProgress => ({ ...emptyProgress(), ...p });

function cumulative(extra: Record<string, unknown> = {}) {
  return CumulativeTarget.parse({
    id: 't1',
    departmentId: 'd1',
    name: { zh: '城市更新项目开工' },
    kind: 'cumulative',
    unit: { zh: '项' },
    baseline: 0,
    target: 40,
    period: year,
    reporting: { cadence: 'none' },
    ...extra,
  });
}

function level(extra: Record<string, unknown> = {}) {
  return LevelTarget.parse({
    id: 't2',
    departmentId: 'd1',
    name: { zh: '规上工业增加值增速' },
    kind: 'level',
    unit: { zh: '%' },
    target: 7.5,
    comparator: 'atLeast',
    tolerance: 0.5,
    period: year,
    reporting: { cadence: 'none' },
    ...extra,
  });
}

function pace(reasons: Reason[]) {
  const r = reasons.find((x) => x.code === 'pace');
  if (r?.code !== 'pace') throw new Error('no pace reason');
  return r;
}

describe('expected share (序时进度)', () => {
  const linear = cumulative();
  it.each([
    ['the day before the period starts', '2025-12-31', 0],
    ['the first day of the period', '2026-01-01', 1 / 365],
    ['the end of June', '2026-06-30', 181 / 365],
    ['the last day of the period', '2026-12-31', 1],
    ['after the period ends', '2027-03-01', 1],
  ])('is linear by elapsed days: %s', (_name, today, share) => {
    expect(expectedShare(linear, today)).toBeCloseTo(share, 10);
  });

  const quarters = cumulative({
    checkpoints: [
      { date: '2026-03-31', share: 0.15 },
      { date: '2026-06-30', share: 0.45 },
      { date: '2026-09-30', share: 0.75 },
    ],
  });
  it.each([
    ['exactly on the Q1 checkpoint', '2026-03-31', 0.15],
    ['exactly on the H1 checkpoint', '2026-06-30', 0.45],
    ['exactly on the Q3 checkpoint', '2026-09-30', 0.75],
    ['at the end of the year', '2026-12-31', 1],
  ])('follows checkpoints: %s', (_name, today, share) => {
    expect(expectedShare(quarters, today)).toBeCloseTo(share, 10);
  });

  it('interpolates linearly between checkpoints', () => {
    // 2026-05-15 is 45 of the 91 days from 03-31 to 06-30.
    expect(expectedShare(quarters, '2026-05-15')).toBeCloseTo(0.15 + 0.3 * (45 / 91), 10);
  });
});

describe('cumulative targets are rated by the gap to plan in percentage points', () => {
  // With checkpoints at 50% on 06-30, the expected completion on that date is exactly 50%.
  const t = cumulative({ checkpoints: [{ date: '2026-06-30', share: 0.5 }] });
  it.each([
    { actual: 20, expectedStatus: 'green', gap: 0, case: 'exactly on plan' },
    { actual: 16.4, expectedStatus: 'green', gap: 9, case: 'just inside the amber threshold (9 points)' },
    { actual: 16, expectedStatus: 'amber', gap: 10, case: 'exactly on the amber threshold (10 points)' },
    { actual: 8.4, expectedStatus: 'amber', gap: 29, case: 'just inside the red threshold (29 points)' },
    { actual: 8, expectedStatus: 'red', gap: 30, case: 'exactly on the red threshold (30 points)' },
    { actual: 28, expectedStatus: 'green', gap: -20, case: 'ahead of plan' },
    { actual: 40, expectedStatus: 'done', gap: undefined, case: 'target reached early' },
    { actual: 45, expectedStatus: 'done', gap: undefined, case: 'target exceeded' },
  ])('$case → $expectedStatus', ({ actual, expectedStatus, gap }) => {
    const s = evaluateTarget(t, progress({ value: actual, lastReportDate: '2026-06-30' }), ctx('2026-06-30'));
    expect(s.status).toBe(expectedStatus);
    if (gap !== undefined) expect(pace(s.reasons).gapPts).toBe(gap);
  });

  it('uses configurable thresholds', () => {
    const s = evaluateTarget(t, progress({ value: 16 }), ctx('2026-06-30', { amberGapPoints: 5, redGapPoints: 8 }));
    expect(s.status).toBe('red');
  });

  it('with no data yet, measures from the baseline and says nothing was reported', () => {
    const s = evaluateTarget(t, emptyProgress(), ctx('2026-06-30'));
    expect(s.status).toBe('red');
    expect(pace(s.reasons)).toMatchObject({ expectedPct: 50, actualPct: 0, gapPts: 50 });
    expect(s.reasons.some((r) => r.code === 'no_data')).toBe(true);
  });

  it('is pending before its period starts', () => {
    const s = evaluateTarget(t, emptyProgress(), ctx('2025-12-31'));
    expect(s.status).toBe('pending');
    expect(s.reasons).toEqual([{ code: 'not_started', start: '2026-01-01' }]);
  });

  it('is green on the first day with nothing reported', () => {
    expect(evaluateTarget(t, emptyProgress(), ctx('2026-01-01')).status).toBe('green');
  });

  it('at the end of the period, anything short of the target is measured against 100%', () => {
    const s = evaluateTarget(t, progress({ value: 36 }), ctx('2026-12-31'));
    expect(pace(s.reasons)).toMatchObject({ expectedPct: 100, actualPct: 90, gapPts: 10 });
    expect(s.status).toBe('amber');
  });

  describe('decreasing targets (e.g. idle floor space from 100 down to 60)', () => {
    const dec = cumulative({ baseline: 100, target: 60, checkpoints: [{ date: '2026-06-30', share: 0.5 }] });
    it.each([
      { value: 80, status: 'green' },
      { value: 84, status: 'amber' },
      { value: 92, status: 'red' },
      { value: 60, status: 'done' },
      { value: 104, status: 'red' },
    ])('at $value on 06-30 → $status', ({ value, status }) => {
      expect(evaluateTarget(dec, progress({ value }), ctx('2026-06-30')).status).toBe(status);
    });
  });
});

describe('a report is judged at the period it covers', () => {
  // Quarterly checkpoints: 22.5% by the end of March, 45% by June, 75% by September.
  const quarterly = (graceDays = 5) =>
    cumulative({
      reporting: { cadence: 'quarterly', graceDays },
      checkpoints: [
        { date: '2026-03-31', share: 0.225 },
        { date: '2026-06-30', share: 0.45 },
        { date: '2026-09-30', share: 0.75 },
      ],
    });
  const monthly = cumulative({ reporting: { cadence: 'monthly', graceDays: 5 } });
  it.each([
    {
      item: quarterly(),
      last: '2026-04-03',
      today: '2026-06-15',
      asOf: '2026-03-31',
      case: 'a Q1 report made in the grace days, read in mid-June: the end of Q1',
    },
    {
      item: quarterly(),
      last: undefined,
      today: '2026-06-15',
      asOf: '2026-03-31',
      case: 'no report at all, mid-June: the end of Q1, whose report was due',
    },
    {
      item: quarterly(),
      last: '2026-05-20',
      today: '2026-06-15',
      asOf: '2026-05-20',
      case: 'a report made during Q2: the day it was made',
    },
    {
      item: quarterly(),
      last: '2026-04-20',
      today: '2026-06-15',
      asOf: '2026-04-20',
      case: 'a Q1 report made after its grace days: the day it was made',
    },
    {
      item: quarterly(),
      last: '2026-07-02',
      today: '2026-07-03',
      asOf: '2026-06-30',
      case: 'a Q2 report made before its deadline: the end of Q2',
    },
    {
      item: quarterly(),
      last: '2026-03-31',
      today: '2026-04-02',
      asOf: '2026-03-31',
      case: 'the last day of Q1, read during the grace days',
    },
    {
      item: quarterly(),
      last: undefined,
      today: '2026-02-10',
      asOf: '2025-12-31',
      case: 'no period due yet: before the year starts (nothing expected)',
    },
    {
      item: monthly,
      last: '2026-11-27',
      today: '2026-12-15',
      asOf: '2026-11-27',
      case: 'monthly, reported on 27 November, read in December: that day',
    },
    {
      item: monthly,
      last: '2026-12-02',
      today: '2026-12-15',
      asOf: '2026-11-30',
      case: 'monthly, November reported in its grace days: the end of November',
    },
    {
      item: monthly,
      last: '2026-06-30',
      today: '2026-12-15',
      asOf: '2026-06-30',
      case: 'a stale report: the day it covers (the missing reports are their own reason)',
    },
    {
      item: monthly,
      last: '2026-12-10',
      today: '2026-12-15',
      asOf: '2026-12-10',
      case: 'monthly, reported in December: that day',
    },
    {
      item: cumulative(),
      last: '2026-05-01',
      today: '2026-06-15',
      asOf: '2026-06-15',
      case: 'no reporting cadence: today',
    },
    {
      item: monthly,
      last: '2026-12-20',
      today: '2026-12-15',
      asOf: '2026-11-30',
      case: 'a report dated after today does not count',
    },
  ])('$case', ({ item, last, today, asOf }) => {
    expect(paceDate(item, last, today)).toBe(asOf);
  });

  it('shows a quarterly target reported on plan for Q1 as on plan in mid-June, not 23 points behind', () => {
    const t = quarterly();
    const s = evaluateTarget(t, progress({ value: 9, lastReportDate: '2026-04-03' }), ctx('2026-06-15'));
    expect(pace(s.reasons)).toMatchObject({ expectedPct: 22.5, actualPct: 22.5, gapPts: 0, asOf: '2026-03-31' });
    expect(s.status).toBe('green');
  });

  it('calls the same target late, not behind its pace, once Q2 is due and its report missing', () => {
    const s = evaluateTarget(quarterly(), progress({ value: 9, lastReportDate: '2026-04-03' }), ctx('2026-07-20'));
    expect(pace(s.reasons)).toMatchObject({ expectedPct: 22.5, actualPct: 22.5, asOf: '2026-03-31', rag: 'green' });
    expect(s.reasons.find((r) => r.code === 'report_missing')).toMatchObject({ rag: 'amber' });
    expect(s.status).toBe('amber');
  });

  it('judges a target never reported at the end of the last period whose report was due', () => {
    const s = evaluateTarget(quarterly(), progress({}), ctx('2026-07-20'));
    expect(pace(s.reasons)).toMatchObject({ expectedPct: 45, actualPct: 0, asOf: '2026-06-30', rag: 'red' });
  });
});

describe('level targets compare the latest value with the target directly', () => {
  it.each([
    { value: 8.1, status: 'green', case: 'above the target' },
    { value: 7.5, status: 'green', case: 'exactly on the target' },
    { value: 7.2, status: 'amber', case: 'inside the tolerance band' },
    { value: 7.0, status: 'amber', case: 'exactly on the edge of the tolerance band' },
    { value: 6.9, status: 'red', case: 'below the tolerance band' },
  ])('≥ 7.5% with 0.5 tolerance: $case ($value) → $status', ({ value, status }) => {
    expect(evaluateTarget(level(), progress({ value }), ctx('2026-06-30')).status).toBe(status);
  });

  it.each([
    { value: 2.9, status: 'green' },
    { value: 3.2, status: 'amber' },
    { value: 3.6, status: 'red' },
  ])('≤ 3% (atMost) at $value → $status', ({ value, status }) => {
    expect(
      evaluateTarget(level({ comparator: 'atMost', target: 3 }), progress({ value }), ctx('2026-06-30')).status,
    ).toBe(status);
  });

  it('with no value and no report due is pending, not behind', () => {
    expect(evaluateTarget(level(), emptyProgress(), ctx('2026-01-10')).status).toBe('pending');
  });

  it('does not ramp up over the year: the same value rates the same in March and December', () => {
    const p = progress({ value: 7.2 });
    expect(evaluateTarget(level(), p, ctx('2026-03-01')).status).toBe(
      evaluateTarget(level(), p, ctx('2026-12-01')).status,
    );
  });
});

describe('missing reports', () => {
  const monthly = { reporting: { cadence: 'monthly', graceDays: 5 } };
  it.each([
    { today: '2026-11-05', last: '2026-09-20', missing: false, case: 'on the last day of grace for October' },
    { today: '2026-11-06', last: '2026-09-20', missing: true, case: 'the day after grace for October ends' },
    {
      today: '2026-11-06',
      last: '2026-10-01',
      missing: true,
      case: "a report on the first day of October, in September's grace days, is September's: October's is missing",
    },
    { today: '2026-11-06', last: '2026-10-08', missing: false, case: 'a report made during October covers it' },
    {
      today: '2026-11-06',
      last: '2026-11-02',
      missing: false,
      case: 'a late report for October in November covers it',
    },
    { today: '2026-02-06', last: undefined, missing: true, case: "nothing ever reported once January's grace is over" },
    {
      today: '2026-02-05',
      last: undefined,
      missing: false,
      case: "nothing reported, on the last day of January's grace",
    },
    { today: '2026-01-20', last: undefined, missing: false, case: 'before any reporting period has closed' },
  ])('$case → missing: $missing', ({ today, last, missing }) => {
    const s = evaluateTarget(level(monthly), progress(last ? { value: 8, lastReportDate: last } : {}), ctx(today));
    expect(s.reasons.some((r) => r.code === 'report_missing')).toBe(missing);
    if (missing) expect(s.status).toBe('amber');
  });

  it('names the deadline and how late it is', () => {
    const s = evaluateTarget(level(monthly), progress({ value: 8, lastReportDate: '2026-09-20' }), ctx('2026-11-28'));
    expect(s.reasons).toContainEqual({
      code: 'report_missing',
      lastReportDate: '2026-09-20',
      dueBy: '2026-11-05',
      daysLate: 23,
      rag: 'amber',
    });
  });

  describe("grace in working days, with the zone's calendar", () => {
    // 2026: 1–7 October is the National Day holiday, Saturday 10 October a make-up working day.
    const calendar = makeCalendar(chineseCalendarData());
    const withCalendar = (today: string, extra: Partial<Settings['schedule']> = {}): EvaluationContext => {
      const schedule = { ...settings.schedule, ...extra };
      return {
        today,
        settings: { ...settings, schedule },
        calendar: makeCalendar(chineseCalendarData(), { holidays: schedule.holidays, workdays: schedule.workdays }),
      };
    };
    it.each([
      // September's report (grace 5): calendar days end on 5 October, in the holiday; working days on 13 October
      // (8, 9, 10 (make-up Saturday), 12, 13 October).
      {
        today: '2026-10-09',
        c: false,
        dueBy: '2026-10-05',
        missing: true,
        case: 'calendar days: late on the first working days after the holiday',
      },
      {
        today: '2026-10-09',
        c: true,
        dueBy: undefined,
        missing: false,
        case: 'working days: not yet due after the holiday',
      },
      {
        today: '2026-10-13',
        c: true,
        dueBy: undefined,
        missing: false,
        case: 'working days: the fifth working day is the last',
      },
      { today: '2026-10-14', c: true, dueBy: '2026-10-13', missing: true, case: 'working days: late the day after' },
      // October's report: 2–6 November are the five working days after a Saturday month end.
      {
        today: '2026-11-07',
        c: true,
        dueBy: '2026-11-06',
        missing: true,
        case: 'working days skip the weekend after October',
        last: '2026-09-25',
      },
      {
        today: '2026-11-06',
        c: true,
        dueBy: undefined,
        missing: false,
        case: 'working days: on the last day of grace for October',
        last: '2026-09-25',
      },
    ])('$case', ({ today, c, dueBy, missing, last }) => {
      const s = evaluateTarget(
        level(monthly),
        progress({ value: 8, lastReportDate: last ?? '2026-08-20' }),
        c ? withCalendar(today) : ctx(today),
      );
      const reason = s.reasons.find((r) => r.code === 'report_missing');
      expect({ missing: reason !== undefined, dueBy: reason && 'dueBy' in reason ? reason.dueBy : undefined }).toEqual({
        missing,
        dueBy,
      });
    });

    it("counts the admins' own days off and make-up days", () => {
      expect(lastDueReport(level(monthly), '2026-11-10', calendar)?.dueBy).toBe('2026-11-06');
      // A day off on Tuesday 3 November moves October's deadline to Monday 9 November…
      expect(
        lastDueReport(level(monthly), '2026-11-10', withCalendar('2026-11-10', { holidays: ['2026-11-03'] }).calendar)
          ?.dueBy,
      ).toBe('2026-11-09');
      // …a make-up working Sunday on 1 November, to Thursday 5 November.
      expect(
        lastDueReport(level(monthly), '2026-11-10', withCalendar('2026-11-10', { workdays: ['2026-11-01'] }).calendar)
          ?.dueBy,
      ).toBe('2026-11-05');
    });
  });

  it.each([
    ['weekly', '2026-11-28', '2026-11-16'],
    ['quarterly', '2026-11-28', '2026-07-01'],
  ])('%s cadence: the last closed period on %s starts %s', (cadence, today, start) => {
    const due = lastDueReport({ period: year, reporting: { cadence: cadence as 'weekly', graceDays: 2 } }, today);
    expect(due?.period.start).toBe(start);
  });
});

function project(extra: Record<string, unknown> = {}) {
  return Project.parse({
    id: 'p1',
    departmentId: 'd1',
    name: { zh: '星湖花园老旧小区改造' },
    period: year,
    reporting: { cadence: 'none' },
    milestones: [
      { id: 'm1', name: { zh: '开工' }, due: '2026-04-30' },
      { id: 'm2', name: { zh: '主体完工' }, due: '2026-09-30' },
      { id: 'm3', name: { zh: '竣工验收' }, due: '2026-12-20' },
    ],
    ...extra,
  });
}

describe('projects are rated by milestones and state', () => {
  const m1done = { milestonesDone: { m1: '2026-04-28' } };
  it.each([
    { today: '2026-09-15', p: m1done, status: 'green', case: 'next milestone more than 14 days away' },
    {
      today: '2026-09-16',
      p: m1done,
      status: 'green',
      case: 'next milestone exactly 14 days away (due soon, not behind)',
    },
    { today: '2026-09-30', p: m1done, status: 'green', case: 'milestone due today (due soon, not behind)' },
    { today: '2026-10-01', p: m1done, status: 'red', case: 'milestone one day overdue' },
    {
      today: '2026-10-01',
      p: { milestonesDone: { m1: '2026-04-28', m2: '2026-09-29' } },
      status: 'green',
      case: 'milestones reached on time',
    },
    {
      today: '2026-06-01',
      p: { ...m1done, state: 'blocked' as const, stateNote: '征收协议未全部签订' },
      status: 'red',
      case: 'blocked',
    },
    { today: '2026-06-01', p: { ...m1done, state: 'delayed' as const }, status: 'amber', case: 'delayed' },
    { today: '2026-10-01', p: { state: 'done' as const }, status: 'done', case: 'done, whatever the milestones' },
  ])('$case → $status', ({ today, p, status }) => {
    expect(evaluateProject(project(), progress(p), ctx(today)).status).toBe(status);
  });

  it('calls a project with only a milestone due soon due soon, not behind', () => {
    const s = evaluateProject(project(), progress({ milestonesDone: { m1: '2026-04-28' } }), ctx('2026-09-20'));
    expect(isBehind(s)).toBe(false);
    expect(isDueSoon(s)).toBe(true);
    expect(s.reasons).toContainEqual(expect.objectContaining({ code: 'milestone_due_soon', daysLeft: 10 }));
  });

  it('lists a project behind and with a milestone due soon as behind only', () => {
    const s = evaluateProject(
      project(),
      progress({ milestonesDone: { m1: '2026-04-28' }, state: 'delayed' }),
      ctx('2026-09-20'),
    );
    expect([isBehind(s), isDueSoon(s)]).toEqual([true, false]);
  });

  it('lists overdue milestones and the next one', () => {
    const s = evaluateProject(project(), progress({}), ctx('2026-10-10'));
    expect(s.overdue.map((m) => m.id)).toEqual(['m1', 'm2']);
    expect(s.nextMilestone).toMatchObject({ milestone: { id: 'm3' }, daysLeft: 71 });
    expect(s.reasons).toContainEqual(expect.objectContaining({ code: 'milestone_overdue', daysOverdue: 163 }));
  });

  it('keeps the blocker note as the reason', () => {
    const s = evaluateProject(
      project(),
      progress({ state: 'blocked', stateNote: '征收协议未全部签订' }),
      ctx('2026-03-01'),
    );
    expect(s.reasons).toContainEqual({ code: 'blocked', note: '征收协议未全部签订', rag: 'red' });
  });
});

describe('exemptions', () => {
  it('shows an exempt item with its reason and never as behind', () => {
    const s = evaluateTarget(cumulative(), emptyProgress(), ctx('2026-11-28'), {
      itemId: 't1',
      reason: '政策调整，暂缓实施',
      by: 'U1',
      at: '2026-06-01T09:00:00+08:00',
    });
    expect(s.status).toBe('exempt');
    expect(s.reasons).toEqual([{ code: 'exempt', reason: '政策调整，暂缓实施', by: 'U1' }]);
  });
});
