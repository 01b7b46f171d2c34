/**
 * Who is reminded, with what: each department with items behind (red or amber by pace, overdue or
 * near-due milestones, missing reports) or a deadline within the heads-up window gets one message,
 * in its channel or to its people directly. Snoozed and exempt items, and people on leave, are left
 * out. Ignored reminders escalate. Pure planning and rendering; sending is the scheduler's job.
 */

import type { WorkingCalendar } from '../src/domain/calendar.ts';
import { daysBetween } from '../src/domain/dates.ts';
import { own } from '../src/domain/lookup.ts';
import { escalationGraceMet, urgencyOf } from '../src/domain/noise.ts';
import { reportersOf, subTasksOf } from '../src/domain/permissions.ts';
import type { ReadModel } from '../src/domain/read-model.ts';
import type { Department, EscalationLevel, Milestone, Text } from '../src/domain/schema.ts';
import { compareWorstFirst, currentReportDue, type ItemStatus, isBehind, reportCovers } from '../src/domain/status.ts';
import { formatDate, type Locale, messages, pick } from '../src/i18n/index.ts';
import { reminderSignButton } from './assign.ts';
import { departmentName, reasonsText, STATUS_EMOJI } from './format.ts';
import { machineSummaryLine } from './llm-digest.ts';
import { joinMd, type Mrkdwn, md, type Reply, type ReplyBlock, trusted } from './reply.ts';

export const REMIND_LOG = 'duban.remind.log';
export const REMIND_SNOOZE = 'duban.remind.snooze';
export const REMIND_DETAILS = 'duban.remind.details';
/** A supporting department's button on its sub-task line: report that part (src/slack/listeners/subtasks.ts). */
export const REMIND_SUBTASK = 'duban.remind.subtask';
const MAX_ITEMS = 15;

export type DepartmentReminder = {
  department: Department;
  behind: ItemStatus[];
  headsUp: Array<{ status: ItemStatus; due: string; what: 'milestone' | 'report'; name?: Text }>;
  /** Sub-tasks this department has on items another department leads (配合), overdue or due soon: its own part only. */
  parts?: SubTaskReminder[];
  /** Where it goes: the department's channel, else each person directly. */
  channel?: string;
  /** Who is pinged: liaisons and leads not on leave (leads when everyone else is away). */
  people: string[];
};

/** One sub-task of an item led by another department, owned by the reminded department. */
export type SubTaskReminder = { status: ItemStatus; milestone: Milestone; lead: Department; overdue: boolean };

export function isAway(model: ReadModel, userId: string, today: string): boolean {
  const a = own(model.db.absences, userId);
  return !!a && a.from <= today && today <= a.to;
}

function snoozed(model: ReadModel, id: string, today: string): boolean {
  const s = own(model.db.snoozes, id);
  return !!s && today <= s.until;
}

/** The people to ping for a department: those not on leave; if all are away, its leads anyway. */
export function presentPeople(model: ReadModel, d: Department, today: string): string[] {
  const all = reportersOf(d);
  const present = all.filter((u) => !isAway(model, u, today));
  if (present.length > 0) return present;
  return d.leadIds.length > 0 ? [...d.leadIds] : all;
}

/** Deadlines within the heads-up window for an item that is not (yet) behind. */
function headsUpFor(
  s: ItemStatus,
  today: string,
  calendar: WorkingCalendar,
  workdays: number,
): DepartmentReminder['headsUp'][number] | undefined {
  if (workdays <= 0 || s.status === 'done' || s.status === 'exempt') return undefined;
  const horizon = calendar.addWorkingDays(today, workdays);
  if (s.nextMilestone && s.nextMilestone.milestone.due <= horizon)
    return { status: s, due: s.nextMilestone.milestone.due, what: 'milestone', name: s.nextMilestone.milestone.name };
  // This period's report, when its deadline is near and nothing has been reported in the period yet.
  const next = currentReportDue(s.item, today, calendar);
  if (
    next &&
    next.dueBy <= horizon &&
    !(s.progress.lastReportDate && reportCovers(s.item, s.progress.lastReportDate, calendar) >= next.period.start)
  ) {
    return { status: s, due: next.dueBy, what: 'report' };
  }
  return undefined;
}

/**
 * The sub-tasks a department owns on items another department leads, overdue or within the heads-up
 * window and not yet done, keyed by department id. Snoozed, exempt and done items have none.
 */
function subTaskParts(
  model: ReadModel,
  items: readonly ItemStatus[],
  today: string,
  calendar: WorkingCalendar,
  workdays: number,
): Map<string, SubTaskReminder[]> {
  const out = new Map<string, SubTaskReminder[]>();
  for (const s of items) {
    if (s.status === 'done' || s.status === 'exempt' || snoozed(model, s.item.id, today)) continue;
    const lead = model.department(s.item.departmentId);
    if (!lead) continue;
    const window = workdays * (urgencyOf(s.item) === 'urgent' ? 2 : 1);
    const horizon = window > 0 ? calendar.addWorkingDays(today, window) : undefined;
    for (const m of subTasksOf(s.item)) {
      if (!m.departmentId || m.departmentId === s.item.departmentId) continue;
      if (own(s.progress.milestonesDone, m.id) !== undefined) continue;
      const overdue = m.due < today;
      if (!overdue && !(horizon && m.due <= horizon)) continue;
      const list = out.get(m.departmentId) ?? [];
      list.push({ status: s, milestone: m, lead, overdue });
      out.set(m.departmentId, list);
    }
  }
  // Overdue first, then by due date.
  for (const list of out.values())
    list.sort((a, b) => Number(b.overdue) - Number(a.overdue) || (a.milestone.due < b.milestone.due ? -1 : 1));
  return out;
}

export function planReminders(
  model: ReadModel,
  today: string,
  calendar: WorkingCalendar,
  departmentId?: string,
): DepartmentReminder[] {
  const rollup = model.rollup(today);
  const { headsUpWorkdays } = model.db.settings.schedule;
  const parts = subTaskParts(
    model,
    rollup.departments.flatMap((r) => r.items),
    today,
    calendar,
    headsUpWorkdays,
  );
  const out: DepartmentReminder[] = [];
  for (const r of rollup.departments) {
    const d = r.department;
    if (departmentId && d.id !== departmentId) continue;
    if (snoozed(model, d.id, today)) continue;
    const live = r.items.filter((s) => !snoozed(model, s.item.id, today));
    const behind = live.filter(isBehind).sort(compareWorstFirst);
    const headsUp = live
      .filter((s) => !isBehind(s))
      // 特急 items get their heads-up twice as early.
      .map((s) => headsUpFor(s, today, calendar, headsUpWorkdays * (urgencyOf(s.item) === 'urgent' ? 2 : 1)))
      .filter((h): h is NonNullable<typeof h> => !!h);
    const mine = parts.get(d.id) ?? [];
    if (behind.length === 0 && headsUp.length === 0 && mine.length === 0) continue;
    out.push({
      department: d,
      behind,
      headsUp,
      ...(mine.length > 0 ? { parts: mine } : {}),
      ...(d.channelId ? { channel: d.channelId } : {}),
      people: presentPeople(model, d, today),
    });
  }
  return out;
}

function sinceLastReport(s: ItemStatus, today: string, locale: Locale): string {
  const m = messages(locale).remind;
  return s.progress.lastReportDate ? m.daysSince(daysBetween(s.progress.lastReportDate, today)) : m.neverReported;
}

/** The reminder message for one department. */
export function reminderReply(r: DepartmentReminder, model: ReadModel, today: string, locale: Locale): Reply {
  const m = messages(locale).remind;
  const ctx = { model, today, locale };
  const name = departmentName(r.department, locale);
  const parts = r.parts ?? [];
  const late = parts.filter((p) => p.overdue).length;
  const title = m.title(name, r.behind.length + late);
  const blocks: ReplyBlock[] = [{ type: 'header', text: title }];
  // People ids come from the store, validated as Slack user ids.
  const mentions = r.people.map((u) => `<@${u}>`).join(' ');
  const intro = md`${r.behind.length + late > 0 ? m.intro(formatDate(today, locale)) : m.introHeadsUp(formatDate(today, locale))}`;
  blocks.push({ type: 'section', text: mentions ? joinMd([trusted(mentions), intro], ' ') : intro });
  const shown = r.behind.slice(0, MAX_ITEMS);
  for (const s of shown) {
    const streak = own(model.db.streaks, s.item.id)?.count ?? 0;
    const n = model.numberOf(s.item.id);
    const lines: Mrkdwn[] = [
      md`${STATUS_EMOJI[s.status]} *${pick(s.item.name, locale)}*${n ? messages(locale).format.parens(`#${n}`) : ''}`,
      reasonsText(s, ctx, 2),
      md`_${sinceLastReport(s, today, locale)}${streak > 0 ? ` · ${m.remindedBefore(streak)}` : ''}_`,
    ];
    // The latest report's machine summary, labelled, when the optional model wrote one.
    const latest = s.progress.recent[0];
    const summary = latest ? machineSummaryLine(latest, locale) : undefined;
    if (summary) lines.push(summary);
    // The first reminder about an assigned item not yet signed for carries the 签收 button (commands/assign.ts).
    const unsigned = streak === 0 && s.reasons.some((x) => x.code === 'not_signed');
    blocks.push({
      type: 'section',
      text: joinMd(lines),
      button: unsigned
        ? reminderSignButton(s.item.id, s.item.departmentId, locale)
        : { text: m.log, actionId: REMIND_LOG, value: s.item.id, style: 'primary' },
    });
  }
  if (r.behind.length > shown.length)
    blocks.push({
      type: 'context',
      elements: [md`${messages(locale).list.moreInDetails(r.behind.length - shown.length, m.details)}`],
    });
  blocks.push(...subTaskBlocks(parts, model, today, locale));
  if (r.headsUp.length > 0) {
    const lines = r.headsUp
      .slice(0, 10)
      .map((h) =>
        h.what === 'milestone'
          ? md`⏰ ${m.headsUpMilestone(pick(h.status.item.name, locale), h.name ? pick(h.name, locale) : '', formatDate(h.due, locale, today))}`
          : md`⏰ ${m.headsUpReport(pick(h.status.item.name, locale), formatDate(h.due, locale, today))}`,
      );
    blocks.push({ type: 'section', text: joinMd([md`*${m.headsUpTitle}*`, ...lines]) });
  }
  blocks.push({ type: 'context', elements: [md`${m.replyHint}`] });
  blocks.push({
    type: 'actions',
    buttons: [
      { text: m.snooze, actionId: REMIND_SNOOZE, value: r.department.id },
      { text: m.details, actionId: REMIND_DETAILS, value: r.department.id },
    ],
  });
  const itemIds = [
    ...new Set([
      ...r.behind.map((s) => s.item.id),
      ...r.headsUp.map((h) => h.status.item.id),
      ...parts.map((p) => p.status.item.id),
    ]),
  ];
  return { text: title, blocks, visibility: 'in_channel', about: { departmentId: r.department.id, itemIds } };
}

const MAX_PARTS = 10;

/**
 * A supporting department's own part: each sub-task overdue or due soon, naming the item, the sub-task,
 * its due date and the lead (配合), with the button that reports that sub-task.
 */
function subTaskBlocks(
  parts: readonly SubTaskReminder[],
  model: ReadModel,
  today: string,
  locale: Locale,
): ReplyBlock[] {
  if (parts.length === 0) return [];
  const m = messages(locale).subtasks;
  const blocks: ReplyBlock[] = [{ type: 'section', text: md`*${m.remindTitle}*` }];
  for (const p of parts.slice(0, MAX_PARTS)) {
    const n = model.numberOf(p.status.item.id);
    const due = formatDate(p.milestone.due, locale, today);
    blocks.push({
      type: 'section',
      text: md`${p.overdue ? '🔴' : '⏰'} ${m.remindLine(
        pick(p.status.item.name, locale) + (n ? messages(locale).format.parens(`#${n}`) : ''),
        pick(p.milestone.name, locale),
        p.overdue ? m.overdue(due, daysBetween(p.milestone.due, today)) : m.dueOn(due),
        departmentName(p.lead, locale),
      )}`,
      button: {
        text: m.log,
        actionId: REMIND_SUBTASK,
        value: `${p.status.item.id} ${p.milestone.id}`,
        style: 'primary',
      },
    });
  }
  if (parts.length > MAX_PARTS)
    blocks.push({
      type: 'context',
      elements: [md`${messages(locale).list.moreInDetails(parts.length - MAX_PARTS, messages(locale).remind.details)}`],
    });
  return blocks;
}

export type Escalation = { department: Department; level: number; levelSpec: EscalationLevel; items: ItemStatus[] };

/**
 * Items reminded `after` times in a row with no update since escalate to that level (once each):
 * the department's leads are messaged and the supervision office told.
 */
export function planEscalations(
  model: ReadModel,
  reminders: readonly DepartmentReminder[],
  slot: string,
  /** With it, a step waits until the working days of escalationGraceWorkdays have passed since the step before. */
  grace?: { now: Date; today: string; calendar: WorkingCalendar },
): Escalation[] {
  const levels = model.db.settings.schedule.escalation;
  const graceDays = model.db.settings.schedule.escalationGraceWorkdays;
  const out: Escalation[] = [];
  for (const r of reminders) {
    levels.forEach((spec, i) => {
      const level = i + 1;
      const items = r.behind.filter((s) => {
        const streak = own(model.db.streaks, s.item.id);
        // The count after this run's reminder (the event for it is applied as it is sent).
        const count = (streak?.count ?? 0) + (streak?.lastSlot === slot ? 0 : 1);
        // The step before: the streak's first reminder (this run's, for a new streak), or its last escalation.
        const previous = !streak ? grace?.now.toISOString() : streak.level > 0 ? streak.levelAt : streak.since;
        return (
          count >= spec.after &&
          (streak?.level ?? 0) < level &&
          (!grace || escalationGraceMet(previous, grace.today, model.timeZone, grace.calendar, graceDays))
        );
      });
      if (items.length > 0) out.push({ department: r.department, level, levelSpec: spec, items });
    });
  }
  // Only the highest new level per department and item is sent.
  return out.filter(
    (e) =>
      !out.some(
        (o) => o.department.id === e.department.id && o.level > e.level && e.items.every((s) => o.items.includes(s)),
      ),
  );
}

export function escalationReply(e: Escalation, model: ReadModel, today: string, locale: Locale): Reply {
  const m = messages(locale).remind;
  const ctx = { model, today, locale };
  const name = departmentName(e.department, locale);
  const title = m.escalationTitle(name, e.level);
  const lines = e.items.slice(0, MAX_ITEMS).map((s) => {
    const streak = own(model.db.streaks, s.item.id)?.count ?? 0;
    return joinMd(
      [
        md`${STATUS_EMOJI[s.status]} *${pick(s.item.name, locale)}* — `,
        reasonsText(s, ctx, 1),
        md` · ${m.remindedBefore(streak + 1)}`,
      ],
      '',
    );
  });
  return {
    text: title,
    blocks: [
      { type: 'header', text: title },
      { type: 'section', text: md`${m.escalationIntro(name, e.levelSpec.after)}` },
      { type: 'section', text: joinMd(lines) },
    ],
    visibility: 'in_channel',
    about: { departmentId: e.department.id, itemIds: e.items.map((s) => s.item.id) },
  };
}

/** The reminders a run would send, for /duban remind preview. */
export function previewReply(reminders: readonly DepartmentReminder[], locale: Locale): Reply {
  const m = messages(locale).remind;
  if (reminders.length === 0)
    return { text: m.nothing, blocks: [{ type: 'section', text: md`${m.nothing}` }], visibility: 'ephemeral' };
  const blocks: ReplyBlock[] = [{ type: 'header', text: m.previewTitle(reminders.length) }];
  for (const r of reminders.slice(0, 20)) {
    const where = r.channel ? trusted(`<#${r.channel}>`) : md`${m.directly(r.people.length)}`;
    blocks.push({
      type: 'section',
      text: joinMd([
        joinMd([md`*${departmentName(r.department, locale)}* → `, where], ''),
        // A supporting department's sub-tasks count with the rest: overdue as behind, due soon as heads-ups.
        md`${m.previewLine(r.behind.length + (r.parts ?? []).filter((p) => p.overdue).length, r.headsUp.length + (r.parts ?? []).filter((p) => !p.overdue).length)}`,
        ...r.behind.slice(0, 3).map((s) => md`${STATUS_EMOJI[s.status]} ${pick(s.item.name, locale)}`),
      ]),
    });
  }
  const next = reminders[20];
  if (next)
    blocks.push({
      type: 'context',
      elements: [
        md`${messages(locale).list.moreByDepartment(reminders.length - 20, `/duban remind preview ${departmentName(next.department, locale)}`)}`,
      ],
    });
  return { text: m.previewTitle(reminders.length), blocks, visibility: 'ephemeral' };
}
