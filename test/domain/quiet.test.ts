/**
 * Quiet hours, weekends and holidays (减负): when a scheduled run is sent, at the boundaries — a run at
 * 17:59, 18:00 and 09:00, Friday evening to Monday morning, a holiday week to the next working day —
 * and when a run held over quiet hours is still caught up or missed. Also the recent-update and
 * escalation-grace tables and the week's bounds.
 */
import { describe, expect, it } from 'vitest';
import { makeCalendar } from '../../src/domain/calendar.ts';
import { escalationGraceMet, updatedRecently, weekStartOf } from '../../src/domain/noise.ts';
import {
  decide,
  isQuietAt,
  isQuietMinute,
  missedAfter,
  planRun,
  type QuietHours,
  quietHoursOf,
} from '../../src/domain/schedule.ts';
import { chineseCalendarData } from '../../src/scheduler/holidays.ts';
import { parseCron } from '../../src/scheduler/scheduler.ts';

const TZ = 'Asia/Shanghai';
const calendar = makeCalendar(chineseCalendarData());
const DEFAULT_QUIET = quietHoursOf({ quietFrom: '18:00', quietUntil: '09:00' })!;
const at = (local: string) => new Date(`${local}+08:00`);
const fieldsOf = (pattern: string) => {
  const parsed = parseCron(pattern);
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.fields;
};
const shanghai = (d: Date) =>
  new Intl.DateTimeFormat('sv-SE', { timeZone: TZ, dateStyle: 'short', timeStyle: 'short' }).format(d);

describe('a minute of the day in quiet hours 18:00–09:00', () => {
  it.each([
    ['17:59', 17 * 60 + 59, false],
    ['18:00', 18 * 60, true],
    ['23:30', 23 * 60 + 30, true],
    ['00:00', 0, true],
    ['08:59', 8 * 60 + 59, true],
    ['09:00', 9 * 60, false],
  ])('%s is quiet: %s', (_label, minute, quiet) => {
    expect(isQuietMinute(minute, DEFAULT_QUIET)).toBe(quiet);
  });

  it.each([
    ['12:00–14:00, at 12:00', { from: 720, until: 840 }, 720, true],
    ['12:00–14:00, at 14:00', { from: 720, until: 840 }, 840, false],
    ['none (equal times)', undefined, 0, false],
  ] as Array<[string, QuietHours | undefined, number, boolean]>)('with quiet hours %s: %s', (_l, q, m, quiet) => {
    expect(isQuietMinute(m, q)).toBe(quiet);
  });

  it('has none when they start and end at the same time', () => {
    expect(quietHoursOf({ quietFrom: '00:00', quietUntil: '00:00' })).toBeUndefined();
  });
});

describe('nothing is sent on a day off or in quiet hours', () => {
  it.each([
    ['Monday 17:59', '2026-11-30T17:59', false],
    ['Monday 18:00', '2026-11-30T18:00', true],
    ['Tuesday 09:00', '2026-12-01T09:00', false],
    ['Saturday 10:00', '2026-11-28T10:00', true],
    ['National Day, Friday 2026-10-02 10:00', '2026-10-02T10:00', true],
    ['the make-up Saturday 2026-10-10 10:00', '2026-10-10T10:00', false],
  ])('%s is quiet: %s', (_label, local, quiet) => {
    expect(isQuietAt(at(local), TZ, calendar, DEFAULT_QUIET)).toBe(quiet);
  });
});

describe('when a run is sent', () => {
  it.each([
    ['Monday 17:59', '59 17 * * 1', '2026-11-30T17:59', '2026-11-30 17:59', false],
    ['Monday 18:00', '0 18 * * 1', '2026-11-30T18:00', '2026-12-01 09:00', true],
    ['Monday 09:00', '0 9 * * 1', '2026-11-30T09:00', '2026-11-30 09:00', false],
    ['Monday 08:59', '59 8 * * 1', '2026-11-30T08:59', '2026-11-30 09:00', true],
    ['Friday 20:00, to Monday morning', '0 20 * * 5', '2026-12-04T20:00', '2026-12-07 09:00', true],
    ['Saturday 10:00, to the same time on Monday', '0 10 * * 6', '2026-11-28T10:00', '2026-11-30 10:00', false],
    ['Saturday 20:00, to Monday morning', '0 20 * * 6', '2026-11-28T20:00', '2026-11-30 09:00', true],
    [
      'the evening before National Day, to the first working morning after the holiday week',
      '0 19 * * 3',
      '2026-09-30T19:00',
      '2026-10-08 09:00',
      true,
    ],
    [
      'in the holiday week, to the next working day at the same time',
      '0 10 * * 3',
      '2026-10-07T10:00',
      '2026-10-08 10:00',
      false,
    ],
  ])('a run due %s is sent at %s', (_label, pattern, due, sent, quiet) => {
    const plan = planRun('reminders', fieldsOf(pattern), at(due), TZ, calendar, DEFAULT_QUIET)!;
    expect(shanghai(plan.runAt)).toBe(sent);
    expect(!!plan.quiet).toBe(quiet);
    // The slot is the occurrence's: the deferred run is the same run, recorded once.
    expect(plan.slot).toBe(`reminders@${due}`);
  });

  it('is sent at its own time when there are no quiet hours', () => {
    const plan = planRun('reminders', fieldsOf('0 20 * * 1'), at('2026-11-30T20:00'), TZ, calendar)!;
    expect(shanghai(plan.runAt)).toBe('2026-11-30 20:00');
  });
});

describe('a run caught up after duban was down', () => {
  const GRACE = 24 * 3_600_000;
  const plan = planRun('reminders', fieldsOf('0 9 * * 1'), at('2026-11-30T09:00'), TZ, calendar, DEFAULT_QUIET)!;
  const decideAt = (local: string, grace = GRACE) =>
    decide(plan, at(local), grace, false, {
      quietNow: isQuietAt(at(local), TZ, calendar, DEFAULT_QUIET),
      missedAfter: missedAfter(plan, grace, TZ, calendar, DEFAULT_QUIET),
    }).action;

  it.each([
    ['back at 13:00 the same day: sent', '2026-11-30T13:00', GRACE, 'run'],
    ['back at 19:00: waits for the morning', '2026-11-30T19:00', GRACE, 'wait'],
    ['back at 19:00 with a 12-hour grace: waits', '2026-11-30T19:00', 12 * 3_600_000, 'wait'],
    [
      'next morning 09:00 with a 12-hour grace that ended in the night: sent',
      '2026-12-01T09:00',
      12 * 3_600_000,
      'run',
    ],
    ['next morning 10:01 with a 12-hour grace: missed', '2026-12-01T10:01', 12 * 3_600_000, 'missed'],
    ['the day after at 10:00: missed', '2026-12-01T10:00', GRACE, 'missed'],
  ])('%s', (_label, local, grace, action) => {
    expect(decideAt(local, grace)).toBe(action);
  });

  it('does not carry a Friday run over the weekend: its grace ends on Saturday', () => {
    const friday = planRun('bulletin', fieldsOf('0 16 * * 5'), at('2026-11-27T16:00'), TZ, calendar, DEFAULT_QUIET)!;
    const missed = missedAfter(friday, GRACE, TZ, calendar, DEFAULT_QUIET);
    expect(decide(friday, at('2026-11-30T09:00'), GRACE, false, { missedAfter: missed }).action).toBe('missed');
  });
});

describe('updated recently: within N working days, before today', () => {
  it.each([
    ['today', '2026-11-30', '2026-11-30', 2, true],
    ['Friday (1 working day)', '2026-11-27', '2026-11-30', 2, true],
    ['Thursday (exactly 2 working days)', '2026-11-26', '2026-11-30', 2, false],
    ['Thursday, with N = 3', '2026-11-26', '2026-11-30', 3, true],
    ['in the National Day holiday, seen on the first working day after it', '2026-10-05', '2026-10-08', 2, true],
    ['the last working day before National Day, seen on 10-08 (1 working day)', '2026-09-30', '2026-10-08', 2, true],
    ['the last working day before National Day, seen on 10-09 (2 working days)', '2026-09-30', '2026-10-09', 2, false],
    ['never', undefined, '2026-11-30', 2, false],
    ['today, with N = 0', '2026-11-30', '2026-11-30', 0, false],
  ])('%s: updated %s, on %s, N = %i: %s', (_label, last, today, n, recent) => {
    expect(updatedRecently(last, today, calendar, n)).toBe(recent);
  });
});

describe('the escalation grace: working days since the step before', () => {
  it.each([
    ['the Friday before, grace 2 (grace − 1)', '2026-11-27T10:00:00+08:00', 2, false],
    ['the Thursday before, grace 2 (exactly the grace)', '2026-11-26T10:00:00+08:00', 2, true],
    ['the same day, grace 0', '2026-11-30T08:00:00+08:00', 0, true],
    ['a streak kept before the dates were', undefined, 2, true],
  ])('%s: may escalate %s', (_label, previous, grace, may) => {
    expect(escalationGraceMet(previous, '2026-11-30', TZ, calendar, grace)).toBe(may);
  });
});

describe('a week runs Monday to Sunday', () => {
  it.each([
    ['2026-11-30', '2026-11-30'],
    ['2026-12-06', '2026-11-30'],
    ['2026-12-07', '2026-12-07'],
  ])('%s is in the week of %s', (date, monday) => {
    expect(weekStartOf(date)).toBe(monday);
  });
});
