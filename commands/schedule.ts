/**
 * /duban remind | schedule | snooze | unsnooze | away | calendar | bulletin: the supervision office's
 * view of and control over the scheduled chasing. Changes are journal events (visible in the audit).
 * /duban schedule also lists the channels set where duban is not, and so does not hear replies.
 */
import { buildBulletin } from '../src/domain/bulletin.ts';
import { isCalendarDate, localDate } from '../src/domain/dates.ts';
import { levelOfEscalation } from '../src/domain/documents.ts';
import { HELD } from '../src/domain/noise.ts';
import { reportersOf } from '../src/domain/permissions.ts';
import { calendarOf } from '../src/domain/read-model.ts';
import { formatMinutes, localMinutes } from '../src/domain/schedule.ts';
import type { Settings } from '../src/domain/schema.ts';
import { formatDate, formatNumber, type Locale, messages, pick } from '../src/i18n/index.ts';
import { channelSetLines } from './admin.ts';
import { bulletinReply } from './bulletin.ts';
import {
  type ChannelAccess,
  type CommandContext,
  type CronProblem,
  canWrite,
  hears,
  type WriteContext,
} from './context.ts';
import { cycleSettingLines, setCycleSetting } from './cycle-settings.ts';
import { departmentName, usageReply } from './format.ts';
import { bulletinNarrative, narrativeBlocks } from './llm-bulletin.ts';
import { applyNoiseRules, noiseLines, weeklyShortLine, weeklyStatsReply } from './noise.ts';
import { planReminders, previewReply } from './remind.ts';
import { joinMd, type Mrkdwn, md, type Reply, trusted } from './reply.ts';
import { resolveItem } from './reporting/index.ts';
import { lookupDepartment } from './views.ts';

export const SCHEDULE_SUBCOMMANDS = [
  'remind',
  'schedule',
  'snooze',
  'unsnooze',
  'away',
  'calendar',
  'bulletin',
] as const;
export type ScheduleSubcommand = (typeof SCHEDULE_SUBCOMMANDS)[number];

/** Anything meant as a date (2026-02-30, 2026/2/3, 2026年2月3日): answered with what is wrong with it rather than ignored. */
const DATE_LIKE = /^\d{2,4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?$/;
const USER = /<@([UW][A-Z0-9]{2,})(?:\|[^>]*)?>/;
const CHANNEL = /<#([CG][A-Z0-9]{2,})(?:\|[^>]*)?>/;

/**
 * What became of a department's message in a scheduled run, as src/scheduler/jobs.ts records it
 * (department id → one of these, or `failed: <Slack's error>`); said in words by outcomeWords.
 */
export const RUN_OUTCOME = {
  sent: 'sent',
  /** Posted, but duban is not in the channel, so replies in the thread do not reach it. */
  notHeard: 'sent: not heard',
  alreadySent: 'already sent',
  nobody: 'skipped: nobody to send to',
  wasSending: 'skipped: was being sent when duban stopped',
  noBulletinChannel: 'skipped: no bulletin channel set',
} as const;

/** Whether an outcome means the message went out. */
export function wasSent(outcome: string | undefined): boolean {
  return outcome === RUN_OUTCOME.sent || outcome === RUN_OUTCOME.notHeard || outcome === RUN_OUTCOME.alreadySent;
}

const FAILED = 'failed: ';

/** The outcome of a message Slack refused (its error code, kept for the logs and said in words here). */
export function failedOutcome(error: string): string {
  return `${FAILED}${error}`;
}

export function hasFailed(outcome: string): boolean {
  return outcome.startsWith(FAILED);
}

/** An outcome in the reader's words: never Slack's error codes. */
export function outcomeWords(outcome: string, locale: Locale): string {
  const o = messages(locale).schedule.outcome;
  if (hasFailed(outcome)) {
    const code = outcome.slice(FAILED.length);
    return code === 'not_in_channel'
      ? o.notInChannel
      : code === 'channel_not_found'
        ? o.channelNotFound
        : code === 'is_archived'
          ? o.archived
          : o.failed;
  }
  switch (outcome) {
    case RUN_OUTCOME.sent:
      return o.sent;
    case RUN_OUTCOME.notHeard:
      return o.notHeard;
    case RUN_OUTCOME.alreadySent:
      return o.alreadySent;
    case RUN_OUTCOME.nobody:
      return o.nobody;
    case RUN_OUTCOME.wasSending:
      return o.wasSending;
    case RUN_OUTCOME.noBulletinChannel:
      return o.noBulletinChannel;
    case HELD.recent:
      return messages(locale).schedule.heldRecent;
    case HELD.cap:
      return messages(locale).schedule.heldCap;
    default:
      return o.skipped;
  }
}

/** What is wrong with a cron pattern, in the reader's words. */
export function cronProblemWords(problem: CronProblem, locale: Locale): string {
  const c = messages(locale).schedule.cronProblem;
  switch (problem.kind) {
    case 'fields':
      return c.fields(problem.count);
    case 'field':
      return c.field(c.names[problem.field], problem.value, problem.min, problem.max);
    case 'other':
      return c.other;
  }
}

const levelWord = (escalation: number, locale: Locale) =>
  messages(locale).documents.level[levelOfEscalation(escalation)];

/** Who an outcome is about: a department (`hurdb`), its escalation (`hurdb:escalation1`), the zone, or the run itself. */
function outcomeSubject(key: string, ctx: CommandContext): string {
  const o = messages(ctx.locale).schedule.outcome;
  if (key === 'zone') return o.zone;
  if (key === 'run') return o.runFailed;
  if (key === 'chart') return messages(ctx.locale).chartPost.outcome;
  const [id = key, escalation] = key.split(':');
  const d = ctx.model.department(id);
  const name = d ? departmentName(d, ctx.locale) : id;
  const level = /^escalation(\d+)$/.exec(escalation ?? '')?.[1];
  const document = /^document(\d+)$/.exec(escalation ?? '')?.[1];
  if (document) return messages(ctx.locale).documents.outcome(name, levelWord(Number(document), ctx.locale));
  return level ? o.escalation(name, Number(level)) : name;
}

function ephemeral(lines: Mrkdwn[], text: string): Reply {
  return { text, blocks: [{ type: 'section', text: joinMd(lines) }], visibility: 'ephemeral' };
}

function ok(text: string): Reply {
  return ephemeral([md`${text}`], text);
}

async function changeSettings(ctx: WriteContext, change: (s: Settings) => Settings): Promise<void> {
  await ctx.store.transact((tx) => {
    const before = tx.state.settings;
    tx.append({ type: 'settings', at: ctx.now.toISOString(), by: ctx.userId, before, after: change(before) });
  });
}

export async function runSchedule(sub: ScheduleSubcommand, rawRest: string, ctx: CommandContext): Promise<Reply> {
  const m = messages(ctx.locale);
  const s = m.schedule;
  const example = m.examples.schedule[sub];
  const words = rawRest.trim().split(/\s+/).filter(Boolean);
  if (!canWrite(ctx) || !ctx.scheduler) return usageReply(m.admin.readOnly, example, ctx.locale);
  const scheduler = ctx.scheduler;
  const calendar = calendarOf(ctx.model, scheduler.calendarData);

  if (sub === 'away') return away(words, rawRest, ctx);
  if (sub === 'snooze' || sub === 'unsnooze') return snooze(sub, words, ctx);
  if (sub === 'bulletin' && words[0] !== 'post') {
    const last = ctx.model.db.lastBulletin;
    const bulletin = buildBulletin(
      ctx.model,
      ctx.today,
      last ? { date: last.date, snapshot: last.snapshot } : undefined,
    );
    const narrative = await bulletinNarrative(bulletin, {
      model: ctx.model,
      locale: ctx.locale,
      ...(ctx.assistant ? { assistant: ctx.assistant } : {}),
    });
    const reply = bulletinReply(bulletin, ctx.model, ctx.locale, [
      ...narrativeBlocks(narrative, ctx.locale),
      { type: 'context', elements: [md`${m.bulletin.preview}`] },
    ]);
    return { ...reply, visibility: 'ephemeral' };
  }
  if (sub === 'calendar' && words.length === 0) {
    const covered = calendar.coveredYears();
    const year = Number(ctx.today.slice(0, 4));
    const st = ctx.model.db.settings.schedule;
    const lines = [
      md`*${s.calendarTitle}*`,
      md`${s.coverage(covered.length ? `${covered[0]}–${covered[covered.length - 1]}` : '—')}`,
      ...(calendar.covers(year) && calendar.covers(year + 1)
        ? []
        : [md`⚠️ ${s.notCovered(calendar.covers(year) ? year + 1 : year)}`]),
      md`${s.manualHolidays(st.holidays.join(', ') || '—')}`,
      md`${s.manualWorkdays(st.workdays.join(', ') || '—')}`,
    ];
    return ephemeral(lines, s.calendarTitle);
  }
  if (sub === 'schedule' && words.length === 0) return await scheduleStatus(ctx);
  if (sub === 'schedule' && words[0] === 'stats' && words.length === 1)
    return ctx.isAdmin ? weeklyStatsReply(ctx) : usageReply(m.admin.adminsOnly, '/duban schedule stats', ctx.locale);
  // "/duban remind preview|now [department]": the department, or the reply saying why it is not one.
  const departmentArg = (): { departmentId?: string } | Reply => {
    const dept = words.slice(1).join(' ');
    if (!dept) return {};
    const found = lookupDepartment(dept, ctx, example, true);
    if (found.kind !== 'one')
      return found.kind === 'reply' ? found.reply : usageReply(m.admin.unknownDepartment, example, ctx.locale);
    return { departmentId: found.department.id };
  };
  if (sub === 'remind' && words[0] === 'preview') {
    const scope = departmentArg();
    if ('blocks' in scope) return scope;
    if (!ctx.isAdmin) return usageReply(m.admin.adminsOnly, example, ctx.locale);
    // What a run now would send: after the noise rules.
    const planned = planReminders(ctx.model, ctx.today, calendar, scope.departmentId);
    return previewReply(applyNoiseRules(ctx.model, planned, { today: ctx.today, calendar }).send, ctx.locale);
  }

  // Everything below changes something or sends: admins only.
  if (!ctx.isAdmin) return usageReply(m.admin.adminsOnly, example, ctx.locale);
  switch (sub) {
    case 'remind': {
      if (words[0] !== 'now')
        return usageReply(m.errors.unknownSubcommand(words[0] ?? ''), m.examples.schedule.remindNow, ctx.locale);
      const scope = departmentArg();
      if ('blocks' in scope) return scope;
      const outcome = await scheduler.runNow('reminders', scope);
      return outcomeReply(s.remindedNow, outcome, ctx);
    }
    case 'bulletin': {
      const outcome = await scheduler.runNow('bulletin');
      const approval = ctx.model.db.settings.schedule.bulletinApproval;
      return outcomeReply(approval ? m.scoring.bulletinPreviewed : s.bulletinNow, outcome, ctx);
    }
    case 'calendar': {
      const [action, date] = words;
      if (!date || !['holiday', 'workday', 'remove'].includes(action ?? ''))
        return usageReply(s.calendarUsage, example, ctx.locale);
      // Checked here, not left to the store's schema: a day that does not exist deserves an answer, not an error.
      if (!isCalendarDate(date)) return usageReply(s.badDate(s.dateField, date), example, ctx.locale);
      await changeSettings(ctx, (st) => {
        const holidays = st.schedule.holidays.filter((d) => d !== date);
        const workdays = st.schedule.workdays.filter((d) => d !== date);
        if (action === 'holiday') holidays.push(date);
        if (action === 'workday') workdays.push(date);
        return { ...st, schedule: { ...st.schedule, holidays: holidays.sort(), workdays: workdays.sort() } };
      });
      return ok(s.calendarChanged(date, action === 'holiday' ? s.dayOff : action === 'workday' ? s.workday : s.asData));
    }
    case 'schedule': {
      if (words[0] !== 'set' || words.length < 3)
        return usageReply(s.setUsage, example, ctx.locale, [md`${s.noiseUsage}`]);
      const key = words[1]!;
      const value = words.slice(2).join(' ');
      const names = s.setting;
      if (key === 'reminders' || key === 'bulletin') {
        const parsed = scheduler.parse(value);
        if (!parsed.ok)
          return usageReply(
            s.badCron(value, cronProblemWords(parsed.reason, ctx.locale)),
            `/duban schedule set ${key} ${key === 'bulletin' ? '0 16 * * 5' : '0 9 * * 1'}`,
            ctx.locale,
            [md`${s.cronProblem.hint}`],
          );
        await changeSettings(ctx, (st) => ({ ...st, schedule: { ...st.schedule, [key]: value } }));
        return ok(s.set(names[key], `\`${value}\``) + (scheduler.overridden[key] ? ` ${s.overridden}` : ''));
      }
      const n = Number(value);
      const number = (x: number) => formatNumber(x, ctx.locale);
      // A number out of its range is answered with the range, naming the setting, not with the whole usage.
      const outOfRange = (name: string, from: string, to: string, sample: string) =>
        usageReply(s.outOfRange(name, from, to), `/duban schedule set ${key} ${sample}`, ctx.locale);
      if (key === 'grace') {
        if (!(value.length > 0 && Number.isFinite(n) && n >= 0 && n <= 336))
          return outOfRange(names.grace, s.hours(number(0)), s.hours(number(336)), '24');
        await changeSettings(ctx, (st) => ({ ...st, schedule: { ...st.schedule, graceHours: n } }));
        return ok(s.set(names.grace, s.hours(number(n))));
      }
      if (key === 'headsup') {
        if (!(Number.isInteger(n) && n >= 0 && n <= 20))
          return outOfRange(names.headsup, s.workdays(number(0)), s.workdays(number(20)), '3');
        await changeSettings(ctx, (st) => ({ ...st, schedule: { ...st.schedule, headsUpWorkdays: n } }));
        return ok(s.set(names.headsup, s.workdays(number(n))));
      }
      const noise = setNoise(key, value, ctx);
      if (noise) return await noise;
      const cycle = setCycleSetting(key, value, ctx.locale, async (patch, reply) => {
        await changeSettings(ctx, (st) => ({ ...st, ...patch }));
        return ok(reply);
      });
      if (cycle) return await cycle;
      if (key === 'escalate') {
        if (!(Number.isInteger(n) && n >= 1 && n <= 20))
          return outOfRange(names.escalate, s.times(number(1)), s.times(number(20)), '2');
        await changeSettings(ctx, (st) => {
          const [first, ...rest] = st.schedule.escalation;
          const levels = [
            { after: n, notify: first?.notify ?? (['leads', 'supervision'] as const).slice() },
            ...rest.map((l) => ({ ...l, after: Math.max(l.after, n + 1) })),
          ];
          return { ...st, schedule: { ...st.schedule, escalation: levels } };
        });
        return ok(s.set(names.escalate, s.times(number(n))));
      }
      if (key === 'bulletin-approval') {
        const sc = m.scoring;
        const on = ['on', '开', '开启'].includes(value)
          ? true
          : ['off', '关', '关闭'].includes(value)
            ? false
            : undefined;
        if (on === undefined)
          return usageReply(sc.approvalUsage, '/duban schedule set bulletin-approval off', ctx.locale);
        await changeSettings(ctx, (st) => ({ ...st, schedule: { ...st.schedule, bulletinApproval: on } }));
        return ok(s.set(sc.approvalName, on ? sc.approvalOn : sc.approvalOff));
      }
      if (key === 'bulletin-channel') {
        const ch = CHANNEL.exec(rawRest);
        if (!ch) return usageReply(m.admin.needChannel, m.examples.schedule.bulletinChannel, ctx.locale);
        await changeSettings(ctx, (st) => ({ ...st, schedule: { ...st.schedule, bulletinChannelId: ch[1]! } }));
        return ephemeral(
          await channelSetLines(s.set(names.bulletinChannel, ''), ch[1]!, ctx),
          s.set(names.bulletinChannel, `<#${ch[1]!}>`),
        );
      }
      return usageReply(s.setUsage, example, ctx.locale, [md`${s.noiseUsage}`]);
    }
  }
  return usageReply(m.errors.unknownSubcommand(sub), example, ctx.locale);
}

function outcomeReply(title: string, outcome: Record<string, string>, ctx: CommandContext): Reply {
  const entries = Object.entries(outcome);
  const line = messages(ctx.locale).schedule.outcome.line;
  const lines = entries
    .slice(0, 30)
    .map(([key, result]) => md`• ${line(outcomeSubject(key, ctx), outcomeWords(result, ctx.locale))}`);
  return ephemeral([md`*${title}*`, ...(lines.length ? lines : [md`${messages(ctx.locale).remind.nothing}`])], title);
}

/** A run by when it was due (or, run by hand, when it ran), in the zone's time. */
function runLabel(slot: string, at: string, ctx: CommandContext): string {
  const s = messages(ctx.locale).schedule;
  const [kind = '', when = ''] = slot.split('@');
  const what =
    kind === 'bulletin' ? s.bulletin : kind === 'monthly' ? messages(ctx.locale).scoring.kind.monthly : s.reminders;
  const due = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})$/.exec(when);
  if (due) return `${what} ${formatDate(due[1]!, ctx.locale, ctx.today)} ${due[2]}`;
  const ran = new Date(at);
  return `${what}${s.manualRun} ${formatDate(localDate(ran, ctx.model.timeZone), ctx.locale, ctx.today)} ${formatMinutes(localMinutes(ran, ctx.model.timeZone))}`;
}

/** Every channel set (departments', reviews', the bulletin's), with what it is for. */
function channelsSet(ctx: CommandContext): Map<string, string[]> {
  const m = messages(ctx.locale).membership;
  const settings = ctx.model.db.settings;
  const uses = new Map<string, string[]>();
  const add = (channelId: string | undefined, use: string) => {
    if (channelId) uses.set(channelId, [...(uses.get(channelId) ?? []), use]);
  };
  for (const d of ctx.model.db.departments) add(d.channelId, departmentName(d, ctx.locale));
  add(settings.supervisionChannelId, m.review);
  add(settings.schedule.bulletinChannelId, m.bulletin);
  return uses;
}

/** The channels set where duban is not, and so does not hear replies, with what to do; public ones it joins. */
async function unheardChannels(ctx: CommandContext): Promise<Mrkdwn[]> {
  const port = ctx.channels;
  if (!port) return [];
  const { membership: m, format } = messages(ctx.locale);
  const list = format.list;
  const uses = [...channelsSet(ctx)];
  const access: ChannelAccess[] = [];
  // A few questions to Slack at a time; what it said is remembered, so a second look asks none.
  for (let i = 0; i < uses.length; i += 4)
    access.push(...(await Promise.all(uses.slice(i, i + 4).map(([id]) => port.ensure(id)))));
  const lines = uses.flatMap(([id, use], i) => {
    const a = access[i]!;
    // Ids come from Slack's own <#C…> markup, validated when set: safe to render as a channel link.
    return hears(a) ? [] : [joinMd([md`• ${list(use)} `, trusted(`<#${id}>`), md`${m.sep}${m.access[a]}`], '')];
  });
  return [md`*${m.title}*`, ...(lines.length ? lines : [md`${m.allHeard}`])];
}

async function scheduleStatus(ctx: CommandContext): Promise<Reply> {
  const s = messages(ctx.locale).schedule;
  const list = messages(ctx.locale).format.list;
  const scheduler = ctx.scheduler!;
  const st = ctx.model.db.settings.schedule;
  const patterns = scheduler.patterns();
  const calendar = calendarOf(ctx.model, scheduler.calendarData);
  const year = Number(ctx.today.slice(0, 4));
  const lines: Mrkdwn[] = [
    md`*${s.title}*${scheduler.enabled ? '' : `　${s.disabled}`}`,
    md`${s.pattern(s.reminders, patterns.reminders)}${scheduler.overridden.reminders ? ` ${s.overridden}` : ''}`,
    md`${s.pattern(s.bulletin, patterns.bulletin)}${scheduler.overridden.bulletin ? ` ${s.overridden}` : ''}`,
    md`${s.zone(ctx.model.timeZone)} · ${s.grace(st.graceHours)} · ${s.headsUp(st.headsUpWorkdays)}`,
    md`${s.escalation(list(st.escalation.map((l) => `${l.after}→${l.notify.map((n) => s.notify[n]).join('+')}`)))}`,
  ];
  const bulletinChannel = st.bulletinChannelId ?? ctx.model.db.settings.supervisionChannelId;
  lines.push(
    bulletinChannel
      ? trusted(`${md`${s.bulletinChannel}`.mrkdwn}<#${bulletinChannel}>`)
      : md`${s.bulletinChannel}${messages(ctx.locale).admin.noChannel}`,
  );
  const sc = messages(ctx.locale).scoring;
  lines.push(md`${sc.approvalStatus(st.bulletinApproval ? sc.approvalOn : sc.approvalOff)}`);
  if (!calendar.covers(year)) lines.push(md`⚠️ ${s.notCovered(year)}`);
  const noise = [
    ...noiseLines(st, ctx.locale),
    ...(ctx.isAdmin ? [weeklyShortLine(ctx)] : []),
    ...cycleSettingLines(ctx.model.db.settings, ctx.locale),
  ];
  const next = scheduler
    .upcoming(4)
    .map(
      (p) =>
        md`• ${p.kind === 'reminders' ? s.reminders : p.kind === 'bulletin' ? s.bulletin : messages(ctx.locale).scoring.kind.monthly} ${formatDate(p.runDate, ctx.locale, ctx.today)} ${formatMinutes(p.occurrence.minutes)}${p.moved ? `（${s.movedFrom(formatDate(p.moved.from, ctx.locale, ctx.today))}）` : ''}${p.quiet ? `（${s.deferred(`${formatDate(p.runDate, ctx.locale, ctx.today)} ${formatMinutes(localMinutes(p.runAt, ctx.model.timeZone))}`)}）` : ''}`,
    );
  const runs = Object.entries(ctx.model.db.runs)
    .sort((a, b) => (a[1].at < b[1].at ? 1 : -1))
    .slice(0, 5)
    .map(([slot, r]) => {
      const outcomes = Object.entries(r.outcome);
      const failed = outcomes.filter(([, o]) => hasFailed(o)).length;
      const sent = outcomes.filter(([, o]) => o === RUN_OUTCOME.sent || o === RUN_OUTCOME.notHeard).length;
      // What did not simply go out, and what to do about it; the rest is counted.
      const problems = outcomes.filter(([, o]) => o !== RUN_OUTCOME.sent && o !== RUN_OUTCOME.alreadySent);
      const status = `${s.runStatus[r.status]}${r.caughtUp ? ` ${s.caughtUp}` : ''}`;
      const counts = list([s.sentCount(sent), ...(failed ? [s.failedCount(failed)] : [])]);
      const head = md`• ${runLabel(slot, r.at, ctx)} — ${r.status === 'missed' ? status : s.outcome.line(status, counts)}`;
      return joinMd([
        head,
        ...problems
          .slice(0, 5)
          .map(([key, o]) => md`　${s.outcome.line(outcomeSubject(key, ctx), outcomeWords(o, ctx.locale))}`),
      ]);
    });
  const unheard = await unheardChannels(ctx);
  return {
    text: s.title,
    blocks: [
      { type: 'section', text: joinMd(lines) },
      { type: 'section', text: joinMd(noise) },
      { type: 'section', text: joinMd([md`*${s.next}*`, ...(next.length ? next : [md`—`])]) },
      { type: 'section', text: joinMd([md`*${s.last}*`, ...(runs.length ? runs : [md`${s.noRuns}`])]) },
      ...(unheard.length ? [{ type: 'section' as const, text: joinMd(unheard) }] : []),
    ],
    visibility: 'ephemeral',
  };
}

async function snooze(sub: 'snooze' | 'unsnooze', words: string[], ctx: WriteContext): Promise<Reply> {
  const m = messages(ctx.locale);
  const example = m.examples.schedule[sub];
  const [subjectWord = '', daysWord, ...reasonWords] = words;
  const item = resolveItem(ctx.model, subjectWord);
  const dept = item.kind === 'one' ? undefined : lookupDepartment(subjectWord, ctx, example, false);
  const subject =
    item.kind === 'one'
      ? { id: item.item.id, name: pick(item.item.name, ctx.locale), departmentId: item.item.departmentId }
      : dept?.kind === 'one'
        ? {
            id: dept.department.id,
            name: departmentName(dept.department, ctx.locale),
            departmentId: dept.department.id,
          }
        : undefined;
  if (!subject) return usageReply(m.progress.noSuchItem(subjectWord || '—'), example, ctx.locale);
  const owner = ctx.model.department(subject.departmentId);
  // The department's own people may pause reminders for it (with a reason, in the audit trail); so may admins.
  const allowed = ctx.isAdmin || (!!owner && reportersOf(owner).includes(ctx.userId));
  if (!allowed) return usageReply(m.admin.adminsOnly, example, ctx.locale);
  const at = ctx.now.toISOString();
  if (sub === 'unsnooze') {
    await ctx.store.transact((tx) =>
      tx.append({ type: 'snooze', at, by: ctx.userId, subject: subject.id, change: 'clear' }),
    );
    return ok(m.remind.unsnoozed(subject.name));
  }
  const days = Number(daysWord);
  if (!Number.isInteger(days) || days < 1 || days > 30) return usageReply(m.remind.badDays, example, ctx.locale);
  const reason = reasonWords.join(' ');
  if (!reason) return usageReply(m.remind.needReason, example, ctx.locale);
  const until = calendarOf(ctx.model, ctx.scheduler!.calendarData).addWorkingDays(ctx.today, days);
  await ctx.store.transact((tx) =>
    tx.append({
      type: 'snooze',
      at,
      by: ctx.userId,
      subject: subject.id,
      change: 'set',
      until,
      reason: reason.slice(0, 500),
    }),
  );
  return ok(m.remind.snoozed(subject.name, formatDate(until, ctx.locale, ctx.today)));
}

async function away(words: string[], rawRest: string, ctx: WriteContext): Promise<Reply> {
  const m = messages(ctx.locale);
  const s = m.schedule;
  const example = m.examples.schedule.away;
  const mention = USER.exec(rawRest);
  const userId = mention?.[1] ?? ctx.userId;
  if (userId !== ctx.userId && !ctx.isAdmin) return usageReply(m.admin.adminsOnly, example, ctx.locale);
  const dates = words.filter((w) => DATE_LIKE.test(w));
  const at = ctx.now.toISOString();
  if (words.includes('clear') || words.includes('取消')) {
    await ctx.store.transact((tx) => tx.append({ type: 'absence', at, by: ctx.userId, userId, change: 'clear' }));
    return ephemeral([trusted(`<@${userId}> ${md`${s.awayCleared}`.mrkdwn}`)], s.awayCleared);
  }
  const fields = [s.fromField, s.toField];
  const bad = dates.findIndex((d) => !isCalendarDate(d));
  if (bad >= 0) return usageReply(s.badDate(fields[bad] ?? s.dateField, dates[bad]!), example, ctx.locale);
  const [from, to = dates[0]] = dates;
  if (!from || !to) return usageReply(s.awayUsage, example, ctx.locale);
  if (to < from) return usageReply(s.awayEndsBeforeStart(from, to), example, ctx.locale);
  await ctx.store.transact((tx) => tx.append({ type: 'absence', at, by: ctx.userId, userId, change: 'set', from, to }));
  return ephemeral(
    [
      trusted(
        `<@${userId}> ${md`${s.awaySet(formatDate(from, ctx.locale, ctx.today), formatDate(to, ctx.locale, ctx.today))}`.mrkdwn}`,
      ),
    ],
    s.awaySet(from, to),
  );
}

/**
 * `/duban schedule set quiet|recent|escalation-grace|cap …`: the noise rules (减负), each checked with a
 * specific answer naming the setting; undefined for any other setting.
 */
function setNoise(key: string, value: string, ctx: WriteContext): Promise<Reply> | undefined {
  const s = messages(ctx.locale).schedule;
  const names = s.noiseSetting;
  const number = (x: number) => formatNumber(x, ctx.locale);
  const n = Number(value);
  const whole = (from: number, to: number) => /^\d+$/.test(value) && n >= from && n <= to;
  // A number out of its range is answered naming the setting and its range, with an example.
  const outOfRange = (name: string, from: string, to: string, sample: string) =>
    Promise.resolve(usageReply(s.outOfRange(name, from, to), `/duban schedule set ${sample}`, ctx.locale));
  const change = async (patch: Partial<Settings['schedule']>, reply: string) => {
    await changeSettings(ctx, (st) => ({ ...st, schedule: { ...st.schedule, ...patch } }));
    return ok(reply);
  };
  switch (key) {
    case 'quiet': {
      if (/^(off|none|关闭?|不设)$/i.test(value))
        return change({ quietFrom: '00:00', quietUntil: '00:00' }, s.set(names.quiet, s.quietNone));
      const q = /^([01]?\d|2[0-3])[:：]([0-5]\d)\s*[-–~～至到]\s*([01]?\d|2[0-3])[:：]([0-5]\d)$/.exec(value);
      if (!q || `${q[1]}:${q[2]}` === `${q[3]}:${q[4]}`)
        return Promise.resolve(usageReply(s.badQuiet(value), '/duban schedule set quiet 18:00-09:00', ctx.locale));
      const from = `${q[1]!.padStart(2, '0')}:${q[2]}`;
      const until = `${q[3]!.padStart(2, '0')}:${q[4]}`;
      return change({ quietFrom: from, quietUntil: until }, s.set(names.quiet, s.quietSet(from, until)));
    }
    case 'recent':
      return whole(0, 20)
        ? change({ recentUpdateWorkdays: n }, s.set(names.recent, s.workdays(number(n))))
        : outOfRange(names.recent, s.workdays(number(0)), s.workdays(number(20)), 'recent 2');
    case 'escalation-grace':
      return whole(0, 20)
        ? change({ escalationGraceWorkdays: n }, s.set(names.escalationGrace, s.workdays(number(n))))
        : outOfRange(names.escalationGrace, s.workdays(number(0)), s.workdays(number(20)), 'escalation-grace 2');
    case 'cap':
      return whole(0, 50)
        ? change({ weeklyCap: n }, s.set(names.cap, s.messages(number(n))))
        : outOfRange(names.cap, s.messages(number(0)), s.messages(number(50)), 'cap 3');
  }
  return undefined;
}
