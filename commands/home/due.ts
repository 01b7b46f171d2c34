/**
 * What a department has due in the next seven days: milestones, deadlines (时限) and this period's
 * progress report, plus reports already late. Pure: `today` and the working calendar come in.
 */

import type { WorkingCalendar } from '../../src/domain/calendar.ts';
import { addDays } from '../../src/domain/dates.ts';
import { currentReportDue, type ItemStatus, reportCovers } from '../../src/domain/status.ts';

export const DUE_WINDOW_DAYS = 7;

export type DueEntry = {
  status: ItemStatus;
  /** The day it is due (for a late report, the day it was due). */
  due: string;
  what: 'milestone' | 'deadline' | 'report' | 'report_late';
  milestone?: ItemStatus['overdue'][number];
};

export function dueThisWeek(items: readonly ItemStatus[], today: string, calendar?: WorkingCalendar): DueEntry[] {
  const horizon = addDays(today, DUE_WINDOW_DAYS);
  const out: DueEntry[] = [];
  for (const s of items) {
    if (s.status === 'done' || s.status === 'exempt') continue;
    const next = s.nextMilestone?.milestone;
    if (next && next.due >= today && next.due <= horizon)
      out.push({ status: s, due: next.due, what: 'milestone', milestone: next });
    for (const r of s.reasons) {
      if (r.code === 'deadline_due_soon' && r.deadline <= horizon)
        out.push({ status: s, due: r.deadline, what: 'deadline' });
      if (r.code === 'report_missing') out.push({ status: s, due: r.dueBy, what: 'report_late' });
    }
    if (s.reasons.some((r) => r.code === 'report_missing')) continue;
    const report = currentReportDue(s.item, today, calendar);
    const covered =
      report &&
      s.progress.lastReportDate !== undefined &&
      reportCovers(s.item, s.progress.lastReportDate, calendar) >= report.period.start;
    if (report && !covered && report.dueBy >= today && report.dueBy <= horizon)
      out.push({ status: s, due: report.dueBy, what: 'report' });
  }
  return out.sort((a, b) => a.due.localeCompare(b.due) || a.status.item.id.localeCompare(b.status.item.id));
}
