/** node-cron drives the scheduler in the zone's time: checked with fake timers, no real waiting. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Reply } from '../../commands/reply.ts';
import type { stateFromDatabase } from '../../src/domain/state.ts';
import { createLogger } from '../../src/log.ts';
import { chineseCalendarData } from '../../src/scheduler/holidays.ts';
import { createScheduler } from '../../src/scheduler/scheduler.ts';
import { createPacer } from '../../src/slack/messenger.ts';
import { openStore } from '../../src/store/store.ts';
import { seedModel } from '../support/seed-model.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('the minute tick', () => {
  it('fires the Monday 09:00 (Shanghai) reminder run when the clock reaches it, and not before', async () => {
    vi.useFakeTimers({ now: new Date('2026-11-30T08:58:30+08:00') });
    const seed = await seedModel();
    const initial = {
      ...seed.db,
      departments: seed.db.departments.map((d) => (d.id === 'hurdb' ? { ...d, channelId: 'C0HURDB001' } : d)),
    };
    const store = await openStore('(cron test)', {
      timeZone: 'Asia/Shanghai',
      memory: { initial: initial as ReturnType<typeof stateFromDatabase> },
      clock: () => new Date(),
    });
    const sent: Array<{ channel: string; at: string }> = [];
    const scheduler = createScheduler({
      store,
      messenger: {
        post: async (channel: string, _reply: Reply) => {
          sent.push({ channel, at: new Date().toISOString() });
          return { channel, ts: `${sent.length}.000100` };
        },
      },
      clock: () => new Date(),
      timeZone: 'Asia/Shanghai',
      locale: 'zh-CN',
      logger: createLogger('silent'),
      calendarData: chineseCalendarData(),
      admins: async () => [],
    });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sent).toEqual([]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sent.map((s) => s.channel)).toContain('C0HURDB001');
    expect(sent.find((s) => s.channel === 'C0HURDB001')!.at.slice(0, 16)).toBe('2026-11-30T01:00');
    const count = sent.length;
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    expect(sent).toHaveLength(count);
    await scheduler.stop();
    await store.close();
  });
});

describe('pacing', () => {
  it('starts each send to a channel a full second after the previous one finished, other channels at once', async () => {
    let now = 0;
    const waits: string[] = [];
    const pace = createPacer({
      intervalMs: 1000,
      now: () => now,
      sleep: async (ms) => {
        waits.push(`wait ${ms}`);
        now += ms;
      },
    });
    // Each send takes 50 ms of "network".
    const send = (label: string) => () => {
      waits.push(`send ${label} at ${now}`);
      now += 50;
      return Promise.resolve(label);
    };
    await Promise.all([pace('C1', send('a')), pace('C1', send('b')), pace('C2', send('c'))]);
    // a's lane sees it finished once c (another channel, not waiting) had run: at 100; b follows a second later.
    expect(waits).toEqual(['send a at 0', 'send c at 50', 'wait 1000', 'send b at 1100']);
  });
});
