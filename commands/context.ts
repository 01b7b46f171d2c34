import type { CalendarData } from '../src/domain/calendar.ts';
import type { WritePort } from '../src/domain/ports.ts';
import type { ReadModel } from '../src/domain/read-model.ts';
import type { CronFields, RunPlan, ScheduleKind } from '../src/domain/schedule.ts';
import type { Locale } from '../src/i18n/index.ts';
import type { Assistant } from './llm-port.ts';

/** Everything a command may know about the request; nothing of Slack. */
export type CommandContext = {
  model: ReadModel;
  /** The zone's civil date for this request (from the injected clock). */
  today: string;
  locale: Locale;
  userId?: string;
  /** The instant of the request (from the injected clock), for what is recorded. */
  now?: Date;
  /** Whether the user is one of the supervision office's admins. */
  isAdmin?: boolean;
  /** Where writes go; absent where duban is read-only. */
  store?: WritePort;
  /** The optional model (src/llm); absent, or off, means rules answer (commands/llm-digest.ts). */
  assistant?: Assistant;
  /** The scheduled chasing, where it runs. */
  scheduler?: SchedulerPort;
  /** Duban's place in Slack channels, where it runs in Slack. */
  channels?: ChannelPort;
};

/**
 * Where duban stands in a channel. Slack sends a bot the messages of a channel only while it is in it,
 * so replies in the threads of duban's messages reach it only when it is a member or has just joined.
 */
export type ChannelAccess =
  /** In it already. */
  | 'member'
  /** A public channel duban was not in: it joined just now. */
  | 'joined'
  /** A private channel: only someone in it can bring duban in, with /invite. */
  | 'private'
  | 'archived'
  /** Slack does not show duban the channel: a private one duban is not in, or one deleted (Slack does not say which). */
  | 'hidden'
  /** A public channel Slack would not let duban join (the app lacks the permission until it is reinstalled). */
  | 'cannot_join'
  /** Slack did not answer; asked again next time. */
  | 'unknown';

/** What commands may ask of Slack about the channels duban posts to. */
export type ChannelPort = {
  /** Joins the channel when it is public and duban is not in it, and says where duban stands; remembered a while. */
  ensure(channelId: string): Promise<ChannelAccess>;
};

/** Whether duban hears replies in a channel where it stands so. */
export function hears(access: ChannelAccess): boolean {
  return access === 'member' || access === 'joined';
}

export type CronField = 'second' | 'minute' | 'hour' | 'dayOfMonth' | 'month' | 'dayOfWeek';

/** What is wrong with a cron pattern, in terms a reply can say in the reader's language. */
export type CronProblem =
  /** Not 5 parts (or 6, with seconds first). */
  | { kind: 'fields'; count: number }
  /** A part out of its range or unreadable: the hour `25`, the minute `61`, the weekday `9`. */
  | { kind: 'field'; field: CronField; value: string; min: number; max: number }
  | { kind: 'other' };

/** What commands may ask of the scheduler. */
export type SchedulerPort = {
  enabled: boolean;
  calendarData: CalendarData;
  patterns(): Record<ScheduleKind, string>;
  /** Which patterns the environment sets (they win over the store). */
  overridden: Record<ScheduleKind, boolean>;
  parse(pattern: string): { ok: true; fields: CronFields } | { ok: false; reason: CronProblem };
  upcoming(count: number): RunPlan[];
  runNow(kind: ScheduleKind, options?: { departmentId?: string; month?: string }): Promise<Record<string, string>>;
};

/** A context that can write on behalf of a known user. */
export type WriteContext = CommandContext & { userId: string; now: Date; isAdmin: boolean; store: WritePort };

export function canWrite(ctx: CommandContext): ctx is WriteContext {
  return ctx.userId !== undefined && ctx.now !== undefined && ctx.isAdmin !== undefined && ctx.store !== undefined;
}
