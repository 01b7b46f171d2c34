/**
 * The monthly report (月度评价): per department, reports on time, items overdue, items done on time
 * and the gap to plan (脱幅) in one month, and a ranking on those outcomes only — never on how many
 * messages anyone sent. Pure: the journal, the month and the working calendar are parameters, and
 * the month's figures come from what the journal says had happened by the month's last day.
 *
 * The definitions (said in the report itself and in the README):
 * - A report is due for each reporting period of an item whose deadline (period end + grace working
 *   days) falls in the month; it is on time when a report covering the period (status.ts reportCovers)
 *   was made by that deadline, late when one came after it but within the month, missing otherwise.
 * - An item is overdue at month end when it is not done and an open milestone, or its own deadline,
 *   fell on or before the month's last day.
 * - An item is done in the month when the report that made it done (a claim approved by month end, or
 *   a cumulative target reaching its target) is dated in the month; on time when that date is on or
 *   before its deadline: its last milestone's date, or the end of its period when it has none.
 * - 脱幅 (gap to plan): the mean, over the department's running cumulative targets, of the points
 *   behind plan at month end (0 for a target on or ahead of plan, or reached).
 * - Score = 100 × the weighted mean of the parts a department has: reports on time (40), items not
 *   overdue (30), gap (20: 1 − 脱幅/100), done on time (10). A department with nothing due, nothing
 *   overdue, nothing done and no running cumulative target is listed as such, not scored; one that is
 *   not ranked (督查室) is scored and listed, not ranked.
 */

import type { WorkingCalendar } from './calendar.ts';
import { addDays, addMonths, isCalendarDate, localDate, maxDate } from './dates.ts';
import {
  applyPatch,
  applyReviewDecision,
  applyUpdateToProgress,
  emptyItemProgress,
  type JournalEvent,
} from './journal.ts';
import { own } from './lookup.ts';
import type { ItemProgress } from './progress.ts';
import type { ReadModel } from './read-model.ts';
import { evaluateDatabase } from './rollup.ts';
import type { Department, Item, Period, Update } from './schema.ts';
import { type ItemStatus, lastDueReport, reportCovers } from './status.ts';

/** The weight of each part of the score, in points of 100. */
export const SCORE_WEIGHTS = { reports: 40, overdue: 30, gap: 20, doneOnTime: 10 } as const;
export type ScorePart = keyof typeof SCORE_WEIGHTS;

export type DueReport = { itemId: string; period: Period; dueBy: string; arrived?: string; onTime: boolean };

export type DepartmentScore = {
  department: Department;
  reports: { due: number; onTime: number; late: number; missing: number; list: DueReport[] };
  /** Items counted for the department during the month (not done before it, not exempt). */
  active: number;
  overdue: ItemStatus[];
  done: {
    total: number;
    onTime: number;
    late: number;
    items: Array<{ status: ItemStatus; on: string; deadline: string }>;
  };
  /** 脱幅: mean points behind plan over `targets` running cumulative targets; absent without any. */
  gap?: { points: number; targets: number };
  /** Each part's share (0..1) where the department has that part. */
  parts: Partial<Record<ScorePart, number>>;
  /** 0..100 with one decimal; absent when nothing was due. */
  score?: number;
  nothingDue: boolean;
  ranked: boolean;
  rank?: number;
};

export type MonthlyScores = {
  month: string;
  start: string;
  end: string;
  /** Ranked departments by rank, then scored departments that are not ranked, then those with nothing due. */
  departments: DepartmentScore[];
};

/** YYYY-MM of a real month. */
export function isMonth(text: string): boolean {
  return /^\d{4}-\d{2}$/.test(text) && isCalendarDate(`${text}-01`);
}

/** The month before the one `today` is in. */
export function previousMonth(today: string): string {
  return addMonths(`${today.slice(0, 7)}-01`, -1).slice(0, 7);
}

/** An item's deadline (时限): its last milestone's date, or the end of its period when it has none. */
export function itemDeadline(item: Item): string {
  const milestones = 'milestones' in item ? item.milestones : [];
  return milestones.reduce((d, m) => maxDate(m.due, d), milestones.length ? '' : item.period.end);
}

const round1 = (x: number) => Math.round(x * 10) / 10;

type Folded = {
  progress: Map<string, ItemProgress>;
  /** item id → the local dates of its live reports made by `end`, in order. */
  reports: Map<string, string[]>;
  /** item id → the date of the report that made it done, when it was done at `end`. */
  doneOn: Map<string, string>;
};

/** What the journal says each item stood at by the end of `end`: edits and retractions applied, reviews decided by then. */
function foldUntil(model: ReadModel, history: readonly JournalEvent[], end: string): Folded {
  const tz = model.timeZone;
  const updates = new Map<string, { update: Update; retracted: boolean }>();
  const decisions = new Map<string, { decision: 'approved' | 'returned'; reason?: string; on: string }>();
  for (const e of history) {
    if (e.type === 'update') updates.set(e.update.id, { update: e.update, retracted: false });
    else if (e.type === 'update.edit') {
      const entry = updates.get(e.updateId);
      if (entry) entry.update = applyPatch(entry.update, e.after);
    } else if (e.type === 'update.retract') {
      const entry = updates.get(e.updateId);
      if (entry) entry.retracted = true;
    } else if (e.type === 'review.decide')
      decisions.set(e.reviewId, {
        decision: e.decision,
        ...(e.reason ? { reason: e.reason } : {}),
        on: localDate(new Date(e.at), tz),
      });
  }
  const live = [...updates.values()]
    .filter((x) => !x.retracted)
    .map((x) => ({ u: x.update, on: localDate(new Date(x.update.at), tz) }))
    .filter((x) => x.on <= end)
    .sort((a, b) => Date.parse(a.u.at) - Date.parse(b.u.at));
  const folded: Folded = { progress: new Map(), reports: new Map(), doneOn: new Map() };
  for (const { u, on } of live) {
    const found = model.item(u.itemId);
    if (!found) continue;
    let p = applyUpdateToProgress(folded.progress.get(u.itemId) ?? emptyItemProgress(), u, tz);
    const d = u.reviewId ? decisions.get(u.reviewId) : undefined;
    if (u.reviewId && d && d.on <= end) p = applyReviewDecision(p, d.decision, d.reason, u.reviewId);
    const wasDone = folded.doneOn.has(u.itemId);
    const isDone = doneBy(found.item, p);
    if (isDone && !wasDone) folded.doneOn.set(u.itemId, on);
    if (!isDone) folded.doneOn.delete(u.itemId);
    folded.progress.set(u.itemId, p);
    folded.reports.set(u.itemId, [...(folded.reports.get(u.itemId) ?? []), on]);
  }
  const journalled = new Set([...updates.values()].map((x) => x.update.itemId));
  for (const [id, p] of model.progress) if (!journalled.has(id)) foldFromProgress(model, folded, id, p, end);
  return folded;
}

/**
 * An item whose reports are not in the journal (a store from before it, or the console's sample, which
 * holds only the fold): its one point per report date (`series`) and its latest report stand in for
 * the history, as far as they go.
 */
function foldFromProgress(model: ReadModel, folded: Folded, id: string, p: ItemProgress, end: string): void {
  const found = model.item(id);
  if (!found || p.reports === 0) return;
  const points = p.series.filter(([d]) => d <= end);
  const dates = new Set(points.map(([d]) => d));
  if (p.lastReportDate && p.lastReportDate <= end) dates.add(p.lastReportDate);
  if (dates.size === 0) return;
  folded.reports.set(id, [...dates].sort());
  const latest = points[points.length - 1];
  const isTarget = 'kind' in found.item;
  const atEnd: ItemProgress =
    p.lastReportDate && p.lastReportDate <= end
      ? p
      : {
          ...emptyItemProgress(),
          ...(latest ? (isTarget ? { value: latest[1] } : { percent: latest[1] }) : {}),
          milestonesDone: Object.fromEntries(Object.entries(p.milestonesDone).filter(([, d]) => d <= end)),
          lastReportDate: [...dates].sort().pop()!,
          reports: dates.size,
        };
  folded.progress.set(id, atEnd);
  if (!doneBy(found.item, atEnd)) return;
  const reached = isTarget
    ? points.find(([, v]) => doneBy(found.item, { ...atEnd, state: undefined, value: v }))
    : undefined;
  folded.doneOn.set(id, reached?.[0] ?? atEnd.lastReportDate ?? end);
}

function doneBy(item: Item, p: ItemProgress): boolean {
  if (p.state === 'done') return true;
  if ('kind' in item && item.kind === 'cumulative' && p.value !== undefined)
    return (p.value - item.baseline) / (item.target - item.baseline) >= 1;
  return false;
}

/** The reporting periods of an item whose deadline falls from `start` to `end`, oldest first. */
function reportsDueIn(
  item: Item,
  start: string,
  end: string,
  calendar?: WorkingCalendar,
): Array<{ period: Period; dueBy: string }> {
  const out: Array<{ period: Period; dueBy: string }> = [];
  for (let day = addDays(start, 1); day <= addDays(end, 1); day = addDays(day, 1)) {
    const due = lastDueReport(item, day, calendar);
    if (!due || due.dueBy < start || due.dueBy > end) continue;
    if (!out.some((o) => o.period.start === due.period.start)) out.push(due);
  }
  return out;
}

/** The month's report for every department. */
export function scoreMonth(
  model: ReadModel,
  history: readonly JournalEvent[],
  month: string,
  calendar?: WorkingCalendar,
): MonthlyScores {
  const start = `${month}-01`;
  const end = addDays(addMonths(start, 1), -1);
  const folded = foldUntil(model, history, end);
  const settings = model.db.settings;
  const evaluation = evaluateDatabase(model.db, folded.progress, {
    today: end,
    settings,
    ...(calendar ? { calendar } : {}),
  });
  const byDepartment = new Map<string, DepartmentScore>();
  for (const department of model.db.departments)
    byDepartment.set(department.id, {
      department,
      reports: { due: 0, onTime: 0, late: 0, missing: 0, list: [] },
      active: 0,
      overdue: [],
      done: { total: 0, onTime: 0, late: 0, items: [] },
      parts: {},
      nothingDue: true,
      ranked: department.ranked !== false,
    });
  const gaps = new Map<string, number[]>();
  for (const s of evaluation.tracked) {
    const d = byDepartment.get(s.item.departmentId);
    if (!d || s.status === 'exempt' || s.item.period.start > end) continue;
    const doneOn = folded.doneOn.get(s.item.id);
    const done = s.status === 'done';
    // Done before the month (or done through its links, on no day of its own): nothing of it is this month's.
    if (done && (!doneOn || doneOn < start)) continue;
    d.active++;
    const deadline = itemDeadline(s.item);
    const reported = folded.reports.get(s.item.id) ?? [];
    for (const due of reportsDueIn(s.item, start, end, calendar)) {
      if (doneOn && doneOn < due.period.start) continue;
      const covering = reported.filter((r) => reportCovers(s.item, r, calendar) >= due.period.start);
      const onTime = covering.find((r) => r <= due.dueBy);
      const arrived = onTime ?? covering.find((r) => r > due.dueBy);
      d.reports.list.push({ itemId: s.item.id, ...due, ...(arrived ? { arrived } : {}), onTime: !!onTime });
      d.reports.due++;
      if (onTime) d.reports.onTime++;
      else if (arrived) d.reports.late++;
      else d.reports.missing++;
    }
    if (done && doneOn) {
      d.done.total++;
      d.done.items.push({ status: s, on: doneOn, deadline });
      if (doneOn <= deadline) d.done.onTime++;
      else d.done.late++;
    } else {
      const progress = folded.progress.get(s.item.id);
      const milestones = 'milestones' in s.item ? s.item.milestones : [];
      const openLate = milestones.some((m) => m.due <= end && own(progress?.milestonesDone, m.id) === undefined);
      if (openLate || deadline <= end) d.overdue.push(s);
    }
    if ('kind' in s.item && s.item.kind === 'cumulative') {
      const pace = s.reasons.find((r) => r.code === 'pace');
      const points = done ? 0 : Math.max(0, pace?.code === 'pace' ? pace.gapPts : 0);
      gaps.set(d.department.id, [...(gaps.get(d.department.id) ?? []), points]);
    }
  }
  for (const d of byDepartment.values()) {
    const g = gaps.get(d.department.id);
    if (g?.length) d.gap = { points: round1(g.reduce((a, b) => a + b, 0) / g.length), targets: g.length };
    d.nothingDue = d.reports.due === 0 && d.overdue.length === 0 && d.done.total === 0 && !d.gap;
    if (d.nothingDue) continue;
    if (d.reports.due > 0) d.parts.reports = d.reports.onTime / d.reports.due;
    if (d.active > 0) d.parts.overdue = 1 - d.overdue.length / d.active;
    if (d.gap) d.parts.gap = 1 - Math.min(d.gap.points, 100) / 100;
    if (d.done.total > 0) d.parts.doneOnTime = d.done.onTime / d.done.total;
    d.score = scoreOf(d.parts);
  }
  return { month, start, end, departments: rank([...byDepartment.values()]) };
}

/** 100 × the weighted mean of the parts present, one decimal. */
export function scoreOf(parts: Partial<Record<ScorePart, number>>): number | undefined {
  let sum = 0;
  let weight = 0;
  for (const [part, w] of Object.entries(SCORE_WEIGHTS) as Array<[ScorePart, number]>) {
    const v = parts[part];
    if (v === undefined) continue;
    sum += w * v;
    weight += w;
  }
  return weight === 0 ? undefined : round1((100 * sum) / weight);
}

/** Best score first; ties broken by fewer overdue, then more reports on time; equal scores share a rank. */
function rank(all: DepartmentScore[]): DepartmentScore[] {
  const order = (a: DepartmentScore, b: DepartmentScore) =>
    (b.score ?? -1) - (a.score ?? -1) ||
    a.overdue.length - b.overdue.length ||
    (b.parts.reports ?? 0) - (a.parts.reports ?? 0) ||
    a.department.id.localeCompare(b.department.id);
  const ranked = all.filter((d) => d.ranked && d.score !== undefined).sort(order);
  ranked.forEach((d, i) => {
    const before = ranked[i - 1];
    d.rank = before && before.score === d.score ? before.rank! : i + 1;
  });
  const unranked = all.filter((d) => !d.ranked && d.score !== undefined).sort(order);
  const nothing = all.filter((d) => d.score === undefined).sort(order);
  return [...ranked, ...unranked, ...nothing];
}
