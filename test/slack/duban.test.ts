import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReadModel } from '../../src/domain/read-model.ts';
import { SEED_NOW, seedModel, startTestApp, type TestApp } from '../support/app.ts';
import {
  ask,
  buttonLabelled,
  click,
  expectValidMessage,
  headerOf,
  itemStatuses,
  sectionTexts,
  ZH_USER,
} from './helpers.ts';

let t: TestApp;
let model: ReadModel;

beforeAll(async () => {
  model = await seedModel();
  t = await startTestApp({ model, now: SEED_NOW });
  t.fake.setUser(ZH_USER, { locale: 'zh-CN' });
});
afterAll(async () => t.close());

describe('/duban status <department>', () => {
  it('answers in the channel with the department’s scorecard: rank, counts by kind, what needs attention, commitments', async () => {
    const { body, text } = await ask(t, '/duban', 'status 住建局');
    expectValidMessage(body);
    expect(body.response_type).toBe('in_channel');
    expect(headerOf(body)).toBe('住建局 · 记分卡');
    // Ranked among the departments that are ranked: the supervision office is listed, not ranked.
    expect(text).toMatch(
      new RegExp(`\\*第 \\d+ 名\\* / ${model.db.departments.length - 1}　🔴 \\d+　🟡 \\d+　🟢 \\d+　✅ \\d+`),
    );
    const fields = body.blocks!.flatMap((b) => b.fields ?? []).map((f) => f.text);
    expect(fields.some((f) => /^\*目标\*\n🔴 \d+/u.test(f))).toBe(true);
    expect(fields.some((f) => /^\*项目\*\n🔴 \d+/u.test(f))).toBe(true);
    expect(sectionTexts(body)).toContain('*最需关注*');
    expect(itemStatuses(body)[0]).toBe('🔴');
    expect(text).toContain('*承诺事项*');
  });

  it('accepts the department under any of its names', async () => {
    const { body } = await ask(t, '/duban', 'status Zhongxing');
    expect(headerOf(body)).toBe('中兴街道 · 记分卡');
  });

  it('answers only the asker when the department does not exist', async () => {
    const { body, text } = await ask(t, '/duban', 'status 火星局');
    expect(body.response_type).toBe('ephemeral');
    expect(text).toContain('没有找到「火星局」。');
    expect(text).toContain('用法示例：`/duban status 住建局`');
  });
});

describe('/duban status', () => {
  it('ranks every department with something to count, best first', async () => {
    const { body, text } = await ask(t, '/duban', 'status');
    expectValidMessage(body);
    expect(body.response_type).toBe('in_channel');
    expect(headerOf(body)).toBe('南通经济技术开发区 · 各部门情况');
    const ranked = sectionTexts(body)
      .map((s) => /^\*([^*]+)\*　第 (\d+) 名/.exec(s))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ({ name: m[1]!, rank: Number(m[2]) }));
    expect(ranked.map((r) => r.rank)).toEqual(ranked.map((_, i) => i + 1));
    for (const name of ['住建局', '经发局', '中兴街道', '投促局', '科创局'])
      expect(ranked.map((r) => r.name)).toContain(name);
    expect(text).toMatch(/🔴 最需关注：/u);
  });
});

describe('/duban behind', () => {
  it('lists what is behind, red before amber, with nothing on track', async () => {
    const { body, text } = await ask(t, '/duban', 'behind');
    expectValidMessage(body);
    expect(body.response_type).toBe('in_channel');
    expect(headerOf(body)).toBe('落后和预警事项（按严重程度）');
    const statuses = itemStatuses(body);
    expect(statuses.length).toBe(10);
    expect(statuses).toContain('🔴');
    expect(statuses).toContain('🟡');
    expect(statuses.lastIndexOf('🔴')).toBeLessThan(statuses.indexOf('🟡'));
    expect(statuses.every((s) => s === '🔴' || s === '🟡')).toBe(true);
    // Every entry names its lead department.
    for (const s of sectionTexts(body).filter((x) => /^(🔴|🟡) \*/u.test(x))) expect(s).toMatch(/_牵头：[^ ]+ · /);
    expect(text).toMatch(/第 1\/2 页，共 \d+ 项/);
  });

  it("puts the worst red items first: a commitment's own milestone 151 days overdue, then a blocked project", async () => {
    const { body } = await ask(t, '/duban', 'behind');
    const [first, second] = sectionTexts(body).filter((s) => s.startsWith('🔴 *'));
    // The commitment links two targets, which count on their own; its own milestone counts through it.
    expect(first).toContain('重塑“4+6”招商体系');
    expect(first).toContain('节点「招商考核激励办法印发」已逾期 151 天');
    expect(second).toContain('通富路东侧城中村改造');
    expect(second).toContain('受阻：');
  });

  it('continues on page 2 with no red item after the amber ones of page 1', async () => {
    const page1 = await ask(t, '/duban', 'behind');
    const page2 = await click(t, buttonLabelled(page1.body, '下一页'));
    expectValidMessage(page2.body);
    expect(page2.body.replace_original).toBe(true);
    expect(headerOf(page2.body)).toBe('落后和预警事项（按严重程度）');
    expect(page2.text).toMatch(/第 2\/2 页/);
    const statuses = itemStatuses(page2.body);
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.every((s) => s === '🟡')).toBe(true);
  });
});

describe('/duban help and mistakes', () => {
  it('explains every command with examples, only to the asker', async () => {
    const { body, text } = await ask(t, '/duban', 'help');
    expectValidMessage(body);
    expect(body.response_type).toBe('ephemeral');
    expect(headerOf(body)).toBe('督办 · 使用帮助');
    for (const example of [
      '`/targets 住建局`',
      '`/projects 城市更新`',
      '`/duban status 中兴街道`',
      '*`/duban behind`*',
      '`@督办 住建局进展如何？`',
    ]) {
      expect(text).toContain(example);
    }
  });

  it('answers an unknown subcommand politely with the right form, only to the asker', async () => {
    const { body, text } = await ask(t, '/duban', 'frobnicate');
    expectValidMessage(body);
    expect(body.response_type).toBe('ephemeral');
    expect(text).toContain('不认识的子命令「frobnicate」。');
    expect(text).toContain('用法示例：`/duban status 住建局`');
  });

  it('shows the subcommand help for /duban status help', async () => {
    const { body } = await ask(t, '/duban', 'status help');
    expect(body.response_type).toBe('ephemeral');
    expect(headerOf(body)).toBe('/duban 用法');
  });
});
