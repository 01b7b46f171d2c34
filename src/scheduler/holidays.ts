/**
 * The statutory holiday and make-up-day data, from the maintained `chinese-days` package. Its JSON
 * is keyed by ISO date, so days are looked up exactly, in the zone's own calendar, with no time-zone
 * arithmetic of the package's own.
 */
import { createRequire } from 'node:module';
import type { CalendarData } from '../domain/calendar.ts';

type Raw = { holidays: Record<string, string>; workdays: Record<string, string> };

let cached: CalendarData | undefined;

export function chineseCalendarData(): CalendarData {
  if (cached) return cached;
  const raw = createRequire(import.meta.url)('chinese-days/dist/chinese-days.json') as Raw;
  const holidays = new Set(Object.keys(raw.holidays));
  const workdays = new Set(Object.keys(raw.workdays));
  const years = new Set([...holidays].map((d) => Number(d.slice(0, 4))));
  cached = { holidays, workdays, years };
  return cached;
}
