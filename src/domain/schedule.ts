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
  /** When it actually runs: the occurrence, or the same time on the next working day, or the next working morning. */
  runDate: string;
  runAt: Date;
  /** Why it moved, when it did. */
  moved?: { from: string; because: DayKind };
  /** It fell in quiet hours (or, moved off a day off, would have): it waits for the end of them. */
  quiet?: true;
};

/** Quiet hours in minutes of the zone's day: from `from` until `until`, across midnight when `from` > `until`. */
export type QuietHours = { from: number; until: number };

/** Minutes of "18:00". */
export function minutesOf(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

/** The quiet hours of the schedule settings; none when they start and end at the same time. */
export function quietHoursOf(s: { quietFrom: string; quietUntil: string }): QuietHours | undefined {
  const q = { from: minutesOf(s.quietFrom), until: minutesOf(s.quietUntil) };
  return q.from === q.until ? undefined : q;
}

/** Whether a minute of the day is within quiet hours (the start is quiet, the end is not). */
export function isQuietMinute(minutes: number, quiet: QuietHours | undefined): boolean {
  if (!quiet) return false;
  return quiet.from < quiet.until
    ? minutes >= quiet.from && minutes < quiet.until
    : minutes >= quiet.from || minutes < quiet.until;
}

/** Nothing scheduled is sent now: a day off, or quiet hours on a working day. */
export function isQuietAt(now: Date, timeZone: string, calendar: WorkingCalendar, quiet?: QuietHours): boolean {
  return !calendar.isWorkingDay(localDate(now, timeZone)) || isQuietMinute(localMinutes(now, timeZone), quiet);
}

/** The earliest instant at or after `instant` on a working day outside quiet hours. */
export function nextAllowed(instant: Date, timeZone: string, calendar: WorkingCalendar, quiet?: QuietHours): Date {
  const start = localDate(instant, timeZone);
  const startMinutes = localMinutes(instant, timeZone);
  for (let i = 0, date = start; i < 400; i++, date = addDays(date, 1)) {
    if (!calendar.isWorkingDay(date)) continue;
    const from = i === 0 ? startMinutes : 0;
    // Within a day, the first allowed minute is where the search starts or where quiet hours end.
    const minute = [from, quiet?.until ?? from]
      .filter((m) => m >= from && !isQuietMinute(m, quiet))
      .sort((a, b) => a - b)[0];
    if (minute !== undefined) return minute === startMinutes && i === 0 ? instant : instantOf(date, minute, timeZone);
  }
  return instant;
}

/**
 * Where an occurrence runs: its own day and time if that is a working day outside quiet hours; off a
 * day off, the same time on the next working day; in quiet hours (there or here), the next working
 * morning, when quiet hours end.
 */
function planOccurrence(
  kind: ScheduleKind,
  occurrence: Occurrence,
  timeZone: string,
  calendar: WorkingCalendar,
  quiet?: QuietHours,
): RunPlan {
  const workday = calendar.nextWorkingDay(occurrence.date);
  const quietTime = isQuietMinute(occurrence.minutes, quiet);
  const runAt = !quietTime
    ? instantOf(workday, occurrence.minutes, timeZone)
    : nextAllowed(instantOf(occurrence.date, occurrence.minutes, timeZone), timeZone, calendar, quiet);
  const runDate = localDate(runAt, timeZone);
  return {
    kind,
    slot: `${kind}@${occurrence.date}T${formatMinutes(occurrence.minutes)}`,
    occurrence,
    runDate,
    runAt,
    ...(workday !== occurrence.date
      ? { moved: { from: occurrence.date, because: calendar.kindOf(occurrence.date) } }
      : {}),
    ...(quietTime ? { quiet: true as const } : {}),
  };
}

/** Where the latest occurrence runs, on a working day. */
export function planRun(
  kind: ScheduleKind,
  fields: CronFields,
  now: Date,
  timeZone: string,
  calendar: WorkingCalendar,
  quiet?: QuietHours,
): RunPlan | undefined {
  const occurrence = latestOccurrence(fields, now, timeZone);
  return occurrence ? planOccurrence(kind, occurrence, timeZone, calendar, quiet) : undefined;
}

export type Decision =
  | { action: 'run'; plan: RunPlan; caughtUp: boolean }
  | { action: 'wait'; plan: RunPlan }
  | { action: 'done'; plan: RunPlan }
  | { action: 'missed'; plan: RunPlan; lateByMs: number };

/** A run is "caught up" when it starts this long after it was due (duban was down, or busy). */
export const CATCH_UP_AFTER_MS = 2 * 60_000;

/** A grace window that ends in a working night's quiet hours lasts until this long after the next morning. */
export const QUIET_CATCH_UP_MS = 60 * 60_000;
/** Quiet time longer than this (a weekend, a holiday) does not extend a grace window. */
const NIGHT_MS = 16 * 3_600_000;

/**
 * What to do now about a plan: run it (once), wait for its moved day (or, `quietNow`, for the end of
 * quiet hours), nothing (already done), or record it as missed when it is older than the grace window
 * (`missedAfter`, by default the plan's time plus the grace).
 */
export function decide(
  plan: RunPlan,
  now: Date,
  graceMs: number,
  done: boolean,
  options: { quietNow?: boolean; missedAfter?: Date } = {},
): Decision {
  if (done) return { action: 'done', plan };
  const late = now.getTime() - plan.runAt.getTime();
  if (late < 0) return { action: 'wait', plan };
  const deadline = options.missedAfter?.getTime() ?? plan.runAt.getTime() + graceMs;
  if (now.getTime() > deadline) return { action: 'missed', plan, lateByMs: late };
  if (options.quietNow) return { action: 'wait', plan };
  return { action: 'run', plan, caughtUp: late > CATCH_UP_AFTER_MS };
}

/**
 * When a run is missed: the grace after its time, or, when that ends in a working night's quiet hours
 * (duban was down at the run and is back at night), a while after the next morning. A grace window that
 * ends on a weekend or a holiday is not extended: a Friday's run is not sent on Monday.
 */
export function missedAfter(
  plan: RunPlan,
  graceMs: number,
  timeZone: string,
  calendar: WorkingCalendar,
  quiet?: QuietHours,
): Date {
  const end = new Date(plan.runAt.getTime() + graceMs);
  const allowed = nextAllowed(end, timeZone, calendar, quiet);
  const wait = allowed.getTime() - end.getTime();
  return wait > 0 && wait <= NIGHT_MS ? new Date(allowed.getTime() + QUIET_CATCH_UP_MS) : end;
}

/** The next runs, each moved to a working day, for /duban schedule. */
export function upcomingRuns(
  kind: ScheduleKind,
  fields: CronFields,
  now: Date,
  timeZone: string,
  calendar: WorkingCalendar,
  count: number,
  quiet?: QuietHours,
): RunPlan[] {
  const plans = nextOccurrences(fields, now, timeZone, count * 2).map((occurrence) =>
    planOccurrence(kind, occurrence, timeZone, calendar, quiet),
  );
  // A run moved onto a day that has its own occurrence at that time is the same run.
  const seen = new Set<number>();
  return plans.filter((p) => !seen.has(p.runAt.getTime()) && seen.add(p.runAt.getTime())).slice(0, count);
}
