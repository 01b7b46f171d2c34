/** What listeners share: the store, the clock, the user's language and role, the logger. */

import type { WriteContext } from '../../commands/context.ts';
import type { CommandContext } from '../../commands/index.ts';
import type { Assistant } from '../../commands/llm-port.ts';
import type { ChartPort } from '../charts/port.ts';
import type { CalendarData } from '../domain/calendar.ts';
import { localDate } from '../domain/dates.ts';
import type { WritePort } from '../domain/ports.ts';
import type { Locale } from '../i18n/index.ts';
import type { Logger } from '../log.ts';
import type { RunGate } from '../scheduler/leadership.ts';
import type { AnswerQueue } from './answers.ts';
import type { LocaleResolver } from './locale.ts';
import type { PacerOptions } from './messenger.ts';

export type SlackDeps = {
  store: WritePort;
  clock: () => Date;
  /**
   * The wall clock (ms) that Slack's request timestamps are checked against; default Date.now. Apart
   * from `clock`, which may pretend another day.
   */
  requestClock?: () => number;
  timeZone: string;
  defaultLocale: Locale;
  logger: Logger;
  /** Admins named in configuration (ADMIN_USER_IDS). */
  adminUserIds?: readonly string[];
  /** A user group whose members are admins too (ADMIN_USERGROUP_ID). */
  adminUsergroupId?: string;
  /** The optional model (src/llm); without it, rules answer everything. */
  assistant?: Assistant;
  /** The database's state for /healthz in Postgres mode (src/store/postgres); not connected answers 503. */
  storeStatus?: () => { connected: boolean } & Record<string, unknown>;
  /** Draws charts off the thread that answers Slack (src/charts); one is started when none is given. */
  charts?: ChartPort;
  /** Scheduled reminders and bulletins: patterns from the environment, the holiday data, pacing. */
  schedule?: {
    enabled?: boolean;
    overrides?: Partial<Record<'reminders' | 'bulletin', string>>;
    calendarData?: CalendarData;
    pacing?: PacerOptions;
    /** Postgres mode with several instances: scheduled runs only while this instance leads (src/scheduler/leadership.ts). */
    gate?: RunGate;
  };
};

export type AdminResolver = {
  isAdmin(userId: string | undefined): Promise<boolean>;
  /** Everyone who is an admin, for review requests when no supervision channel is set. */
  all(): Promise<string[]>;
};

export type ListenerDeps = SlackDeps & {
  charts: ChartPort;
  /** Deferred answers, started after pending requests are acknowledged. */
  answers: AnswerQueue;
  /** The error sink, for failures outside Bolt's own handling (deferred answers). */
  reportError(args: { error: Error; body?: unknown }): Promise<void>;
  locale: LocaleResolver;
  admins: AdminResolver;
  /** The context of a request by `userId`, read-only or able to write. */
  context(userId: string, locale: Locale): Promise<WriteContext>;
  readContext(userId: string | undefined, locale: Locale): CommandContext;
};

export function readContext(deps: SlackDeps, userId: string | undefined, locale: Locale): CommandContext {
  const now = deps.clock();
  return {
    model: deps.store.model(),
    today: localDate(now, deps.timeZone),
    locale,
    now,
    ...(userId ? { userId } : {}),
    ...(deps.assistant ? { assistant: deps.assistant } : {}),
  };
}
