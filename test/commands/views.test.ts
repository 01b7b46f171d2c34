/**
 * What the read-only commands and mentions answer on the bundled seed, straight from the command layer
 * (no Slack): headers, who sees the answer, what it is about, and the words that explain a status.
 * The Slack tier (test/slack/targets.test.ts, duban.test.ts, projects.test.ts, mentions.test.ts)
 * checks the same answers reach Slack as valid Block Kit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locale } from '../../src/i18n/index.ts';
import {
  type CommandSession,
  headerOf,
  openSeedSession,
  sectionsOf,
  statusesOf,
  textOf,
} from '../support/command-session.ts';

const TARGET = 't-hurdb-renewal-starts';

// Nothing here writes: one seed zone serves every test.
let s: CommandSession;
beforeAll(async () => {
  s = await openSeedSession();
});
afterAll(async () => s.close());

describe('each view answers in the channel under its header', () => {
  it.each<[string, Locale, string]>([
    ['/targets', 'zh-CN', '南通经济技术开发区 · 目标总览'],
    ['/targets', 'en', 'Nantong Economic & Technological Development Zone · Targets overview'],
    ['/targets 住建局', 'zh-CN', '住建局 · 目标'],
    ['/targets 住房和城乡建设局', 'zh-CN', '住建局 · 目标'],
    ['/targets Housing and Construction Bureau', 'zh-CN', '住建局 · 目标'],
    [`/targets ${TARGET}`, 'zh-CN', '城市更新项目开工数'],
    [`/targets ${TARGET.toUpperCase()}`, 'zh-CN', '城市更新项目开工数'],
    ['/projects 城市更新', 'zh-CN', '项目 ·「城市更新」'],
    ['/duban status', 'zh-CN', '南通经济技术开发区 · 各部门情况'],
    ['/duban status 住建局', 'zh-CN', '住建局 · 记分卡'],
    ['/duban status Zhongxing', 'zh-CN', '中兴街道 · 记分卡'],
    ['/duban behind', 'zh-CN', '落后和预警事项（按严重程度）'],
    ['/duban behind', 'en', 'Behind and at risk, worst first'],
  ])('%s (%s) is headed "%s"', async (line, locale, header) => {
    const reply = await s.ask(line, { locale });
    expect(reply.visibility).toBe('in_channel');
    expect(headerOf(reply)).toBe(header);
  });
});

describe('a mistake is answered only to the asker, with an example of the right form', () => {
  it.each([
    ['/targets 火星局', '没有找到「火星局」。', '用法示例：`/targets 住建局`'],
    ['/duban status 火星局', '没有找到「火星局」。', '用法示例：`/duban status 住建局`'],
    ['/progress #99999 5', '没有找到事项「#99999」', '/progress #12 31'],
  ])('%s', async (line, problem, example) => {
    const reply = await s.ask(line);
    expect(reply.visibility).toBe('ephemeral');
    expect(textOf(reply)).toContain(problem);
    expect(textOf(reply)).toContain(example);
  });

  it('suggests the nearest departments for a name it does not know', async () => {
    expect(textOf(await s.ask('/targets 火星局'))).toMatch(/您是不是要找：[^？\n]+(、[^？\n]+)*？/);
  });
});

describe('what an answer is about, so a reply in its thread can be logged', () => {
  it.each([
    [`/targets ${TARGET}`, { departmentId: 'hurdb', itemIds: [TARGET] }],
    ['/targets 住建局', { departmentId: 'hurdb', itemIds: [TARGET, 't-ipb-idle-factory'] }],
  ])('%s is about %j', async (line, about) => {
    expect((await s.ask(line)).about).toEqual(about);
  });

  it('a zone overview is about nothing in particular', async () => {
    expect((await s.ask('/targets')).about).toBeUndefined();
  });
});

describe('/targets explains a status in words', () => {
  it('a cumulative target: plan, actual and points behind, with its figure against the target', async () => {
    const renewal = sectionsOf(await s.ask('/targets 住建局')).find((x) => x.includes('城市更新项目开工数'));
    expect(renewal).toMatch(/^🟡 \*城市更新项目开工数\* · 30 \/ 40 项/u);
    expect(renewal).toContain('截至 11月27日 计划进度 90.8%，实际 75%，落后 15.8 个百分点');
  });

  it('a level target as a floor', async () => {
    const growth = sectionsOf(await s.ask('/targets 经发局')).find((x) => x.includes('规上工业增加值增速'));
    expect(growth).toContain('目标不低于 7.5%，最新 7.2%');
  });

  it('the detail of one target lists its latest reports, newest first', async () => {
    const text = textOf(await s.ask(`/targets ${TARGET}`));
    expect(text).toContain('*牵头单位*\n住建局');
    expect(text.indexOf('11月27日 · 示例数据 · 30')).toBeLessThan(text.indexOf('10月30日 · 示例数据 · 28'));
  });
});

describe('/projects and /duban behind list worst first, ten to a page', () => {
  it('/projects 城市更新 pages its 40 renewal projects', async () => {
    const reply = await s.ask('/projects 城市更新');
    expect(textOf(reply)).toContain('第 1/4 页，共 40 项');
    expect(statusesOf(reply)).toHaveLength(10);
  });

  it('/duban behind lists red before amber and nothing on track', async () => {
    const statuses = statusesOf(await s.ask('/duban behind'));
    expect(statuses).toHaveLength(10);
    expect(statuses.lastIndexOf('🔴')).toBeLessThan(statuses.indexOf('🟡'));
    expect(statuses.every((x) => x === '🔴' || x === '🟡')).toBe(true);
  });

  it('/duban status ranks the departments from first on, without gaps', async () => {
    const ranked = sectionsOf(await s.ask('/duban status'))
      .map((x) => /^\*([^*]+)\*　第 (\d+) 名/.exec(x))
      .filter((m): m is RegExpExecArray => m !== null);
    expect(ranked.map((m) => Number(m[2]))).toEqual(ranked.map((_, i) => i + 1));
    expect(ranked.map((m) => m[1])).toEqual(
      expect.arrayContaining(['住建局', '经发局', '中兴街道', '投促局', '科创局']),
    );
  });
});

describe('@duban answers in the language asked', () => {
  it.each<[string, Locale, string]>([
    ['谁落后了？', 'en', '落后和预警事项（按严重程度）'],
    ['who is behind?', 'zh-CN', 'Behind and at risk, worst first'],
    ['住建局进展如何?', 'zh-CN', '住建局 · 记分卡'],
  ])('"%s" from a %s user is headed "%s"', (text, locale, header) => {
    expect(headerOf(s.mention(text, { locale }))).toBe(header);
  });
});
