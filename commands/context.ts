import type { CalendarData } from '../src/domain/calendar.ts';
import type { WritePort } from '../src/domain/ports.ts';
import type { CronFields, RunPlan, ScheduleKind } from '../src/domain/schedule.ts';
import type { Assistant } from './llm-port.ts';
import type { ReadModel } from '../src/domain/read-model.ts';
import type { Locale } from '../src/i18n/index.ts';

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
};

/** What commands may ask of the scheduler. */
export type SchedulerPort = {
  enabled: boolean;
  calendarData: CalendarData;
  patterns(): Record<ScheduleKind, string>;
  /** Which patterns the environment sets (they win over the store). */
  overridden: Record<ScheduleKind, boolean>;
  parse(pattern: string): { ok: true; fields: CronFields } | { ok: false; problem: string };
  upcoming(count: number): RunPlan[];
  runNow(kind: ScheduleKind, options?: { departmentId?: string }): Promise<Record<string, string>>;
};

/** A context that can write on behalf of a known user. */
export type WriteContext = CommandContext & { userId: string; now: Date; isAdmin: boolean; store: WritePort };

export function canWrite(ctx: CommandContext): ctx is WriteContext {
  return ctx.userId !== undefined && ctx.now !== undefined && ctx.isAdmin !== undefined && ctx.store !== undefined;
}
