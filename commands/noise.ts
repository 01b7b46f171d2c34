/**
 * One digest per department per run, with less in it (减负): what the reminder plan leaves out — items
 * updated in the last few working days, and, once a department has had its messages for the week,
 * everything but urgent (特急) items — and the escalation that a run's reminders cause, told in the
 * department's own digest (the supervision office gets its own notice). Pure planning and rendering;
 * sending is the scheduler's job.
 */
import type { WorkingCalendar } from '../src/domain/calendar.ts';
import {
  digestsThisWeek,
  HELD,
  updatedRecently,
  urgencyOf,
  type WeekCounts,
  weeklyMessages,
} from '../src/domain/noise.ts';
import type { ReadModel } from '../src/domain/read-model.ts';
import type { ScheduleSettings } from '../src/domain/schema.ts';
import type { ItemStatus } from '../src/domain/status.ts';
import { formatDate, type Locale, messages, pick } from '../src/i18n/index.ts';
import type { CommandContext } from './context.ts';
import { departmentName, STATUS_EMOJI } from './format.ts';
import { type DepartmentReminder, type Escalation, isAway, reminderReply } from './remind.ts';
import { joinMd, type Mrkdwn, md, type Reply, type ReplyBlock, trusted } from './reply.ts';

export type NoisePlan = {
  /** The digests to send, each with only what is still to be said. */
  send: Array<DepartmentReminder & { leftOut: number }>;
  /** department id → why its digest is not sent (HELD.recent or HELD.cap). */
  held: Map<string, (typeof HELD)[keyof typeof HELD]>;
};

const isUrgent = (s: ItemStatus) => urgencyOf(s.item) === 'urgent';

/**
 * Applies the rules to planned reminders. An item updated within `recentUpdateWorkdays` working days is
 * left out (it still counts as behind everywhere else); a department that has had `weeklyCap` digests
 * this week gets only its urgent items, and nothing when it has none. Urgent items are in every run.
 */
export function applyNoiseRules(
  model: ReadModel,
  planned: readonly DepartmentReminder[],
  options: { today: string; calendar: WorkingCalendar; slot?: string },
): NoisePlan {
  const { today, calendar, slot } = options;
  const { recentUpdateWorkdays, weeklyCap } = model.db.settings.schedule;
  const send: NoisePlan['send'] = [];
  const held: NoisePlan['held'] = new Map();
  for (const r of planned) {
    const keep = (s: ItemStatus) =>
      isUrgent(s) || !updatedRecently(s.progress.lastReportDate, today, calendar, recentUpdateWorkdays);
    let behind = r.behind.filter(keep);
    let headsUp = r.headsUp.filter((h) => keep(h.status));
    // A supporting department's sub-tasks follow the same rules, by their item.
    let parts = (r.parts ?? []).filter((p) => keep(p.status));
    const leftOut =
      r.behind.length - behind.length + (r.headsUp.length - headsUp.length) + ((r.parts?.length ?? 0) - parts.length);
    if (behind.length === 0 && headsUp.length === 0 && parts.length === 0) {
      held.set(r.department.id, HELD.recent);
      continue;
    }
    if (
      weeklyCap > 0 &&
      digestsThisWeek(model.db.deliveries, r.department.id, today, model.timeZone, slot) >= weeklyCap
    ) {
      behind = behind.filter(isUrgent);
      headsUp = headsUp.filter((h) => isUrgent(h.status));
      parts = parts.filter((p) => isUrgent(p.status));
      if (behind.length === 0 && headsUp.length === 0 && parts.length === 0) {
        held.set(r.department.id, HELD.cap);
        continue;
      }
    }
    const { parts: _, ...rest } = r;
    send.push({ ...rest, behind, headsUp, ...(parts.length > 0 ? { parts } : {}), leftOut });
  }
  return { send, held };
}

/**
 * Where a department's digest goes: its channel, else its people directly; when the digest carries an
 * escalation that tells the leads, the leads are among those people.
 */
export function digestTargets(
  r: DepartmentReminder,
  escalations: readonly Escalation[],
  model: ReadModel,
  today: string,
): string[] {
  if (r.channel) return [r.channel];
  const targets = new Set(r.people);
  if (escalations.some((e) => e.levelSpec.notify.includes('leads')))
    for (const u of r.department.leadIds) if (!isAway(model, u, today)) targets.add(u);
  return [...targets];
}

/**
 * The department's one message of the run: its reminder, with the escalation its reminders caused (the
 * highest level, the leads @-mentioned when they are told) and a note of the items left out as updated.
 */
export function digestReply(
  r: DepartmentReminder & { leftOut?: number },
  escalations: readonly Escalation[],
  model: ReadModel,
  today: string,
  locale: Locale,
): Reply {
  const m = messages(locale).remind;
  const base = reminderReply(r, model, today, locale);
  const extra: ReplyBlock[] = [];
  const top = [...escalations].sort((a, b) => b.level - a.level)[0];
  if (top) {
    const items = [...new Map(escalations.flatMap((e) => e.items.map((s) => [s.item.id, s] as const))).values()];
    const leads = top.levelSpec.notify.includes('leads')
      ? r.department.leadIds.filter((u) => !isAway(model, u, today))
      : [];
    // Lead ids come from the store, validated as Slack user ids.
    const mentions = leads.map((u) => `<@${u}>`).join(' ');
    const intro = md`⚠️ *${m.digestEscalationTitle(top.level)}* ${m.digestEscalationIntro(items.length, top.levelSpec.after)}`;
    extra.push({
      type: 'section',
      text: joinMd([
        mentions ? joinMd([intro, trusted(mentions)], ' ') : intro,
        ...items.slice(0, 10).map((s) => md`${STATUS_EMOJI[s.status]} ${pick(s.item.name, locale)}`),
      ]),
    });
  }
  if (r.leftOut)
    extra.push({
      type: 'context',
      elements: [md`${m.leftOutRecent(r.leftOut, model.db.settings.schedule.recentUpdateWorkdays)}`],
    });
  if (extra.length === 0) return base;
  // After the header and the intro, before the items: what changed since the last digest comes first.
  const blocks = [...base.blocks.slice(0, 2), ...extra.filter((b) => b.type === 'section'), ...base.blocks.slice(2)];
  const context = extra.filter((b) => b.type === 'context');
  blocks.splice(blocks.length - 1, 0, ...context);
  return { ...base, blocks };
}

/** The noise rules as /duban schedule shows them. */
export function noiseLines(st: ScheduleSettings, locale: Locale): Mrkdwn[] {
  const s = messages(locale).schedule;
  return [
    md`*${s.noiseTitle}*`,
    md`• ${st.quietFrom === st.quietUntil ? s.quietOff : s.quietHours(st.quietFrom, st.quietUntil)}`,
    md`• ${st.recentUpdateWorkdays > 0 ? s.recentUpdate(st.recentUpdateWorkdays) : s.recentOff}`,
    md`• ${s.escalationGrace(st.escalationGraceWorkdays)}`,
    md`• ${st.weeklyCap > 0 ? s.weeklyCap(st.weeklyCap) : s.capOff}`,
  ];
}

const sentOf = (c: WeekCounts) => c.digests + c.escalations;
const heldOf = (c: WeekCounts) => c.recent + c.cap;

/** This week's figure in one line, for /duban schedule. */
export function weeklyShortLine(ctx: CommandContext): Mrkdwn {
  const week = weeklyMessages(ctx.model.db, ctx.today, ctx.model.timeZone).total[0];
  return md`${messages(ctx.locale).schedule.statsShort(sentOf(week), heldOf(week))}`;
}

/**
 * /duban schedule stats: the messages duban sent this week and last week, per department and in all,
 * and how many the rules held, from its own records of what it sent (never from people's activity).
 */
export function weeklyStatsReply(ctx: CommandContext): Reply {
  const s = messages(ctx.locale).schedule;
  const stats = weeklyMessages(ctx.model.db, ctx.today, ctx.model.timeZone);
  const week = (label: string, c: WeekCounts) =>
    md`${s.statsWeek(label, sentOf(c), c.digests, c.escalations, c.quiet, heldOf(c))}${heldOf(c) > 0 ? s.statsHeld(c.recent, c.cap) : ''}`;
  const both = (name: string, [now, before]: [WeekCounts, WeekCounts]) =>
    joinMd([md`*${name}*`, week(s.thisWeek, now), week(s.lastWeek, before)]);
  const [thisWeek, lastWeek] = stats.weeks;
  const blocks: ReplyBlock[] = [
    { type: 'header', text: s.statsTitle },
    {
      type: 'context',
      elements: [
        md`${s.statsWeeks(formatDate(thisWeek, ctx.locale, ctx.today), formatDate(lastWeek, ctx.locale, ctx.today))}`,
      ],
    },
  ];
  // Departments in the zone's order; one no longer in the zone is shown by its id.
  const order = ctx.model.db.departments.map((d) => d.id);
  const ids = [...stats.departments.keys()].sort(
    (a, b) => (order.indexOf(a) + 1 || order.length + 1) - (order.indexOf(b) + 1 || order.length + 1),
  );
  if (ids.length === 0) blocks.push({ type: 'section', text: md`${s.statsNone}` });
  else {
    blocks.push({ type: 'section', text: both(s.statsTotal, stats.total) });
    for (const id of ids.slice(0, 40)) {
      const d = ctx.model.department(id);
      blocks.push({ type: 'section', text: both(d ? departmentName(d, ctx.locale) : id, stats.departments.get(id)!) });
    }
  }
  blocks.push({ type: 'context', elements: [md`${s.statsNote}`] });
  return { text: s.statsTitle, blocks, visibility: 'ephemeral' };
}
