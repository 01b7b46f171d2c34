/**
 * Less noise (减负): the rules that keep duban from chasing more than a supervision office on paper
 * would. An item updated in the last few working days is not reminded about; an escalation step waits
 * a few working days after the step before it; a department gets at most so many messages a week, bar
 * urgent (特急) items; and the weekly "messages sent" figure, counted from duban's own bookkeeping of
 * what it sent and held, never from what people did. Quiet hours are in schedule.ts, beside the runs.
 * Pure: `today` and the calendar are parameters.
 */
import type { WorkingCalendar } from './calendar.ts';
import { addDays, isoWeekday, localDate } from './dates.ts';
import type { Item, Urgency } from './schema.ts';

/** An item's assignment urgency (交办: 特急, 急, 一般); items without an assignment are 一般. */
export function urgencyOf(item: Item): Urgency {
  return ('assignment' in item && item.assignment?.urgency) || 'normal';
}

/**
 * Whether an item was updated within the last `workdays` working days: its latest report is later than
 * the working day `workdays` before today. Updated exactly `workdays` working days ago is not recent.
 */
export function updatedRecently(
  lastReportDate: string | undefined,
  today: string,
  calendar: WorkingCalendar,
  workdays: number,
): boolean {
  if (!lastReportDate || workdays <= 0 || lastReportDate > today) return false;
  return calendar.workingDaysBetween(lastReportDate, today) < workdays;
}

/**
 * Whether an escalation step may follow the step before it (the first reminder of the streak, or the
 * previous escalation), made at `previousAt`: at least `workdays` working days apart. A streak from
 * before these dates were kept has none, and may.
 */
export function escalationGraceMet(
  previousAt: string | undefined,
  today: string,
  timeZone: string,
  calendar: WorkingCalendar,
  workdays: number,
): boolean {
  if (!previousAt || workdays <= 0) return true;
  return calendar.workingDaysBetween(localDate(new Date(previousAt), timeZone), today) >= workdays;
}

/** The Monday of a date's week (weeks run Monday to Sunday, as the office's do). */
export function weekStartOf(date: string): string {
  return addDays(date, 1 - isoWeekday(date));
}

/** What a delivery key says: `reminder:<department>:<slot>`, `escalation:<department>:<level>:<slot>`. */
export function parseDeliveryKey(
  key: string,
): { kind: 'reminder' | 'escalation'; departmentId: string; slot: string } | undefined {
  const reminder = /^reminder:([^:]+):(.+)$/.exec(key);
  if (reminder) return { kind: 'reminder', departmentId: reminder[1]!, slot: reminder[2]! };
  const escalation = /^escalation:([^:]+):\d+:(.+)$/.exec(key);
  if (escalation) return { kind: 'escalation', departmentId: escalation[1]!, slot: escalation[2]! };
  return undefined;
}

type Delivery = { status: 'sending' | 'sent' | 'failed'; at: string };

/**
 * Digests sent to a department in the week of `today`, other than the run `slot`'s own (a retried run
 * does not count against itself).
 */
export function digestsThisWeek(
  deliveries: Readonly<Record<string, Delivery>>,
  departmentId: string,
  today: string,
  timeZone: string,
  slot?: string,
): number {
  const from = weekStartOf(today);
  let n = 0;
  for (const [key, d] of Object.entries(deliveries)) {
    const k = parseDeliveryKey(key);
    const counts = k?.kind === 'reminder' && k.departmentId === departmentId && k.slot !== slot && d.status === 'sent';
    if (!counts) continue;
    const date = localDate(new Date(d.at), timeZone);
    if (date >= from && date <= today) n++;
  }
  return n;
}

/** Outcomes of a department's digest held back by the rules (recorded per run, counted by weeklyMessages). */
export const HELD = { recent: 'held: recently updated', cap: 'held: weekly cap' } as const;

export type WeekCounts = {
  /** Digests sent to the department. */
  digests: number;
  /** Escalation notices about the department, sent to the supervision office. */
  escalations: number;
  /** Of the messages sent, those that waited for quiet hours, a weekend or a holiday to end. */
  quiet: number;
  /** Digests not sent: everything in them was updated recently. */
  recent: number;
  /** Digests not sent: the department had its messages for the week. */
  cap: number;
};

export type WeeklyMessages = {
  weeks: [thisWeek: string, lastWeek: string];
  /** department id → [this week, last week]. */
  departments: Map<string, [WeekCounts, WeekCounts]>;
  total: [WeekCounts, WeekCounts];
};

const zero = (): WeekCounts => ({ digests: 0, escalations: 0, quiet: 0, recent: 0, cap: 0 });

type Run = { at: string; outcome: Record<string, string>; deferred?: boolean | undefined };

/**
 * Messages duban sent this week and last week, per department and in all, and how many the rules held:
 * sent ones from the deliveries bookkeeping (by when they were sent), held ones from the runs' outcomes.
 */
export function weeklyMessages(
  state: { deliveries: Readonly<Record<string, Delivery>>; runs: Readonly<Record<string, Run>> },
  today: string,
  timeZone: string,
): WeeklyMessages {
  const thisWeek = weekStartOf(today);
  const lastWeek = addDays(thisWeek, -7);
  const departments = new Map<string, [WeekCounts, WeekCounts]>();
  const total: [WeekCounts, WeekCounts] = [zero(), zero()];
  const countsOf = (departmentId: string, at: string): [WeekCounts, WeekCounts] | undefined => {
    const date = localDate(new Date(at), timeZone);
    const week = date >= thisWeek && date <= addDays(thisWeek, 6) ? 0 : date >= lastWeek && date < thisWeek ? 1 : -1;
    if (week !== 0 && week !== 1) return undefined;
    let d = departments.get(departmentId);
    if (!d) departments.set(departmentId, (d = [zero(), zero()]));
    return [d[week], total[week]];
  };
  for (const [key, delivery] of Object.entries(state.deliveries)) {
    const k = parseDeliveryKey(key);
    if (!k || delivery.status !== 'sent') continue;
    const counts = countsOf(k.departmentId, delivery.at);
    if (!counts) continue;
    const deferred = !!Object.hasOwn(state.runs, k.slot) && !!state.runs[k.slot]!.deferred;
    for (const c of counts) {
      if (k.kind === 'reminder') c.digests++;
      else c.escalations++;
      if (deferred) c.quiet++;
    }
  }
  for (const run of Object.values(state.runs))
    for (const [departmentId, outcome] of Object.entries(run.outcome)) {
      const rule = outcome === HELD.recent ? 'recent' : outcome === HELD.cap ? 'cap' : undefined;
      if (!rule) continue;
      for (const c of countsOf(departmentId, run.at) ?? []) c[rule]++;
    }
  return { weeks: [thisWeek, lastWeek], departments, total };
}
