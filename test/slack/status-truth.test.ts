/**
 * Status that means what it says, one truth per screen: behind apart from due soon, a report judged at
 * the period it covers, reduction targets in natural words, the supervision office listed but not
 * ranked, supporting items labelled, counts that match the lists under them. A zone of our own, not
 * the sample: a development zone's 2026 year, read on 15 June.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import {
  ask,
  blocksOf,
  buildModel,
  buttonLabelled,
  click,
  EN_USER,
  expectValidMessage,
  headerOf,
  itemStatuses,
  mention,
  sectionTexts,
  ZH_USER,
} from './helpers.ts';

const NOW = new Date('2026-06-15T10:00:00+08:00');
const year = { start: '2026-01-01', end: '2026-12-31' };
const monthly = { cadence: 'monthly', graceDays: 5 };

const model = buildModel({
  meta: { zone: { zh: '临江高新区', en: 'Linjiang Hi-tech Zone' } },
  departments: [
    { id: 'office', name: { zh: '督查室' }, ranked: false },
    { id: 'build', name: { zh: '建设局' } },
    { id: 'econ', name: { zh: '经济发展局' }, shortName: { zh: '经发局' } },
  ],
  targets: [
    {
      // Reported on plan for Q1 on 3 April; Q2's report is not due until July.
      id: 't-starts',
      departmentId: 'build',
      name: { zh: '城市更新项目开工数', en: 'Urban renewal projects started' },
      kind: 'cumulative',
      unit: { zh: '项', en: 'projects' },
      baseline: 0,
      target: 40,
      period: year,
      reporting: { cadence: 'quarterly', graceDays: 5 },
      checkpoints: [
        { date: '2026-03-31', share: 0.225 },
        { date: '2026-06-30', share: 0.45 },
        { date: '2026-09-30', share: 0.75 },
      ],
    },
    {
      id: 't-idle',
      departmentId: 'econ',
      coDepartmentIds: ['build'],
      name: { zh: '存量闲置厂房面积', en: 'Idle factory floor space' },
      kind: 'cumulative',
      unit: { zh: '万平方米', en: '10,000 m²' },
      baseline: 45,
      target: 30,
      period: year,
      reporting: monthly,
    },
    {
      id: 't-office',
      departmentId: 'office',
      name: { zh: '督办事项办结率' },
      kind: 'level',
      unit: { zh: '%' },
      target: 95,
      comparator: 'atLeast',
      period: year,
      reporting: { cadence: 'none' },
    },
  ],
  projects: [
    {
      // On schedule, with a milestone due in five days: due soon, not behind.
      id: 'p-park',
      departmentId: 'build',
      name: { zh: '滨江公园提升工程', en: 'Riverside park upgrade' },
      period: year,
      reporting: { cadence: 'none' },
      milestones: [
        { id: 'm1', name: { zh: '开工' }, due: '2026-03-31' },
        { id: 'm2', name: { zh: '主体完工' }, due: '2026-06-20' },
      ],
    },
    {
      // A milestone overdue: behind.
      id: 'p-road',
      departmentId: 'build',
      name: { zh: '纬三路改造工程', en: 'Wei 3rd Road rebuild' },
      period: year,
      reporting: { cadence: 'none' },
      milestones: [{ id: 'm1', name: { zh: '开工' }, due: '2026-05-31' }],
    },
  ],
  updates: [
    { id: 'u1', itemId: 't-starts', at: '2026-04-03T09:00:00+08:00', by: 'U0BUILD', source: 'slack', value: 9 },
    { id: 'u2', itemId: 't-idle', at: '2026-06-03T09:00:00+08:00', by: 'U0ECON', source: 'slack', value: 39 },
    { id: 'u3', itemId: 't-office', at: '2026-06-01T09:00:00+08:00', by: 'U0OFFICE', source: 'slack', value: 98 },
    {
      id: 'u4',
      itemId: 'p-park',
      at: '2026-03-30T09:00:00+08:00',
      by: 'U0BUILD',
      source: 'slack',
      state: 'done',
      milestoneId: 'm1',
    },
  ],
});

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ model, now: NOW });
  t.fake.setUser(ZH_USER, { locale: 'zh-CN' });
  t.fake.setUser(EN_USER, { locale: 'en' });
});
afterAll(async () => t.close());

describe('behind is not "due soon"', () => {
  it('lists behind items only, and the items with a milestone due soon apart, titled by what they hold', async () => {
    const { body, text } = await ask(t, '/duban', 'behind');
    expectValidMessage(body);
    expect(headerOf(body)).toBe('落后和预警事项（按严重程度）');
    const behind = sectionTexts(body).filter((s) => /^(🔴|🟡) \*/u.test(s));
    expect(behind).toHaveLength(1);
    expect(behind[0]).toContain('纬三路改造工程');
    expect(text).toContain('🔴 落后 1　🟡 预警 0');
    expect(text).toContain('*即将到期（尚未落后）*');
    expect(text).toMatch(/⏰ \*滨江公园提升工程\*.*节点「主体完工」还剩 5 天/u);
    // Nothing due soon is counted as behind.
    expect(behind.join('\n')).not.toContain('滨江公园');
  });

  it('narrows the list to one department, naming it, and keeps the way back to every item', async () => {
    const { body, text } = await ask(t, '/duban', 'behind 经发局');
    expectValidMessage(body);
    expect(headerOf(body)).toBe('经发局 · 落后和预警事项（按严重程度）');
    expect(text).toContain('经发局目前没有落后或预警的事项。');
    expect(text).not.toContain('纬三路');
  });

  it('says politely which department it could not find, with an example', async () => {
    const { body, text } = await ask(t, '/duban', 'behind 火星局');
    expect(body.response_type).toBe('ephemeral');
    expect(text).toContain('没有找到「火星局」');
    expect(text).toContain('/duban behind 住建局');
  });

  it('answers "建设局谁落后？" with that department’s list', async () => {
    const m = await mention(t, '建设局谁落后？');
    expect(headerOf(m.args)).toBe('建设局 · 落后和预警事项（按严重程度）');
    expect(itemStatuses(m.args)).toEqual(['🔴']);
  });
});

describe('a report is judged at the period it covers', () => {
  it('shows a quarterly target on plan at the end of Q1 as on plan in mid-June, saying as of when', async () => {
    const { text } = await ask(t, '/targets', '建设局');
    expect(text).toMatch(/🟢 \*城市更新项目开工数\* · 9 \/ 40 项/u);
    expect(text).toContain('截至 3月31日 计划进度 22.5%，实际 22.5%，与计划持平');
    expect(text).not.toContain('落后 23');
  });
});

describe('reduction targets read naturally', () => {
  it('says what is left, the ceiling, and what was cut of what must be cut — in Chinese and in English', async () => {
    const zh = await ask(t, '/targets', '经发局');
    expect(zh.text).toContain('存量闲置厂房面积* · 现 39 万平方米，目标降至 30 万平方米（已压减 6，需压减 15）');
    expect(zh.text).not.toContain('39 / 30');
    const en = await ask(t, '/targets', 'econ', EN_USER);
    expect(en.text).toContain('now 39 10,000 m², to come down to 30 10,000 m² (cut 6 of 15)');
  });
});

describe('one truth per screen', () => {
  it('lists the supervision office without a rank, after the departments it supervises, and says what the ranking is by', async () => {
    const { body, text } = await ask(t, '/duban', 'status');
    expectValidMessage(body);
    const order = sectionTexts(body)
      .filter((s) => /^\*.+\*　/u.test(s))
      .map((s) => s.split('　').slice(0, 2).join(' '));
    expect(order).toEqual(['*经发局* 第 1 名', '*建设局* 第 2 名', '*督查室* 不参与排名']);
    expect(text).toContain('排名依据：按时推进（正常和已完成）事项所占比例');
  });

  it('labels the items a department only supports, naming their lead', async () => {
    const { text } = await ask(t, '/targets', '建设局');
    expect(text).toMatch(/存量闲置厂房面积[\s\S]*配合（牵头：经发局）/u);
    expect(text).not.toMatch(/城市更新项目开工数[^\n]*\n[^\n]*\n[^\n]*配合/u);
  });

  it('counts in a scorecard exactly the items it lists by kind, and shows due soon apart', async () => {
    const { body, text } = await ask(t, '/duban', 'status 建设局');
    expectValidMessage(body);
    expect(text).toMatch(/\*第 2 名\* \/ 2　🔴 1　🟡 0　🟢 2　✅ 0/u);
    const fields = blocksOf(body)
      .flatMap((b) => b.fields ?? [])
      .map((f) => f.text);
    expect(fields).toEqual(['*目标*\n🔴 0　🟡 0　🟢 1　✅ 0', '*项目*\n🔴 1　🟡 0　🟢 1　✅ 0']);
    expect(sectionTexts(body).filter((s) => /^(🔴|🟡) \*/u.test(s))).toHaveLength(1);
    expect(text).toMatch(/\*即将到期（尚未落后）\*\n⏰ 滨江公园提升工程 — 节点「主体完工」还剩 5 天/u);
  });

  it('offers the whole list when a scorecard cuts its items behind short', async () => {
    const many = buildModel({
      departments: [{ id: 'build', name: { zh: '建设局' } }],
      projects: Array.from({ length: 7 }, (_, i) => ({
        id: `p${i}`,
        departmentId: 'build',
        name: { zh: `道路工程${i + 1}` },
        period: year,
        reporting: { cadence: 'none' },
        milestones: [{ id: 'm1', name: { zh: '开工' }, due: '2026-05-31' }],
      })),
    });
    const app = await startTestApp({ model: many, now: NOW });
    try {
      const { body, text } = await ask(app, '/duban', 'status 建设局');
      expect(text).toContain('另有 2 项落后或预警');
      const all = await click(app, buttonLabelled(body, '查看全部 7 项'));
      expect(headerOf(all.body)).toBe('建设局 · 落后和预警事项（按严重程度）');
      expect(itemStatuses(all.body)).toHaveLength(7);
    } finally {
      await app.close();
    }
  });
});
