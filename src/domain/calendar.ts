/**
 * Mainland China working days: statutory holidays are off, adjusted working weekends (调休补班) are
 * on, other weekends off. The statutory data comes from a maintained package (see
 * src/scheduler/holidays.ts); admins can add holidays and make-up days by hand, which win. Where the
 * data does not cover a year, days are plain weekdays and weekends, and `covers` says so.
 */
import { addDays, isoWeekday } from './dates.ts';

export type CalendarData = {
  holidays: ReadonlySet<string>;
  workdays: ReadonlySet<string>;
  /** Years the statutory data covers. */
  years: ReadonlySet<number>;
};

export type ManualDays = { holidays: readonly string[]; workdays: readonly string[] };

export type DayKind = 'workday' | 'weekend' | 'holiday' | 'makeup' | 'manual-holiday' | 'manual-workday';

export type WorkingCalendar = {
  kindOf(date: string): DayKind;
  isWorkingDay(date: string): boolean;
  /** The date itself when it is a working day, else the next one. */
  nextWorkingDay(date: string): string;
  /** The `n`th working day after `date` (n ≥ 1), or `date` itself for n = 0. */
  addWorkingDays(date: string, n: number): string;
  /** Working days from `from` (exclusive) to `to` (inclusive); negative when `to` is earlier. */
  workingDaysBetween(from: string, to: string): number;
  covers(year: number): boolean;
  coveredYears(): number[];
};

export function makeCalendar(data: CalendarData, manual: ManualDays = { holidays: [], workdays: [] }): WorkingCalendar {
  const manualHolidays = new Set(manual.holidays);
  const manualWorkdays = new Set(manual.workdays);
  const kindOf = (date: string): DayKind => {
    if (manualHolidays.has(date)) return 'manual-holiday';
    if (manualWorkdays.has(date)) return 'manual-workday';
    if (data.holidays.has(date)) return 'holiday';
    if (data.workdays.has(date)) return 'makeup';
    return isoWeekday(date) >= 6 ? 'weekend' : 'workday';
  };
  const isWorkingDay = (date: string) => {
    const k = kindOf(date);
    return k === 'workday' || k === 'makeup' || k === 'manual-workday';
  };
  // Deadlines are asked for the same few period ends by every item of a store: remember them.
  const added = new Map<string, string>();
  return {
    kindOf,
    isWorkingDay,
    nextWorkingDay(date) {
      let d = date;
      // Bounded: no stretch of days off is longer than a few weeks, even with manual holidays.
      for (let i = 0; i < 366 && !isWorkingDay(d); i++) d = addDays(d, 1);
      return d;
    },
    addWorkingDays(date, n) {
      const key = `${date}+${n}`;
      const known = added.get(key);
      if (known !== undefined) return known;
      let d = date;
      for (let left = n; left > 0; ) {
        d = addDays(d, 1);
        if (isWorkingDay(d)) left--;
      }
      if (added.size >= 10_000) added.clear();
      added.set(key, d);
      return d;
    },
    workingDaysBetween(from, to) {
      if (to === from) return 0;
      const [a, b, sign] = to > from ? [from, to, 1] : [to, from, -1];
      let n = 0;
      for (let d = addDays(a, 1); d <= b; d = addDays(d, 1)) if (isWorkingDay(d)) n++;
      return sign * n;
    },
    covers: (year) => data.years.has(year),
    coveredYears: () => [...data.years].sort((x, y) => x - y),
  };
}

/** Weekdays only, for tests and for zones the statutory data does not cover. */
export const PLAIN_CALENDAR: CalendarData = { holidays: new Set(), workdays: new Set(), years: new Set() };
