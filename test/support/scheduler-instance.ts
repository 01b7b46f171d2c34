/**
 * One duban instance's scheduling on the Postgres store, as `duban start` builds it in Postgres mode: the
 * store, the leadership campaign, the scheduler gated by it, and the messenger speaking to a (fake) Slack
 * Web API. Used in the test process and in a child process (test/support/leader-child.ts) that a test or
 * bench/failover.ts kills with SIGKILL in the middle of a run. Ticks every `tickMs` instead of every
 * minute; the clock is fixed (seeded), never today's date.
 */
import { webApi } from '@slack/bolt';
import type { JournalEventInput } from '../../src/domain/journal.ts';
import type { StoreState } from '../../src/domain/state.ts';
import { createLogger, type Logger } from '../../src/log.ts';
import { chineseCalendarData } from '../../src/scheduler/holidays.ts';
import { createLeadership, type Leadership } from '../../src/scheduler/leadership.ts';
import { createScheduler, type Scheduler } from '../../src/scheduler/scheduler.ts';
import { createMessenger } from '../../src/slack/messenger.ts';
import { importIntoStore } from '../../src/store/import.ts';
import { openPostgresStore, type PostgresStore } from '../../src/store/postgres/store.ts';
import { SEED_FILE } from './seed-model.ts';

export const TIME_ZONE = 'Asia/Shanghai';
export const BOT_TOKEN = 'xoxb-test-0000-duban';
/** Monday 2026-11-30 at 09:00 in Shanghai: the default reminder run (`0 9 * * 1`) is due. */
export const MONDAY_9 = new Date('2026-11-30T09:00:00+08:00');
export const REMINDER_SLOT_PREFIX = 'reminders@';
/** Each department's channel in these scenarios. */
export const channelOf = (index: number) => `C0DEPT${String(index + 1).padStart(4, '0')}`;

export type InstanceOptions = {
  url: string;
  slackUrl: string;
  now: string;
  instance: string;
  campaignMs: number;
  tickMs: number;
  /** false: the messenger cannot look messages up (duban before leadership: a delivery in flight is skipped). */
  lookup?: boolean;
  /** Digests sent at once (default 2, so a run is in several steps a kill can fall between). */
  concurrency?: number;
  logger?: Logger;
};

export type Instance = {
  leadership: Leadership;
  scheduler: Scheduler;
  store: PostgresStore;
  stop(): Promise<void>;
};

export async function startInstance(o: InstanceOptions): Promise<Instance> {
  const now = new Date(o.now);
  const clock = () => now;
  const logger = o.logger ?? createLogger('silent');
  const calendarData = chineseCalendarData();
  const store = await openPostgresStore({ url: o.url, timeZone: TIME_ZONE, clock, calendar: calendarData });
  const leadership = createLeadership({ url: o.url, campaignMs: o.campaignMs, instance: o.instance, logger });
  // No retries: a request the fake leaves unanswered is what a dying network does.
  const client = new webApi.WebClient(BOT_TOKEN, { slackApiUrl: o.slackUrl, retryConfig: { retries: 0 } });
  const messenger = createMessenger(client, { intervalMs: 0 });
  if (o.lookup === false) delete messenger.find;
  const scheduler = createScheduler({
    store,
    messenger,
    clock,
    timeZone: TIME_ZONE,
    locale: 'zh-CN',
    logger,
    calendarData,
    admins: async () => [],
    concurrency: o.concurrency ?? 2,
    gate: leadership,
  });
  await leadership.start();
  let stopped = false;
  const loop = async () => {
    while (!stopped) {
      await scheduler.tick().catch((e: unknown) => logger.error({ err: e }, 'tick failed'));
      await new Promise((r) => setTimeout(r, o.tickMs));
    }
  };
  const looping = loop();
  return {
    leadership,
    scheduler,
    store,
    async stop() {
      stopped = true;
      await looping;
      await scheduler.stop();
      await leadership.stop();
      await store.close();
    },
  };
}

/** The bundled seed in a fresh database, every department with a channel, every late item chased. */
export async function seedDatabase(url: string, now: Date): Promise<{ departments: string[] }> {
  const store = await openPostgresStore({ url, timeZone: TIME_ZONE, clock: () => now });
  try {
    await importIntoStore(store, SEED_FILE, { now, by: 'seed' });
    const departments = store.model().db.departments.map((d) => d.id);
    await store.transact((tx) => {
      departments.forEach((departmentId, i) => {
        const e: JournalEventInput = {
          type: 'channel',
          at: now.toISOString(),
          by: 'seed',
          departmentId,
          after: channelOf(i),
        };
        tx.append(e);
      });
    });
    // Every item behind is chased (the noise rules are test/scheduler/noise.test.ts's subject).
    await store.transact((tx) =>
      tx.replace({
        ...tx.state,
        settings: {
          ...tx.state.settings,
          schedule: { ...tx.state.settings.schedule, recentUpdateWorkdays: 0 },
        },
      } as StoreState),
    );
    return { departments };
  } finally {
    await store.close();
  }
}
