/**
 * Less noise through the real app and the fake Web API, with an injected clock: a run in quiet hours
 * is sent once at the next working morning, across a restart; the weekly cap holds a department's
 * digest until next week; `/duban schedule` shows and sets the rules and counts the messages sent.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Reply } from '../../commands/reply.ts';
import { createLogger } from '../../src/log.ts';
import { chineseCalendarData } from '../../src/scheduler/holidays.ts';
import { createScheduler } from '../../src/scheduler/scheduler.ts';
import { ask } from '../slack/helpers.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import type { ApiCall } from '../support/fake-slack.ts';

const ADMIN = 'U0ADMIN001';
const HURDB_CHANNEL = 'C0HURDB001';
const EDB_CHANNEL = 'C0EDB00001';
const SUPERVISION = 'C0SUPERVIS';
const at = (local: string) => new Date(`${local}+08:00`);

let t: TestApp;
afterEach(async () => t?.close());

async function setUp(now: Date, schedule: Record<string, unknown>, locale: 'zh-CN' | 'en' = 'zh-CN') {
  t = await startTestApp({ admins: [ADMIN], now, locale });
  const base = { at: now.toISOString(), by: ADMIN };
  await t.store.transact((tx) => {
    tx.append({ ...base, type: 'channel', departmentId: 'hurdb', after: HURDB_CHANNEL });
    tx.append({ ...base, type: 'channel', departmentId: 'edb', after: EDB_CHANNEL });
  });
  await t.store.transact((tx) =>
    tx.replace({
      ...tx.state,
      settings: {
        ...tx.state.settings,
        supervisionChannelId: SUPERVISION,
        schedule: { ...tx.state.settings.schedule, ...schedule },
      },
    }),
  );
}

function postsTo(channel: string): ApiCall[] {
  return t.fake.calls.filter(
    (c): c is ApiCall => c.kind === 'api' && c.method === 'chat.postMessage' && c.ok && c.args.channel === channel,
  );
}

async function tickAt(local: string) {
  t.setNow(at(local));
  await t.scheduler.tick();
}

describe('a run that falls in quiet hours', () => {
  it('waits from Friday 20:00 over the weekend and is sent once on Monday at 09:00, across a restart', async () => {
    await setUp(at('2026-12-04T19:00'), { reminders: '0 20 * * 5' });
    await tickAt('2026-12-04T20:00');
    await tickAt('2026-12-04T23:00');
    expect(postsTo(HURDB_CHANNEL)).toHaveLength(0);
    expect(t.logs.join('')).toContain('deferred to the next working morning');
    expect(t.store.model().db.runs['reminders@2026-12-04T20:00']).toBeUndefined();

    // duban restarts over the weekend: a new scheduler on the same store, with its own clock.
    const sent: string[] = [];
    let now = at('2026-12-05T10:00');
    const restarted = createScheduler({
      store: t.store,
      messenger: {
        post: async (channel: string, reply: Reply) => {
          sent.push(`${channel} ${reply.text}`);
          return { channel, ts: `${1_765_000_000 + sent.length}.000100` };
        },
      },
      clock: () => now,
      timeZone: 'Asia/Shanghai',
      locale: 'zh-CN',
      logger: createLogger('silent'),
      calendarData: chineseCalendarData(),
      admins: async () => [ADMIN],
    });
    await restarted.tick();
    now = at('2026-12-07T08:59');
    await restarted.tick();
    expect(sent).toEqual([]);
    now = at('2026-12-07T09:00');
    await restarted.tick();
    const hurdb = sent.filter((s) => s.startsWith(HURDB_CHANNEL));
    expect(hurdb).toHaveLength(1);
    expect(hurdb[0]).toContain('督办提醒 · 住建局');
    now = at('2026-12-07T09:01');
    await restarted.tick();
    // The first process, still ticking, finds the run recorded too.
    await tickAt('2026-12-07T09:02');
    expect(sent.filter((s) => s.startsWith(HURDB_CHANNEL))).toHaveLength(1);
    expect(postsTo(HURDB_CHANNEL)).toHaveLength(0);
    expect(t.store.model().db.runs['reminders@2026-12-04T20:00']).toMatchObject({
      status: 'done',
      attempts: 1,
      deferred: true,
    });
    // Counted as sent this week, and as deferred by quiet hours.
    const stats = await ask(t, '/duban', 'schedule stats', ADMIN);
    expect(stats.text).toMatch(/\*住建局\*\n本周发送 1 条（提醒 1，升级 0；其中顺延发送 1），暂缓 0 条/);
  });

  it('sends a run due at 17:59 at once, and one due at 18:00 the next working morning', async () => {
    await setUp(at('2026-12-07T17:00'), { reminders: '59 17 * * 1' });
    await tickAt('2026-12-07T17:59');
    expect(postsTo(HURDB_CHANNEL)).toHaveLength(1);
    const status = await ask(t, '/duban', 'schedule set reminders 0 18 * * 1', ADMIN);
    expect(status.text).toContain('0 18 * * 1');
    const shown = await ask(t, '/duban', 'schedule', ADMIN);
    expect(shown.text).toContain('安静时段，顺延到');
    await tickAt('2026-12-14T18:00');
    expect(postsTo(HURDB_CHANNEL)).toHaveLength(1);
    await tickAt('2026-12-15T09:00');
    expect(postsTo(HURDB_CHANNEL)).toHaveLength(2);
  });
});

describe('a cap on messages per department per week', () => {
  it('holds the fourth digest of the week until next week, says so in /duban schedule, and counts it', async () => {
    await setUp(at('2026-12-07T08:00'), { reminders: '0 10 * * 1-5', recentUpdateWorkdays: 0 });
    for (const day of ['07', '08', '09', '10']) await tickAt(`2026-12-${day}T10:00`);
    expect(postsTo(HURDB_CHANNEL)).toHaveLength(3);
    expect(t.store.model().db.runs['reminders@2026-12-10T10:00']?.outcome.hurdb).toBe('held: weekly cap');
    const status = await ask(t, '/duban', 'schedule', ADMIN);
    expect(status.text).toContain('住建局：暂缓：本周消息已达上限，下周再发');
    expect(status.text).toContain('每个部门每周最多 3 条消息，特急事项不受限');
    await tickAt('2026-12-14T10:00');
    expect(postsTo(HURDB_CHANNEL)).toHaveLength(4);

    const stats = await ask(t, '/duban', 'schedule stats', ADMIN);
    expect(stats.body.response_type).toBe('ephemeral');
    expect(stats.text).toContain('督办消息数（按周）');
    // 住建局: one digest this week (Monday 12-14); last week three, and the fourth held by the cap.
    expect(stats.text).toMatch(/\*住建局\*\n本周发送 \d+ 条（提醒 1，/);
    expect(stats.text).toMatch(
      /上周发送 \d+ 条（提醒 3，升级 \d+；其中顺延发送 0），暂缓 1 条（近期已更新 0，超出每周上限 1）/,
    );
    expect(stats.text).toContain('与任何人的消息活动无关');
    const refused = await ask(t, '/duban', 'schedule stats', 'U0NOBODY01');
    expect(refused.text).toContain('只有督查室管理员');
  });
});

describe('/duban schedule shows and sets the rules', () => {
  it.each([
    ['quiet 20:00-08:00', { quietFrom: '20:00', quietUntil: '08:00' }, '已将安静时段设为 20:00–08:00。'],
    ['quiet off', { quietFrom: '00:00', quietUntil: '00:00' }, '已将安静时段设为 不设。'],
    ['recent 3', { recentUpdateWorkdays: 3 }, '已将近期更新免提醒的工作日数设为 3 个工作日。'],
    ['escalation-grace 1', { escalationGraceWorkdays: 1 }, '已将升级间隔设为 1 个工作日。'],
    ['cap 5', { weeklyCap: 5 }, '已将每个部门每周消息上限设为 5 条。'],
    ['cap 0', { weeklyCap: 0 }, '已将每个部门每周消息上限设为 0 条。'],
  ])('sets %s', async (words, stored, answer) => {
    await setUp(at('2026-12-07T10:00'), {});
    const reply = await ask(t, '/duban', `schedule set ${words}`, ADMIN);
    expect(reply.text).toContain(answer);
    expect(t.store.model().db.settings.schedule).toMatchObject(stored);
    const audit = await ask(t, '/duban', 'audit', ADMIN);
    expect(audit.text).toContain('修改督办设置');
  });

  it.each([
    ['quiet 25:00-08:00', '「25:00-08:00」不是有效的安静时段', '/duban schedule set quiet 18:00-09:00'],
    ['quiet 18:00-18:00', '「18:00-18:00」不是有效的安静时段', '/duban schedule set quiet 18:00-09:00'],
    ['recent -1', '近期更新免提醒的工作日数应在 0 个工作日 到 20 个工作日 之间', '/duban schedule set recent 2'],
    ['cap 2.5', '每个部门每周消息上限应在 0 条 到 50 条 之间', '/duban schedule set cap 3'],
  ])('refuses %s, naming the setting, with an example', async (words, problem, example) => {
    await setUp(at('2026-12-07T10:00'), {});
    const before = t.store.model().db.settings.schedule;
    const reply = await ask(t, '/duban', `schedule set ${words}`, ADMIN);
    expect(reply.text).toContain(problem);
    expect(reply.text).toContain(example);
    expect(t.store.model().db.settings.schedule).toEqual(before);
  });

  it.each([
    [
      'zh-CN',
      [
        '安静时段 18:00–09:00，周末和节假日全天',
        '2 个工作日内更新过的事项不提醒',
        '每一级升级与上一步至少间隔 2 个工作日',
        '每个部门每周最多 3 条消息，特急事项不受限',
        '本周督办已发 0 条',
      ],
    ],
    [
      'en',
      [
        'quiet hours 18:00–09:00, and all day on weekends and holidays',
        'no reminder about items updated within 2 working days',
        'each escalation step at least 2 working days after the one before',
        'at most 3 messages per department a week; urgent items pass',
        'This week duban sent 0 messages',
      ],
    ],
  ] as const)('shows the rules with their defaults (%s)', async (locale, lines) => {
    await setUp(at('2026-12-07T10:00'), {}, locale);
    const shown = await ask(t, '/duban', 'schedule', ADMIN);
    for (const line of lines) expect(shown.text).toContain(line);
  });
});
