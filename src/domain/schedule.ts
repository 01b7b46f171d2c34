/**
 * When scheduled runs happen: the latest cron occurrence in the zone, moved to the next working day
 * when it falls on a holiday or weekend, run once within a grace window (so a run missed while duban
 * was down is caught up once, and one older than the window is skipped, with the reason).
 * Pure: cron patterns arrive parsed, the calendar and `now` are parameters.
 */
import type { DayKind, WorkingCalendar } from './calendar.ts';
import { addDays, isoWeekday, localDate } from './dates.ts';

/** A parsed cron pattern (node-cron's fields; day of week 0 = Sunday). */
export type CronFields = {
  minute: number[];
  hour: number[];
  dayOfMonth: number[];
  month: number[];
  dayOfWeek: number[];
};

/** `monthly`: the previous month's report (评价), previewed on the first working day of the month. */
export type ScheduleKind = 'reminders' | 'bulletin' | 'monthly';

const timeFormatters = new Map<string, Intl.DateTimeFormat>();

/** Minutes since local midnight of `now` in `timeZone`. */
export function localMinutes(now: Date, timeZone: string): number {
  let f = timeFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    timeFormatters.set(timeZone, f);
  }
  const [h = '0', m = '0'] = f.format(now).split(':');
  return Number(h) * 60 + Number(m);
}

/** The instant of a local date and time in `timeZone`. */
export function instantOf(date: string, minutes: number, timeZone: string): Date {
  const wall = Date.UTC(
    Number(date.slice(0, 4)),
    Number(date.slice(5, 7)) - 1,
    Number(date.slice(8, 10)),
    Math.floor(minutes / 60),
    minutes % 60,
  );
  let guess = wall;
  // Two passes settle the offset even across a daylight-saving change.
  for (let i = 0; i < 2; i++) {
    const d = new Date(guess);
    const local =
      Date.UTC(
        Number(localDate(d, timeZone).slice(0, 4)),
        Number(localDate(d, timeZone).slice(5, 7)) - 1,
        Number(localDate(d, timeZone).slice(8, 10)),
      ) +
      localMinutes(d, timeZone) * 60_000;
    guess = wall - (local - guess);
  }
  return new Date(guess);
}

function matchesDay(fields: CronFields, date: string): boolean {
  const month = Number(date.slice(5, 7));
  const day = Number(date.slice(8, 10));
  const dow = isoWeekday(date) % 7;
  return (
    fields.month.includes(month) &&
    fields.dayOfMonth.includes(day) &&
    (fields.dayOfWeek.includes(dow) || (dow === 0 && fields.dayOfWeek.includes(7)))
  );
}

function timesOf(fields: CronFields): number[] {
  const out: number[] = [];
  for (const h of fields.hour) for (const m of fields.minute) out.push(h * 60 + m);
  return out.sort((a, b) => a - b);
}

export type Occurrence = { date: string; minutes: number };

/** The latest occurrence at or before `now` (looking back at most a year). */
export function latestOccurrence(fields: CronFields, now: Date, timeZone: string): Occurrence | undefined {
  const today = localDate(now, timeZone);
  const nowMinutes = localMinutes(now, timeZone);
  const times = timesOf(fields);
  for (let i = 0; i <= 366; i++) {
    const date = addDays(today, -i);
    if (!matchesDay(fields, date)) continue;
    const candidates = i === 0 ? times.filter((t) => t <= nowMinutes) : times;
    const last = candidates[candidates.length - 1];
    if (last !== undefined) return { date, minutes: last };
  }
  return undefined;
}

/** The next `count` occurrences strictly after `now`. */
export function nextOccurrences(fields: CronFields, now: Date, timeZone: string, count: number): Occurrence[] {
  const today = localDate(now, timeZone);
  const nowMinutes = localMinutes(now, timeZone);
  const out: Occurrence[] = [];
  for (let i = 0; i <= 400 && out.length < count; i++) {
    const date = addDays(today, i);
    if (!matchesDay(fields, date)) continue;
    for (const t of timesOf(fields)) if (i > 0 || t > nowMinutes) out.push({ date, minutes: t });
  }
  return out.slice(0, count);
}

export function formatMinutes(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

export type RunPlan = {
  kind: ScheduleKind;
  /** Identifies the occurrence: "reminders@2026-11-30T09:00". */
  slot: string;
  occurrence: Occurrence;
  /** When it actually runs: the occurrence, or the same time on the next working day. */
  runDate: string;
  runAt: Date;
  /** Why it moved, when it did. */
  moved?: { from: string; because: DayKind };
};

/** Where an occurrence runs: its own day if that is a working day, else the next one, same time. */
function planOccurrence(
  kind: ScheduleKind,
  occurrence: Occurrence,
  timeZone: string,
  calendar: WorkingCalendar,
): RunPlan {
  const runDate = calendar.nextWorkingDay(occurrence.date);
  return {
    kind,
    slot: `${kind}@${occurrence.date}T${formatMinutes(occurrence.minutes)}`,
    occurrence,
    runDate,
    runAt: instantOf(runDate, occurrence.minutes, timeZone),
    ...(runDate !== occurrence.date
      ? { moved: { from: occurrence.date, because: calendar.kindOf(occurrence.date) } }
      : {}),
  };
}

/** Where the latest occurrence runs, on a working day. */
export function planRun(
  kind: ScheduleKind,
  fields: CronFields,
  now: Date,
  timeZone: string,
  calendar: WorkingCalendar,
): RunPlan | undefined {
  const occurrence = latestOccurrence(fields, now, timeZone);
  return occurrence ? planOccurrence(kind, occurrence, timeZone, calendar) : undefined;
}

export type Decision =
  | { action: 'run'; plan: RunPlan; caughtUp: boolean }
  | { action: 'wait'; plan: RunPlan }
  | { action: 'done'; plan: RunPlan }
  | { action: 'missed'; plan: RunPlan; lateByMs: number };

/** A run is "caught up" when it starts this long after it was due (duban was down, or busy). */
export const CATCH_UP_AFTER_MS = 2 * 60_000;

/**
 * What to do now about a plan: run it (once), wait for its moved day, nothing (already done), or
 * record it as missed when it is older than the grace window.
 */
export function decide(plan: RunPlan, now: Date, graceMs: number, done: boolean): Decision {
  if (done) return { action: 'done', plan };
  const late = now.getTime() - plan.runAt.getTime();
  if (late < 0) return { action: 'wait', plan };
  if (late > graceMs) return { action: 'missed', plan, lateByMs: late };
  return { action: 'run', plan, caughtUp: late > CATCH_UP_AFTER_MS };
}

/** The next runs, each moved to a working day, for /duban schedule. */
export function upcomingRuns(
  kind: ScheduleKind,
  fields: CronFields,
  now: Date,
  timeZone: string,
  calendar: WorkingCalendar,
  count: number,
): RunPlan[] {
  const plans = nextOccurrences(fields, now, timeZone, count * 2).map((occurrence) =>
    planOccurrence(kind, occurrence, timeZone, calendar),
  );
  // A run moved onto a day that has its own occurrence at that time is the same run.
  const seen = new Set<number>();
  return plans.filter((p) => !seen.has(p.runAt.getTime()) && seen.add(p.runAt.getTime())).slice(0, count);
}
