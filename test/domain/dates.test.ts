import { describe, expect, it } from 'vitest';
import { addDays, addMonths, dayNumber, daysBetween, endOfMonth, isCalendarDate } from '../../src/domain/dates.ts';

describe('isCalendarDate', () => {
  it.each(['2026-01-01', '2026-02-28', '2028-02-29', '2000-02-29', '2026-04-30', '2026-12-31'])(
    'takes %s, a day that exists',
    (d) => {
      expect(isCalendarDate(d)).toBe(true);
    },
  );
  it.each([
    '2026-02-29',
    '2027-02-30',
    '1900-02-29',
    '2026-04-31',
    '2026-13-01',
    '2026-00-10',
    '2026-01-00',
    '2026-1-1',
    '2026/01/01',
    '0099-01-01',
    ' 2026-01-01',
    '',
  ])('refuses %j', (d) => {
    expect(isCalendarDate(d)).toBe(false);
  });
});

/** The Date-based arithmetic the integer versions replaced: they must give the same text for every day. */
const DAY = 86_400_000;
const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const msOf = (d: string) => Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10)));

describe('date arithmetic by integers, against Date', () => {
  it('gives the same next day, day number and month end for every day from 1899-12-01 to 2101-01-31', () => {
    const mismatches: string[] = [];
    for (let ms = Date.UTC(1899, 11, 1); ms <= Date.UTC(2101, 0, 31); ms += DAY) {
      const d = dateOf(ms);
      if (addDays(d, 1) !== dateOf(ms + DAY)) mismatches.push(`addDays(${d}, 1)`);
      if (addDays(d, -1) !== dateOf(ms - DAY)) mismatches.push(`addDays(${d}, -1)`);
      if (dayNumber(d) !== ms / DAY) mismatches.push(`dayNumber(${d})`);
      if (endOfMonth(d) !== dateOf(Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)), 0)))
        mismatches.push(`endOfMonth(${d})`);
    }
    expect(mismatches).toEqual([]);
  });

  it.each([
    ['1000-01-01', -1, dateOf(msOf('1000-01-01') - DAY)],
    ['1000-01-01', 0, '1000-01-01'],
    ['9999-12-31', 0, '9999-12-31'],
    ['9999-12-31', 1, dateOf(msOf('9999-12-31') + DAY)],
    ['1600-02-28', 1, '1600-02-29'],
    ['1700-02-28', 1, '1700-03-01'],
    ['2000-02-28', 1, '2000-02-29'],
    ['2100-02-28', 1, '2100-03-01'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2026-03-01', -1, '2026-02-28'],
    ['2028-03-01', -1, '2028-02-29'],
    ['2026-01-15', 365, '2027-01-15'],
    ['2026-01-15', -36_525, '1926-01-15'],
  ] as const)('adds to %s %i days: %s, as Date does', (date, days, expected) => {
    expect(addDays(date, days)).toBe(expected);
    expect(addDays(date, days)).toBe(dateOf(msOf(date) + days * DAY));
  });

  it.each([
    ['2026-01-31', 1, '2026-02-28'],
    ['2028-01-31', 1, '2028-02-29'],
    ['2026-03-31', -1, '2026-02-28'],
    ['2026-11-30', 2, '2027-01-30'],
  ] as const)('adds to %s %i months: %s', (date, months, expected) => {
    expect(addMonths(date, months)).toBe(expected);
  });

  it.each([
    ['2026-01-01', '2026-12-31', 364],
    ['2028-01-01', '2028-12-31', 365],
    ['2026-09-15', '2026-06-30', -77],
    ['1999-12-31', '2000-01-01', 1],
  ] as const)('counts from %s to %s %i days', (a, b, expected) => {
    expect(daysBetween(a, b)).toBe(expected);
    expect(dayNumber(b) - dayNumber(a)).toBe(expected);
  });
});
