/**
 * Forecasts (预测): a cumulative target's year-end projection from its recent reports, a project's next
 * milestone from the slip of those done, and how they enter the status. Every table takes `today` as
 * a row's own date; nothing here reads the clock.
 */
import { describe, expect, it } from 'vitest';
import {
  forecastMilestone,
  forecastTarget,
  milestoneForecastOutcome,
  type TargetForecast,
  targetForecastOutcome,
} from '../../src/domain/forecast.ts';
import { emptyProgress, type ItemProgress } from '../../src/domain/progress.ts';
import { CumulativeTarget, LevelTarget, Project, Settings } from '../../src/domain/schema.ts';
import {
  compareWorstFirst,
  type EvaluationContext,
  evaluateProject,
  evaluateTarget,
  type ItemStatus,
  isBehind,
  isDueSoon,
} from '../../src/domain/status.ts';
import { milestoneForecastWords, sortReasons, targetForecastWords } from '../../src/words/status.ts';

const settings = Settings.parse({});
const ctx = (today: string): EvaluationContext => ({ today, settings });
const year = { start: '2026-01-01', end: '2026-12-31' };

function cumulative(extra: Record<string, unknown> = {}) {
  return CumulativeTarget.parse({
    id: 't1',
    departmentId: 'd1',
    name: { zh: '城市更新项目开工数', en: 'Urban-renewal projects started' },
    kind: 'cumulative',
    unit: { zh: '项', en: 'projects' },
    baseline: 0,
    target: 40,
    period: year,
    reporting: { cadence: 'none' },
    ...extra,
  });
}

const MONTH_ENDS = [
  '2026-01-31',
  '2026-02-28',
  '2026-03-31',
  '2026-04-30',
  '2026-05-31',
  '2026-06-30',
  '2026-07-31',
  '2026-08-31',
  '2026-09-30',
  '2026-10-31',
  '2026-11-30',
];

/** Month-end reports from January: one value a month. */
const monthly = (...values: number[]): Array<[string, number]> => values.map((v, i) => [MONTH_ENDS[i]!, v]);
const withSeries = (series: Array<[string, number]>): ItemProgress => ({
  ...emptyProgress(),
  series,
  ...(series.length ? { value: series[series.length - 1]![1], lastReportDate: series[series.length - 1]![0] } : {}),
});

describe('a cumulative target’s year-end forecast follows its recent reports', () => {
  it.each([
    // name, series, today, outlook, projected (≈), basis months
    [
      'steady, on course (+4 a month to 36 by September)',
      monthly(4, 8, 12, 16, 20, 24, 28, 32, 36),
      '2026-09-30',
      'meet',
      48,
      3,
    ],
    [
      'steady, short (+3 a month to 27 by September)',
      monthly(3, 6, 9, 12, 15, 18, 21, 24, 27),
      '2026-09-30',
      'miss',
      36,
      3,
    ],
    // The year's average (25 in nine months) would end at 33; the last three months' pace reaches the target.
    [
      'accelerating: the recent pace decides, not the year’s average',
      monthly(1, 2, 3, 4, 5, 6, 11, 18, 25),
      '2026-09-30',
      'meet',
      44,
      3,
    ],
    ['decelerating to a stall', monthly(5, 10, 15, 20, 25, 30, 31, 31, 31), '2026-09-30', 'miss', 32, 3],
    [
      'noisy: the range straddles the target, so no claim either way',
      monthly(3, 7, 8, 14, 15, 14, 24, 20, 30),
      '2026-09-30',
      'uncertain',
      43,
      3,
    ],
  ] as const)('%s', (_name, series, today, outlook, projected, months) => {
    const f = forecastTarget(cumulative(), withSeries([...series]), today)!;
    expect(f.outlook).toBe(outlook);
    expect(f.projected).toBeCloseTo(projected, 0);
    expect(f.low).toBeLessThanOrEqual(f.projected);
    expect(f.high).toBeGreaterThanOrEqual(f.projected);
    expect(f.basis).toMatchObject({ by: 'months', months, to: today });
    expect(f.share).toBeCloseTo(f.projected / 40, 10);
    expect(f.gap).toBe(Math.max(0, 40 - f.projected));
    expect(f.last).toEqual({ date: today, value: series[series.length - 1]![1] });
    expect(f.end).toBe('2026-12-31');
  });

  it.each([
    ['two reports', monthly(4, 8), '2026-03-15', 'too_few_reports'],
    ['no reports', [], '2026-03-15', 'too_few_reports'],
    [
      'three reports within three weeks',
      [
        ['2026-03-02', 4],
        ['2026-03-09', 5],
        ['2026-03-16', 7],
      ],
      '2026-03-20',
      'too_short',
    ],
    ['a day after the period', monthly(4, 8, 12, 16), '2027-01-01', 'outside_period'],
    ['a day before the period', [], '2025-12-31', 'outside_period'],
    ['the target already reached', monthly(10, 20, 30, 40), '2026-05-10', 'reached'],
    ['three reports, only two of them by today', monthly(4, 8, 12), '2026-03-30', 'too_few_reports'],
  ] as const)('gives no forecast with %s', (_name, series, today, why) => {
    const r = targetForecastOutcome(cumulative(), withSeries(series.map(([d, v]) => [d, v])), today);
    expect(r).toEqual({ ok: false, why });
  });

  it('gives one on the last day of the period, and on the first report span of four weeks', () => {
    expect(forecastTarget(cumulative(), withSeries(monthly(4, 8, 12, 16)), '2026-12-31')).toBeDefined();
    const fourWeeks: Array<[string, number]> = [
      ['2026-03-02', 4],
      ['2026-03-16', 5],
      ['2026-03-30', 7],
    ];
    expect(targetForecastOutcome(cumulative(), withSeries(fourWeeks), '2026-03-30').ok).toBe(true);
  });

  it('never projects a cumulative figure downwards: a correction down holds it at the last report', () => {
    const f = forecastTarget(cumulative(), withSeries(monthly(20, 22, 21, 19)), '2026-04-30')!;
    expect(f.ratePerDay).toBe(0);
    expect(f.projected).toBe(19);
    expect(f.low).toBe(19);
    expect(f.outlook).toBe('miss');
  });

  it('turns to the last three reports, and says so, when the recent months hold fewer (quarterly reports)', () => {
    const series: Array<[string, number]> = [
      ['2026-04-15', 8],
      ['2026-07-15', 18],
      ['2026-10-15', 28],
    ];
    const f = forecastTarget(cumulative(), withSeries(series), '2026-10-20')!;
    expect(f.basis).toEqual({ from: '2026-04-15', to: '2026-10-15', reports: 3, months: 6, by: 'reports' });
  });

  it('fits only the recent months, with a week’s slack for report days that wander', () => {
    const series: Array<[string, number]> = [
      ['2026-06-18', 10],
      ['2026-07-24', 14],
      ['2026-08-21', 18],
      ['2026-09-18', 22],
    ];
    // 18 June is 92 days before 18 September; 24 July would leave two months only without the slack.
    expect(forecastTarget(cumulative(), withSeries(series), '2026-09-20')!.basis).toMatchObject({
      from: '2026-06-18',
      reports: 4,
      months: 3,
    });
  });

  it('leaves reports from before the period out of its trend', () => {
    const series: Array<[string, number]> = [['2025-12-31', 38], ...monthly(3, 6, 9, 12)];
    expect(forecastTarget(cumulative(), withSeries(series), '2026-04-30')!.basis).toMatchObject({
      from: '2026-01-31',
      reports: 4,
    });
    expect(targetForecastOutcome(cumulative(), withSeries(series.slice(0, 3)), '2026-02-28')).toEqual({
      ok: false,
      why: 'too_few_reports',
    });
  });

  it('reads no report dated after today, so a past day is forecast as it was known then', () => {
    const series = monthly(3, 6, 9, 12, 15, 18, 21, 24, 27, 38);
    const then = forecastTarget(cumulative(), withSeries(series), '2026-09-30')!;
    expect(then.last).toEqual({ date: '2026-09-30', value: 27 });
    expect(then.outlook).toBe('miss');
  });

  it('widens the range for few reports: three in a perfect line are less sure than six', () => {
    const three = forecastTarget(cumulative(), withSeries(monthly(0, 0, 0, 0, 0, 12, 16, 20)), '2026-08-31')!;
    const six = forecastTarget(
      cumulative(),
      withSeries(
        [
          ['2026-06-30', 12],
          ['2026-07-15', 14],
          ['2026-07-31', 16],
          ['2026-08-15', 18],
          ['2026-08-31', 20],
          ['2026-06-15', 10],
        ]
          .sort()
          .map(([d, v]) => [String(d), Number(v)]),
      ),
      '2026-08-31',
    )!;
    expect(three.basis.reports).toBe(4);
    expect(six.basis.reports).toBe(6);
    expect(three.high - three.low).toBeGreaterThan(six.high - six.low);
    // Even a perfect line keeps a range: the rate is never known better than ±10%.
    expect(six.high - six.low).toBeGreaterThan(0);
  });

  describe('a decreasing target (idle floor space from 100 down to 60)', () => {
    const down = cumulative({ baseline: 100, target: 60, unit: { zh: '万平方米', en: '10,000 m²' } });
    it.each([
      ['cutting 5 a month: 80 by April, 40 more to go by year end', monthly(95, 90, 85, 80), '2026-04-30', 'meet'],
      ['cutting 2 a month', monthly(98, 96, 94, 92, 90, 88, 86, 84, 82), '2026-09-30', 'miss'],
    ] as const)('%s', (_name, series, today, outlook) => {
      const f = forecastTarget(down, withSeries([...series]), today)!;
      expect(f.outlook).toBe(outlook);
      expect(f.projected).toBeLessThanOrEqual(series[series.length - 1]![1]);
      expect(f.share).toBeCloseTo((100 - f.projected) / 40, 10);
    });

    it('never projects the figure back up', () => {
      expect(forecastTarget(down, withSeries(monthly(90, 88, 91)), '2026-03-31')!.projected).toBe(91);
    });
  });

  describe('a plan with checkpoints scales the trend by its change of pace', () => {
    // Q1 10%, H1 30%, Q3 60%: a slow first quarter is on plan.
    const backLoaded = cumulative({
      checkpoints: [
        { date: '2026-03-31', share: 0.1 },
        { date: '2026-06-30', share: 0.3 },
        { date: '2026-09-30', share: 0.6 },
      ],
    });
    const onPlan = withSeries(monthly(1, 2.5, 4));
    it('a slow start on a back-loaded plan is not forecast to miss', () => {
      expect(forecastTarget(backLoaded, onPlan, '2026-03-31')!.outlook).not.toBe('miss');
    });
    it('the same start against a linear plan is', () => {
      expect(forecastTarget(cumulative(), onPlan, '2026-03-31')!.outlook).toBe('miss');
    });
  });

  it('rounds to the precision of the figures, so what is shown is what was decided', () => {
    const f = forecastTarget(
      cumulative({ baseline: 45, target: 30 }),
      withSeries([
        ['2026-04-15', 43.1],
        ['2026-07-15', 38.9],
        ['2026-10-15', 32.4],
      ]),
      '2026-11-28',
    )!;
    for (const n of [f.projected, f.low, f.high, f.gap]) expect(Math.round(n * 10) / 10).toBe(n);
  });
});

describe('a forecast in words', () => {
  const f = (over: Partial<TargetForecast>): TargetForecast => ({
    itemId: 't1',
    basis: { from: '2026-06-30', to: '2026-09-30', reports: 4, months: 3, by: 'months' },
    ratePerDay: 0.1,
    last: { date: '2026-09-30', value: 27 },
    end: '2026-12-31',
    projected: 34,
    low: 32,
    high: 36,
    baseline: 0,
    target: 40,
    unit: { zh: '项', en: 'projects' },
    share: 0.85,
    gap: 6,
    outlook: 'miss',
    ...over,
  });
  it.each([
    ['a miss over three months', {}, 'zh-CN', '按近三个月进度，预计年底 34/40（85%），缺口 6 项'],
    [
      'a miss over three months',
      {},
      'en',
      'At the pace of the last three months, 34/40 (85%) expected by year end, 6 projects short',
    ],
    [
      'the last N reports',
      { basis: { from: '2026-04-15', to: '2026-10-15', reports: 3, months: 6, by: 'reports' as const } },
      'zh-CN',
      '按近 3 次上报的进度，预计年底 34/40（85%），缺口 6 项',
    ],
    [
      'two months, on course',
      {
        basis: { from: '2026-07-31', to: '2026-09-30', reports: 3, months: 2, by: 'months' as const },
        projected: 42,
        share: 1.05,
        gap: 0,
        outlook: 'meet' as const,
      },
      'zh-CN',
      '按近两个月进度，预计年底 42/40（105%），可完成目标',
    ],
    [
      'too close to call',
      { projected: 39, low: 35, high: 43, share: 0.975, gap: 1, outlook: 'uncertain' as const },
      'zh-CN',
      '按近三个月进度，预计年底 39/40（97.5%），能否完成尚难判断（可能 35～43 项）',
    ],
    [
      'too close to call',
      { projected: 39, low: 35, high: 43, share: 0.975, gap: 1, outlook: 'uncertain' as const },
      'en',
      'At the pace of the last three months, 39/40 (97.5%) expected by year end, too close to call (likely 35–43 projects)',
    ],
    [
      'a period ending mid-year',
      { end: '2026-06-30' },
      'zh-CN',
      '按近三个月进度，预计到 6月30日 34/40（85%），缺口 6 项',
    ],
    [
      'a decreasing target',
      {
        baseline: 45,
        target: 30,
        projected: 32.4,
        share: 0.84,
        gap: 2.4,
        unit: { zh: '万平方米', en: '10,000 m²' },
      },
      'zh-CN',
      '按近三个月进度，预计年底 降至 32.4 万平方米（目标 30 万平方米，完成 84%），缺口 2.4 万平方米',
    ],
  ] as const)('%s (%s)', (_name, over, locale, words) => {
    expect(targetForecastWords(f(over), locale, '2026-10-01')).toBe(words);
  });

  it.each([
    ['zh-CN', 12, '按已完成节点的进度，预计 10月20日 完成「主体封顶」，晚于计划 12 天（计划 10月8日）'],
    ['zh-CN', -3, '按已完成节点的进度，预计 10月5日 完成「主体封顶」，早于计划 3 天（计划 10月8日）'],
    ['zh-CN', 0, '按已完成节点的进度，预计 10月8日 完成「主体封顶」，与计划一致（计划 10月8日）'],
    [
      'en',
      12,
      'At the pace of the milestones done so far, “Topping out” expected on 20 Oct, 12 days later than planned (8 Oct)',
    ],
  ] as const)('a milestone forecast (%s, %i days)', (locale, daysLate, words) => {
    const projected = new Date(Date.UTC(2026, 9, 8 + daysLate)).toISOString().slice(0, 10);
    const forecast = {
      itemId: 'p1',
      milestoneId: 'm3',
      name: { zh: '主体封顶', en: 'Topping out' },
      due: '2026-10-08',
      projected,
      basis: { done: 2, from: '2026-03-10', to: '2026-06-20' },
      daysLate,
      slips: [10, 14],
    };
    expect(milestoneForecastWords(forecast, locale, '2026-09-01')).toBe(words);
  });
});

function project(milestones: Array<[string, string]>) {
  return Project.parse({
    id: 'p1',
    departmentId: 'd1',
    name: { zh: '星湖花园老旧小区改造' },
    period: year,
    reporting: { cadence: 'none' },
    milestones: milestones.map(([id, due]) => ({ id, name: { zh: id }, due })),
  });
}
const done = (entries: Record<string, string>): ItemProgress => ({
  ...emptyProgress(),
  milestonesDone: Object.assign(Object.create(null) as Record<string, string>, entries),
});

describe('a project’s next milestone is forecast from the slip of the milestones done', () => {
  const plan: Array<[string, string]> = [
    ['m1', '2026-03-01'],
    ['m2', '2026-05-01'],
    ['m3', '2026-07-01'],
    ['m4', '2026-10-08'],
  ];
  it.each([
    [
      'late by 8 and 10 days: the next one 9 days late',
      { m1: '2026-03-09', m2: '2026-05-11' },
      '2026-06-01',
      'm3',
      '2026-07-10',
      9,
    ],
    [
      'early by 3 and 1 days: 2 days early',
      { m1: '2026-02-26', m2: '2026-04-30' },
      '2026-06-01',
      'm3',
      '2026-06-29',
      -2,
    ],
    [
      'never before today: 10 days early, due in 3',
      { m1: '2026-02-19', m2: '2026-04-21' },
      '2026-06-28',
      'm3',
      '2026-06-28',
      -3,
    ],
  ] as const)('%s', (_name, entries, today, milestoneId, projected, daysLate) => {
    const f = forecastMilestone(project(plan), done(entries), today)!;
    expect(f).toMatchObject({ milestoneId, projected, daysLate, due: plan.find(([id]) => id === milestoneId)![1] });
  });

  it('measures the pace on the latest three milestones done only', () => {
    const five = project([...plan, ['m5', '2026-12-01']]);
    // 20 days late, then 2, 4 and 6: the next one is 4 days late, not 8.
    const entries = { m1: '2026-03-21', m2: '2026-05-03', m3: '2026-07-05', m4: '2026-10-14' };
    expect(forecastMilestone(five, done(entries), '2026-10-20')).toMatchObject({
      milestoneId: 'm5',
      projected: '2026-12-05',
      daysLate: 4,
      slips: [2, 4, 6],
      basis: { done: 3, from: '2026-05-03', to: '2026-10-14' },
    });
  });

  it.each([
    ['one milestone done', { m1: '2026-03-09' }, '2026-06-01', 'too_few_done'],
    ['two done, but one of them after today', { m1: '2026-03-09', m2: '2026-05-11' }, '2026-05-10', 'too_few_done'],
    [
      'every milestone done',
      { m1: '2026-03-01', m2: '2026-05-01', m3: '2026-07-01', m4: '2026-10-01' },
      '2026-10-02',
      'no_next',
    ],
    ['the open one already overdue', { m1: '2026-03-01', m2: '2026-05-01', m3: '2026-07-01' }, '2026-10-09', 'no_next'],
  ] as const)('gives none with %s', (_name, entries, today, why) => {
    expect(milestoneForecastOutcome(project(plan), done(entries), today)).toEqual({ ok: false, why });
  });

  it('does not read a done date under an inherited name', () => {
    const p = project([
      ['constructor', '2026-03-01'],
      ['m2', '2026-05-01'],
      ['m3', '2026-07-01'],
    ]);
    expect(forecastMilestone(p, done({ m2: '2026-05-03' }), '2026-06-01')).toBeUndefined();
  });
});

describe('forecasts in the status', () => {
  const target = cumulative();
  const reason = (s: ItemStatus, code: string) => s.reasons.find((r) => r.code === code);
  it.each([
    // name, series, today, status, forecast_miss reason, the pace's own colour
    [
      'green pace but a stall ahead → amber, forecast to miss',
      monthly(5, 10, 15, 20, 25, 30, 31, 31, 31),
      '2026-09-30',
      'amber',
      true,
      'green',
    ],
    [
      'amber pace and a miss: stays amber, with the forecast as information',
      monthly(2.5, 5, 7.5, 10, 12.5, 15, 17.5, 20, 22.5),
      '2026-09-30',
      'amber',
      true,
      'amber',
    ],
    ['red pace and a miss: stays red', monthly(1, 2, 3, 4, 5, 6, 7, 8, 9), '2026-09-30', 'red', true, 'red'],
    ['green pace, on course: green', monthly(4, 8, 12, 16, 20, 24, 28, 32, 36), '2026-09-30', 'green', false, 'green'],
    [
      'green pace, too close to call: green',
      monthly(3, 7, 8, 14, 15, 14, 24, 20, 30),
      '2026-09-30',
      'green',
      false,
      'green',
    ],
    ['green pace, too few reports: green, no forecast', monthly(4, 8), '2026-02-28', 'green', false, 'green'],
    ['reached: done, no forecast', monthly(10, 20, 30, 40), '2026-04-30', 'done', false, undefined],
  ] as const)('%s', (_name, series, today, status, miss, paceRag) => {
    const s = evaluateTarget(target, withSeries([...series]), ctx(today));
    expect(s.status).toBe(status);
    expect((reason(s, 'pace') as { rag?: string } | undefined)?.rag).toBe(paceRag);
    expect(reason(s, 'forecast_miss') !== undefined).toBe(miss);
    if (miss) expect(reason(s, 'forecast_miss')).toMatchObject({ rag: 'amber', forecast: s.forecast });
    if (_name.endsWith('no forecast')) expect(s.forecast).toBeUndefined();
  });

  it('puts a measured gap before the forecast among the reasons', () => {
    const s = evaluateTarget(target, withSeries(monthly(2.5, 5, 7.5, 10, 12.5, 15, 17.5, 20, 22.5)), ctx('2026-09-30'));
    expect(sortReasons(s.reasons).map((r) => r.code)).toEqual(['pace', 'forecast_miss']);
  });

  it('gives a target done by its state no forecast, and a level target none at all', () => {
    const claimed = { ...withSeries(monthly(3, 6, 9)), state: 'done' as const };
    expect(evaluateTarget(target, claimed, ctx('2026-03-31')).forecast).toBeUndefined();
    const level = LevelTarget.parse({
      id: 't2',
      departmentId: 'd1',
      name: { zh: '规上工业增加值增速' },
      kind: 'level',
      unit: { zh: '%' },
      target: 7.5,
      period: year,
      reporting: { cadence: 'none' },
    });
    const s = evaluateTarget(level, withSeries(monthly(6, 6.5, 7, 7.2)), ctx('2026-04-30'));
    expect(s.forecast).toBeUndefined();
    expect(reason(s, 'forecast_miss')).toBeUndefined();
  });

  it('ranks an item amber on its forecast after one amber on a measured gap of the same size', () => {
    // A stall: 2.5 points ahead of plan, projected 32/40 (20 points short, weighing 10).
    const forecastOnly = evaluateTarget(
      { ...target, id: 'a' },
      withSeries(monthly(5, 10, 15, 20, 25, 30, 31, 31, 31)),
      ctx('2026-09-30'),
    );
    // 12 points behind plan with a trend that is too close to call.
    const paceOnly = evaluateTarget(
      { ...target, id: 'b' },
      withSeries(monthly(4, 7, 10, 13, 16, 19, 22, 25, 25.2)),
      ctx('2026-09-30'),
    );
    expect(forecastOnly.status).toBe('amber');
    expect(paceOnly.status).toBe('amber');
    expect([forecastOnly, paceOnly].sort(compareWorstFirst).map((s) => s.item.id)).toEqual(['b', 'a']);
  });

  describe('a project’s milestone forecast is information, never a reason to call it behind', () => {
    const plan: Array<[string, string]> = [
      ['m1', '2026-03-01'],
      ['m2', '2026-05-01'],
      ['m3', '2026-09-15'],
    ];
    it.each([
      // name, done, today, late reason, due soon
      [
        'late by 8 and 10 days each time: said, still green',
        { m1: '2026-03-09', m2: '2026-05-11' },
        '2026-06-01',
        true,
        false,
      ],
      [
        'late by 8 and 10 days with the milestone due soon: said, still due soon',
        { m1: '2026-03-09', m2: '2026-05-11' },
        '2026-09-05',
        true,
        true,
      ],
      ['late once, early once: not said', { m1: '2026-03-20', m2: '2026-04-28' }, '2026-06-01', false, false],
      [
        'late by 5 and 7 days (6 on average): not said',
        { m1: '2026-03-06', m2: '2026-05-08' },
        '2026-06-01',
        false,
        false,
      ],
    ] as const)('%s', (_name, entries, today, late, dueSoon) => {
      const s = evaluateProject(project(plan), done(entries), ctx(today));
      expect(s.status).toBe('green');
      expect(isBehind(s)).toBe(false);
      expect(isDueSoon(s)).toBe(dueSoon);
      expect(s.milestoneForecast?.milestoneId).toBe('m3');
      const r = s.reasons.find((x) => x.code === 'milestone_forecast_late');
      expect(r !== undefined).toBe(late);
      if (r) expect('rag' in r).toBe(false);
    });
  });
});
