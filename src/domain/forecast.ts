/**
 * Forecasts (预测): where a cumulative target is heading by its period's end, and when a project's next
 * milestone is likely to be reached, from the item's own reports. Pure functions of the data and
 * `today`; a forecast is given only when the reports can carry one (too few reports → none), and says
 * how sure it is.
 *
 * The types here are the contract the charts (src/charts) and the replies read.
 */

import { addDays, dayNumber, daysBetween, maxDate } from './dates.ts';
import { own } from './lookup.ts';
import { expectedShare } from './plan.ts';
import type { ItemProgress } from './progress.ts';
import type { CumulativeTarget, Project, Text } from './schema.ts';

/** Where a cumulative target's recent trend leads by the end of its period. */
export type TargetForecast = {
  itemId: string;
  /**
   * The reports the trend was fitted to: the first and last report date, how many, over how many months.
   * `by`: `months` when they are the reports of the recent months (about three), `reports` when those were
   * too few and the last `reports` reports were taken instead, whatever their span.
   */
  basis: { from: string; to: string; reports: number; months: number; by: 'months' | 'reports' };
  /** The trend's slope, in the target's unit per day (never away from the target: a cumulative figure does not undo itself). */
  ratePerDay: number;
  /** The last reported point, where the dashed forecast line starts. */
  last: { date: string; value: number };
  /** The period's end, where the forecast line ends. */
  end: string;
  /** The value the trend reaches at `end`, and a plausible range given how scattered the reports are. */
  projected: number;
  low: number;
  high: number;
  baseline: number;
  target: number;
  /** The target's unit, so the forecast can be put in words on its own. */
  unit: Text;
  /** `projected` as a share of the way from baseline to target (0..1+). */
  share: number;
  /** How far `projected` falls short of the target (0 when it reaches it), in the target's unit. */
  gap: number;
  /**
   * `miss`: even the range's top falls short; `meet`: even its bottom reaches the target; `uncertain`:
   * the range straddles the target, so no claim either way.
   */
  outlook: 'miss' | 'meet' | 'uncertain';
};

/** When a project's next open milestone is likely to be reached, from the pace of the milestones already done. */
export type MilestoneForecast = {
  itemId: string;
  milestoneId: string;
  /** The milestone's name, so the forecast can be put in words on its own. */
  name: Text;
  /** The milestone's planned date. */
  due: string;
  /** The date the project's pace so far points to. */
  projected: string;
  /** Milestones done that the pace was measured on. */
  basis: { done: number; from: string; to: string };
  /** Days after `due` (negative: before). */
  daysLate: number;
  /** How many days after its due date each milestone of the basis was reached (negative: early), oldest first. */
  slips: number[];
};

export type ForecastOptions = {
  /** How far back from the latest report the trend looks, in days: about three months. */
  windowDays?: number;
  /** The fewest reports a trend is fitted to. */
  minReports?: number;
  /** The shortest span, first to last report, a trend is fitted over. */
  minSpanDays?: number;
};

export const FORECAST_DEFAULTS: Required<ForecastOptions> = { windowDays: 92, minReports: 3, minSpanDays: 28 };

/** Why a target has no forecast: the reports cannot carry one, or there is nothing left to forecast. */
export type NoTargetForecast = 'too_few_reports' | 'too_short' | 'outside_period' | 'reached' | 'no_target';

/** Report days vary by a few days month to month: the recent window reaches back this much further. */
const WINDOW_SLACK_DAYS = 7;
const DAYS_PER_MONTH = 365.25 / 12;
/**
 * However steady the recent reports, the rate is not known better than this share of itself: three
 * reports in a perfect line do not make the year end certain.
 */
const RATE_FLOOR = 0.1;
/** A checkpoint plan may change pace between the reports and the period's end by at most this factor either way. */
const PLAN_FACTOR_LIMIT = 3;
/**
 * Student's t at 0.90 by degrees of freedom (n − 2): the range is an 80% interval, so `miss` means
 * that even a top-decile outcome falls short. Few reports widen it sharply (3 reports: ×3.08).
 */
const T90: ReadonlyArray<readonly [number, number]> = [
  [1, 3.078],
  [2, 1.886],
  [3, 1.638],
  [4, 1.533],
  [5, 1.476],
  [6, 1.44],
  [7, 1.415],
  [8, 1.397],
  [10, 1.372],
  [15, 1.341],
  [20, 1.325],
  [30, 1.31],
];

function tQuantile(df: number): number {
  if (df > 30) return 1.282;
  // The nearest tabled df at or below: a little wider, never narrower.
  let t = T90[0]![1];
  for (const [d, v] of T90) if (df >= d) t = v;
  return t;
}

/** Decimal places of a figure as written (40 → 0, 43.1 → 1), at most 2. */
function decimalsOf(n: number): number {
  for (let d = 0; d < 2; d++) if (Math.abs(Math.round(n * 10 ** d) - n * 10 ** d) < 1e-9) return d;
  return 2;
}

function roundTo(n: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(n * f + Number.EPSILON * Math.sign(n)) / f;
}

/** The reports a trend is fitted to: those of the recent window, or, when too few, the last `minReports`. */
function basisPoints(
  points: ReadonlyArray<readonly [string, number]>,
  o: Required<ForecastOptions>,
): { points: ReadonlyArray<readonly [string, number]>; by: 'months' | 'reports' } {
  const lastDate = points[points.length - 1]![0];
  const from = addDays(lastDate, -(o.windowDays + WINDOW_SLACK_DAYS));
  const recent = points.filter(([d]) => d >= from);
  return recent.length >= o.minReports
    ? { points: recent, by: 'months' }
    : { points: points.slice(-o.minReports), by: 'reports' };
}

/**
 * The year-end (period-end) projection of a cumulative target, or why there is none. Least squares over
 * the recent reports, projected from the last report at the fitted rate (scaled by the plan's change of
 * pace when it has checkpoints, see planFactor); the range is an 80% interval
 * from the scatter of the reports about the trend and the uncertainty of its rate (never tighter than
 * ±10% of the rate), widened for few reports. Reports dated after `today` are not read, so an evaluation
 * of a past day sees only what was known then.
 */
export function targetForecastOutcome(
  target: CumulativeTarget,
  progress: Pick<ItemProgress, 'series'>,
  today: string,
  options: ForecastOptions = {},
): { ok: true; forecast: TargetForecast } | { ok: false; why: NoTargetForecast } {
  const o = { ...FORECAST_DEFAULTS, ...options };
  const { start, end } = target.period;
  const dir = Math.sign(target.target - target.baseline);
  if (dir === 0) return { ok: false, why: 'no_target' };
  if (today < start || today > end) return { ok: false, why: 'outside_period' };
  const all = progress.series.filter(([d]) => d >= start && d <= today);
  const latest = all[all.length - 1];
  if (latest && dir * (latest[1] - target.target) >= 0) return { ok: false, why: 'reached' };
  if (!latest || all.length < o.minReports) return { ok: false, why: 'too_few_reports' };
  const { points, by } = basisPoints(all, o);
  const from = points[0]![0];
  const to = latest[0];
  const span = daysBetween(from, to);
  if (span < o.minSpanDays) return { ok: false, why: 'too_short' };

  const n = points.length;
  const day0 = dayNumber(from);
  const xs = points.map(([d]) => dayNumber(d) - day0);
  const ys = points.map(([, v]) => v);
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i]! - mx) ** 2;
    sxy += (xs[i]! - mx) * (ys[i]! - my);
  }
  const slope = sxy / sxx;
  let ssr = 0;
  for (let i = 0; i < n; i++) ssr += (ys[i]! - (my + slope * (xs[i]! - mx))) ** 2;
  const scatter = Math.sqrt(ssr / (n - 2));
  const slopeError = Math.max(scatter / Math.sqrt(sxx), RATE_FLOOR * Math.abs(slope));

  const last = { date: to, value: latest[1] };
  const ahead = daysBetween(to, end);
  const factor = planFactor(target, from, to, span, ahead);
  // A cumulative figure does not go back: a trend away from the target (a correction downwards) holds still.
  const rate = dir * slope > 0 ? slope * factor : 0;
  const half = tQuantile(n - 2) * Math.hypot(slopeError * factor * ahead, scatter);
  const decimals = Math.max(decimalsOf(target.target), decimalsOf(target.baseline), ...ys.map(decimalsOf));
  // Never behind the last report, in the target's direction.
  const hold = (v: number) => roundTo(dir > 0 ? Math.max(v, last.value) : Math.min(v, last.value), decimals);
  const projected = hold(last.value + rate * ahead);
  const low = hold(projected - half);
  const high = hold(projected + half);
  const reaches = (v: number) => dir * (v - target.target) >= -1e-9;
  const [worst, best] = dir > 0 ? [low, high] : [high, low];
  const outlook = reaches(worst) ? 'meet' : reaches(best) ? 'uncertain' : 'miss';
  return {
    ok: true,
    forecast: {
      itemId: target.id,
      basis: { from, to, reports: n, months: Math.max(1, Math.round(span / DAYS_PER_MONTH)), by },
      ratePerDay: rate,
      last,
      end,
      projected,
      low,
      high,
      baseline: target.baseline,
      target: target.target,
      unit: target.unit,
      share: (projected - target.baseline) / (target.target - target.baseline),
      gap: roundTo(Math.max(0, dir * (target.target - projected)), decimals),
      outlook,
    },
  };
}

/**
 * How much faster (or slower) the plan runs over what is left of the period than over the reports' span:
 * a department keeping the share of plan it kept recently goes on at the recent rate times this. 1 for a
 * linear plan; with checkpoints (Q1 15%, H1 45%…) a slow first quarter on plan is not a year-end miss.
 */
function planFactor(target: CumulativeTarget, from: string, to: string, span: number, ahead: number): number {
  if (ahead <= 0 || target.checkpoints.length === 0) return 1;
  const recent = (expectedShare(target, to) - expectedShare(target, from)) / span;
  const remaining = (1 - expectedShare(target, to)) / ahead;
  if (recent <= 0 || remaining <= 0) return 1;
  return Math.min(PLAN_FACTOR_LIMIT, Math.max(1 / PLAN_FACTOR_LIMIT, remaining / recent));
}

/** The projection of a cumulative target by its period's end, when its reports can carry one (see targetForecastOutcome). */
export function forecastTarget(
  target: CumulativeTarget,
  progress: Pick<ItemProgress, 'series'>,
  today: string,
  options?: ForecastOptions,
): TargetForecast | undefined {
  if (options) {
    const r = targetForecastOutcome(target, progress, today, options);
    return r.ok ? r.forecast : undefined;
  }
  const kept = targetForecasts.get(progress.series);
  if (kept && kept.target === target && sameReading(target, progress.series, kept.today, today)) return kept.forecast;
  const r = targetForecastOutcome(target, progress, today);
  const forecast = r.ok ? r.forecast : undefined;
  targetForecasts.set(progress.series, { target, today, forecast });
  return forecast;
}

/**
 * Whether a target's forecast reads the same on two days: `today` only bounds which reports are read and
 * whether the period is running, so with both days in the period and no report after either, the fit is
 * the same (the first evaluation of a new day keeps yesterday's forecasts until a report arrives).
 */
function sameReading(target: CumulativeTarget, series: ItemProgress['series'], a: string, b: string): boolean {
  if (a === b) return true;
  const { start, end } = target.period;
  const latest = series[series.length - 1]?.[0];
  const earlier = a < b ? a : b;
  return earlier >= start && (a > b ? a : b) <= end && (latest === undefined || latest <= earlier);
}

/**
 * The last default forecast of each series (a progress object's reports, immutable like the rest of a
 * revision's state), so a new revision re-evaluating the whole store — after one item's report — or a
 * view asking again does not refit the unchanged items. One entry per series, for one target and day.
 */
const targetForecasts = new WeakMap<
  ItemProgress['series'],
  { target: CumulativeTarget; today: string; forecast: TargetForecast | undefined }
>();

export type MilestoneForecastOptions = {
  /** How many of the latest milestones done the pace is measured on. */
  recent?: number;
  /** The fewest milestones done a forecast needs. */
  minDone?: number;
};

export const MILESTONE_FORECAST_DEFAULTS: Required<MilestoneForecastOptions> = { recent: 3, minDone: 2 };

/** Why a project has no milestone forecast. */
export type NoMilestoneForecast = 'too_few_done' | 'no_next';

/**
 * When the next open milestone (the first not yet due, as the project's status names it) is likely to
 * be reached: its due date moved by the average slip of the latest milestones done (how many days after
 * their due dates they were reached), never before `today`. Milestones reached early count as early.
 */
export function milestoneForecastOutcome(
  project: Pick<Project, 'id' | 'milestones'>,
  progress: Pick<ItemProgress, 'milestonesDone'>,
  today: string,
  options: MilestoneForecastOptions = {},
): { ok: true; forecast: MilestoneForecast } | { ok: false; why: NoMilestoneForecast } {
  const o = { ...MILESTONE_FORECAST_DEFAULTS, ...options };
  const done: Array<{ due: string; on: string }> = [];
  const open: Array<{ id: string; name: Text; due: string }> = [];
  for (const m of project.milestones) {
    const on = own(progress.milestonesDone, m.id);
    if (on === undefined) open.push(m);
    else if (on <= today) done.push({ due: m.due, on });
  }
  const next = open.filter((m) => m.due >= today).sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : 0))[0];
  if (!next) return { ok: false, why: 'no_next' };
  if (done.length < o.minDone) return { ok: false, why: 'too_few_done' };
  done.sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : a.due < b.due ? -1 : a.due > b.due ? 1 : 0));
  const basis = done.slice(-o.recent);
  const slips = basis.map((d) => daysBetween(d.due, d.on));
  const slip = Math.round(slips.reduce((a, b) => a + b, 0) / slips.length);
  const projected = maxDate(addDays(next.due, slip), today);
  return {
    ok: true,
    forecast: {
      itemId: project.id,
      milestoneId: next.id,
      name: next.name,
      due: next.due,
      projected,
      basis: { done: basis.length, from: basis[0]!.on, to: basis[basis.length - 1]!.on },
      daysLate: daysBetween(next.due, projected),
      slips,
    },
  };
}

/** The next milestone's likely date, when at least two milestones are done (see milestoneForecastOutcome). */
export function forecastMilestone(
  project: Pick<Project, 'id' | 'milestones'>,
  progress: Pick<ItemProgress, 'milestonesDone'>,
  today: string,
  options?: MilestoneForecastOptions,
): MilestoneForecast | undefined {
  if (options) {
    const r = milestoneForecastOutcome(project, progress, today, options);
    return r.ok ? r.forecast : undefined;
  }
  const kept = milestoneForecasts.get(progress.milestonesDone);
  if (kept && kept.project === project && kept.today === today) return kept.forecast;
  const r = milestoneForecastOutcome(project, progress, today);
  const forecast = r.ok ? r.forecast : undefined;
  milestoneForecasts.set(progress.milestonesDone, { project, today, forecast });
  return forecast;
}

/** The last default milestone forecast of each progress's milestones done (see targetForecasts). */
const milestoneForecasts = new WeakMap<
  ItemProgress['milestonesDone'],
  { project: Pick<Project, 'id' | 'milestones'>; today: string; forecast: MilestoneForecast | undefined }
>();
