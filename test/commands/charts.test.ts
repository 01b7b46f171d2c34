/**
 * Charts at the command layer (no Slack): which detail views carry 趋势图 / Trend and what a click on it
 * finds, and the ranking a published bulletin's chart is drawn from — the preview's, not today's.
 * The Slack tier (test/slack/charts-post.test.ts) checks the pictures reach Slack, once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rollupAsPreviewed } from '../../commands/publishing.ts';
import { hasTrend, noTrendText, TREND_CHART, trendSubject } from '../../commands/trend.ts';
import { consoleCharts, consoleMessenger } from '../../src/console/console.ts';
import { snapshotOf } from '../../src/domain/bulletin.ts';
import type { ItemStatus, Status } from '../../src/domain/status.ts';
import { createLogger } from '../../src/log.ts';
import { chineseCalendarData } from '../../src/scheduler/holidays.ts';
import { runBulletin } from '../../src/scheduler/jobs.ts';
import { buttonsOf, type CommandSession, openSeedSession, SEED_NOW } from '../support/command-session.ts';

let s: CommandSession;
beforeAll(async () => {
  s = await openSeedSession();
});
afterAll(async () => s.close());

const today = '2026-11-28';
const statusOf = (id: string) => s.store.model().evaluate(today).byId.get(id)!;
const withSeries = (st: ItemStatus, points: number): ItemStatus => ({
  ...st,
  progress: { ...st.progress, series: st.progress.series.slice(0, points) },
});

describe('which items have 趋势图', () => {
  it.each<[string, string, number, boolean]>([
    ['a target with reports', 't-edb-iva-growth', 10, true],
    ['a target with a single report', 't-edb-iva-growth', 1, true],
    ['a target without reports', 't-edb-iva-growth', 0, false],
    ['a project with reports', 'ur-03', 10, true],
    ['a project without reports (its milestones are a trend)', 'ur-03', 0, true],
    ['a commitment', 'c-zx-frontline', 10, false],
  ])('%s: %s', (_, id, points, expected) => {
    expect(hasTrend(withSeries(statusOf(id), points))).toBe(expected);
  });

  it.each<[string, string, boolean]>([
    ['/duban #1', 'the target #1, on its trend line', true],
    ['/duban #11', 'the project #11', true],
    ['/duban #58', 'the commitment #58', false],
  ])('%s: %s', async (line, _, shown) => {
    const reply = await s.ask(line);
    const trend = buttonsOf(reply).filter((b) => b.actionId === TREND_CHART);
    expect(trend).toHaveLength(shown ? 1 : 0);
    if (shown) expect(trend[0]!.text).toBe('趋势图');
  });

  it('finds the item a click names, says when it is gone, and gives an example when there is nothing to draw', () => {
    const ctx = s.context();
    const found = trendSubject('t-edb-iva-growth', ctx);
    expect(found).toMatchObject({ kind: 'found', name: '规上工业增加值增速', number: '（#1）' });
    expect(trendSubject('constructor', ctx).kind).toBe('gone');
    expect(trendSubject('', ctx).kind).toBe('gone');
    if (found.kind !== 'found') throw new Error('found');
    expect(noTrendText(found, ctx)).toBe(
      '「规上工业增加值增速」还没有可画成趋势图的进度报送。报送一次进度后再点「趋势图」，例如：/progress #1 31',
    );
  });
});

describe('the ranking a published bulletin is drawn from', () => {
  it('counts and ranks every item at its status in the preview, whatever it is today', () => {
    const model = s.store.model();
    const now = model.rollup(today);
    const tracked = model.evaluate(today).tracked;
    // As if, at the preview, every item of the department last today had been done.
    const last = now.departments.filter((d) => d.rank !== undefined).at(-1)!;
    const snapshot: Record<string, Status> = snapshotOf(tracked);
    for (const st of last.items) snapshot[st.item.id] = 'done';
    const previewed = rollupAsPreviewed(model, snapshot, today);
    const first = previewed.departments[0]!;
    expect(first.department.id).toBe(last.department.id);
    expect(first.rank).toBe(1);
    expect(first.counts.done).toBe(last.items.length);
    expect(first.counts.red + first.counts.amber + first.counts.green).toBe(0);
    // The same snapshot as today gives today's ranking.
    expect(
      rollupAsPreviewed(model, snapshotOf(tracked), today).departments.map((d) => [d.department.id, d.rank]),
    ).toEqual(now.departments.map((d) => [d.department.id, d.rank]));
  });

  it('leaves out items the preview did not have', () => {
    const model = s.store.model();
    const previewed = rollupAsPreviewed(model, {}, today);
    expect(previewed.counts).toMatchObject({ red: 0, amber: 0, green: 0, done: 0 });
  });
});

describe('the bulletin in the console', () => {
  it('says where Slack shows its chart, and what the chart shows in words, once per run', async () => {
    let out = '';
    const deps = {
      store: s.store,
      messenger: consoleMessenger((text) => (out += text), 'zh-CN'),
      charts: consoleCharts,
      clock: () => SEED_NOW,
      timeZone: 'Asia/Shanghai',
      locale: 'zh-CN' as const,
      logger: createLogger('silent'),
      calendarData: chineseCalendarData(),
      admins: async () => ['U0ADMIN001'],
    };
    const outcome = await runBulletin('bulletin@2026-11-28T10:00', deps);
    expect(outcome).toEqual({ zone: 'sent', chart: 'sent' });
    expect(out).toContain(
      '── → D0ADMIN001 ──\n🖼 各部门进度排名（在 Slack 中以图片发在上面这条消息的话题里）\n各部门进度排名（名次从高到低）。',
    );
    expect(await runBulletin('bulletin@2026-11-28T10:00', deps)).toEqual({
      zone: 'already sent',
      chart: 'already sent',
    });
    expect(out.match(/🖼/g)).toHaveLength(1);
  });
});
