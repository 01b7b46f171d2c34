/**
 * Pacing (序时进度) and status. Pure functions of the data, the history and `today`;
 * every status carries the reasons that produced it, so a reply can say why.
 */

import { type Signs, signatureOf, signDueBy } from './assign.ts';
import type { WorkingCalendar } from './calendar.ts';
import {
  addDays,
  addMonths,
  daysBetween,
  endOfMonth,
  endOfQuarter,
  isoWeekday,
  startOfMonth,
  startOfQuarter,
} from './dates.ts';
import { forecastMilestone, forecastTarget, type MilestoneForecast, type TargetForecast } from './forecast.ts';
import { own } from './lookup.ts';
import { expectedShare } from './plan.ts';
import { emptyProgress, type ItemProgress } from './progress.ts';
import type {
  Cadence,
  Commitment,
  CumulativeTarget,
  Exemption,
  Item,
  ItemKind,
  LevelTarget,
  Milestone,
  Period,
  Project,
  Settings,
  Target,
  Text,
} from './schema.ts';

export type Rag = 'green' | 'amber' | 'red';
export type Status = Rag | 'done' | 'exempt' | 'pending';

export type Reason =
  /**
   * Pace of a cumulative target, judged at `asOf`: the end of the period its latest report covers (or the
   * last period whose report was due), so a quarterly report is not judged against mid-quarter plans.
   */
  | { code: 'pace'; expectedPct: number; actualPct: number; gapPts: number; asOf: string; rag: Rag }
  | {
      code: 'level';
      target: number;
      actual: number;
      comparator: LevelTarget['comparator'];
      tolerance: number;
      unit: Text;
      rag: Rag;
    }
  | { code: 'milestone_overdue'; milestone: Milestone; daysOverdue: number; rag: 'red' }
  /** A milestone due within `dueSoonDays`: worth a heads-up, never a reason to call an item behind. */
  | { code: 'milestone_due_soon'; milestone: Milestone; daysLeft: number }
  /**
   * Past the item's deadline (时限) and not done: its period end, or the date of an approved extension
   * (`original` is then the period end it replaced).
   */
  | { code: 'deadline_overdue'; deadline: string; original: string; daysOverdue: number; rag: 'red' }
  /** The deadline is within `dueSoonDays`: a heads-up, like a milestone due soon, never "behind". */
  | { code: 'deadline_due_soon'; deadline: string; original: string; daysLeft: number }
  | { code: 'blocked'; note?: string; rag: 'red' }
  /**
   * A cumulative target whose recent trend falls short of the target by the period's end, even at the top
   * of its plausible range: amber before the pace turns red. Beside an amber or red pace it is information.
   */
  | { code: 'forecast_miss'; forecast: TargetForecast; rag: 'amber' }
  /**
   * A project whose milestones done were each reached late, pointing to its next milestone
   * MILESTONE_LATE_DAYS or more after plan. Information only: a milestone not yet due is never "behind".
   */
  | { code: 'milestone_forecast_late'; forecast: MilestoneForecast }
  | { code: 'delayed'; note?: string; rag: 'amber' }
  | { code: 'report_missing'; lastReportDate?: string; dueBy: string; daysLate: number; rag: 'amber' }
  /** An assigned item (交办) its lead department has not acknowledged (签收) within the settings' working days. */
  | { code: 'not_signed'; departmentId: string; dueBy: string; rag: 'amber' }
  | { code: 'linked'; itemId: string; name: Text; status: Rag; rag: Rag }
  | { code: 'no_data' }
  | { code: 'not_started'; start: string }
  | { code: 'reached'; actual: number; target: number }
  | { code: 'done' }
  | { code: 'review_pending' }
  | { code: 'exempt'; reason: string; by: string };

export type ItemStatus = {
  kind: ItemKind;
  item: Item;
  status: Status;
  reasons: Reason[];
  /** Share of the way from baseline to target (cumulative targets) or percent/100 (projects). */
  completion?: number;
  /** Expected share at the day the pace is judged (cumulative targets; see the pace reason's `asOf`). */
  expected?: number;
  /** Latest reported value (targets). */
  actual?: number;
  nextMilestone?: { milestone: Milestone; daysLeft: number };
  /** Where a cumulative target's recent trend leads by its period's end, when its reports can carry a forecast. */
  forecast?: TargetForecast;
  /** When a project's next milestone is likely to be reached, from the milestones done so far. */
  milestoneForecast?: MilestoneForecast;
  overdue: Milestone[];
  progress: ItemProgress;
  /** Larger is worse; orders "worst first" within and across statuses. */
  severity: number;
};

export type EvaluationContext = {
  today: string;
  settings: Settings;
  /**
   * The zone's working days. With it, a report's grace days are working days (a report due within
   * five working days of September's end is not late during the National Day holiday); without it,
   * calendar days.
   */
  calendar?: WorkingCalendar;
  /** Who acknowledged (签收) assigned items, by item and department (the store's `signs`); without it, nobody is chased to sign. */
  signs?: Signs;
  /** Approved extensions (延期): item id → the new deadline, in place of the period end. */
  extendedTo?: ReadonlyMap<string, string>;
};

const RANK: Record<Status, number> = { red: 5, amber: 4, green: 3, pending: 2, done: 1, exempt: 0 };

/** Rounds to one decimal so that what is shown ("落后 10 个百分点") is exactly what was decided on. */
function round1(x: number): number {
  return Math.round(x * 10 + Number.EPSILON * Math.sign(x)) / 10;
}

function worst(statuses: Rag[]): Rag {
  if (statuses.includes('red')) return 'red';
  if (statuses.includes('amber')) return 'amber';
  return 'green';
}

function ragOf(reason: Reason): Rag | undefined {
  return 'rag' in reason ? reason.rag : undefined;
}

function ragForGap(gapPts: number, settings: Settings): Rag {
  if (gapPts >= settings.redGapPoints) return 'red';
  if (gapPts >= settings.amberGapPoints) return 'amber';
  return 'green';
}

function cadencePeriod(cadence: Exclude<Cadence, 'none'>, date: string): Period {
  switch (cadence) {
    case 'weekly': {
      const start = addDays(date, 1 - isoWeekday(date));
      return { start, end: addDays(start, 6) };
    }
    case 'monthly':
      return { start: startOfMonth(date), end: endOfMonth(date) };
    case 'quarterly':
      return { start: startOfQuarter(date), end: endOfQuarter(date) };
  }
}

function previousCadencePeriod(cadence: Exclude<Cadence, 'none'>, p: Period): Period {
  if (cadence === 'weekly') return cadencePeriod(cadence, addDays(p.start, -7));
  return cadencePeriod(cadence, addMonths(p.start, cadence === 'monthly' ? -1 : -3));
}

/**
 * The latest reporting period whose deadline (end + grace) has passed by `today`, if the item
 * was running during it. A report dated on or after that period's start covers it.
 */
export function lastDueReport(
  item: Pick<Item, 'period' | 'reporting'>,
  today: string,
  calendar?: WorkingCalendar,
): { period: Period; dueBy: string } | undefined {
  const { cadence, graceDays } = item.reporting;
  if (cadence === 'none') return undefined;
  let p = lastPassedPeriod(cadence, graceDays, today, calendar);
  if (p.end < item.period.start) return undefined;
  if (p.start > item.period.end) p = cadencePeriod(cadence, item.period.end);
  const dueBy = deadline(p.end, graceDays, calendar);
  return dueBy < today ? { period: { start: p.start, end: p.end }, dueBy } : undefined;
}

/** The report for the period containing `today`: its period and deadline (end + grace days). */
export function currentReportDue(
  item: Pick<Item, 'period' | 'reporting'>,
  today: string,
  calendar?: WorkingCalendar,
): { period: Period; dueBy: string } | undefined {
  const { cadence, graceDays } = item.reporting;
  if (cadence === 'none' || today < item.period.start || today > item.period.end) return undefined;
  const period = cadencePeriod(cadence, today);
  return { period, dueBy: deadline(period.end, graceDays, calendar) };
}

/**
 * Report periods and deadlines depend on the cadence, the grace days, a date and the working calendar,
 * never on the item: a whole-store evaluation asks the same few questions for thousands of items, so the
 * answers are kept per calendar (and in one table without a calendar), bounded in size.
 */
type DueAnswers = { deadlines: Map<string, string>; passed: Map<string, Period>; previous: Map<string, Period> };
const DUE_ANSWERS_LIMIT = 20_000;
const dueByCalendar = new WeakMap<WorkingCalendar, DueAnswers>();
let dueWithoutCalendar: DueAnswers | undefined;

function dueAnswers(calendar: WorkingCalendar | undefined): DueAnswers {
  let answers = calendar ? dueByCalendar.get(calendar) : dueWithoutCalendar;
  const size = answers ? answers.deadlines.size + answers.passed.size + answers.previous.size : 0;
  if (!answers || size > DUE_ANSWERS_LIMIT) {
    answers = { deadlines: new Map(), passed: new Map(), previous: new Map() };
    if (calendar) dueByCalendar.set(calendar, answers);
    else dueWithoutCalendar = answers;
  }
  return answers;
}

/** A report's last day: `graceDays` working days after its period ends (calendar days without a calendar). */
function deadline(periodEnd: string, graceDays: number, calendar: WorkingCalendar | undefined): string {
  const answers = dueAnswers(calendar).deadlines;
  const key = `${periodEnd}+${graceDays}`;
  let day = answers.get(key);
  if (day === undefined) {
    day = calendar ? calendar.addWorkingDays(periodEnd, graceDays) : addDays(periodEnd, graceDays);
    answers.set(key, day);
  }
  return day;
}

/** The period before the one containing `date` (kept: the answer is the same for every item of a cadence). */
function periodBefore(cadence: Exclude<Cadence, 'none'>, date: string, calendar: WorkingCalendar | undefined): Period {
  const answers = dueAnswers(calendar).previous;
  const key = `${cadence}:${date}`;
  let p = answers.get(key);
  if (!p) {
    p = Object.freeze(previousCadencePeriod(cadence, cadencePeriod(cadence, date)));
    answers.set(key, p);
  }
  return p;
}

/** The latest period of a cadence whose report deadline is before `today`, whatever the item. */
function lastPassedPeriod(
  cadence: Exclude<Cadence, 'none'>,
  graceDays: number,
  today: string,
  calendar: WorkingCalendar | undefined,
): Period {
  const answers = dueAnswers(calendar).passed;
  const key = `${cadence}:${graceDays}:${today}`;
  let p = answers.get(key);
  if (!p) {
    p = periodBefore(cadence, today, calendar);
    while (deadline(p.end, graceDays, calendar) >= today) p = previousCadencePeriod(cadence, p);
    p = Object.freeze(p);
    answers.set(key, p);
  }
  return p;
}

/**
 * The day a report covers. One made within a period's grace days covers the period just ended (the
 * March report sent on 3 April); one made later covers the day it was made.
 */
export function reportCovers(
  item: Pick<Item, 'period' | 'reporting'>,
  reportDate: string,
  calendar?: WorkingCalendar,
): string {
  const { cadence, graceDays } = item.reporting;
  if (cadence === 'none') return reportDate;
  const previous = periodBefore(cadence, reportDate, calendar);
  return reportDate <= deadline(previous.end, graceDays, calendar) && previous.end >= item.period.start
    ? previous.end
    : reportDate;
}

/**
 * The day a cumulative target's pace is judged at: the day its latest report covers — so a quarterly
 * report is compared with the plan at the end of its quarter, not with a mid-quarter plan it could not
 * know, and a report that is due and late is its own reason (report_missing), not a pace judged against
 * a plan the department was never asked about yet. With no report, the end of the last period whose
 * report was due (nothing expected before any was). Without a reporting cadence, today.
 */
export function paceDate(
  item: Pick<Item, 'period' | 'reporting'>,
  lastReportDate: string | undefined,
  today: string,
  calendar?: WorkingCalendar,
): string {
  if (item.reporting.cadence === 'none') return today;
  if (lastReportDate && lastReportDate <= today) return reportCovers(item, lastReportDate, calendar);
  const due = lastDueReport(item, today, calendar);
  return due ? due.period.end : addDays(item.period.start, -1);
}

function reportMissing(
  item: Item,
  progress: ItemProgress,
  today: string,
  calendar?: WorkingCalendar,
): Reason | undefined {
  const due = lastDueReport(item, today, calendar);
  if (!due) return undefined;
  // The period's report is in when the latest report covers a day of the period or later.
  if (progress.lastReportDate && reportCovers(item, progress.lastReportDate, calendar) >= due.period.start)
    return undefined;
  return {
    code: 'report_missing',
    lastReportDate: progress.lastReportDate,
    dueBy: due.dueBy,
    daysLate: daysBetween(due.dueBy, today),
    rag: 'amber',
  };
}

function milestoneReasons(
  milestones: readonly Milestone[],
  progress: ItemProgress,
  ctx: EvaluationContext,
): { reasons: Reason[]; overdue: Milestone[]; next?: { milestone: Milestone; daysLeft: number } } {
  const reasons: Reason[] = [];
  const overdue: Milestone[] = [];
  let next: { milestone: Milestone; daysLeft: number } | undefined;
  const open = milestones
    .filter((m) => own(progress.milestonesDone, m.id) === undefined)
    .sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : 0));
  for (const m of open) {
    const daysLeft = daysBetween(ctx.today, m.due);
    if (daysLeft < 0) {
      overdue.push(m);
      reasons.push({ code: 'milestone_overdue', milestone: m, daysOverdue: -daysLeft, rag: 'red' });
      continue;
    }
    next ??= { milestone: m, daysLeft };
    if (daysLeft <= ctx.settings.dueSoonDays) reasons.push({ code: 'milestone_due_soon', milestone: m, daysLeft });
  }
  return next ? { reasons, overdue, next } : { reasons, overdue };
}

/** An item's deadline (时限): an approved extension's date, else the end of its period. */
export function effectiveDeadline(item: Pick<Item, 'id' | 'period'>, extendedTo?: ReadonlyMap<string, string>): string {
  return extendedTo?.get(item.id) ?? item.period.end;
}

/** Overdue past the deadline, or due within `dueSoonDays` of it; nothing before that. */
export function deadlineReason(item: Pick<Item, 'id' | 'period'>, ctx: EvaluationContext): Reason | undefined {
  const deadline = effectiveDeadline(item, ctx.extendedTo);
  const original = item.period.end;
  const daysLeft = daysBetween(ctx.today, deadline);
  if (daysLeft < 0) return { code: 'deadline_overdue', deadline, original, daysOverdue: -daysLeft, rag: 'red' };
  if (daysLeft <= ctx.settings.dueSoonDays) return { code: 'deadline_due_soon', deadline, original, daysLeft };
  return undefined;
}

function severityOf(status: Status, reasons: readonly Reason[]): number {
  let magnitude = 0;
  for (const r of reasons) {
    switch (r.code) {
      case 'pace':
        magnitude = Math.max(magnitude, r.gapPts);
        break;
      case 'level':
        magnitude = Math.max(magnitude, Math.abs(r.target - r.actual) * 10);
        break;
      case 'milestone_overdue':
      case 'deadline_overdue':
        magnitude = Math.max(magnitude, r.daysOverdue);
        break;
      case 'blocked':
        magnitude = Math.max(magnitude, 100);
        break;
      case 'report_missing':
        magnitude = Math.max(magnitude, r.daysLate / 2);
        break;
      case 'forecast_miss':
        // A projected shortfall weighs half a measured gap of the same size: what is behind comes first.
        magnitude = Math.max(magnitude, forecastShortfallPts(r.forecast) / 2);
        break;
      default:
        break;
    }
  }
  return RANK[status] * 100_000 + Math.min(magnitude, 99_999);
}

/** How far the projection falls short of the target, in percentage points of the way from baseline to target. */
export function forecastShortfallPts(f: TargetForecast): number {
  return round1(Math.max(0, 1 - f.share) * 100);
}

/** A project's next milestone forecast this many days or more after plan is worth saying (a few days' slip is noise). */
export const MILESTONE_LATE_DAYS = 7;

function finish(base: Omit<ItemStatus, 'severity'>): ItemStatus {
  return { ...base, severity: severityOf(base.status, base.reasons) };
}

function exemptStatus(kind: ItemKind, item: Item, progress: ItemProgress, exemption: Exemption): ItemStatus {
  return finish({
    kind,
    item,
    status: 'exempt',
    reasons: [{ code: 'exempt', reason: exemption.reason, by: exemption.by }],
    overdue: [],
    progress,
  });
}

export function evaluateTarget(
  target: Target,
  progress: ItemProgress | undefined,
  ctx: EvaluationContext,
  exemption?: Exemption,
): ItemStatus {
  return keptStatus(target, progress, ctx, exemption, () =>
    judgeTarget(target, progress ?? emptyProgress(), ctx, exemption),
  );
}

/**
 * The last status of each target and project, by the item object (a revision's state is immutable): a
 * write makes a new revision, which evaluates the whole store again, and every item the write did not
 * touch has the same status from the same inputs. Given again only for the same progress and exemption
 * objects, day, settings, working calendar and extended deadline. Commitments are judged anew: they read
 * their linked items' statuses, and the assignment's signatures.
 */
type KeptStatus = {
  progress: ItemProgress | undefined;
  exemption: Exemption | undefined;
  today: string;
  settings: Settings;
  calendar: WorkingCalendar | undefined;
  extendedTo: string | undefined;
  status: ItemStatus;
};
const keptStatuses = new WeakMap<Item, KeptStatus>();

function keptStatus(
  item: Target | Project,
  progress: ItemProgress | undefined,
  ctx: EvaluationContext,
  exemption: Exemption | undefined,
  judge: () => ItemStatus,
): ItemStatus {
  const extendedTo = ctx.extendedTo?.get(item.id);
  const k = keptStatuses.get(item);
  if (
    k &&
    k.progress === progress &&
    k.exemption === exemption &&
    k.today === ctx.today &&
    k.settings === ctx.settings &&
    k.calendar === ctx.calendar &&
    k.extendedTo === extendedTo
  )
    return k.status;
  const status = judge();
  keptStatuses.set(item, {
    progress,
    exemption,
    today: ctx.today,
    settings: ctx.settings,
    calendar: ctx.calendar,
    extendedTo,
    status,
  });
  return status;
}

function judgeTarget(
  target: Target,
  progress: ItemProgress,
  ctx: EvaluationContext,
  exemption?: Exemption,
): ItemStatus {
  if (exemption) return exemptStatus('target', target, progress, exemption);
  const base = { kind: 'target' as const, item: target, overdue: [], progress };
  if (progress.state === 'done')
    return finish({
      ...base,
      status: 'done',
      reasons: [{ code: 'done' }],
      ...(progress.value !== undefined ? { actual: progress.value } : {}),
    });
  if (ctx.today < target.period.start) {
    return finish({ ...base, status: 'pending', reasons: [{ code: 'not_started', start: target.period.start }] });
  }
  return target.kind === 'cumulative'
    ? evaluateCumulative(target, progress, ctx, base)
    : evaluateLevel(target, progress, ctx, base);
}

type Base = Pick<ItemStatus, 'kind' | 'item' | 'overdue' | 'progress'>;

/** Blocked or delayed as reported, and a claim of done awaiting review, for any kind of item. */
function stateReasons(progress: ItemProgress): Reason[] {
  const reasons: Reason[] = [];
  if (progress.state === 'blocked') reasons.push({ code: 'blocked', note: progress.stateNote, rag: 'red' });
  if (progress.state === 'delayed') reasons.push({ code: 'delayed', note: progress.stateNote, rag: 'amber' });
  if (progress.pendingReview) reasons.push({ code: 'review_pending' });
  return reasons;
}

function evaluateCumulative(
  target: CumulativeTarget,
  progress: ItemProgress,
  ctx: EvaluationContext,
  base: Base,
): ItemStatus {
  const actual = progress.value ?? target.baseline;
  const completion = (actual - target.baseline) / (target.target - target.baseline);
  const asOf = paceDate(target, progress.lastReportDate, ctx.today, ctx.calendar);
  const expected = expectedShare(target, asOf);
  if (completion >= 1) {
    return finish({
      ...base,
      status: 'done',
      reasons: [{ code: 'reached', actual, target: target.target }],
      completion,
      expected,
      actual,
    });
  }
  const actualPct = round1(completion * 100);
  const expectedPct = round1(expected * 100);
  const gapPts = round1(expectedPct - actualPct);
  const reasons: Reason[] = [
    { code: 'pace', expectedPct, actualPct, gapPts, asOf, rag: ragForGap(gapPts, ctx.settings) },
    ...stateReasons(progress),
  ];
  if (progress.value === undefined) reasons.push({ code: 'no_data' });
  const missing = reportMissing(target, progress, ctx.today, ctx.calendar);
  if (missing) reasons.push(missing);
  const forecast = forecastTarget(target, progress, ctx.today);
  if (forecast?.outlook === 'miss') reasons.push({ code: 'forecast_miss', forecast, rag: 'amber' });
  const status = worst(reasons.map(ragOf).filter((r): r is Rag => r !== undefined));
  return finish({ ...base, status, reasons, completion, expected, actual, ...(forecast ? { forecast } : {}) });
}

function evaluateLevel(target: LevelTarget, progress: ItemProgress, ctx: EvaluationContext, base: Base): ItemStatus {
  const reasons: Reason[] = stateReasons(progress);
  const missing = reportMissing(target, progress, ctx.today, ctx.calendar);
  if (progress.value === undefined) {
    reasons.push({ code: 'no_data' });
    if (missing) reasons.push(missing);
    const rags = reasons.map(ragOf).filter((r): r is Rag => r !== undefined);
    return finish({ ...base, status: rags.length ? worst(rags) : 'pending', reasons });
  }
  const actual = progress.value;
  const shortfall = target.comparator === 'atLeast' ? target.target - actual : actual - target.target;
  // Compare at a fixed precision so 7.0 against 7.5 with tolerance 0.5 is amber, not a float artefact.
  const s = Math.round(shortfall * 1e6) / 1e6;
  const rag: Rag = s <= 0 ? 'green' : s <= target.tolerance ? 'amber' : 'red';
  reasons.push({
    code: 'level',
    target: target.target,
    actual,
    comparator: target.comparator,
    tolerance: target.tolerance,
    unit: target.unit,
    rag,
  });
  if (missing) reasons.push(missing);
  const status = worst(reasons.map(ragOf).filter((r): r is Rag => r !== undefined));
  return finish({ ...base, status, reasons, actual });
}

function evaluateWithMilestones(
  kind: 'project' | 'commitment',
  item: Project | Commitment,
  progress: ItemProgress,
  ctx: EvaluationContext,
  exemption: Exemption | undefined,
  linked: readonly ItemStatus[] = [],
): ItemStatus {
  if (exemption) return exemptStatus(kind, item, progress, exemption);
  // Sub-tasks (milestones with a department of their own): the item's share done is theirs, and it is
  // done only once every one of them is.
  const subTasks = item.milestones.filter((m) => m.departmentId !== undefined);
  const subTasksDone = subTasks.filter((m) => own(progress.milestonesDone, m.id) !== undefined).length;
  const completion =
    subTasks.length > 0
      ? subTasksDone / subTasks.length
      : progress.percent !== undefined
        ? progress.percent / 100
        : undefined;
  const base = { kind, item, progress, ...(completion !== undefined ? { completion } : {}) };
  if (progress.state === 'done' && subTasksDone === subTasks.length)
    return finish({ ...base, status: 'done', reasons: [{ code: 'done' }], overdue: [] });
  const m = milestoneReasons(item.milestones, progress, ctx);
  const started = ctx.today >= item.period.start;
  const reasons: Reason[] = [...stateReasons(progress), ...m.reasons];
  // A commitment done through its linked items is done, whatever its own deadline says.
  const linkedDone =
    linked.length > 0 &&
    item.milestones.length === 0 &&
    linked.every((l) => l.status === 'done' || l.status === 'exempt');
  const due = started && !linkedDone ? deadlineReason(item, ctx) : undefined;
  if (due) reasons.push(due);
  for (const l of linked) {
    if (l.status === 'red' || l.status === 'amber') {
      reasons.push({ code: 'linked', itemId: l.item.id, name: l.item.name, status: l.status, rag: l.status });
    }
  }
  const missing = started ? reportMissing(item, progress, ctx.today, ctx.calendar) : undefined;
  if (missing) reasons.push(missing);
  const unsigned = kind === 'commitment' ? notSigned(item as Commitment, ctx) : undefined;
  if (unsigned) reasons.push(unsigned);
  const forecast = kind === 'project' && started ? forecastMilestone(item, progress, ctx.today) : undefined;
  if (forecast && forecast.daysLate >= MILESTONE_LATE_DAYS && forecast.slips.every((d) => d > 0))
    reasons.push({ code: 'milestone_forecast_late', forecast });
  const rags = reasons.map(ragOf).filter((r): r is Rag => r !== undefined);
  let status: Status = worst(rags);
  if (!started && rags.length === 0) {
    status = 'pending';
    reasons.push({ code: 'not_started', start: item.period.start });
  } else if (linkedDone) {
    status = 'done';
  }
  return finish({
    ...base,
    status,
    reasons,
    overdue: m.overdue,
    ...(m.next ? { nextMilestone: m.next } : {}),
    ...(forecast ? { milestoneForecast: forecast } : {}),
  });
}

/** An assigned item whose lead department has not signed for it within `signWithinWorkdays` working days. */
function notSigned(item: Commitment, ctx: EvaluationContext): Reason | undefined {
  if (!item.assignment || !ctx.signs) return undefined;
  if (signatureOf(ctx.signs, item.id, item.departmentId)) return undefined;
  const dueBy = signDueBy(item.period.start, ctx.settings.signWithinWorkdays, ctx.calendar);
  if (ctx.today <= dueBy) return undefined;
  return { code: 'not_signed', departmentId: item.departmentId, dueBy, rag: 'amber' };
}

export function evaluateProject(
  project: Project,
  progress: ItemProgress | undefined,
  ctx: EvaluationContext,
  exemption?: Exemption,
): ItemStatus {
  return keptStatus(project, progress, ctx, exemption, () =>
    evaluateWithMilestones('project', project, progress ?? emptyProgress(), ctx, exemption),
  );
}

/** A commitment is as healthy as its own milestones and the targets and projects that track it. */
export function evaluateCommitment(
  commitment: Commitment,
  progress: ItemProgress = emptyProgress(),
  ctx: EvaluationContext,
  linked: readonly ItemStatus[],
  exemption?: Exemption,
): ItemStatus {
  return evaluateWithMilestones('commitment', commitment, progress, ctx, exemption, linked);
}

export function compareWorstFirst(a: ItemStatus, b: ItemStatus): number {
  return b.severity - a.severity || a.item.id.localeCompare(b.item.id);
}

/** Behind: late on pace or level, a milestone overdue, a report missing, blocked or delayed. */
export function isBehind(s: ItemStatus): boolean {
  return s.status === 'red' || s.status === 'amber';
}

/** An open milestone or the deadline due within `dueSoonDays`, on an item that is not behind (behind items are listed as behind). */
export function isDueSoon(s: ItemStatus): boolean {
  return !isBehind(s) && s.status !== 'done' && s.status !== 'exempt' && dueSoonReason(s) !== undefined;
}

/** The reason an item is due soon: its nearest milestone, else its deadline. */
export function dueSoonReason(
  s: ItemStatus,
): Extract<Reason, { code: 'milestone_due_soon' | 'deadline_due_soon' }> | undefined {
  for (const r of s.reasons) if (r.code === 'milestone_due_soon') return r;
  for (const r of s.reasons) if (r.code === 'deadline_due_soon') return r;
  return undefined;
}

/** The plan (序时) lives in plan.ts, below both status and forecasts; callers keep importing it from here. */
export { expectedShare, RANK as STATUS_RANK };
