/**
 * The domain's facts in the reader's language, as plain text: statuses, reasons, figures with units,
 * department and reporter names. Replies (commands/format.ts) escape these for Slack; the ledger and the
 * bulletin (src/spreadsheet) write them into cells and Markdown as they are. Both import from here, so
 * a format never reaches up into the use cases and never has to undo their escaping.
 */
import type { MilestoneForecast, NoMilestoneForecast, NoTargetForecast, TargetForecast } from '../domain/forecast.ts';
import type { Department } from '../domain/schema.ts';
import type { Reason, Status } from '../domain/status.ts';
import { formatDate, formatNumber, type Locale, messages, pick } from '../i18n/index.ts';

export function departmentName(d: Department, locale: Locale): string {
  return locale === 'en' ? (d.shortName.en ?? d.name.en ?? d.shortName.zh ?? d.name.zh) : (d.shortName.zh ?? d.name.zh);
}

/** Who reported: a person's id, or words for the sample data, an import and duban itself — never an internal name. */
export function reporterName(by: string | undefined, locale: Locale): string {
  const m = messages(locale).list;
  if (!by) return '';
  if (by === 'seed') return m.sampleNotice;
  if (by === 'import') return m.byImport;
  if (by === 'duban') return m.byDuban;
  return by;
}

export function statusWord(status: Status, locale: Locale): string {
  return messages(locale).status[status];
}

export function percentWords(n: number, locale: Locale): string {
  return messages(locale).format.percent(formatNumber(n, locale, 1));
}

/** "40 项", "7.5%". */
export function withUnit(n: number, unit: { zh: string; en?: string }, locale: Locale): string {
  const u = pick(unit, locale);
  const num = formatNumber(n, locale);
  return u === '%' ? `${num}%` : `${num} ${u}`;
}

/** One reason in words: "计划进度 75%，实际 52%，落后 23 个百分点". Plain text: escape it before sending to Slack. */
export function reasonWords(reason: Reason, locale: Locale, today: string): string {
  const m = messages(locale);
  const date = (d: string) => formatDate(d, locale, today);
  switch (reason.code) {
    case 'pace': {
      const e = percentWords(reason.expectedPct, locale);
      const a = percentWords(reason.actualPct, locale);
      const gap = formatNumber(Math.abs(reason.gapPts), locale, 1);
      // Judged at the end of the period the latest report covers: say so when that is not today.
      const asOf = reason.asOf !== today ? date(reason.asOf) : undefined;
      return reason.gapPts > 0
        ? m.reason.paceBehind(e, a, gap, asOf)
        : reason.gapPts < 0
          ? m.reason.paceAhead(e, a, gap, asOf)
          : m.reason.paceEven(e, a, asOf);
    }
    case 'level': {
      const t = withUnit(reason.target, reason.unit, locale);
      const a = withUnit(reason.actual, reason.unit, locale);
      return reason.comparator === 'atLeast' ? m.reason.levelAtLeast(t, a) : m.reason.levelAtMost(t, a);
    }
    case 'milestone_overdue':
      return m.reason.milestoneOverdue(
        pick(reason.milestone.name, locale),
        reason.daysOverdue,
        date(reason.milestone.due),
      );
    case 'milestone_due_soon':
      return m.reason.milestoneDueSoon(
        pick(reason.milestone.name, locale),
        reason.daysLeft,
        date(reason.milestone.due),
      );
    case 'deadline_overdue':
      return m.reason.deadlineOverdue(reason.daysOverdue, deadlineWords(reason, locale, today));
    case 'deadline_due_soon':
      return m.reason.deadlineDueSoon(reason.daysLeft, deadlineWords(reason, locale, today));
    case 'blocked':
      return m.reason.blocked(reason.note);
    case 'delayed':
      return m.reason.delayed(reason.note);
    case 'report_missing':
      return m.reason.reportMissing(
        date(reason.dueBy),
        reason.lastReportDate ? date(reason.lastReportDate) : undefined,
      );
    case 'not_signed':
      return m.reason.notSigned(date(reason.dueBy));
    case 'linked':
      return m.reason.linked(pick(reason.name, locale), m.status[reason.status]);
    case 'no_data':
      return m.reason.noData;
    case 'not_started':
      return m.reason.notStarted(date(reason.start));
    case 'reached':
      return m.reason.reached(formatNumber(reason.actual, locale), formatNumber(reason.target, locale));
    case 'done':
      return m.reason.done;
    case 'review_pending':
      return m.reason.reviewPending;
    case 'exempt':
      return m.reason.exempt(reason.reason);
    case 'forecast_miss':
      return targetForecastWords(reason.forecast, locale, today);
    case 'milestone_forecast_late':
      return milestoneForecastWords(reason.forecast, locale, today);
  }
}

/** "按近三个月进度，预计年底 34/40（85%），缺口 6 项": the basis, the projection and what it means for the target. */
export function targetForecastWords(f: TargetForecast, locale: Locale, today: string): string {
  const m = messages(locale).forecast;
  const num = (n: number) => formatNumber(n, locale);
  const basis = f.basis.by === 'months' ? m.basisMonths(f.basis.months) : m.basisReports(f.basis.reports);
  const when = f.end.endsWith('-12-31') ? m.yearEnd : m.periodEnd(formatDate(f.end, locale, today));
  const share = percentWords(f.share * 100, locale);
  const figure =
    f.target >= f.baseline
      ? m.up(num(f.projected), num(f.target), share)
      : m.down(withUnit(f.projected, f.unit, locale), withUnit(f.target, f.unit, locale), share);
  const outlook =
    f.outlook === 'miss'
      ? m.short(withUnit(f.gap, f.unit, locale))
      : f.outlook === 'meet'
        ? m.meets
        : m.uncertain(num(f.low), withUnit(f.high, f.unit, locale));
  return m.target(basis, when, figure, outlook);
}

/** "按已完成节点的进度，预计 10月20日 完成「主体封顶」，晚于计划 12 天（计划 10月8日）". */
export function milestoneForecastWords(f: MilestoneForecast, locale: Locale, today: string): string {
  const m = messages(locale).forecast;
  const due = formatDate(f.due, locale, today);
  const outlook = f.daysLate > 0 ? m.late(f.daysLate, due) : f.daysLate < 0 ? m.early(-f.daysLate, due) : m.onPlan(due);
  return m.milestone(pick(f.name, locale), formatDate(f.projected, locale, today), outlook);
}

/** Why there is no forecast, when the reason is worth telling (too few reports); otherwise nothing is said. */
export function noForecastWords(why: NoTargetForecast | NoMilestoneForecast, locale: Locale): string | undefined {
  const m = messages(locale).forecast;
  switch (why) {
    case 'too_few_reports':
      return m.tooFewReports;
    case 'too_short':
      return m.tooShort;
    case 'too_few_done':
      return m.tooFewMilestones;
    default:
      return undefined;
  }
}

/** A deadline in words, with the original beside an extended one: "6月30日（已批准延期至 9月30日）". */
export function deadlineWords(d: { deadline: string; original: string }, locale: Locale, today: string): string {
  const date = (x: string) => formatDate(x, locale, today);
  return d.deadline === d.original
    ? date(d.original)
    : messages(locale).reason.extended(date(d.original), date(d.deadline));
}

/** The reasons that set the status first (red, then amber), informational ones after. */
export function sortReasons(reasons: readonly Reason[]): Reason[] {
  const rank = (r: Reason) => ('rag' in r ? (r.rag === 'red' ? 0 : r.rag === 'amber' ? 1 : 2) : 3);
  return [...reasons].sort((a, b) => rank(a) - rank(b));
}
