import { describe, expect, it } from 'vitest';
import { makeCalendar } from '../../src/domain/calendar.ts';
import {
  type CronFields,
  decide,
  instantOf,
  latestOccurrence,
  planRun,
  upcomingRuns,
} from '../../src/domain/schedule.ts';
import { chineseCalendarData } from '../../src/scheduler/holidays.ts';

const TZ = 'Asia/Shanghai';
const cal = makeCalendar(chineseCalendarData());

describe('mainland China working days (2026 data)', () => {
  it.each([
    ['2026-10-01', 'holiday', false, 'National Day'],
    ['2026-10-07', 'holiday', false, 'the last day of the National Day holiday'],
    ['2026-10-08', 'workday', true, 'the Thursday after'],
    ['2026-10-10', 'makeup', true, 'a make-up Saturday (调休补班)'],
    ['2026-02-14', 'makeup', true, 'a make-up Saturday before Spring Festival'],
    ['2026-02-28', 'makeup', true, 'a make-up Saturday after Spring Festival'],
    ['2026-02-17', 'holiday', false, 'Spring Festival'],
    ['2026-11-28', 'weekend', false, 'an ordinary Saturday'],
    ['2026-11-30', 'workday', true, 'an ordinary Monday'],
  ])('%s is a %s (working: %s) — %s', (date, kind, working) => {
    expect(cal.kindOf(date)).toBe(kind);
    expect(cal.isWorkingDay(date)).toBe(working);
  });

  it('treats 2027-01-01 as a plain Friday because the data stops at 2026, and says it does not cover 2027', () => {
    expect(cal.covers(2026)).toBe(true);
    expect(cal.covers(2027)).toBe(false);
    expect(cal.kindOf('2027-01-01')).toBe('workday');
  });

  it('lets admins add holidays and make-up days by hand, which win', () => {
    const manual = makeCalendar(chineseCalendarData(), { holidays: ['2027-01-01'], workdays: ['2026-11-28'] });
    expect(manual.kindOf('2027-01-01')).toBe('manual-holiday');
    expect(manual.isWorkingDay('2026-11-28')).toBe(true);
  });

  it('counts and adds working days across the National Day holiday', () => {
    expect(cal.nextWorkingDay('2026-10-01')).toBe('2026-10-08');
    expect(cal.addWorkingDays('2026-09-30', 1)).toBe('2026-10-08');
    expect(cal.addWorkingDays('2026-10-31', 5)).toBe('2026-11-06');
    expect(cal.workingDaysBetween('2026-10-09', '2026-10-12')).toBe(2);
  });
});

const mondayNine: CronFields = {
  minute: [0],
  hour: [9],
  dayOfMonth: Array.from({ length: 31 }, (_, i) => i + 1),
  month: Array.from({ length: 12 }, (_, i) => i + 1),
  dayOfWeek: [1],
};
const saturdayNine: CronFields = { ...mondayNine, dayOfWeek: [6] };
const at = (iso: string) => new Date(iso);

describe('planning runs in the zone', () => {
  it('finds the latest occurrence in Shanghai time, not UTC', () => {
    // 01:30 UTC on Monday is 09:30 in Shanghai: Monday's 09:00 has happened.
    expect(latestOccurrence(mondayNine, at('2026-11-30T01:30:00Z'), TZ)).toEqual({ date: '2026-11-30', minutes: 540 });
    // 00:30 UTC is 08:30 in Shanghai: still the previous Monday's.
    expect(latestOccurrence(mondayNine, at('2026-11-30T00:30:00Z'), TZ)).toEqual({ date: '2026-11-23', minutes: 540 });
  });

  it('converts local times to instants', () => {
    expect(instantOf('2026-11-30', 540, TZ).toISOString()).toBe('2026-11-30T01:00:00.000Z');
  });

  it('moves a run that falls on a holiday to the next working day at the same time', () => {
    const plan = planRun('reminders', { ...mondayNine, dayOfWeek: [4] }, at('2026-10-01T02:00:00Z'), TZ, cal)!;
    expect(plan.slot).toBe('reminders@2026-10-01T09:00');
    expect(plan.runDate).toBe('2026-10-08');
    expect(plan.moved).toEqual({ from: '2026-10-01', because: 'holiday' });
    expect(decide(plan, at('2026-10-01T02:00:00Z'), 6 * 3600_000, false).action).toBe('wait');
    expect(decide(plan, at('2026-10-08T01:00:00Z'), 6 * 3600_000, false)).toMatchObject({
      action: 'run',
      caughtUp: false,
    });
  });

  it('runs on a make-up Saturday (2026-10-10), but not on an ordinary one', () => {
    expect(planRun('reminders', saturdayNine, at('2026-10-10T01:00:00Z'), TZ, cal)).toMatchObject({
      runDate: '2026-10-10',
    });
    expect(planRun('reminders', saturdayNine, at('2026-11-28T01:00:00Z'), TZ, cal)).toMatchObject({
      runDate: '2026-11-30',
      moved: { because: 'weekend' },
    });
  });

  it('catches up a run missed within the grace window once, and skips one older than it', () => {
    const plan = planRun('reminders', mondayNine, at('2026-11-30T05:00:00Z'), TZ, cal)!;
    expect(decide(plan, at('2026-11-30T05:00:00Z'), 6 * 3600_000, false)).toMatchObject({
      action: 'run',
      caughtUp: true,
    });
    expect(decide(plan, at('2026-11-30T05:00:00Z'), 6 * 3600_000, true).action).toBe('done');
    expect(decide(plan, at('2026-11-30T08:00:00Z'), 6 * 3600_000, false)).toMatchObject({
      action: 'missed',
      lateByMs: 7 * 3600_000,
    });
  });

  it('lists the next runs, moved past holidays', () => {
    const runs = upcomingRuns('reminders', { ...mondayNine, dayOfWeek: [4] }, at('2026-09-25T00:00:00Z'), TZ, cal, 2);
    // 10-01 (a holiday) moves onto 10-08, which has its own run at the same time: one run, not two.
    expect(runs.map((r) => [r.occurrence.date, r.runDate])).toEqual([
      ['2026-10-01', '2026-10-08'],
      ['2026-10-15', '2026-10-15'],
    ]);
  });
});
