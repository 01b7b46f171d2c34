import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_NOW, seedModel, startTestApp, type TestApp } from '../support/app.ts';
import {
  type Answer,
  ask,
  blocksOf,
  buttonLabelled,
  buttonsOf,
  click,
  expectValidMessage,
  headerOf,
  itemStatuses,
  sectionTexts,
  ZH_USER,
} from './helpers.ts';

let t: TestApp;
let firstPage: Answer;
let renewalIds: string[];

/** The item ids (`ur-05`) shown in a list, in order. */
function itemIds(a: Answer): string[] {
  return sectionTexts(a.body).flatMap((s) => [...s.matchAll(/`([a-z0-9-]+)`_$/gm)].map((m) => m[1]!));
}

beforeAll(async () => {
  const model = await seedModel();
  renewalIds = model.db.projects.filter((p) => p.tags.includes('城市更新')).map((p) => p.id);
  t = await startTestApp({ model, now: SEED_NOW });
  t.fake.setUser(ZH_USER, { locale: 'zh-CN' });
  firstPage = await ask(t, '/projects', '城市更新');
});
afterAll(async () => t.close());

describe('/projects 城市更新', () => {
  it('answers in the channel with the renewal projects, counted and paged', () => {
    expect(renewalIds).toHaveLength(40);
    expectValidMessage(firstPage.body);
    expect(firstPage.body.response_type).toBe('in_channel');
    expect(headerOf(firstPage.body)).toBe('项目 ·「城市更新」');
    expect(firstPage.text).toContain('第 1/4 页，共 40 项');
  });

  it('shows each project with its status, percent done and milestones', () => {
    const items = sectionTexts(firstPage.body).filter((s) => /^(🔴|🟡|🟢|✅|⚪) \*/u.test(s));
    expect(items).toHaveLength(10);
    for (const item of items) expect(item).toMatch(/^(🔴|🟡|🟢|✅|⚪) \*[^*]+\* · 完成 \d+(\.\d)?%/u);
    expect(firstPage.text).toMatch(/下一节点：[^（]+（\d+月\d+日）/);
    expect(firstPage.text).toMatch(/节点「[^」]+」已逾期 \d+ 天（应于 \d+月\d+日 完成）/);
    for (const id of itemIds(firstPage)) expect(renewalIds).toContain(id);
  });

  it('lists the worst first: every red project before any amber one, and amber before green', () => {
    const order = { '🔴': 0, '🟡': 1, '🟢': 2, '✅': 3, '⚪': 4 } as Record<string, number>;
    const ranks = itemStatuses(firstPage.body).map((s) => order[s]!);
    expect(ranks[0]).toBe(0);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  });

  it('stays within 50 blocks and offers a 下一页 button but no 上一页 on the first page', () => {
    expect(blocksOf(firstPage.body).length).toBeLessThanOrEqual(50);
    const labels = buttonsOf(firstPage.body).map((b) => b.text.text);
    expect(labels).toContain('下一页');
    expect(labels).not.toContain('上一页');
  });

  it('replaces the message with page 2 when 下一页 is clicked', async () => {
    const next = buttonLabelled(firstPage.body, '下一页');
    const page2 = await click(t, next);
    expectValidMessage(page2.body);
    expect(page2.body.replace_original).toBe(true);
    expect(headerOf(page2.body)).toBe('项目 ·「城市更新」');
    expect(page2.text).toContain('第 2/4 页，共 40 项');
    const ids1 = itemIds(firstPage);
    const ids2 = itemIds(page2);
    expect(ids2).toHaveLength(10);
    expect(ids2.filter((id) => ids1.includes(id))).toEqual([]);
    for (const id of ids2) expect(renewalIds).toContain(id);
    const labels = buttonsOf(page2.body).map((b) => b.text.text);
    expect(labels).toEqual(['上一页', '下一页']);
  });

  it('goes back to the same first page with 上一页', async () => {
    const page2 = await click(t, buttonLabelled(firstPage.body, '下一页'));
    const back = await click(t, buttonLabelled(page2.body, '上一页'));
    expect(back.body.replace_original).toBe(true);
    expect(back.text).toContain('第 1/4 页，共 40 项');
    expect(itemIds(back)).toEqual(itemIds(firstPage));
  });

  it('reaches the last page with every renewal project shown exactly once across the pages', async () => {
    const seen = [...itemIds(firstPage)];
    let page = firstPage;
    for (let n = 2; n <= 4; n++) {
      page = await click(t, buttonLabelled(page.body, '下一页'));
      expect(page.text).toContain(`第 ${n}/4 页，共 40 项`);
      seen.push(...itemIds(page));
    }
    expect(buttonsOf(page.body).map((b) => b.text.text)).toEqual(['上一页']);
    expect([...seen].sort()).toEqual([...renewalIds].sort());
  });
});

describe('/projects <department>', () => {
  it('lists the department’s projects under its name', async () => {
    const { body, text } = await ask(t, '/projects', '住建局');
    expectValidMessage(body);
    expect(headerOf(body)).toBe('住建局 · 项目');
    expect(text).toMatch(/第 1\/\d+ 页，共 \d+ 项/);
  });

  it('lists a department’s projects worst first, so its red projects are on the first page', async () => {
    // 住建局 has red projects (overdue and blocked ones); a list reads worst first everywhere else.
    const { body } = await ask(t, '/projects', '住建局');
    const statuses = itemStatuses(body);
    expect(statuses[0]).toBe('🔴');
  });
});

describe('/projects with a category it does not know', () => {
  it('answers only the asker, suggesting departments or categories', async () => {
    const { body, text } = await ask(t, '/projects', '城市更薪');
    expectValidMessage(body);
    expect(body.response_type).toBe('ephemeral');
    expect(text).toContain('没有找到「城市更薪」。');
    expect(text).toMatch(/您是不是要找：.+？/);
    expect(text).toContain('用法示例：`/projects 城市更新`');
  });
});
