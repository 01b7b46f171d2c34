/**
 * Reading what people write, end to end through the real Bolt app: /progress with a total and an
 * increment, figures that do not add up, a thread reply that must find its item, and a confirmation
 * that says what it did not record. Each test starts from the seed (城市更新项目开工数 at 30/40).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import {
  ask,
  buttonsOf,
  CHANNEL,
  click,
  EN_USER,
  type MessageBody,
  postedBy,
  replyInThread,
  ZH_USER,
} from './helpers.ts';

const ADMIN = 'U0ADMIN001';
const TARGET = 't-hurdb-renewal-starts';

let t: TestApp;
const valueOf = (itemId: string) => t.store.model().progress.get(itemId)?.value;

beforeEach(async () => {
  t = await startTestApp({ admins: [ADMIN] });
  t.fake.setUser(ZH_USER, { locale: 'zh-CN', name: 'liaison' });
  t.fake.setUser(EN_USER, { locale: 'en-US', name: 'leader' });
  t.fake.setUser(ADMIN, { locale: 'zh-CN', name: 'office' });
  for (const user of [ZH_USER, EN_USER]) await ask(t, '/duban', `member add <@${user}|liaison> 住建局`, ADMIN);
});
afterEach(async () => t.close());

describe('/progress with a total and an increment', () => {
  it('records the total when it agrees with the last value and the increment (30 + 5 = 35), naming both', async () => {
    const answer = await ask(t, '/progress', '城市更新项目开工数 35 本月新开工5项');
    expect(answer.text).toContain('已记录：城市更新项目开工数 新增 5 项（累计 35/40）');
    expect(valueOf(TARGET)).toBe(35);
  });

  it('asks when the total and the increment disagree with the last value (31 ≠ 30 + 5), the total first', async () => {
    const answer = await ask(t, '/progress', '城市更新项目开工数 31 本月新开工5项');
    expect(answer.text).toContain('累计数和新增数与上次记录对不上');
    const labels = buttonsOf(answer.body as MessageBody).map((b) => b.text.text);
    expect(labels.slice(0, 2)).toEqual(['累计 31 项', '新增 5 项 → 累计 35 项']);
    expect(valueOf(TARGET)).toBe(30);
    const chosen = buttonsOf(answer.body as MessageBody)[1]!;
    expect((await click(t, chosen, ZH_USER)).text).toContain('累计 35/40');
    expect(valueOf(TARGET)).toBe(35);
  });

  it('asks before recording an increment that runs far past the target (30 + 31 = 61 of 40)', async () => {
    const answer = await ask(t, '/progress', '城市更新项目开工数 本月新开工31项');
    expect(answer.text).toContain('这个数和以往记录或目标相差很大');
    const labels = buttonsOf(answer.body as MessageBody).map((b) => b.text.text);
    expect(labels.slice(0, 2)).toEqual(['累计 61/40 项，确认', '累计 31 项']);
    expect(valueOf(TARGET)).toBe(30);
  });

  it('says which figures it did not record, and why, with the command that would record them', async () => {
    const answer = await ask(
      t,
      '/progress',
      '城市更新项目开工数 截至11月底累计开工32项，其中老旧小区改造12项；全年计划开工40项',
    );
    expect(answer.text).toContain('已记录：城市更新项目开工数 累计 32/40');
    expect(answer.text).toContain('以下内容未记录：');
    expect(answer.text).toContain('“40项”（计划、任务或预计数，不是完成数）');
    expect(answer.text).toContain('“12项”（“其中”的分项，不是总数）');
    expect(answer.text).toContain(`/progress ${TARGET} 40项`);
    expect(valueOf(TARGET)).toBe(32);
  });

  it('reads English: "5 more this month, 35 in total"', async () => {
    const answer = await ask(t, '/progress', `${TARGET} 5 more this month, 35 in total`, EN_USER);
    expect(answer.text).toContain('Recorded: Urban-renewal projects started');
    expect(valueOf(TARGET)).toBe(35);
  });
});

describe('a reply in the thread of a department scorecard', () => {
  it("finds the target the reply names and whose unit fits, among the department's 41 items, without asking", async () => {
    const { ts } = await postedBy(t, '/duban', 'status 住建局');
    const reply = await replyInThread(t, ts, '城市更新项目累计开工31项');
    expect(reply.text).toContain('已记录：城市更新项目开工数 累计 31/40');
    expect(valueOf(TARGET)).toBe(31);
  });

  it('records a count for the one listed item that counts in 项, when the reply names none', async () => {
    const { ts } = await postedBy(t, '/duban', 'status 住建局');
    const reply = await replyInThread(t, ts, '累计开工31项');
    // A count of 项 is no project's percentage: the one target that counts 项 is recorded.
    expect(reply.text).toContain('已记录：城市更新项目开工数 累计 31/40');
  });

  it('keeps the thread about the whole department after a reply is logged in it', async () => {
    const { ts } = await postedBy(t, '/duban', 'status 住建局');
    for (let i = 0; i < 100 && t.store.model().db.threads[`${CHANNEL}:${ts}`] === undefined; i++)
      await new Promise((r) => setTimeout(r, 20));
    const listed = t.store.model().db.threads[`${CHANNEL}:${ts}`]?.itemIds ?? [];
    const project = t.store.model().db.projects.find((p) => listed.includes(p.id))!;
    expect((await replyInThread(t, ts, '城市更新项目累计开工31项')).text).toContain(
      '已记录：城市更新项目开工数 累计 31/40',
    );
    const second = await replyInThread(t, ts, `${project.name.zh}完成70%`);
    expect(second.text).toContain(`已记录：${project.name.zh} 完成 70%`);
    expect(t.store.model().progress.get(project.id)?.percent).toBe(70);
  });
});
