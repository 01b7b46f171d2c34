/**
 * The chart specs as data: what each chart draws, in which words, before any pixel. Pure functions of
 * the read model; the pixels are tested in images.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { ChartSpec } from '../../src/charts/port.ts';
import { projectStage, projectsChart, STAGES, stagesByCategory } from '../../src/charts/specs/projects.ts';
import { RANKING_LABEL_MAX, rankingChart } from '../../src/charts/specs/ranking.ts';
import { TREND_TITLE_MAX, trendChart } from '../../src/charts/specs/trend.ts';
import type { TargetForecast } from '../../src/domain/forecast.ts';
import { emptyProgress, type ItemProgress } from '../../src/domain/progress.ts';
import { CumulativeTarget, LevelTarget, Project, Settings } from '../../src/domain/schema.ts';
import { evaluateProject, evaluateTarget } from '../../src/domain/status.ts';
import { openSeedSession } from '../support/command-session.ts';

const TODAY = '2026-11-28';
const ctx = { today: TODAY, settings: Settings.parse({}) };
const period = { start: '2026-01-01', end: '2026-12-31' };

type Series = Record<string, unknown> & { name: string; data: unknown[] };
const seriesOf = (spec: ChartSpec) => spec.option.series as Series[];
const named = (spec: ChartSpec, name: string) => seriesOf(spec).find((s) => s.name === name);
const subtitle = (spec: ChartSpec) => (spec.option.title as { subtext: string }).subtext;

function progressOf(points: Array<[string, number]>, extra: Partial<ItemProgress> = {}): ItemProgress {
  return { ...emptyProgress(), series: points, reports: points.length, ...extra };
}

const starts = CumulativeTarget.parse({
  id: 't-starts',
  departmentId: 'hurdb',
  name: { zh: '城市更新项目开工数', en: 'Urban-renewal projects started' },
  kind: 'cumulative',
  unit: { zh: '项', en: 'projects' },
  baseline: 0,
  target: 40,
  checkpoints: [
    { date: '2026-03-31', share: 0.15 },
    { date: '2026-06-30', share: 0.45 },
    { date: '2026-09-30', share: 0.75 },
  ],
  period,
});
const reports: Array<[string, number]> = [
  ['2026-03-31', 5],
  ['2026-06-30', 15],
  ['2026-09-30', 25],
  ['2026-11-27', 30],
];
const forecast: TargetForecast = {
  itemId: 't-starts',
  basis: { from: '2026-09-30', to: '2026-11-27', reports: 3, months: 3, by: 'months' },
  unit: { zh: '项', en: 'items' },
  ratePerDay: 0.0862,
  last: { date: '2026-11-27', value: 30 },
  end: '2026-12-31',
  projected: 34,
  low: 32,
  high: 36,
  baseline: 0,
  target: 40,
  share: 0.85,
  gap: 6,
  outlook: 'miss',
};

describe('trendChart of a cumulative target', () => {
  const progress = progressOf(reports);
  const spec = trendChart(evaluateTarget(starts, progress, ctx), progress, forecast, TODAY, 'zh-CN')!;

  it('draws the reports oldest first, the last one labelled with its value', () => {
    const actual = named(spec, '实际')!;
    expect(actual.data.map((p) => (Array.isArray(p) ? p : (p as { value: unknown }).value))).toEqual(reports);
    expect(JSON.stringify(actual.data.at(-1))).toContain('"formatter":"30"');
  });

  it('draws the 序时 plan from the baseline through each checkpoint, marked, to the target at the period end', () => {
    const plan = named(spec, '序时计划')!;
    const points = plan.data.map((p) => (Array.isArray(p) ? p : (p as { value: [string, number] }).value));
    expect(points).toEqual([
      ['2025-12-31', 0],
      ['2026-03-31', 6],
      ['2026-06-30', 18],
      ['2026-09-30', 30],
      ['2026-12-31', 40],
    ]);
    const marks = plan.data.filter((p) => !Array.isArray(p)) as Array<{ symbol: string; label: { formatter: string } }>;
    expect(marks.map((p) => [p.symbol, p.label.formatter])).toEqual([
      ['diamond', '节点 15%'],
      ['diamond', '节点 45%'],
      ['diamond', '节点 75%'],
    ]);
  });

  it('dashes the forecast from the last report to the period end and writes its value there', () => {
    const line = named(spec, '预测')!;
    expect((line.lineStyle as { type: string }).type).toBe('dashed');
    expect(line.data[0]).toEqual(['2026-11-27', 30]);
    const end = line.data[1] as { value: [string, number]; label: { formatter: string } };
    expect(end.value).toEqual(['2026-12-31', 34]);
    expect(end.label.formatter).toBe('预计 34');
  });

  it('draws the target as a line named in the legend, and says it all in the alt text', () => {
    const target = named(spec, '目标')!;
    expect(target.data).toEqual([
      ['2025-12-31', 40],
      ['2026-12-31', 40],
    ]);
    expect(target.endLabel).toMatchObject({ show: true, formatter: '目标 40' });
    expect(spec.alt).toBe(
      '城市更新项目开工数的累计趋势：目标 40项；最近一次报送（2026年11月27日）为 30项；按序时进度此时应达 36.41项。按近期趋势预计 2026年12月31日 达到 34项。',
    );
    expect(spec.name).toBe('趋势-t-starts-2026-11-28');
  });

  it('speaks English', () => {
    const en = trendChart(evaluateTarget(starts, progress, ctx), progress, forecast, TODAY, 'en')!;
    expect(seriesOf(en).map((s) => s.name)).toEqual(['Plan (pro rata)', 'Target', 'Actual', 'Forecast']);
    expect(en.title).toBe('Urban-renewal projects started');
    expect(en.alt).toContain('At the recent pace it reaches 34 projects by 31 Dec 2026.');
  });

  it("leaves out a forecast that is another item's", () => {
    const other = trendChart(
      evaluateTarget(starts, progress, ctx),
      progress,
      { ...forecast, itemId: 'x' },
      TODAY,
      'en',
    )!;
    expect(named(other, 'Forecast')).toBeUndefined();
    expect(other.alt).not.toContain('recent pace');
  });

  it('without reports still draws the plan, and the subtitle says there are none', () => {
    const none = trendChart(evaluateTarget(starts, emptyProgress(), ctx), emptyProgress(), undefined, TODAY, 'zh-CN')!;
    expect(seriesOf(none).map((s) => s.name)).toEqual(['序时计划', '目标']);
    expect(subtitle(none)).toContain('尚无报送，仅画出计划');
    expect(none.alt).toContain('尚无报送');
  });

  it.each([
    [TREND_TITLE_MAX, false],
    [TREND_TITLE_MAX + 1, true],
  ])('a name of %i characters is cut in the title: %s (the alt text keeps it whole)', (length, cutOff) => {
    const name = '长'.repeat(length);
    const t = CumulativeTarget.parse({ ...starts, name: { zh: name } });
    const s = trendChart(evaluateTarget(t, progress, ctx), progress, undefined, TODAY, 'zh-CN')!;
    expect([...s.title].length).toBe(Math.min(length, TREND_TITLE_MAX));
    expect(s.title.endsWith('…')).toBe(cutOff);
    expect(s.alt).toContain(name);
  });

  it('gives a Latin name twice the letters before cutting it', () => {
    const name = 'Growth of industrial value added (above designated size)';
    const t = CumulativeTarget.parse({ ...starts, name: { zh: '长'.repeat(40), en: name } });
    expect(trendChart(evaluateTarget(t, progress, ctx), progress, undefined, TODAY, 'en')!.title).toBe(name);
    const longer = CumulativeTarget.parse({ ...t, name: { zh: '长', en: `${name} ${name}` } });
    const title = trendChart(evaluateTarget(longer, progress, ctx), progress, undefined, TODAY, 'en')!.title;
    expect([title.length, title.endsWith('…')]).toEqual([2 * TREND_TITLE_MAX, true]);
  });
});

describe('trendChart of a level target', () => {
  const growth = LevelTarget.parse({
    id: 't-growth',
    departmentId: 'edb',
    name: { zh: '规上工业增加值增速', en: 'Growth of industrial value added' },
    kind: 'level',
    unit: { zh: '%', en: '%' },
    target: 7.5,
    comparator: 'atLeast',
    tolerance: 0.5,
    period,
  });

  it('draws the reports against the target with the tolerance as a band below it', () => {
    const progress = progressOf([
      ['2026-09-20', 7.6],
      ['2026-10-20', 7.3],
    ]);
    const spec = trendChart(evaluateTarget(growth, progress, ctx), progress, undefined, TODAY, 'zh-CN')!;
    const target = named(spec, '目标')!;
    const band = (target.markArea as { data: Array<[{ name: string; yAxis: number }, { yAxis: number }]> }).data[0]!;
    expect([band[0].name, band[0].yAxis, band[1].yAxis]).toEqual(['预警区间', 7, 7.5]);
    expect(spec.alt).toBe('规上工业增加值增速的走势：目标 7.5%；最近一次报送（2026年10月20日）为 7.3%。');
  });

  it('has no chart before its first report: a target line alone says nothing the text does not', () => {
    expect(trendChart(evaluateTarget(growth, emptyProgress(), ctx), emptyProgress(), undefined, TODAY, 'zh-CN')).toBe(
      undefined,
    );
  });
});

describe('trendChart of a project', () => {
  const project = Project.parse({
    id: 'ur-01',
    departmentId: 'hurdb',
    name: { zh: '星湖花园老旧小区改造', en: 'Xinghu Garden renovation' },
    period,
    milestones: [
      { id: 'm1', name: { zh: '开工', en: 'Works start' }, due: '2026-02-28' },
      { id: 'm2', name: { zh: '主体完工', en: 'Main works complete' }, due: '2026-08-31' },
    ],
  });
  const milestonesDone = Object.assign(Object.create(null), { m1: '2026-02-20' }) as Record<string, string>;
  const progress = progressOf(
    [
      ['2026-02-20', 10],
      ['2026-06-30', 60],
    ],
    { milestonesDone },
  );

  it('draws percent done against 100 with each milestone due date marked, done ones ticked', () => {
    const spec = trendChart(evaluateProject(project, progress, ctx), progress, undefined, TODAY, 'zh-CN')!;
    expect((spec.option.yAxis as { max: number }).max).toBe(100);
    const marks = (named(spec, '目标')!.markLine as { data: Array<{ name: string; xAxis: string }> }).data;
    expect(marks.map((x) => [x.name, x.xAxis])).toEqual([
      ['✓ 开工', '2026-02-28'],
      ['主体完工', '2026-08-31'],
      ['今天', TODAY],
    ]);
    expect(spec.alt).toBe(
      '星湖花园老旧小区改造的完成进度：最近一次报送（2026年6月30日）为 60%；节点：开工（2026年2月28日，已完成），主体完工（2026年8月31日）。',
    );
  });

  it.each([
    ['en', 'Completion acceptance', 'Completion acceptance'],
    ['en', 'Environmental impact assessment approved', 'Environmental impact asse…'],
    ['zh-CN', '竣工验收', '竣工验收'],
    ['zh-CN', '环境影响评价报告书取得生态环境部门批复', '环境影响评价报告书取得生…'],
  ] as const)('labels a milestone (%s) "%s" as "%s": whole while it fits down its line', (locale, label, shown) => {
    const named2 = Project.parse({
      ...project,
      milestones: [{ id: 'm9', name: { zh: label, en: label }, due: '2026-09-30' }],
    });
    const spec = trendChart(evaluateProject(named2, progress, ctx), progress, undefined, TODAY, locale)!;
    const marks = (named(spec, locale === 'en' ? 'Target' : '目标')!.markLine as { data: Array<{ name: string }> })
      .data;
    expect(marks[0]!.name).toBe(shown);
  });

  it('has no chart without a reported percent', () => {
    expect(trendChart(evaluateProject(project, emptyProgress(), ctx), emptyProgress(), undefined, TODAY, 'en')).toBe(
      undefined,
    );
  });
});

describe('projectStage', () => {
  const project = Project.parse({
    id: 'p',
    departmentId: 'hurdb',
    name: { zh: '项目' },
    period,
    milestones: ['m1', 'm2', 'm3'].map((id, i) => ({ id, name: { zh: id }, due: `2026-0${i + 3}-01` })),
  });
  const done = (ids: string[]) => Object.assign(Object.create(null), Object.fromEntries(ids.map((id) => [id, TODAY])));

  it.each([
    ['no milestone reached', [], undefined, 'none'],
    ['the first of three', ['m1'], undefined, 'some'],
    ['two of three', ['m1', 'm3'], undefined, 'some'],
    ['all three, not yet reported done', ['m1', 'm2', 'm3'], 'in_progress', 'all'],
    ['reported done', ['m1'], 'done', 'done'],
  ] as const)('%s → %s', (_, reached, state, stage) => {
    const p = { ...emptyProgress(), milestonesDone: done([...reached]), ...(state ? { state } : {}) };
    expect(projectStage(evaluateProject(project, p, ctx))).toBe(stage);
  });

  it('a project without milestones has reached none until it is done', () => {
    const bare = Project.parse({ ...project, milestones: [] });
    expect(projectStage(evaluateProject(bare, emptyProgress(), ctx))).toBe('none');
  });
});

describe('projectsChart of the sample zone', async () => {
  const session = await openSeedSession();
  const model = session.store.model();
  const projects = model.evaluate(TODAY).projects;

  it('counts every project once, by category, the biggest first', () => {
    const rows = stagesByCategory(projects, 'zh-CN');
    expect(rows.reduce((n, r) => n + r.total, 0)).toBe(projects.length);
    for (const r of rows) expect(STAGES.reduce((n, st) => n + r.counts[st], 0)).toBe(r.total);
    expect(rows[0]).toMatchObject({ category: '老旧小区改造', total: 14 });
    expect(rows.map((r) => r.total)).toEqual([...rows.map((r) => r.total)].sort((a, b) => b - a));
  });

  it('names the stages in the legend and each category with its count on the axis', () => {
    const spec = projectsChart(projects, model.db.meta.zone, TODAY, 'zh-CN');
    expect(seriesOf(spec).map((s) => s.name)).toEqual(['未达节点', '已达部分节点', '节点全部达成', '已完成']);
    expect((spec.option.yAxis as { data: string[] }).data[0]).toBe('老旧小区改造（14）');
    expect(spec.alt.startsWith('各类别项目按进展阶段统计：老旧小区改造 14 个（')).toBe(true);
    const en = projectsChart(projects, model.db.meta.zone, TODAY, 'en');
    expect(en.title).toBe('Projects by category and stage');
    expect(subtitle(en)).toContain(`${projects.length} projects`);
  });

  it('puts projects without a category under 未分类, and draws many categories as the biggest and one more bar', () => {
    const many = projects.map((s, i) => ({
      ...s,
      item: { ...s.item, category: i < 20 ? { zh: `类别${i}` } : undefined },
    }));
    const rows = stagesByCategory(many, 'zh-CN');
    expect(rows.find((r) => r.category === '未分类')?.total).toBe(projects.length - 20);
    const labels = (projectsChart(many, model.db.meta.zone, TODAY, 'zh-CN').option.yAxis as { data: string[] }).data;
    expect(labels).toHaveLength(16);
    expect(labels.at(-1)).toBe('其他 6 类（6）');
  });
});

describe('rankingChart', async () => {
  const session = await openSeedSession();
  const model = session.store.model();

  it('cuts a long department name on the axis and keeps it whole in the alt text', () => {
    const rollup = model.rollup(TODAY);
    const long = '南通市经济技术开发区住房和城乡建设管理局城市更新工作专班';
    const first = rollup.departments[0]!;
    const department = { ...first.department, name: { zh: long }, shortName: {} };
    const spec = rankingChart(
      { ...rollup, departments: [{ ...first, department }, ...rollup.departments.slice(1)] },
      model.db.meta.zone,
      TODAY,
      'zh-CN',
    );
    const label = (spec.option.yAxis as { data: string[] }).data[0]!;
    expect(label).toBe(`1. ${long.slice(0, RANKING_LABEL_MAX - 1)}…`);
    expect(spec.alt).toContain(long);
  });
});
