/**
 * 各部门进度排名: one stacked bar per department, in rank order (best at the top), of its items done,
 * on track, at risk and behind. Departments not ranked (the supervision office) are left out.
 */
import type { ZoneRollup } from '../../domain/rollup.ts';
import { formatDate, type Locale, messages, pick } from '../../i18n/index.ts';
import { departmentName } from '../../words/status.ts';
import { INK, MUTED, STATUS_COLOUR, STATUS_TEXT } from '../palette.ts';
import type { ChartSpec } from '../port.ts';
import { cut, legend, PLOT_TOP, titleBlock } from './common.ts';

const SERIES = ['done', 'green', 'amber', 'red'] as const;
/** More departments than this would make bars too thin to read; the rest are named in the caption. */
export const RANKING_MAX_DEPARTMENTS = 30;
/** Department names longer than this are cut on the axis (the alt text keeps them whole). */
export const RANKING_LABEL_MAX = 16;

export function rankingChart(
  rollup: ZoneRollup,
  zone: { zh: string; en?: string | undefined },
  today: string,
  locale: Locale,
): ChartSpec {
  const m = messages(locale);
  const ranked = rollup.departments.filter((d) => d.rank !== undefined);
  const shown = ranked.slice(0, RANKING_MAX_DEPARTMENTS);
  // A long name (a department without a short one) is cut, so the bars keep their width.
  const names = shown.map((d) => `${d.rank}. ${cut(departmentName(d.department, locale), RANKING_LABEL_MAX)}`);
  const title = m.charts.ranking.title;
  const subtitle = m.charts.asOf(pick(zone, locale), formatDate(today, locale));
  const height = PLOT_TOP + 48 + Math.max(3, shown.length) * 30;
  const series = SERIES.map((status) => ({
    name: m.status[status],
    type: 'bar',
    stack: 'items',
    barWidth: 18,
    itemStyle: { color: STATUS_COLOUR[status] },
    label: { show: true, color: STATUS_TEXT[status], fontSize: 11 },
    // A zero would draw a label on nothing.
    data: shown.map((d) => {
      const n = d.counts[status];
      return n > 0 ? n : { value: 0, label: { show: false } };
    }),
  }));
  const alt = m.charts.ranking.alt(
    shown.map((d) => m.charts.ranking.altLine(departmentName(d.department, locale), d.counts)),
    ranked.length - shown.length,
  );
  return {
    kind: 'ranking',
    width: 800,
    height,
    title,
    alt,
    name: m.charts.ranking.file(today),
    option: {
      backgroundColor: '#FFFFFF',
      title: titleBlock(title, subtitle),
      // Below the subtitle, not against it; the plot below the legend.
      legend: legend(),
      grid: { left: 16, right: 24, top: PLOT_TOP, bottom: 16, containLabel: true },
      xAxis: { type: 'value', minInterval: 1, axisLabel: { color: MUTED } },
      yAxis: { type: 'category', inverse: true, data: names, axisLabel: { color: INK, fontSize: 12 } },
      series,
    },
  };
}
