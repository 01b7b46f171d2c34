/**
 * 项目分类进展: the projects by category (未分类 when they have none), one stacked bar per category of
 * how far its projects have got — no milestone reached yet, some, all, done. Projects differ in their
 * milestones (开工 › 主体完工 › 竣工验收 for one, 施工招标完成 › 开工 for another), so the stage is the
 * share of a project's own milestones reached, not a milestone's name.
 */
import type { Project } from '../../domain/schema.ts';
import type { ItemStatus } from '../../domain/status.ts';
import { formatDate, type Locale, messages, pick } from '../../i18n/index.ts';
import { GRID, INK, MUTED, STAGE_COLOUR, STAGE_TEXT } from '../palette.ts';
import type { ChartSpec } from '../port.ts';
import { cut, legend, PLOT_TOP, titleBlock } from './common.ts';

export const STAGES = ['none', 'some', 'all', 'done'] as const;
export type Stage = (typeof STAGES)[number];

/** Category names longer than this are cut on the axis. */
export const CATEGORY_LABEL_MAX = 14;
/** More categories than this would make bars too thin; the smallest are drawn together as the last bar. */
export const PROJECTS_MAX_CATEGORIES = 16;

/** How far a project has got: done (approved, or reported done), else by its milestones reached. */
export function projectStage(s: ItemStatus): Stage {
  if (s.status === 'done' || s.progress.state === 'done') return 'done';
  const milestones = (s.item as Project).milestones ?? [];
  const reached = milestones.filter((m) => s.progress.milestonesDone[m.id] !== undefined).length;
  if (reached === 0) return 'none';
  return reached < milestones.length ? 'some' : 'all';
}

export type CategoryStages = { category: string; counts: Record<Stage, number>; total: number };

/** Projects counted per category and stage, the biggest category first (then by name, for a stable order). */
export function stagesByCategory(projects: readonly ItemStatus[], locale: Locale): CategoryStages[] {
  const m = messages(locale).charts.projects;
  const rows = new Map<string, CategoryStages>();
  for (const s of projects) {
    const category = s.item.category ? pick(s.item.category, locale) : m.uncategorised;
    let row = rows.get(category);
    if (!row) {
      row = { category, counts: { none: 0, some: 0, all: 0, done: 0 }, total: 0 };
      rows.set(category, row);
    }
    row.counts[projectStage(s)]++;
    row.total++;
  }
  return [...rows.values()].sort(
    (a, b) => b.total - a.total || (a.category < b.category ? -1 : a.category > b.category ? 1 : 0),
  );
}

export function projectsChart(
  projects: readonly ItemStatus[],
  zone: { zh: string; en?: string | undefined },
  today: string,
  locale: Locale,
): ChartSpec {
  const all = messages(locale).charts;
  const m = all.projects;
  let rows = stagesByCategory(projects, locale);
  if (rows.length > PROJECTS_MAX_CATEGORIES) {
    const kept = rows.slice(0, PROJECTS_MAX_CATEGORIES - 1);
    const rest = rows.slice(PROJECTS_MAX_CATEGORIES - 1);
    const other: CategoryStages = {
      category: m.others(rest.length),
      counts: { none: 0, some: 0, all: 0, done: 0 },
      total: 0,
    };
    for (const r of rest) for (const st of STAGES) other.counts[st] += r.counts[st];
    other.total = rest.reduce((n, r) => n + r.total, 0);
    rows = [...kept, other];
  }
  const series = STAGES.map((stage) => ({
    name: m.stages[stage],
    type: 'bar',
    stack: 'projects',
    barMaxWidth: 24,
    itemStyle: { color: STAGE_COLOUR[stage], borderColor: '#FFFFFF', borderWidth: 1 },
    label: { show: true, color: STAGE_TEXT[stage], fontSize: 11 },
    data: rows.map((r) => (r.counts[stage] > 0 ? r.counts[stage] : { value: 0, label: { show: false } })),
  }));
  const labels = rows.map((r) => `${cut(r.category, CATEGORY_LABEL_MAX)}（${r.total}）`);
  const title = m.title;
  const subtitle = m.subtitle(projects.length, all.asOf(pick(zone, locale), formatDate(today, locale)));
  const alt = m.alt(
    rows.map((r) =>
      m.altLine(
        r.category,
        r.total,
        STAGES.filter((st) => r.counts[st] > 0).map((st) => m.altPart(m.stages[st], r.counts[st])),
      ),
    ),
  );
  return {
    kind: 'projects',
    width: 800,
    height: PLOT_TOP + 40 + Math.max(3, rows.length) * 36,
    title,
    alt,
    name: m.file(today),
    option: {
      backgroundColor: '#FFFFFF',
      title: titleBlock(title, subtitle),
      legend: legend(),
      grid: { left: 16, right: 24, top: PLOT_TOP, bottom: 16, containLabel: true },
      xAxis: {
        type: 'value',
        minInterval: 1,
        axisLabel: { color: MUTED },
        splitLine: { lineStyle: { color: GRID } },
      },
      yAxis: { type: 'category', inverse: true, data: labels, axisLabel: { color: INK, fontSize: 12 } },
      series,
    },
  };
}
