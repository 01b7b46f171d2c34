/**
 * 趋势图: one item's reports over its period, against what they are measured by.
 *
 * - A cumulative target: the actual figures against the plan (the 序时 line through the target's
 *   checkpoints, marked), the target as a line, and the forecast dashed from the last report to the
 *   period's end with its value written there ("预计 34").
 * - A level target: the actual figures against the target line, with its tolerance as a band.
 * - A project or commitment: percent done against 100, its milestones' due dates marked (✓ when done).
 *
 * Without reports a cumulative target still gets its plan, with a note saying so: where the line should
 * be is worth seeing before anyone has reported. A level target, project or commitment without reports
 * has nothing to draw but a straight line, so it gets no chart (undefined) and the text says the rest.
 */
import { addDays, maxDate, minDate } from '../../domain/dates.ts';
import type { TargetForecast } from '../../domain/forecast.ts';
import type { ItemProgress } from '../../domain/progress.ts';
import type { CumulativeTarget, LevelTarget, Milestone } from '../../domain/schema.ts';
import { expectedShare, type ItemStatus } from '../../domain/status.ts';
import { formatDate, formatNumber, type Locale, messages, pick } from '../../i18n/index.ts';
import { INK, LINE, MUTED, STATUS_COLOUR } from '../palette.ts';
import type { ChartSpec } from '../port.ts';
import { cutWidth, legend, PLOT_TOP, timeAxis, titleBlock, valueAxis } from './common.ts';

/** Names longer than this many CJK characters (twice as many Latin letters) are cut in the title; the alt text keeps them whole. */
export const TREND_TITLE_MAX = 34;
/** A milestone's label runs down its line: this many units of width (a CJK character 2, a Latin letter 1). */
export const MILESTONE_LABEL_WIDTH = 26;
const WIDTH = 800;
const HEIGHT = 460;

type Point = [string, number];

function num(n: number, locale: Locale): string {
  return formatNumber(n, locale, 2);
}

function round4(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

function series(progress: ItemProgress): Point[] {
  return progress.series.map(([d, v]) => [d, v]);
}

/** A line labelled at its last point only. */
function endLabel(text: string, colour: string): Record<string, unknown> {
  return { show: true, formatter: text, color: colour, fontSize: 12, position: 'right', distance: 6 };
}

function actualSeries(points: Point[], name: string, unit: string, locale: Locale): Record<string, unknown> {
  return {
    name,
    type: 'line',
    color: LINE.actual,
    lineStyle: { width: 3 },
    symbol: 'circle',
    symbolSize: 7,
    z: 4,
    data: points.map((p, i) =>
      i === points.length - 1
        ? { value: p, label: { ...endLabel(`${num(p[1], locale)}${unit}`, LINE.actual), position: 'top' } }
        : p,
    ),
  };
}

/** A horizontal line over the axis with its value written at the right end. */
function flatLine(name: string, from: string, to: string, value: number, label: string, extra = {}) {
  return {
    name,
    type: 'line',
    color: LINE.target,
    symbol: 'none',
    lineStyle: { type: 'dotted', width: 2 },
    data: [
      [from, value],
      [to, value],
    ],
    // Written just right of the line's end ("目标 40"), in the room the grid leaves on the right.
    endLabel: { show: true, formatter: label, color: INK, fontSize: 12 },
    ...extra,
  };
}

function todayMark(today: string, label: string) {
  return {
    silent: true,
    symbol: 'none',
    lineStyle: { color: MUTED, type: 'solid', width: 1 },
    label: { formatter: '{b}', color: MUTED, position: 'end' },
    data: [{ name: label, xAxis: today }],
  };
}

function frame(
  kind: ChartSpec['kind'],
  title: string,
  subtitle: string,
  alt: string,
  name: string,
  xAxis: Record<string, unknown>,
  yAxis: Record<string, unknown>,
  seriesList: Record<string, unknown>[],
): ChartSpec {
  return {
    kind,
    width: WIDTH,
    height: HEIGHT,
    title,
    alt,
    name,
    option: {
      backgroundColor: '#FFFFFF',
      title: titleBlock(title, subtitle),
      legend: legend(),
      // Room on the right for the end labels ("预计 34", "目标 40").
      grid: { left: 16, right: 96, top: PLOT_TOP, bottom: 24, containLabel: true },
      xAxis,
      yAxis,
      series: seriesList,
    },
  };
}

function cumulativeChart(
  target: CumulativeTarget,
  progress: ItemProgress,
  forecast: TargetForecast | undefined,
  today: string,
  locale: Locale,
): ChartSpec {
  const m = messages(locale).charts.trend;
  const unit = pick(target.unit, locale);
  const points = series(progress);
  // Rounded, so a plan point is 18, not 18.000000000000004, in the option and in words.
  const value = (share: number) => round4(target.baseline + share * (target.target - target.baseline));
  const { start, end } = target.period;
  const plan = [
    [addDays(start, -1), target.baseline],
    ...target.checkpoints.map((c) => ({
      value: [c.date, value(expectedShare(target, c.date))],
      symbol: 'diamond',
      symbolSize: 11,
      label: {
        show: true,
        formatter: m.checkpoint(messages(locale).format.percent(num(c.share * 100, locale))),
        color: MUTED,
        position: 'top',
      },
    })),
    [end, target.target],
  ];
  const useForecast = forecast && forecast.itemId === target.id ? forecast : undefined;
  const first = points[0]?.[0] ?? start;
  const last = points[points.length - 1];
  const min = minDate(addDays(start, -1), first);
  const max = maxDate(end, useForecast?.end ?? end);
  const list: Record<string, unknown>[] = [
    {
      name: m.plan,
      type: 'line',
      color: LINE.plan,
      symbol: 'none',
      lineStyle: { width: 1.5 },
      data: plan,
      markLine: today >= min && today <= max ? todayMark(today, m.today) : undefined,
    },
    flatLine(m.target, min, max, target.target, m.targetLabel(num(target.target, locale))),
  ];
  if (points.length > 0) list.push(actualSeries(points, m.actual, '', locale));
  if (useForecast)
    list.push({
      name: m.forecast,
      type: 'line',
      color: LINE.forecast,
      symbol: 'none',
      lineStyle: { type: 'dashed', width: 2.5 },
      data: [
        [useForecast.last.date, useForecast.last.value],
        {
          value: [useForecast.end, useForecast.projected],
          symbol: 'circle',
          symbolSize: 7,
          label: { ...endLabel(m.forecastLabel(num(useForecast.projected, locale)), LINE.forecast), position: 'left' },
        },
      ],
    });

  const name = pick(target.name, locale);
  const what = `${m.kind.cumulative} · ${m.unit(unit)}`;
  const asOf = formatDate(today, locale);
  const subtitle = points.length > 0 ? m.subtitle(what, asOf) : `${m.subtitle(what, asOf)} · ${m.noReports}`;
  // Where the plan line stands at the chart's 今天 mark.
  const planNow = value(expectedShare(target, today));
  const alt = [
    m.altCumulative(
      name,
      unit,
      num(target.target, locale),
      last ? m.altLast(formatDate(last[0], locale), num(last[1], locale), unit) : undefined,
      num(planNow, locale),
    ),
    ...(useForecast
      ? [m.altForecast(num(useForecast.projected, locale), unit, formatDate(useForecast.end, locale))]
      : []),
  ].join(messages(locale).format.sentenceSeparator);
  return frame(
    'trend',
    cutWidth(name, 2 * TREND_TITLE_MAX),
    subtitle,
    alt,
    m.file(target.id, today),
    timeAxis(min, max, locale),
    valueAxis(),
    list,
  );
}

function levelChart(target: LevelTarget, progress: ItemProgress, today: string, locale: Locale): ChartSpec | undefined {
  const points = series(progress);
  const last = points[points.length - 1];
  if (!last) return undefined;
  const m = messages(locale).charts.trend;
  const unit = pick(target.unit, locale);
  const min = minDate(target.period.start, points[0]![0]);
  const max = maxDate(target.period.end, last[0]);
  const band =
    target.tolerance > 0
      ? target.comparator === 'atLeast'
        ? [target.target - target.tolerance, target.target]
        : [target.target, target.target + target.tolerance]
      : undefined;
  const targetLine = flatLine(
    m.target,
    min,
    max,
    target.target,
    m.targetLabel(`${num(target.target, locale)}${unit}`),
    {
      markArea: band
        ? {
            silent: true,
            itemStyle: { color: STATUS_COLOUR.amber, opacity: 0.18 },
            label: { show: true, position: 'insideLeft', color: INK, fontSize: 11 },
            data: [[{ name: m.tolerance, yAxis: band[0] }, { yAxis: band[1] }]],
          }
        : undefined,
      markLine: today >= min && today <= max ? todayMark(today, m.today) : undefined,
    },
  );
  const name = pick(target.name, locale);
  const alt = m.altLevel(
    name,
    num(target.target, locale),
    unit,
    m.altLast(formatDate(last[0], locale), num(last[1], locale), unit),
  );
  return frame(
    'trend',
    cutWidth(name, 2 * TREND_TITLE_MAX),
    m.subtitle(`${m.kind.level} · ${m.unit(unit)}`, formatDate(today, locale)),
    alt,
    m.file(target.id, today),
    timeAxis(min, max, locale),
    valueAxis({ scale: true }),
    [targetLine, actualSeries(points, m.actual, unit, locale)],
  );
}

function percentChart(
  item: { id: string; name: { zh: string; en?: string | undefined }; period: { start: string; end: string } },
  milestones: readonly Milestone[],
  progress: ItemProgress,
  today: string,
  locale: Locale,
): ChartSpec | undefined {
  const points = series(progress);
  const last = points[points.length - 1];
  if (!last) return undefined;
  const m = messages(locale).charts.trend;
  const pct = messages(locale).format.percent;
  const dates = [...milestones.map((x) => x.due), points[0]![0], last[0]];
  const min = dates.reduce(minDate, item.period.start);
  const max = dates.reduce(maxDate, item.period.end);
  const done = (x: Milestone) => progress.milestonesDone[x.id] !== undefined;
  const targetLine = flatLine(m.target, min, max, 100, m.targetLabel(pct('100')), {
    markLine: {
      silent: true,
      symbol: 'none',
      lineStyle: { color: MUTED, type: 'dashed', width: 1 },
      // Written down each milestone's line from the top; a light backing keeps a label readable where
      // the actual line crosses it. The room is the plot's height: about 26 Latin letters or 13 汉字.
      label: {
        formatter: '{b}',
        color: INK,
        fontSize: 11,
        position: 'insideEndTop',
        backgroundColor: 'rgba(255,255,255,0.85)',
        padding: [1, 2],
      },
      data: [
        ...milestones.map((x) => ({
          name: `${done(x) ? '✓ ' : ''}${cutWidth(pick(x.name, locale), MILESTONE_LABEL_WIDTH)}`,
          xAxis: x.due,
        })),
        ...(today >= min && today <= max
          ? [{ name: m.today, xAxis: today, lineStyle: { type: 'solid' }, label: { position: 'end', color: MUTED } }]
          : []),
      ],
    },
  });
  const name = pick(item.name, locale);
  const alt = m.altPercent(
    name,
    m.altLast(formatDate(last[0], locale), pct(num(last[1], locale)), ''),
    milestones.map((x) => m.altMilestone(pick(x.name, locale), formatDate(x.due, locale), done(x))),
  );
  return frame(
    'trend',
    cutWidth(name, 2 * TREND_TITLE_MAX),
    m.subtitle(m.kind.percent, formatDate(today, locale)),
    alt,
    m.file(item.id, today),
    timeAxis(min, max, locale),
    valueAxis({ min: 0, max: 100 }),
    [targetLine, actualSeries(points, m.actual, '%', locale)],
  );
}

export function trendChart(
  status: ItemStatus,
  progress: ItemProgress,
  forecast: TargetForecast | undefined,
  today: string,
  locale: Locale,
): ChartSpec | undefined {
  const item = status.item;
  if ('kind' in item && item.kind === 'cumulative') return cumulativeChart(item, progress, forecast, today, locale);
  if ('kind' in item && item.kind === 'level') return levelChart(item, progress, today, locale);
  return percentChart(item, 'milestones' in item ? item.milestones : [], progress, today, locale);
}
