import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReadModel } from '../../src/domain/read-model.ts';
import { countStatuses } from '../../src/domain/rollup.ts';
import { SEED_NOW, seedModel, startTestApp, type TestApp } from '../support/app.ts';
import {
  ask,
  blocksOf,
  EN_USER,
  expectValidMessage,
  headerOf,
  itemStatuses,
  sectionTexts,
  ZH_USER,
} from './helpers.ts';

let t: TestApp;
let model: ReadModel;
const TODAY = '2026-11-28';

beforeAll(async () => {
  model = await seedModel();
  t = await startTestApp({ model, now: SEED_NOW });
  t.fake.setUser(ZH_USER, { locale: 'zh-CN' });
  t.fake.setUser(EN_USER, { locale: 'en-US' });
});
afterAll(async () => t.close());

const shortName = (id: string) => model.department(id)!.shortName.zh!;

describe('/targets with no argument', () => {
  it('answers in the channel with a zone overview: header, as-of date, counts and one line per department', async () => {
    const { body, text } = await ask(t, '/targets', '');
    expectValidMessage(body);
    expect(body.response_type).toBe('in_channel');
    expect(headerOf(body)).toBe('南通经济技术开发区 · 目标总览');
    expect(text).toContain('截至 2026年11月28日');

    const c = countStatuses(model.evaluate(TODAY).targets);
    expect(c.red + c.amber + c.green + c.done + c.pending + c.exempt).toBe(model.db.targets.length);
    expect(sectionTexts(body)).toContain(`🔴 ${c.red}　🟡 ${c.amber}　🟢 ${c.green}　✅ ${c.done}`);
  });

  it('lists every department that owns a target, each with its rank, and leaves out departments without targets', async () => {
    const { body } = await ask(t, '/targets', '');
    const sections = sectionTexts(body);
    const owners = [...new Set(model.db.targets.map((x) => x.departmentId))];
    expect(owners.length).toBeGreaterThan(3);
    for (const id of owners) {
      expect(
        sections.some((s) => s.startsWith(`*${shortName(id)}*　第 `)),
        `${shortName(id)} is listed`,
      ).toBe(true);
    }
    const without = model.db.departments.filter((d) => !owners.includes(d.id));
    expect(without.map((d) => d.shortName.zh)).toContain('督查室');
    for (const d of without) expect(sections.some((s) => s.startsWith(`*${d.shortName.zh}*`))).toBe(false);
  });
});

describe('/targets <department>', () => {
  it.each([
    ['住建局', 'the short name'],
    ['住房和城乡建设局', 'the full Chinese name'],
    ['Housing and Construction Bureau', 'an English alias'],
    ['  住建局？ ', 'the short name with spaces and a question mark'],
  ])('resolves %s (%s) to 住建局 and lists its targets', async (query) => {
    const { body, text } = await ask(t, '/targets', query);
    expectValidMessage(body);
    expect(body.response_type).toBe('in_channel');
    expect(headerOf(body)).toBe('住建局 · 目标');
    expect(text).toContain('城市更新项目开工数');
    expect(text).toContain('`t-hurdb-renewal-starts`');
    // Targets of other departments that 住建局 does not support never appear.
    expect(text).not.toContain('规上工业增加值增速');
  });

  it('explains a cumulative target in words: plan, actual and points behind', async () => {
    const { body } = await ask(t, '/targets', '住建局');
    const renewal = sectionTexts(body).find((s) => s.includes('城市更新项目开工数'));
    expect(renewal).toBeDefined();
    expect(renewal).toMatch(/计划进度 \d+(\.\d)?%，实际 \d+(\.\d)?%，落后 \d+(\.\d)? 个百分点/);
    expect(renewal).toMatch(/^(🔴|🟡|🟢) \*城市更新项目开工数\* · 30 \/ 40 项/);
  });

  it('resolves 经发局 and states the level target as a floor', async () => {
    const { body, text } = await ask(t, '/targets', '经发局');
    expectValidMessage(body);
    expect(headerOf(body)).toBe('经发局 · 目标');
    const growth = sectionTexts(body).find((s) => s.includes('规上工业增加值增速'));
    expect(growth).toContain('目标不低于 7.5%');
    expect(growth).toMatch(/目标不低于 7\.5%，最新 [\d.]+%/);
    expect(text).not.toContain('城市更新项目开工数');
  });

  it('lists at most one page of ten items and no more than 50 blocks', async () => {
    const { body } = await ask(t, '/targets', '住建局');
    expect(blocksOf(body).length).toBeLessThanOrEqual(50);
    expect(itemStatuses(body).length).toBeGreaterThan(0);
    expect(itemStatuses(body).length).toBeLessThanOrEqual(10);
  });
});

describe('/targets <target id>', () => {
  it('shows the detail of one target: status, kind, lead department, reasons and recent reports', async () => {
    const { body, text } = await ask(t, '/targets', 't-hurdb-renewal-starts');
    expectValidMessage(body);
    expect(body.response_type).toBe('in_channel');
    expect(headerOf(body)).toBe('城市更新项目开工数');
    const fields = blocksOf(body)
      .flatMap((b) => b.fields ?? [])
      .map((f) => f.text);
    expect(fields).toContain('*类型*\n目标');
    expect(fields).toContain('*牵头单位*\n住建局');
    expect(fields.some((f) => /^\*状态\*\n(🔴 落后|🟡 预警|🟢 正常)$/u.test(f))).toBe(true);
    expect(text).toMatch(/• (截至 \d+月\d+日 )?计划进度 [\d.]+%，实际 [\d.]+%，落后 [\d.]+ 个百分点/);
    // Recent reports from the history, newest first.
    expect(text).toContain('11月27日 · 示例数据 · 30');
  });

  it('finds the target whatever the case of the id', async () => {
    const { body } = await ask(t, '/targets', 'T-HURDB-RENEWAL-STARTS');
    expect(headerOf(body)).toBe('城市更新项目开工数');
  });
});

describe('/targets with a name it does not know', () => {
  it('answers only the asker that nothing was found and suggests the nearest departments', async () => {
    const { body, text } = await ask(t, '/targets', '火星局');
    expectValidMessage(body);
    expect(body.response_type).toBe('ephemeral');
    expect(text).toContain('没有找到「火星局」。');
    expect(text).toMatch(/您是不是要找：[^？\n]+(、[^？\n]+)*？/);
    expect(text).toContain('用法示例：`/targets 住建局`');
  });

  it('puts the closest department among the suggestions for a near miss', async () => {
    const { text } = await ask(t, '/targets', '住建厅');
    const suggestions = /您是不是要找：([^？\n]+)？/.exec(text)?.[1];
    expect(suggestions?.split('、')).toContain('住建局');
  });

  it('never answers with an empty message, even when no name is close', async () => {
    const { body, text } = await ask(t, '/targets', 'qqqqqqq');
    expect(body.response_type).toBe('ephemeral');
    expect(blocksOf(body).length).toBeGreaterThan(0);
    expect(body.text?.trim()).not.toBe('');
    expect(text).toContain('没有找到「qqqqqqq」。');
    // With nothing close, it lists the departments there are instead.
    for (const d of model.db.departments) expect(text).toContain(d.shortName.zh!);
  });
});

describe('/targets help', () => {
  it('explains the command with examples, only to the asker', async () => {
    const { body, text } = await ask(t, '/targets', 'help');
    expectValidMessage(body);
    expect(body.response_type).toBe('ephemeral');
    expect(headerOf(body)).toBe('/targets 用法');
    expect(text).toContain('例：`/targets 住建局`');
    expect(text).toContain('状态：🔴 落后');
  });

  it.each(['帮助', '?', '--help'])('treats %s as a request for help too', async (word) => {
    const { body } = await ask(t, '/targets', word);
    expect(headerOf(body)).toBe('/targets 用法');
  });
});
