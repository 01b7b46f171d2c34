/**
 * The scheduled jobs as plain functions of (slot, deps): send the reminders, escalations and the
 * bulletin of one run. Each message is recorded as "sending" before it goes and "sent" after, per
 * (kind, department, slot), so a double trigger, an overlapping run or a restart never sends twice;
 * one department's failure is recorded and does not stop the others. Before posting in a channel duban
 * makes sure it is in it (joining a public one), so replies in the message's thread reach it; where it
 * cannot be, the outcome says so.
 */

import { bulletinReply } from '../../commands/bulletin.ts';
import { type ChannelPort, hears } from '../../commands/context.ts';
import { bulletinNarrative, narrativeBlocks } from '../../commands/llm-bulletin.ts';
import type { Assistant } from '../../commands/llm-port.ts';
import { applyNoiseRules, digestReply, digestTargets } from '../../commands/noise.ts';
import { contentOf, previewReply, previewTargets, publicationId } from '../../commands/publishing.ts';
import { escalationReply, isAway, planEscalations, planReminders } from '../../commands/remind.ts';
import type { Reply } from '../../commands/reply.ts';
import { rememberThread } from '../../commands/reporting/index.ts';
import { failedOutcome, hasFailed, RUN_OUTCOME, wasSent } from '../../commands/schedule.ts';
import { monthlyReply } from '../../commands/score.ts';
import type { ChartPort } from '../charts/port.ts';
import { rankingChart } from '../charts/specs/ranking.ts';
import { buildBulletin } from '../domain/bulletin.ts';
import type { CalendarData } from '../domain/calendar.ts';
import { localDate } from '../domain/dates.ts';
import type { JournalEventInput } from '../domain/journal.ts';
import { own } from '../domain/lookup.ts';
import type { WritePort } from '../domain/ports.ts';
import { calendarOf } from '../domain/read-model.ts';
import { previousMonth, scoreMonth } from '../domain/scoring.ts';
import { type Locale, messages as messageOf } from '../i18n/index.ts';
import type { Logger } from '../log.ts';
import { type ChartUpload, chartKey, postChartOnce } from './chart-posts.ts';

/** Where scheduled messages go: posts a reply to a channel, or to a user directly (a user id). */
export type Messenger = {
  /** `key`: the delivery's key, carried by the message (Slack message metadata) so `find` can tell it went. */
  post(channel: string, reply: Reply, locale: Locale, key?: string): Promise<{ channel: string; ts: string }>;
  /**
   * The message posted to `target` (a channel, or a user's DM) carrying delivery `key`, at or after `since`, if
   * there is one. A delivery found in flight (duban stopped between marking it sending and sent) is checked with
   * it: what went is recorded, what did not is sent. Without it, such a delivery is not sent again.
   */
  find?(target: string, key: string, since: Date): Promise<{ channel: string; ts: string } | undefined>;
  /** Shares a file in a channel, or in a thread of it (the bulletin's chart); without it, messages go without files. */
  upload?: ChartUpload;
};

export type JobDeps = {
  store: WritePort;
  messenger: Messenger;
  clock: () => Date;
  timeZone: string;
  locale: Locale;
  logger: Logger;
  calendarData: CalendarData;
  /** Every admin, for the escalation level that notifies admins. */
  admins(): Promise<string[]>;
  /** How many messages are sent at once (to different channels). */
  concurrency?: number;
  /** Draws the bulletin's charts (src/charts); without it, the bulletin is text only. */
  charts?: ChartPort;
  /** The optional model, for the bulletin's narrative (rules write it otherwise). */
  assistant?: Assistant;
  /** Duban's place in the channels it posts to (src/slack/membership.ts); without it, channels are posted to as they are. */
  channels?: ChannelPort & { forget(channelId: string): void };
  /** The 督办单 an escalation calls for, numbered and posted once per step (src/slack/listeners/documents.ts). */
  documents?: {
    escalated(step: { slot: string; departmentId: string; level: number; itemIds: readonly string[] }): Promise<string>;
    retryFailed(slot: string): Promise<RunOutcome>;
  };
};

/**
 * department id (or "zone") → what happened: one of RUN_OUTCOME (commands/schedule.ts, which says them
 * in words) or "failed: <Slack's error>".
 */
export type RunOutcome = Record<string, string>;

/** Slack's answers to a post in a channel duban is not in, or that is gone. */
const NOT_THERE = new Set(['not_in_channel', 'channel_not_found', 'is_archived']);

/** Channels, as opposed to people (a user id posts to the DM with them). */
const isChannel = (target: string) => /^[CG]/.test(target);

async function inParallel<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  });
  await Promise.all(workers);
}

function errorText(e: unknown): string {
  const code = (e as { data?: { error?: string }; code?: string }).data?.error ?? (e as { code?: string }).code;
  return (code ?? (e as Error).message ?? String(e)).slice(0, 200);
}

/** Posts to one target, in a channel only after making sure duban is in it; says whether duban hears replies there. */
async function postTo(
  deps: JobDeps,
  target: string,
  reply: Reply,
  key: string,
): Promise<{ posted: { channel: string; ts: string }; heard: boolean }> {
  const access = deps.channels && isChannel(target) ? await deps.channels.ensure(target) : undefined;
  try {
    const posted = await deps.messenger.post(target, reply, deps.locale, key);
    return { posted, heard: access === undefined || hears(access) };
  } catch (e) {
    // What duban knew of the channel was wrong or is out of date: Slack is asked again next time.
    if (isChannel(target) && NOT_THERE.has(errorText(e))) deps.channels?.forget(target);
    throw e;
  }
}

/**
 * Sends one recorded delivery: skipped if it was sent, otherwise marked sending, sent to every target,
 * then recorded with `event` in one transaction. One found "sending" (duban, or the instance that led
 * before, stopped in between) is finished exactly once: each target's message is looked for in Slack by
 * the key it carries; found, it is recorded; not found, it is sent. Where messages cannot be looked for,
 * it is skipped as before (it may have gone).
 */
async function deliverOnce(
  deps: JobDeps,
  key: string,
  targets: readonly string[],
  reply: Reply,
  event: (first: { channel: string; ts: string } | undefined) => JournalEventInput,
  /** Filled with every message posted (not on a run that finds them sent already). */
  posted: Array<{ channel: string; ts: string }> = [],
): Promise<string> {
  const at = () => deps.clock().toISOString();
  const seen = own(deps.store.model().db.deliveries, key);
  if (seen?.status === 'sent') return RUN_OUTCOME.alreadySent;
  const find = deps.messenger.find?.bind(deps.messenger);
  if (seen?.status === 'sending' && !find) {
    deps.logger.warn({ key }, 'a delivery was in flight when duban stopped; not sending it again');
    return RUN_OUTCOME.wasSending;
  }
  if (targets.length === 0) return RUN_OUTCOME.nobody;
  // Claimed in the transaction, on the store's latest state (another instance may have led a moment ago).
  const { result: previous } = await deps.store.transact((tx) => {
    const current = own(tx.state.deliveries, key);
    if (current?.status === 'sent' || current?.status === 'sending') return current;
    tx.bookkeep((s) => ({ deliveries: { ...s.deliveries, [key]: { status: 'sending', at: at() } } }));
    return undefined;
  });
  if (previous?.status === 'sent') return RUN_OUTCOME.alreadySent;
  const inFlight = previous?.status === 'sending' ? new Date(previous.at) : undefined;
  if (inFlight && !find) return RUN_OUTCOME.wasSending;
  if (inFlight) deps.logger.warn({ key }, 'a delivery was in flight when duban stopped; sending what did not go');
  let first: { channel: string; ts: string } | undefined;
  let heard = true;
  try {
    for (const target of targets) {
      let went: { channel: string; ts: string } | undefined;
      try {
        went = inFlight && find ? await find(target, key, inFlight) : undefined;
      } catch (e) {
        // Not known whether it went: left "sending", and looked for again by the run's retry.
        const error = errorText(e);
        deps.logger.error({ key, target, error }, 'could not look in Slack for a message in flight');
        return failedOutcome(error);
      }
      if (went) {
        first ??= went;
        posted.push(went);
        if (reply.about) await rememberThread(deps.store, went, reply.about, deps.clock().getTime());
        continue;
      }
      const sent = await postTo(deps, target, reply, key);
      first ??= sent.posted;
      posted.push(sent.posted);
      heard &&= sent.heard;
      if (reply.about) await rememberThread(deps.store, sent.posted, reply.about, deps.clock().getTime());
    }
  } catch (e) {
    const error = errorText(e);
    deps.logger.error({ key, error }, 'scheduled message failed');
    await deps.store.transact((tx) =>
      tx.bookkeep((s) => ({ deliveries: { ...s.deliveries, [key]: { status: 'failed', at: at(), error } } })),
    );
    return failedOutcome(error);
  }
  await deps.store.transact((tx) => {
    tx.append(event(first));
    tx.bookkeep((s) => ({
      deliveries: {
        ...s.deliveries,
        [key]: { status: 'sent', at: at(), ...(first ? { channel: first.channel, ts: first.ts } : {}) },
      },
    }));
  });
  return heard ? RUN_OUTCOME.sent : RUN_OUTCOME.notHeard;
}

/**
 * One reminder run: one digest per department that needs one (its reminders, heads-ups and the
 * escalation they cause, after the noise rules: commands/noise.ts), then the escalations' notices to
 * the supervision office. A department whose digest the rules held has that as its outcome.
 */
export async function runReminders(
  slot: string,
  deps: JobDeps,
  options: { departmentId?: string } = {},
): Promise<RunOutcome> {
  const now = deps.clock();
  const today = localDate(now, deps.timeZone);
  const model = deps.store.model();
  const calendar = calendarOf(model, deps.calendarData);
  const planned = planReminders(model, today, calendar, options.departmentId);
  const { send: reminders, held } = applyNoiseRules(model, planned, { today, calendar, slot });
  // The escalations this run's reminders cause, planned before sending so the digest can tell them.
  const escalations = planEscalations(model, reminders, slot, { now, today, calendar });
  // Keyed by department id: a department called `constructor` is an entry like any other.
  const outcome: RunOutcome = Object.create(null) as RunOutcome;
  for (const [departmentId, why] of held) outcome[departmentId] = why;
  await inParallel(reminders, deps.concurrency ?? 8, async (r) => {
    const mine = escalations.filter((e) => e.department.id === r.department.id);
    const reply = digestReply(r, mine, model, today, deps.locale);
    const targets = digestTargets(r, mine, model, today);
    outcome[r.department.id] = await deliverOnce(
      deps,
      `reminder:${r.department.id}:${slot}`,
      targets,
      reply,
      (first) => ({
        type: 'reminder',
        at: deps.clock().toISOString(),
        by: 'duban',
        slot,
        departmentId: r.department.id,
        itemIds: r.behind.map((s) => s.item.id),
        channel: first?.channel ?? targets[0] ?? '',
        ...(first ? { ts: first.ts } : {}),
      }),
    );
  });

  const after = deps.store.model();
  const supervision = after.db.settings.supervisionChannelId;
  // Only what went out in a digest escalates; the digest told the department and its leads.
  const told = escalations.filter((e) => wasSent(outcome[e.department.id]));
  const admins = told.some((e) => e.levelSpec.notify.includes('admins')) ? await deps.admins() : [];
  // Documents of this run's escalations that could not be posted before: the escalation is not planned again.
  if (deps.documents) Object.assign(outcome, await deps.documents.retryFailed(slot));
  await inParallel(told, deps.concurrency ?? 8, async (e) => {
    const targets = new Set<string>();
    if (e.levelSpec.notify.includes('supervision') && supervision) targets.add(supervision);
    if (e.levelSpec.notify.includes('admins') || (e.levelSpec.notify.includes('supervision') && !supervision))
      for (const a of admins) targets.add(a);
    const leads = e.levelSpec.notify.includes('leads')
      ? e.department.leadIds.filter((u) => !isAway(after, u, today))
      : [];
    const event = (): JournalEventInput => ({
      type: 'escalation',
      at: deps.clock().toISOString(),
      by: 'duban',
      slot,
      departmentId: e.department.id,
      itemIds: e.items.map((s) => s.item.id),
      level: e.level,
      notified: [...leads, ...targets].slice(0, 100),
    });
    const key = `escalation:${e.department.id}:${e.level}:${slot}`;
    let result: string;
    if (targets.size === 0) {
      // Told in the digest alone (no office to tell): recorded, so the level is reached and not told again.
      await deps.store.transact((tx) => tx.append(event()));
      result = RUN_OUTCOME.sent;
    } else {
      result = await deliverOnce(deps, key, [...targets], escalationReply(e, after, today, deps.locale), event);
    }
    outcome[`${e.department.id}:escalation${e.level}`] = result;
    // The escalation's document (提示单, 督办单, 督办函), once it went out; a retried run finds it numbered.
    if (deps.documents && wasSent(result))
      outcome[`${e.department.id}:document${e.level}`] = await deps.documents.escalated({
        slot,
        departmentId: e.department.id,
        level: e.level,
        itemIds: e.items.map((s) => s.item.id),
      });
  });
  return outcome;
}

/** The bulletin: posted to the bulletin channel (or the supervision channel), with what changed since the last. */
export async function runBulletin(slot: string, deps: JobDeps): Promise<RunOutcome> {
  const now = deps.clock();
  const today = localDate(now, deps.timeZone);
  const model = deps.store.model();
  const channel = model.db.settings.schedule.bulletinChannelId ?? model.db.settings.supervisionChannelId;
  if (!channel && !model.db.settings.schedule.bulletinApproval) {
    deps.logger.warn({ slot }, 'no bulletin or supervision channel is set; the bulletin was not posted');
    return { zone: RUN_OUTCOME.noBulletinChannel };
  }
  const last = model.db.lastBulletin;
  const bulletin = buildBulletin(model, today, last ? { date: last.date, snapshot: last.snapshot } : undefined);
  // What moved, what is stuck, what needs a leader: by the model when it is on zone-wide, else by rules.
  const narrative = await bulletinNarrative(bulletin, {
    model,
    locale: deps.locale,
    ...(deps.assistant ? { assistant: deps.assistant } : {}),
  });
  const reply = bulletinReply(bulletin, model, deps.locale, narrativeBlocks(narrative, deps.locale));
  const key = `bulletin:zone:${slot}`;
  // With approval on (the default), the bulletin goes to the office as a preview; approving publishes it.
  if (model.db.settings.schedule.bulletinApproval) {
    const id = publicationId('bulletin', today, slot);
    const targets = previewTargets(model, model.db.settings.supervisionChannelId ? [] : await deps.admins());
    const posted: Array<{ channel: string; ts: string }> = [];
    const previewed = await deliverOnce(
      deps,
      key,
      targets,
      previewReply('bulletin', reply, id, deps.locale),
      (first) => ({
        type: 'publication',
        at: deps.clock().toISOString(),
        by: 'duban',
        id,
        kind: 'bulletin',
        step: 'preview',
        period: today,
        slot,
        content: contentOf(reply),
        snapshot: bulletin.snapshot,
        ...(first ? { channel: first.channel, ts: first.ts } : {}),
      }),
      posted,
    );
    return { zone: previewed, ...(wasSent(previewed) ? await bulletinChart(deps, key, posted, today) : {}) };
  }
  const posted: Array<{ channel: string; ts: string }> = [];
  const result = await deliverOnce(
    deps,
    key,
    [channel!],
    reply,
    (first) => ({
      type: 'bulletin',
      at: deps.clock().toISOString(),
      by: 'duban',
      slot,
      channel: first?.channel ?? channel!,
      ...(first ? { ts: first.ts } : {}),
      date: today,
      snapshot: bulletin.snapshot,
    }),
    posted,
  );
  return { zone: result, ...(wasSent(result) ? await bulletinChart(deps, key, posted, today) : {}) };
}

/**
 * The ranking chart in the thread of each bulletin message just posted, or, on a run that finds the
 * bulletin sent already, of the one recorded: once per message (src/scheduler/chart-posts.ts), and only
 * once the bulletin went out (one that failed is posted anew by the retry, with its chart then). The
 * run's outcome gets `chart` when there is one to post, so a chart that failed is tried again with the run.
 */
async function bulletinChart(
  deps: JobDeps,
  key: string,
  posted: ReadonlyArray<{ channel: string; ts: string }>,
  today: string,
): Promise<RunOutcome> {
  const recorded = own(deps.store.model().db.deliveries, key);
  const messages =
    posted.length > 0
      ? posted
      : recorded?.status === 'sent' && recorded.channel && recorded.ts
        ? [{ channel: recorded.channel, ts: recorded.ts }]
        : [];
  const chartDeps = { ...deps, upload: deps.messenger.upload?.bind(deps.messenger) };
  let outcome: string | undefined;
  for (const message of messages) {
    const one = await postChartOnce(
      chartDeps,
      chartKey(key, message.channel),
      message,
      () => {
        const model = deps.store.model();
        return rankingChart(model.rollup(today), model.db.meta.zone, today, deps.locale);
      },
      messageOf(deps.locale).chartPost.bulletinComment,
    );
    // The worst of them: a failure, else whatever was done.
    if (one !== undefined && (outcome === undefined || !hasFailed(outcome))) outcome = one;
  }
  return outcome === undefined ? {} : { chart: outcome };
}

/** The first working day of every month at 10:00 (a 1st that is a day off moves to the next working day). */
export const MONTHLY_PATTERN = '0 10 1 * *';

/** The monthly report (评价) of `month` (default: the month before the run's), sent as a preview for approval. */
export async function runMonthly(slot: string, deps: JobDeps, month?: string): Promise<RunOutcome> {
  const today = localDate(deps.clock(), deps.timeZone);
  const period = month ?? previousMonth(today);
  const model = deps.store.model();
  const history = await deps.store.history();
  const scores = scoreMonth(model, history, period, calendarOf(model, deps.calendarData));
  const reply = monthlyReply(scores, { model, locale: deps.locale });
  const id = publicationId('monthly', period, slot);
  const targets = previewTargets(model, model.db.settings.supervisionChannelId ? [] : await deps.admins());
  const result = await deliverOnce(
    deps,
    `monthly:${period}:${slot}`,
    targets,
    previewReply('monthly', reply, id, deps.locale),
    (first) => ({
      type: 'publication',
      at: deps.clock().toISOString(),
      by: 'duban',
      id,
      kind: 'monthly',
      step: 'preview',
      period,
      slot,
      content: contentOf(reply),
      ...(first ? { channel: first.channel, ts: first.ts } : {}),
    }),
  );
  return { zone: result };
}
