/** What the chart specs share: the title block, cutting long names, the time axis in the reader's language. */
import type { Locale } from '../../i18n/index.ts';
import { GRID, INK, MUTED } from '../palette.ts';

/** Cuts a name to `max` characters (a CJK character counts as one), ending with an ellipsis. */
export function cut(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** Wide characters (CJK, full-width forms) take about twice the room of Latin letters and digits. */
function widthOf(ch: string): number {
  return /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch)
    ? 2
    : 1;
}

/** Cuts a text to `max` units of width (a CJK character 2, a Latin letter 1), ending with an ellipsis. */
export function cutWidth(text: string, max: number): string {
  const chars = [...text];
  let width = 0;
  for (let i = 0; i < chars.length; i++) {
    width += widthOf(chars[i]!);
    if (width > max) return `${chars.slice(0, Math.max(0, i - 1)).join('')}…`;
  }
  return text;
}

/** Title and subtitle centred at the top; the legend goes below them at `LEGEND_TOP`, the plot at `PLOT_TOP`. */
export function titleBlock(title: string, subtitle: string): Record<string, unknown> {
  return {
    text: title,
    subtext: subtitle,
    left: 'center',
    top: 12,
    itemGap: 8,
    textStyle: { color: INK, fontSize: 18 },
    subtextStyle: { color: MUTED, fontSize: 13 },
  };
}

/** Clear of the subtitle: the title (18 px) and subtitle (13 px) end near 62 px. */
export const LEGEND_TOP = 70;
export const PLOT_TOP = 106;

export function legend(): Record<string, unknown> {
  return { top: LEGEND_TOP, itemWidth: 16, itemHeight: 12, itemGap: 16, textStyle: { color: INK } };
}

/**
 * A time axis over the given dates labelled by month (1月, 2月 / Jan, Feb). ECharts takes the template,
 * not a function: the option crosses to the worker as JSON.
 */
export function timeAxis(min: string, max: string, locale: Locale): Record<string, unknown> {
  const zh = locale === 'zh-CN';
  return {
    type: 'time',
    min,
    max,
    axisLine: { lineStyle: { color: MUTED } },
    splitLine: { show: false },
    axisLabel: {
      color: MUTED,
      hideOverlap: true,
      formatter: zh
        ? { year: '{yyyy}年', month: '{M}月', day: '{M}月{d}日' }
        : { year: '{yyyy}', month: '{MMM}', day: '{d} {MMM}' },
    },
  };
}

export function valueAxis(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'value', axisLabel: { color: MUTED }, splitLine: { lineStyle: { color: GRID } }, ...extra };
}
