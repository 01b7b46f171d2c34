/**
 * Logging a report through the command layer, on a fresh in-memory seed zone for each test (城市更新项目
 * 开工数 at 30/40, 住建局's liaison LIAISON): with /progress, and with a reply in the thread of an answer
 * about the item or its department. Each test checks the reply and what was stored. The Slack tier
 * (test/slack/progress.test.ts, reading.test.ts) checks the same through signed requests: reactions,
 * ephemeral delivery, retries, edits and deletions.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ADMIN,
  buttonsOf,
  type CommandSession,
  LIAISON,
  OUTSIDER,
  openSeedSession,
  type Thread,
  textOf,
  type UpdateEvent,
} from '../support/command-session.ts';

const TARGET = 't-hurdb-renewal-starts';

let s: CommandSession;
beforeEach(async () => {
  s = await openSeedSession({ members: { hurdb: [LIAISON] } });
});
afterEach(async () => s.close());

const valueOf = (itemId: string): number | undefined => s.store.model().progress.get(itemId)?.value;
const numberOf = (itemId: string): number => s.store.model().numberOf(itemId)!;
const lastUpdate = async (itemId: string): Promise<UpdateEvent['update'] | undefined> =>
  (await s.updatesOf(itemId)).at(-1)?.update;

describe('/progress records what it reads, in the channel, naming the figure and the status change', () => {
  it.each([
    ['a total by list number', '{#} 累计33项 已完成招标', 'zh-CN', '已记录：城市更新项目开工数 累计 33/40', 33],
    [
      'a total and an increment that agree (30 + 5 = 35)',
      '城市更新项目开工数 35 本月新开工5项',
      'zh-CN',
      '已记录：城市更新项目开工数 新增 5 项（累计 35/40）',
      35,
    ],
    [
      'an increment by id',
      `${TARGET} 本月新开工3项`,
      'zh-CN',
      '已记录：城市更新项目开工数 新增 3 项（累计 33/40）',
      33,
    ],
    [
      'English',
      '{#} 5 more this month, 35 in total',
      'en',
      'Recorded: Urban-renewal projects started, 5 projects more (35/40 in total)',
      35,
    ],
  ] as const)('%s', async (_, text, locale, recorded, value) => {
    // {#} stands for the item's number in lists.
    const { reply, effects } = await s.run(`/progress ${text.replace('{#}', `#${numberOf(TARGET)}`)}`, { locale });
    expect(reply?.visibility).toBe('in_channel');
    expect(textOf(reply!)).toContain(recorded);
    expect(effects).toEqual([]);
    expect(valueOf(TARGET)).toBe(value);
    expect(await lastUpdate(TARGET)).toMatchObject({ by: LIAISON, value, source: 'command' });
  });

  it('says the status changed when the report brings the item back on track', async () => {
    const reply = await s.ask(`/progress #${numberOf(TARGET)} 累计36项`);
    expect(textOf(reply)).toContain('状态：🟡 预警 → 🟢 正常');
  });

  it('says why an item back on plan stays at risk when its recent trend still falls short by year end', async () => {
    // 33/40 on 28 November is within 10 points of plan, but the pace of the last three months reaches 37.
    const reply = await s.ask(`/progress #${numberOf(TARGET)} 累计33项`);
    expect(textOf(reply)).toBe(
      '✅ 已记录：城市更新项目开工数 累计 33/40。\n状态：🟡 预警\n按近三个月进度，预计年底 37/40（92.5%），缺口 3 项',
    );
  });
});

describe('/progress asks, only the asker, before recording a figure that does not fit', () => {
  it.each([
    [
      'a total and an increment that disagree (31 ≠ 30 + 5)',
      '城市更新项目开工数 31 本月新开工5项',
      '累计数和新增数与上次记录对不上',
      ['累计 31 项', '新增 5 项 → 累计 35 项'],
    ],
    [
      'an increment far past the target (30 + 31 = 61 of 40)',
      '城市更新项目开工数 本月新开工31项',
      '这个数和以往记录或目标相差很大',
      ['累计 61/40 项，确认', '累计 31 项'],
    ],
  ])('%s, the likely reading first, recording nothing yet', async (_, text, question, labels) => {
    const reply = await s.ask(`/progress ${text}`);
    expect(reply.visibility).toBe('ephemeral');
    expect(textOf(reply)).toContain(question);
    expect(
      buttonsOf(reply)
        .map((b) => b.text)
        .slice(0, 2),
    ).toEqual(labels);
    expect(valueOf(TARGET)).toBe(30);
    expect(await s.updatesOf(TARGET)).toEqual([]);
  });

  it('records the reading clicked, once', async () => {
    const asked = await s.ask('/progress 城市更新项目开工数 31 本月新开工5项');
    const increment = buttonsOf(asked)[1]!;
    expect(textOf((await s.choose(increment)).reply!)).toContain('累计 35/40');
    expect(valueOf(TARGET)).toBe(35);
    expect((await s.choose(increment)).outcome).toEqual({ kind: 'expired' });
    expect(await s.updatesOf(TARGET)).toHaveLength(1);
  });
});

describe('/progress says what it did not record, worded and punctuated in the reader’s language', () => {
  it.each([
    [
      'zh-CN',
      '城市更新项目开工数 截至11月底累计开工32项，其中老旧小区改造12项；全年计划开工40项',
      'ℹ️ 以下内容未记录：“40项”（计划、任务或预计数，不是完成数）；“12项”（“其中”的分项，不是总数）。如需记录，请用',
    ],
    [
      'en',
      `${TARGET} 32 started by the end of November, of which 12 old compounds; 40 planned for the year`,
      'ℹ️ Not recorded: “40” (a plan, task or forecast, not an actual); “12” (a part ("of which"), not the total). To record it, use',
    ],
  ] as const)('%s', async (locale, text, line) => {
    const reply = await s.ask(`/progress ${text}`, { locale });
    expect(textOf(reply)).toContain(line);
    expect(valueOf(TARGET)).toBe(32);
  });
});

describe('/progress without a figure, or from the wrong person', () => {
  it('opens the form when given nothing, and for an item named without a figure', async () => {
    expect(await s.run('/progress')).toEqual({ effects: [{ type: 'open_form' }] });
    expect(await s.run(`/progress ${TARGET}`)).toEqual({ effects: [{ type: 'open_form', itemId: TARGET }] });
  });

  it('refuses someone outside the department, naming who can report, and records nothing', async () => {
    const reply = await s.ask(`/progress ${TARGET} 累计开工40项`, { userId: OUTSIDER });
    expect(textOf(reply)).toContain('不能为「城市更新项目开工数」报送');
    expect(textOf(reply)).toContain(`<@${LIAISON}>`);
    expect(valueOf(TARGET)).toBe(30);
  });

  it.each([
    ['zh-CN', `住建局的联络员和负责人（<@${LIAISON}>）`],
    ['en', `HURDB's liaisons and leads (<@${LIAISON}>)`],
  ] as const)('names who can report in %s, the liaisons in the language’s parentheses', async (locale, who) => {
    const reply = await s.ask(`/progress ${TARGET} 累计开工40项`, { userId: OUTSIDER, locale });
    expect(textOf(reply)).toContain(who);
  });

  it('sends a claim of done to review instead of closing the item', async () => {
    const { reply, effects } = await s.run('/progress ur-03 已全部完成');
    expect(textOf(reply!)).toContain('已提交督查室复核');
    expect(effects).toEqual([{ type: 'request_review', reviewId: expect.stringMatching(/^rv-/), note: '已全部完成' }]);
    expect(s.store.model().db.reviews).toHaveLength(1);
    expect(s.store.model().evaluate('2026-11-28').byId.get('ur-03')?.status).not.toBe('done');
  });

  it('closes a claim of done by an admin without review', async () => {
    const { effects } = await s.run('/progress ur-03 已全部完成', { userId: ADMIN });
    expect(effects).toEqual([]);
    expect(s.store.model().evaluate('2026-11-28').byId.get('ur-03')?.status).toBe('done');
  });
});

describe('a reply in the thread of an answer about the target', () => {
  let thread: Thread;
  beforeEach(async () => {
    thread = s.post(await s.ask(`/targets ${TARGET}`));
  });

  it('logs an increment and answers with the new total and the status, remembering the message', async () => {
    const { ts, outcome, reply } = await s.replyInThread(thread, '本月新开工6项');
    expect(outcome.kind).toBe('logged');
    expect(textOf(reply!)).toBe('✅ 已记录：城市更新项目开工数 新增 6 项（累计 36/40）。\n状态：🟡 预警 → 🟢 正常');
    expect(await lastUpdate(TARGET)).toMatchObject({
      by: LIAISON,
      value: 36,
      source: 'slack',
      note: '本月新开工6项',
      message: { channel: thread.channel, ts, threadTs: thread.ts },
    });
  });

  it.each([
    ['the same message delivered again', (ts: string) => ({ ts })],
    ['the same event delivered again', () => ({ eventId: 'Ev0RETRY001' })],
  ])('logs %s once', async (_, again) => {
    const first = await s.replyInThread(thread, '累计开工34项', { eventId: 'Ev0RETRY001' });
    const second = await s.replyInThread(thread, '累计开工34项', again(first.ts));
    expect(second.outcome.kind).toBe('duplicate');
    expect(await s.updatesOf(TARGET)).toHaveLength(1);
  });

  it('asks with buttons when a figure could be new or the total, and logs the reading clicked', async () => {
    const { outcome, reply } = await s.replyInThread(thread, '开工1项');
    expect(outcome.kind).toBe('asked');
    expect(textOf(reply!)).toContain('这个数是本期新增，还是累计总数？');
    expect(buttonsOf(reply!).map((b) => b.text)).toEqual(['新增 1 项 → 累计 31 项', '累计 1 项', '只记为说明']);
    expect(textOf((await s.choose(buttonsOf(reply!)[0]!)).reply!)).toContain('已记录：城市更新项目开工数 累计 31/40');
    expect(valueOf(TARGET)).toBe(31);
  });

  it('reads English replies and answers in English', async () => {
    const { reply } = await s.replyInThread(thread, 'now at 37', { locale: 'en' });
    expect(textOf(reply!)).toContain('Recorded: Urban-renewal projects started');
    expect(valueOf(TARGET)).toBe(37);
  });

  it('refuses someone outside the department and logs nothing', async () => {
    const { outcome, reply } = await s.replyInThread(thread, '累计开工40项', { userId: OUTSIDER });
    expect(outcome.kind).toBe('refused');
    expect(textOf(reply!)).toContain('不能为「城市更新项目开工数」报送');
    expect(await s.updatesOf(TARGET)).toEqual([]);
  });

  it('keeps a shared file as evidence', async () => {
    const file = {
      kind: 'file' as const,
      url: 'https://duban-test.slack.com/files/U0LIAISON1/F0EVIDENCE1/kgl.pdf',
      name: '开工令.pdf',
      fileId: 'F0EVIDENCE1',
    };
    const { reply } = await s.replyInThread(thread, '累计开工38项，附开工令', { evidence: [file] });
    expect(textOf(reply!)).toContain('佐证材料 1 件');
    expect((await lastUpdate(TARGET))?.evidence).toEqual([file]);
  });

  it('ignores an empty reply', async () => {
    expect((await s.replyInThread(thread, '   ')).outcome).toEqual({ kind: 'ignored' });
  });
});

describe('a reply in the thread of an answer about a department', () => {
  it.each([
    ['names the item', '/targets 住建局', '城市更新项目开工数 累计开工31项', TARGET, { value: 31 }],
    ['fits only one listed item the reporter may report for', '/targets 住建局', '累计完成70%', TARGET, { value: 28 }],
  ])('logs directly when the reply %s', async (_, line, text, itemId, stored) => {
    const thread = s.post(await s.ask(line));
    expect((await s.replyInThread(thread, text)).outcome.kind).toBe('logged');
    expect(await lastUpdate(itemId)).toMatchObject(stored);
  });

  it('asks which item when the reply names none, then logs the one chosen', async () => {
    const thread = s.post(await s.ask('/projects 住建局'));
    const { reply } = await s.replyInThread(thread, '完成70%');
    expect(textOf(reply!)).toContain('这条进展是关于哪一项的？');
    const item = buttonsOf(reply!).find((b) => b.text.includes('星湖花园老旧小区改造'))!;
    expect(textOf((await s.choose(item)).reply!)).toContain('已记录：星湖花园老旧小区改造 完成 70%');
    expect(s.store.model().progress.get('ur-01')?.percent).toBe(70);
  });
});
