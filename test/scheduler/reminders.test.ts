/**
 * Scheduled chasing through the real app and the fake Web API, with an injected clock: who is
 * reminded and when, working days, never twice, catch-up, escalation, snooze and leave, retries.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JournalEventInput } from '../../src/domain/journal.ts';
import { ask, buttonsOf, CHANNEL, type MessageBody } from '../slack/helpers.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { type ApiCall, allText } from '../support/fake-slack.ts';
import { message } from '../support/slack-requests.ts';

const ADMIN = 'U0ADMIN001';
const HURDB_CHANNEL = 'C0HURDB001';
const EDB_CHANNEL = 'C0EDB00001';
const SUPERVISION = 'C0SUPERVIS';
const STIB_MEMBERS = ['U0STIB0001', 'U0STIB0002'];
const STIB_LEAD = 'U0STIBLEAD';
const HURDB_LEAD = 'U0HURDBLD1';

/** Monday 2026-11-30 at 09:00 in Shanghai. */
const MONDAY_9 = new Date('2026-11-30T09:00:00+08:00');
const at = (iso: string) => new Date(iso);

let t: TestApp;

async function append(...events: JournalEventInput[]) {
  await t.store.transact((tx) => {
    for (const e of events) tx.append(e);
  });
}

async function setUp(now: Date) {
  t = await startTestApp({ admins: [ADMIN], now });
  const when = now.toISOString();
  const base = { at: when, by: ADMIN };
  await append(
    { ...base, type: 'channel', departmentId: 'hurdb', after: HURDB_CHANNEL },
    { ...base, type: 'channel', departmentId: 'edb', after: EDB_CHANNEL },
    { ...base, type: 'membership', departmentId: 'hurdb', role: 'lead', userId: HURDB_LEAD, change: 'add' },
    ...STIB_MEMBERS.map((userId) => ({
      ...base,
      type: 'membership' as const,
      departmentId: 'stib',
      role: 'member' as const,
      userId,
      change: 'add' as const,
    })),
    { ...base, type: 'membership', departmentId: 'stib', role: 'lead', userId: STIB_LEAD, change: 'add' },
  );
  // The seed's reports are from the Friday before: these tests are about who is chased, with every item in
  // the digest (test/scheduler/noise.test.ts is about what the rules leave out).
  await t.store.transact((tx) =>
    tx.replace({
      ...tx.state,
      settings: {
        ...tx.state.settings,
        supervisionChannelId: SUPERVISION,
        schedule: { ...tx.state.settings.schedule, recentUpdateWorkdays: 0 },
      },
    }),
  );
}

function posts(since = 0): ApiCall[] {
  return t.fake.calls
    .slice(since)
    .filter((c): c is ApiCall => c.kind === 'api' && c.method === 'chat.postMessage' && c.ok);
}

function postsTo(channel: string, since = 0): ApiCall[] {
  return posts(since).filter((c) => c.args.channel === channel);
}

async function tickAt(now: Date) {
  t.setNow(now);
  const before = t.fake.calls.length;
  await t.scheduler.tick();
  return before;
}

afterEach(async () => t?.close());

describe('who is reminded, where, with what', () => {
  beforeEach(async () => setUp(MONDAY_9));

  it('sends nothing before the reminder time, then one message per department behind, at Monday 09:00 in Shanghai', async () => {
    await tickAt(at('2026-11-30T08:59:00+08:00'));
    // The latest occurrence before Monday 09:00 is last Monday's, outside the 24-hour grace: recorded as missed.
    expect(posts()).toHaveLength(0);
    const since = await tickAt(MONDAY_9);
    const hurdb = postsTo(HURDB_CHANNEL, since);
    expect(hurdb).toHaveLength(1);
    const text = allText(hurdb[0]!.args);
    expect(text).toContain('督办提醒 · 住建局');
    expect(text).toContain('城市更新项目开工数');
    expect(text).toMatch(/计划进度 [\d.]+%，实际 [\d.]+%/);
    expect(text).toMatch(/距上次报送 \d+ 天/);
    const buttons = buttonsOf(hurdb[0]!.args as MessageBody).map((b) => b.action_id);
    expect(buttons).toEqual(
      expect.arrayContaining(['duban.remind.log', 'duban.remind.snooze', 'duban.remind.details']),
    );
    expect(postsTo(EDB_CHANNEL, since)).toHaveLength(1);
  });

  it('falls back to direct messages to the people of a department without a channel, and leaves on-track departments alone', async () => {
    const since = await tickAt(MONDAY_9);
    const recipients = posts(since).map((c) => c.args.channel);
    for (const u of [...STIB_MEMBERS, STIB_LEAD]) expect(recipients).toContain(u);
    // 中兴街道 is on track on 2026-11-30: nothing for it anywhere.
    expect(posts(since).some((c) => allText(c.args).includes('督办提醒 · 中兴街道'))).toBe(false);
    expect(posts(since)).toHaveLength(2 + STIB_MEMBERS.length + 1);
  });

  it('never sends twice: a double trigger, an overlapping tick and a restart find the run recorded', async () => {
    const since = await tickAt(MONDAY_9);
    await Promise.all([t.scheduler.tick(), t.scheduler.tick()]);
    t.setNow(at('2026-11-30T09:01:00+08:00'));
    await t.scheduler.tick();
    // A "restart": a new scheduler on the same store.
    const { createScheduler } = await import('../../src/scheduler/scheduler.ts');
    const { chineseCalendarData } = await import('../../src/scheduler/holidays.ts');
    const { createLogger } = await import('../../src/log.ts');
    const fresh = createScheduler({
      store: t.store,
      messenger: {
        post: async () => {
          throw new Error('must not send');
        },
      },
      clock: () => at('2026-11-30T09:02:00+08:00'),
      timeZone: 'Asia/Shanghai',
      locale: 'zh-CN',
      logger: createLogger('silent'),
      calendarData: chineseCalendarData(),
      admins: async () => [ADMIN],
    });
    await fresh.tick();
    expect(postsTo(HURDB_CHANNEL, since)).toHaveLength(1);
    expect(postsTo(EDB_CHANNEL, since)).toHaveLength(1);
    const run = t.store.model().db.runs['reminders@2026-11-30T09:00'];
    expect(run).toMatchObject({ status: 'done', attempts: 1, caughtUp: false });
    expect(run?.outcome).toMatchObject({ hurdb: 'sent', edb: 'sent', stib: 'sent' });
  });

  it("shows the machine summary of an item's latest long report, labelled, when the model wrote one", async () => {
    const latest = t.store.model().progress.get('ur-20')!.recent[0]!;
    await append({
      type: 'update.summary',
      at: MONDAY_9.toISOString(),
      by: 'duban',
      itemId: 'ur-20',
      updateId: latest.id,
      summary: '征收协议尚缺7户，街道逐户协调中',
      model: 'qwen-test',
    });
    const since = await tickAt(MONDAY_9);
    const text = allText(postsTo(HURDB_CHANNEL, since)[0]!.args);
    expect(text).toContain('机器摘要（qwen-test）：征收协议尚缺7户，街道逐户协调中');
  });

  it('remembers the reminder thread: a reply in it logs progress', async () => {
    await t.store.transact((tx) =>
      tx.append({
        type: 'membership',
        at: MONDAY_9.toISOString(),
        by: ADMIN,
        departmentId: 'hurdb',
        role: 'member',
        userId: 'U0LIAISON1',
        change: 'add',
      }),
    );
    const since = await tickAt(MONDAY_9);
    const reminder = postsTo(HURDB_CHANNEL, since)[0]!;
    const ts = (reminder.response as { ts: string }).ts;
    const reply = message({
      text: '城市更新项目开工数 累计开工33项',
      userId: 'U0LIAISON1',
      channelId: HURDB_CHANNEL,
      threadTs: ts,
    });
    await t.slack.event(reply);
    await t.fake.waitFor((r) => r.kind === 'api' && r.method === 'reactions.add' && r.args.timestamp === reply.ts);
    expect(t.store.model().progress.get('t-hurdb-renewal-starts')?.value).toBe(33);
  });
});

describe('when: working days, holidays, make-up days, catch-up', () => {
  async function withCron(now: Date, pattern: string) {
    await setUp(now);
    await t.store.transact((tx) =>
      tx.replace({
        ...tx.state,
        settings: { ...tx.state.settings, schedule: { ...tx.state.settings.schedule, reminders: pattern } },
      }),
    );
  }

  it('skips the National Day holiday (Thursday 2026-10-01) and runs once on the next working day (10-08)', async () => {
    await withCron(at('2026-10-01T09:00:00+08:00'), '0 9 * * 4');
    await tickAt(at('2026-10-01T09:00:00+08:00'));
    await tickAt(at('2026-10-05T09:00:00+08:00'));
    expect(posts()).toHaveLength(0);
    expect(t.logs.join('')).toContain('moved to the next working day');
    const since = await tickAt(at('2026-10-08T09:00:00+08:00'));
    expect(postsTo(HURDB_CHANNEL, since)).toHaveLength(1);
    await tickAt(at('2026-10-08T09:05:00+08:00'));
    expect(postsTo(HURDB_CHANNEL)).toHaveLength(1);
  });

  it('runs on the make-up Saturday 2026-10-10 but not on an ordinary Saturday', async () => {
    await withCron(at('2026-10-10T09:00:00+08:00'), '0 9 * * 6');
    await tickAt(at('2026-10-10T09:00:00+08:00'));
    expect(postsTo(HURDB_CHANNEL)).toHaveLength(1);
    await tickAt(at('2026-11-28T09:00:00+08:00'));
    expect(postsTo(HURDB_CHANNEL)).toHaveLength(1);
    await tickAt(at('2026-11-30T09:00:00+08:00'));
    expect(postsTo(HURDB_CHANNEL)).toHaveLength(2);
  });

  it('treats 2027-01-01 as a plain Friday when the data stops at 2026, and says so at the run and in /duban schedule', async () => {
    await withCron(at('2027-01-01T09:00:00+08:00'), '0 9 * * 5');
    await tickAt(at('2027-01-01T09:00:00+08:00'));
    expect(postsTo(HURDB_CHANNEL)).toHaveLength(1);
    expect(t.logs.join('')).toContain('the holiday calendar does not cover this year');
    const status = await ask(t, '/duban', 'schedule', ADMIN);
    expect(status.text).toContain('节假日数据不含 2027 年');
    // An admin adds New Year's Day by hand: the next year's run would then move.
    await ask(t, '/duban', 'calendar holiday 2027-01-01', ADMIN);
    expect(t.store.model().db.settings.schedule.holidays).toEqual(['2027-01-01']);
  });

  it('catches up a run missed while duban was down, once, within the grace window', async () => {
    await setUp(at('2026-11-30T13:00:00+08:00'));
    await tickAt(at('2026-11-30T13:00:00+08:00'));
    expect(postsTo(HURDB_CHANNEL)).toHaveLength(1);
    expect(t.store.model().db.runs['reminders@2026-11-30T09:00']).toMatchObject({ status: 'done', caughtUp: true });
    expect(t.logs.join('')).toContain('catching up a run missed while duban was down');
  });

  it('records a run older than the grace window as missed and sends nothing', async () => {
    await setUp(at('2026-12-01T10:00:00+08:00'));
    await tickAt(at('2026-12-01T10:00:00+08:00'));
    // 10:00 on the first working day is also the monthly report's preview (test/slack/publishing.test.ts); no reminder.
    expect(posts().filter((c) => !allText(c.args).includes('月度评价（待审核）'))).toHaveLength(0);
    expect(t.store.model().db.runs['reminders@2026-11-30T09:00']).toMatchObject({ status: 'missed' });
    expect(t.logs.join('')).toContain('older than the grace window');
  });
});

describe('escalation, snooze and leave', () => {
  beforeEach(async () => setUp(MONDAY_9));
  const NEXT_MONDAY_9 = at('2026-12-07T09:00:00+08:00');

  it("escalates items ignored for two reminders in the department's one digest (its leads @-mentioned) and to the supervision channel, recorded in the audit", async () => {
    await tickAt(MONDAY_9);
    expect(postsTo(SUPERVISION)).toHaveLength(0);
    const since = await tickAt(NEXT_MONDAY_9);
    const escalation = postsTo(SUPERVISION, since);
    expect(escalation.length).toBeGreaterThanOrEqual(1);
    expect(escalation.map((c) => allText(c.args)).join('\n')).toContain('督办升级（第 1 级）· 住建局');
    // One message for the department in the run: the escalation is in its digest, not a message of its own.
    const digest = postsTo(HURDB_CHANNEL, since);
    expect(digest).toHaveLength(1);
    expect(allText(digest[0]!.args)).toContain('已升级督办（第 1 级）');
    expect(allText(digest[0]!.args)).toContain(`<@${HURDB_LEAD}>`);
    expect(postsTo(HURDB_LEAD, since)).toHaveLength(0);
    const audit = await ask(t, '/duban', 'audit', ADMIN);
    expect(audit.text).toContain('住建局升级督办（第 1 级）');
  });

  it('does not escalate an item that was updated after the first reminder', async () => {
    await tickAt(MONDAY_9);
    const hurdbBehind = t.store.model().db.streaks;
    const items = Object.keys(hurdbBehind).filter((id) => t.store.model().item(id)?.item.departmentId === 'hurdb');
    // Every hurdb item gets an update between the two reminders.
    await t.store.transact((tx) => {
      items.forEach((itemId, i) =>
        tx.append({
          type: 'update',
          at: '2026-12-02T10:00:00+08:00',
          by: ADMIN,
          update: {
            id: `between-${i}`,
            itemId,
            at: '2026-12-02T10:00:00+08:00',
            by: ADMIN,
            note: '进展说明',
            evidence: [],
            source: 'command',
          },
        }),
      );
    });
    const since = await tickAt(NEXT_MONDAY_9);
    expect(postsTo(HURDB_LEAD, since)).toHaveLength(0);
    expect(postsTo(SUPERVISION, since).some((c) => allText(c.args).includes('· 住建局'))).toBe(false);
  });

  it('respects a snooze until it ends, and an absence by sending to the others', async () => {
    const snoozed = await ask(t, '/duban', 'snooze hurdb 3 等待规划批复', ADMIN);
    expect(snoozed.text).toContain('已暂缓对「住建局」的提醒');
    await ask(t, '/duban', `away <@${STIB_MEMBERS[0]}> 2026-11-30 2026-12-04`, ADMIN);
    const since = await tickAt(MONDAY_9);
    expect(postsTo(HURDB_CHANNEL, since)).toHaveLength(0);
    expect(postsTo(STIB_MEMBERS[0]!, since)).toHaveLength(0);
    expect(postsTo(STIB_MEMBERS[1]!, since)).toHaveLength(1);
    // The snooze ends after three working days: the next Monday's run reminds again.
    const later = await tickAt(NEXT_MONDAY_9);
    expect(postsTo(HURDB_CHANNEL, later)).toHaveLength(1);
  });
});

describe('Slack limits and failures', () => {
  beforeEach(async () => setUp(MONDAY_9));

  it('retries a 429 with Retry-After and a 500, and sends each message once', async () => {
    t.fake.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
    t.fake.failNext('chat.postMessage', { status: 500 });
    await tickAt(MONDAY_9);
    expect(postsTo(HURDB_CHANNEL)).toHaveLength(1);
    expect(postsTo(EDB_CHANNEL)).toHaveLength(1);
    expect(t.fake.callsTo('chat.postMessage').filter((c) => c.status === 429)).toHaveLength(1);
    expect(t.store.model().db.runs['reminders@2026-11-30T09:00']?.status).toBe('done');
  }, 30_000);

  it('keeps going when one department fails, shows it to admins, and retries only that one', async () => {
    t.fake.failNext('chat.postMessage', { ok: false, error: 'channel_not_found' });
    await tickAt(MONDAY_9);
    const run = t.store.model().db.runs['reminders@2026-11-30T09:00']!;
    expect(run.status).toBe('partial');
    const failed = Object.entries(run.outcome).filter(([, o]) => o.startsWith('failed'));
    expect(failed).toHaveLength(1);
    expect(failed[0]![1]).toBe('failed: channel_not_found');
    const status = await ask(t, '/duban', 'schedule', ADMIN);
    expect(status.text).toContain('部分失败');
    await tickAt(at('2026-11-30T09:01:00+08:00'));
    expect(t.store.model().db.runs['reminders@2026-11-30T09:00']).toMatchObject({ status: 'done', attempts: 2 });
    expect(postsTo(HURDB_CHANNEL)).toHaveLength(1);
    expect(postsTo(EDB_CHANNEL)).toHaveLength(1);
  });
});

describe('admin commands and the bulletin', () => {
  beforeEach(async () => setUp(MONDAY_9));

  it('previews reminders ephemerally and sends them now for an admin only', async () => {
    const preview = await ask(t, '/duban', 'remind preview', ADMIN);
    expect(preview.body.response_type).toBe('ephemeral');
    // 投促局's own commitment's overdue milestone is chased too, beside its target forecast to miss.
    expect(preview.text).toContain('提醒预览：将向 4 个部门发送');
    expect(preview.text).toContain(
      '*投促局* → 私信 0 人（未设置频道）\n落后 2 项，即将到期 0 项\n🔴 重塑“4+6”招商体系\n🟡 新签约亿元以上产业项目',
    );
    expect(posts().filter((c) => c.args.channel === HURDB_CHANNEL)).toHaveLength(0);
    const refused = await ask(t, '/duban', 'remind now', 'U0NOBODY01');
    expect(refused.text).toContain('只有督查室管理员');
    await t.slack.command({
      command: '/duban',
      text: 'remind now 住建局',
      userId: ADMIN,
      channelId: CHANNEL,
      responseUrl: t.fake.responseUrl('remind-now'),
    });
    const answer = await t.fake.waitFor((r) => r.kind === 'response' && r.id === 'remind-now');
    expect(allText((answer as { body: unknown }).body)).toContain('住建局：已发送');
    expect(postsTo(HURDB_CHANNEL)).toHaveLength(1);
  });

  it('shows and changes the schedule, refusing a bad cron pattern with an example', async () => {
    const bad = await ask(t, '/duban', 'schedule set reminders 99 9 * * 1', ADMIN);
    // Said in words, naming the part that is wrong, never in node-cron's own English.
    expect(bad.text).toContain('「99 9 * * 1」不是有效的时间表达式：分钟应在 0 到 59 之间，「99」不在其中。');
    expect(bad.text).not.toMatch(/invalid|expression/);
    await ask(t, '/duban', 'schedule set reminders 30 8 * * 1-5', ADMIN);
    expect(t.store.model().db.settings.schedule.reminders).toBe('30 8 * * 1-5');
    const status = await ask(t, '/duban', 'schedule', ADMIN);
    expect(status.text).toContain('`30 8 * * 1-5`');
    expect(status.text).toMatch(/督办提醒 12月1日 08:30/);
  });

  it('posts the weekly bulletin on Friday 16:00 to the supervision channel, and says what changed the next week', async () => {
    // Published at once with approval off; the preview → approve path is in test/slack/publishing.test.ts.
    await t.store.transact((tx) =>
      tx.replace({
        ...tx.state,
        settings: { ...tx.state.settings, schedule: { ...tx.state.settings.schedule, bulletinApproval: false } },
      }),
    );
    await tickAt(at('2026-12-04T16:00:00+08:00'));
    const first = postsTo(SUPERVISION).filter((c) => allText(c.args).includes('督办通报'));
    expect(first).toHaveLength(1);
    expect(allText(first[0]!.args)).toContain('各部门排名');
    const n = t.store.model().numberOf('t-hurdb-renewal-starts')!;
    await ask(t, '/progress', `#${n} 累计40项`, ADMIN);
    await tickAt(at('2026-12-11T16:00:00+08:00'));
    const second = postsTo(SUPERVISION).filter((c) => allText(c.args).includes('督办通报'));
    expect(second).toHaveLength(2);
    expect(allText(second[1]!.args)).toContain('12月4日 以来的变化');
    expect(allText(second[1]!.args)).toContain('城市更新项目开工数');
  });

  it('previews the bulletin on demand, ephemerally', async () => {
    const preview = await ask(t, '/duban', 'bulletin');
    expect(preview.body.response_type).toBe('ephemeral');
    expect(preview.text).toContain('督办通报');
    expect(preview.text).toContain('预览');
  });
});
