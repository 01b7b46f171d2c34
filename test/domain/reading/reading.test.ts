import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { emptyProgress, type ItemProgress } from '../../../src/domain/progress.ts';
import {
  type Interpretation,
  interpretFor,
  type ParsedProgress,
  parseChineseNumeral,
  parseProgress,
  readProgress,
} from '../../../src/domain/reading/index.ts';
import { Commitment, CumulativeTarget, LevelTarget, Project } from '../../../src/domain/schema.ts';
import { CHINESE_NUMERALS, NOT_NUMERALS } from '../../fixtures/reading/numerals.ts';

const year = { start: '2026-01-01', end: '2026-12-31' };
const progress = (p: Partial<ItemProgress> = {}): ItemProgress => ({ ...emptyProgress(), ...p });

const renewalStarts = CumulativeTarget.parse({
  id: 't-starts',
  departmentId: 'hurdb',
  name: { zh: '城市更新项目开工数', en: 'Urban-renewal projects started' },
  kind: 'cumulative',
  unit: { zh: '项', en: 'projects' },
  baseline: 0,
  target: 40,
  period: year,
});
const investment = CumulativeTarget.parse({
  id: 't-invest',
  departmentId: 'edb',
  name: { zh: '工业投资', en: 'Industrial investment' },
  kind: 'cumulative',
  unit: { zh: '亿元', en: '100 million yuan' },
  baseline: 0,
  target: 5,
  period: year,
});
const floorSpace = CumulativeTarget.parse({
  id: 't-floor',
  departmentId: 'ipb',
  name: { zh: '新增标准厂房面积', en: 'New standard factory floor space' },
  kind: 'cumulative',
  unit: { zh: '万平方米', en: '10,000 m²' },
  baseline: 0,
  target: 20,
  period: year,
});
const idleSpace = CumulativeTarget.parse({
  id: 't-idle',
  departmentId: 'ipb',
  name: { zh: '存量闲置厂房面积', en: 'Idle factory floor space remaining' },
  kind: 'cumulative',
  unit: { zh: '万平方米', en: '10,000 m²' },
  baseline: 45,
  target: 30,
  period: year,
});
const firms = CumulativeTarget.parse({
  id: 't-firms',
  departmentId: 'stib',
  name: { zh: 'AI+载体新增入驻企业', en: 'Firms newly moved into AI+ carriers' },
  kind: 'cumulative',
  unit: { zh: '家', en: 'firms' },
  baseline: 0,
  target: 120,
  period: year,
});
const coverage = CumulativeTarget.parse({
  id: 't-coverage',
  departmentId: 'zx',
  name: { zh: '重点项目走访覆盖率', en: 'Key projects visited' },
  kind: 'cumulative',
  unit: { zh: '%', en: '%' },
  baseline: 0,
  target: 100,
  period: year,
});
const growth = LevelTarget.parse({
  id: 't-growth',
  departmentId: 'edb',
  name: { zh: '规上工业增加值增速', en: 'Growth of industrial value added' },
  kind: 'level',
  unit: { zh: '%', en: '%' },
  target: 7.5,
  period: year,
});
const renovation = Project.parse({
  id: 'ur-01',
  departmentId: 'hurdb',
  name: { zh: '星湖花园老旧小区改造', en: 'Xinghu Garden old residential compound renovation' },
  period: year,
  milestones: [
    { id: 'm1', name: { zh: '开工', en: 'Works start' }, due: '2026-03-31' },
    { id: 'm2', name: { zh: '主体完工', en: 'Main works complete' }, due: '2026-08-31' },
    { id: 'm3', name: { zh: '竣工验收', en: 'Completion acceptance' }, due: '2026-11-30' },
  ],
});
const accelerator = Project.parse({
  id: 'ai-accelerator',
  departmentId: 'stib',
  name: { zh: 'AI+加速器', en: 'AI+ accelerator' },
  period: year,
  milestones: [
    { id: 'a1', name: { zh: '选址与改造方案确定', en: 'Site and renovation plan settled' }, due: '2026-03-31' },
    { id: 'a2', name: { zh: '改造工程开工', en: 'Renovation works start' }, due: '2026-05-31' },
    { id: 'a3', name: { zh: '主体改造完成', en: 'Main renovation complete' }, due: '2026-09-30' },
    { id: 'a4', name: { zh: '投入运营', en: 'In operation' }, due: '2026-12-15' },
  ],
});
const bareProject = Project.parse({
  id: 'p-bare',
  departmentId: 'hurdb',
  name: { zh: '江景苑老旧小区改造' },
  period: year,
});
const investmentSystem = Commitment.parse({
  id: 'c-ipb',
  departmentId: 'ipb',
  name: { zh: '重塑“4+6”招商体系', en: 'Rebuild the "4+6" investment-attraction system' },
  pledge: { zh: '全面重塑“4+6”招商体系' },
  period: year,
  milestones: [
    {
      id: 'c1',
      name: { zh: '“4+6”招商体系重塑方案出台', en: 'Plan to rebuild the "4+6" system issued' },
      due: '2026-03-31',
    },
    { id: 'c2', name: { zh: '招商专班组建到位', en: 'Investment task forces staffed' }, due: '2026-04-30' },
    { id: 'c3', name: { zh: '招商考核激励办法印发', en: 'Assessment and incentive rules issued' }, due: '2026-06-30' },
  ],
});

/** [mode, value in base units, unit] of the one figure, or undefined. */
function figureOf(text: string): [string, number, string | undefined] | undefined {
  const f = parseProgress(text).figure;
  return f ? [f.mode, Math.round(f.number.amount * f.number.magnitude * 1e6) / 1e6, f.number.unit] : undefined;
}

function update(i: Interpretation) {
  if (i.kind !== 'update') throw new Error(`expected an update, got ${JSON.stringify(i)}`);
  return i;
}

function asked(i: Interpretation) {
  if (i.kind !== 'ambiguous') throw new Error(`expected a question, got ${JSON.stringify(i)}`);
  return i;
}

const read = (text: string, item: Parameters<typeof interpretFor>[1], current: ItemProgress = progress()) =>
  interpretFor(parseProgress(text), item, current);

describe('Chinese numerals', () => {
  it.each(CHINESE_NUMERALS)('%s is %d', (numeral, value) => {
    expect(parseChineseNumeral(numeral)).toBe(value);
  });

  it.each(NOT_NUMERALS)('"%s" is not a numeral', (s) => {
    expect(parseChineseNumeral(s)).toBeUndefined();
  });
});

describe('figures: numbers, magnitudes and units', () => {
  it.each([
    ['累计完成投资3.2亿元', 'absolute', 320_000_000, '元'],
    ['累计开工三十一项', 'absolute', 31, '项'],
    ['累计开工十二项', 'absolute', 12, '项'],
    ['累计引进一百零五家', 'absolute', 105, '家'],
    ['累计建成两千平方米', 'absolute', 2000, '平方米'],
    ['累计3.2万平方米', 'absolute', 32_000, '平方米'],
    ['累计完成投资1.5亿', 'absolute', 150_000_000, undefined],
    ['累计盘活3.2万', 'absolute', 32_000, undefined],
    ['累计完成投资32000万元', 'absolute', 320_000_000, '元'],
    ['累计１２项', 'absolute', 12, '项'],
    ['累计１２.５万平方米', 'absolute', 125_000, '平方米'],
    ['累计5千平方米', 'absolute', 5000, '平方米'],
    ['累计三十万元', 'absolute', 300_000, '元'],
    ['累计一点五亿元', 'absolute', 150_000_000, '元'],
    ['累计1,200平方米', 'absolute', 1200, '平方米'],
    ['累计8处', 'absolute', 8, '处'],
    ['total 3.2 million yuan', 'absolute', 3_200_000, 'yuan'],
    ['total 1.2bn yuan', 'absolute', 1_200_000_000, 'yuan'],
    ['total 1,200 sqm', 'absolute', 1200, 'sqm'],
    ['31 projects in total', 'absolute', 31, 'projects'],
    ['累计5000 m²', 'absolute', 5000, 'm2'],
  ])('"%s" → %s %d %s', (text, mode, value, unit) => {
    expect(figureOf(text)).toEqual([mode, value, unit]);
  });

  it('keeps the magnitude apart from the amount: 3.2亿元 is 3.2 × 1e8, written "3.2亿元"', () => {
    const f = parseProgress('累计完成投资3.2亿元').figure;
    expect(f?.number).toEqual({ amount: 3.2, magnitude: 1e8, unit: '元', raw: '3.2亿元' });
  });

  it('re-expresses English millions in 万: 3.2 million is 320 × 万', () => {
    const f = parseProgress('total 3.2 million yuan').figure;
    expect([f?.number.amount, f?.number.magnitude]).toEqual([320, 1e4]);
  });
});

describe('absolute or increment', () => {
  it.each([
    // [text, mode, value]
    ['累计完成投资3.2亿元', 'absolute', 320_000_000],
    ['截至目前累计开工31项', 'absolute', 31],
    ['截至目前，已开工31项', 'absolute', 31],
    ['目前共开工31项', 'absolute', 31],
    ['开工总数达到31项', 'absolute', 31],
    ['已开工31项', 'absolute', 31],
    ['今年以来新增入驻企业18家', 'absolute', 18],
    ['今年新增5家', 'absolute', 5],
    ['2026年新增5家', 'absolute', 5],
    ['累计新增签约项目18个', 'absolute', 18],
    ['1-10月完成投资3.2亿元', 'absolute', 320_000_000],
    ['前三季度完成投资3.2亿元', 'absolute', 320_000_000],
    ['截至11月底，开工31项', 'absolute', 31],
    ['剩余闲置厂房41万平方米', 'absolute', 410_000],
    ['闲置厂房面积降至41万平方米', 'absolute', 410_000],
    ['now at 31', 'absolute', 31],
    ['total 31', 'absolute', 31],
    ['31 total', 'absolute', 31],
    ['31 so far', 'absolute', 31],
    ['As of Nov 27, 31 started so far', 'absolute', 31],
    ['we are currently at 31', 'absolute', 31],
    ['本月新开工5项', 'increment', 5],
    ['新增5个', 'increment', 5],
    ['当月新签约3个', 'increment', 3],
    ['本周又开工2项', 'increment', 2],
    ['11月新开工5项', 'increment', 5],
    ['11月份新开工5项', 'increment', 5],
    ['新增一家', 'increment', 1],
    ['+5', 'increment', 5],
    ['+ 5 this month', 'increment', 5],
    ['5 more', 'increment', 5],
    ['added 5', 'increment', 5],
    ['another 3 firms moved in', 'increment', 3],
    ['5 new this month', 'increment', 5],
    ['减少2万平方米', 'increment', -20_000],
    ['闲置厂房减少2万平方米', 'increment', -20_000],
    ['down by 2', 'increment', -2],
    ['开工31项', 'unknown', 31],
    ['新开工5项', 'unknown', 5],
    ['新签约亿元以上项目3个', 'unknown', 3],
    ['完成投资3.2亿元', 'unknown', 320_000_000],
    ['31', 'unknown', 31],
    ['31。', 'unknown', 31],
    ['三十一项', 'unknown', 31],
  ])('"%s" is %s %d', (text, mode, value) => {
    const f = figureOf(text);
    expect(f?.[0]).toBe(mode);
    expect(f?.[1]).toBe(value);
  });

  it('lets the total win when an increment and a total of the same measure come together (本月新开工5项，累计开工31项)', () => {
    const p = parseProgress('本月新开工5项，累计开工31项');
    expect(p.figure?.mode).toBe('absolute');
    expect(p.figure?.number.amount).toBe(31);
    expect(p.figures).toHaveLength(1);
    expect(p.superseded.map((f) => f.number.amount)).toEqual([5]);
  });

  it.each([['累计开工31项，本月新开工5项'], ['5 new this month, 36 in total'], ['We added 5, now at 36']])(
    'absorbs the increment whichever comes first: %s',
    (text) => {
      const p = parseProgress(text);
      expect(p.figures).toHaveLength(1);
      expect(p.figure?.mode).toBe('absolute');
      expect(p.superseded).toHaveLength(1);
    },
  );

  it('keeps an increment in another unit beside a total (新增投资1.2亿元，累计开工31项)', () => {
    const p = parseProgress('本月新增投资1.2亿元，累计开工31项');
    expect(p.figures.map((f) => [f.mode, f.number.unit])).toEqual([
      ['increment', '元'],
      ['absolute', '项'],
    ]);
    expect(p.figure).toBeUndefined();
  });

  it.each([['累计31项（其中本月新增5项）'], ['idle factory space now 41 (down 2 this month)']])(
    'reads a bracketed aside as its own clause: %s',
    (text) => {
      const p = parseProgress(text);
      expect(p.figures).toHaveLength(1);
      expect(p.figure?.mode).toBe('absolute');
      expect(p.superseded).toHaveLength(1);
    },
  );

  it('lists several totals in order and names no single figure (累计开工31项，其中竣工12项)', () => {
    const p = parseProgress('累计开工31项，其中竣工12项');
    expect(p.figures.map((f) => f.number.amount)).toEqual([31, 12]);
    expect(p.figure).toBeUndefined();
  });

  it('counts a figure repeated with the same meaning once', () => {
    const p = parseProgress('累计开工31项。再次确认：累计开工31项');
    expect(p.figures).toHaveLength(1);
  });

  it('records what the figure was about, for telling measures apart', () => {
    expect(parseProgress('本月新增5项，累计开工31项').figure?.context).toBe('累计开工');
  });

  it('marks whether the text gave a direction', () => {
    expect(parseProgress('新增5个').figure?.signed).toBe(true);
    expect(parseProgress('本月新开工5项').figure?.signed).toBe(false);
  });
});

describe('dates, times and labels are not figures', () => {
  it.each([
    ['11月新开工5项', 'increment', 5],
    ['截至11月27日累计31项', 'absolute', 31],
    ['截至2026年11月27日，累计开工31项', 'absolute', 31],
    ['2026-11-27 累计31项', 'absolute', 31],
    ['11/27 total 31', 'absolute', 31],
    ['Nov 27: 31 in total', 'absolute', 31],
    ['27 November, total 31', 'absolute', 31],
    ['10:30开会，新增3家', 'increment', 3],
    ['第3批签约，新增5个', 'increment', 5],
    ['电话0513-85551234，累计31项', 'absolute', 31],
    ['Q3 total 31', 'absolute', 31],
    ['“十四五”以来累计开工31项', 'absolute', 31],
    ['3个月内累计开工31项', 'absolute', 31],
    ['1-10月累计开工31项', 'absolute', 31],
  ])('"%s" → %s %d', (text, mode, value) => {
    expect(parseProgress(text).figures.map((f) => [f.mode, f.number.amount])).toEqual([[mode, value]]);
  });

  it.each([
    ['2026年'],
    ['11月'],
    ['11月27日'],
    ['十一月'],
    ['第三批'],
    ['Q3'],
    ['3个月'],
    ['5天'],
    ['v1.2.3 released'],
    ['“三个一线”攻坚行动'],
    ['“4+6”招商体系'],
    ['4+6招商体系'],
    ['《2026年城市更新工作方案》'],
    ['省两会结束后，一线走访'],
    ['还有一个问题需要协调'],
    ['统一部署，进一步推进'],
    ['十五五开局'],
    ['高于全市平均1.5个百分点'],
    ['the 3rd round'],
  ])('"%s" holds no figure', (text) => {
    const p = parseProgress(text);
    expect(p.figures).toEqual([]);
    expect(p.percents).toEqual([]);
  });
});

describe('percentages', () => {
  it.each([
    ['完成35%', 35, 'completion'],
    ['完成率35%', 35, 'completion'],
    ['完成35％', 35, 'completion'],
    ['进度百分之三十五', 35, 'completion'],
    ['工程形象进度达到80%', 80, 'completion'],
    ['35% done', 35, 'completion'],
    ['progress 35 percent', 35, 'completion'],
    ['占年度计划的35%', 35, 'completion'],
    ['百分之百完成', 100, 'completion'],
    ['1-10月增速7.2%', 7.2, 'rate'],
    ['同比增长6.1%', 6.1, 'rate'],
    ['35%', 35, 'unknown'],
  ])('"%s" → %d (%s)', (text, value, kind) => {
    const p = parseProgress(text);
    expect(p.percent).toBe(value);
    expect(p.percents.map((x) => [x.value, x.kind])).toEqual([[value, kind]]);
  });

  it.each([
    ['同比下降3.2%', -3.2],
    ['增速-1.5%', -1.5],
    ['销售额同比回落2.4%', -2.4],
  ])('keeps the sign of a falling rate: %s → %d, outside the 0..100 completion field', (text, value) => {
    const p = parseProgress(text);
    expect(p.percents.map((x) => x.value)).toEqual([value]);
    expect(p.percent).toBeUndefined();
  });

  it('prefers the completion percentage when a rate is given too', () => {
    const p = parseProgress('完成率35%，同比增长12%');
    expect(p.percent).toBe(35);
    expect(p.percents).toHaveLength(2);
  });

  it('does not take percentages as figures', () => {
    expect(parseProgress('完成35%').figures).toEqual([]);
  });
});

describe('states', () => {
  it.each([
    ['已完成', 'done'],
    ['全部完成', 'done'],
    ['项目已全部完成', 'done'],
    ['已竣工', 'done'],
    ['该项目已完工', 'done'],
    ['完成', 'done'],
    ['已完成全年目标任务', 'done'],
    ['提前完成', 'done'],
    ['按计划完成', 'done'],
    ['done', 'done'],
    ['Completed.', 'done'],
    ['The project is finished', 'done'],
    ['all done ✅', 'done'],
    ['受阻', 'blocked'],
    ['受阻：征收协议未签订', 'blocked'],
    ['施工卡住了', 'blocked'],
    ['项目停滞', 'blocked'],
    ['blocked', 'blocked'],
    ['stuck on approvals', 'blocked'],
    ['on hold', 'blocked'],
    ['延期', 'delayed'],
    ['竣工时间推迟到12月', 'delayed'],
    ['进度滞后', 'delayed'],
    ['delayed', 'delayed'],
    ['postponed to next month', 'delayed'],
    ['behind schedule', 'delayed'],
    ['推进中', 'in_progress'],
    ['在建', 'in_progress'],
    ['正在施工', 'in_progress'],
    ['有序推进', 'in_progress'],
    ['in progress', 'in_progress'],
    ['underway', 'in_progress'],
  ])('"%s" → %s', (text, state) => {
    expect(parseProgress(text).state).toBe(state);
  });

  it.each([
    ['完成35%'],
    ['完成率35%'],
    ['已完成投资3.2亿元'],
    ['完成招标'],
    ['35% done'],
    ['计划年底前完成'],
    ['预计下月完工'],
    ['争取11月底前全部完成'],
    ['3个月内完成'],
    ['will be done next month'],
    ['no longer blocked'],
    ['没有延期'],
    ['不存在滞后'],
    ['not delayed'],
    ['主体完工了'],
    ['完成年度目标的77.5%'],
    ['其中竣工验收4项'],
    ['plans to complete by June'],
    ['we plan to finish the main works next month'],
  ])('"%s" sets no state', (text) => {
    expect(parseProgress(text).state).toBeUndefined();
  });

  it.each([
    ['此前受阻，现已恢复施工'],
    ['受阻问题已解决'],
    ['后因疫情影响，现场施工暂停。4月初，该项目已复工复产'],
    ['was stalled for a month but work resumed'],
  ])('reads a stoppage that is over as in progress: %s', (text) => {
    expect(parseProgress(text).state).toBe('in_progress');
  });

  it.each([
    ['尚未完成'],
    ['还没有全部完成'],
    ['未开工'],
    ['目前尚未开工'],
    ['not done'],
    ['not yet completed'],
    ["isn't finished"],
    ['incomplete'],
    ['未能按期完成'],
    ['主体已完工，但整体尚未完成'],
  ])('"%s" is negated and never done', (text) => {
    const p = parseProgress(text);
    expect(p.negated).toBe(true);
    expect(p.state).not.toBe('done');
  });

  it('marks a qualified completion as partial, not as the whole item done (主体完工了)', () => {
    const p = parseProgress('主体完工了');
    expect(p.partialDone).toBe(true);
    expect(p.state).toBeUndefined();
  });

  it.each([
    ['已完成，但前期曾受阻', 'done'],
    ['受阻，进度滞后', 'blocked'],
    ['在建，进度滞后', 'delayed'],
  ])('ranks several state words: "%s" → %s', (text, state) => {
    expect(parseProgress(text).state).toBe(state);
  });
});

describe('blockers', () => {
  it.each([
    ['受阻：征收协议未签订', '征收协议未签订'],
    ['受阻:征收协议未签订。下周再协调', '征收协议未签订'],
    ['原因是资金未到位', '资金未到位'],
    ['项目停滞，原因是资金未到位，项目停滞', '资金未到位'],
    ['主要原因：管线迁改未完成', '管线迁改未完成'],
    ['因征收协议未签订，项目受阻', '征收协议未签订'],
    ['由于施工单位退场，进度滞后', '施工单位退场'],
    ['受征收进度影响，开工推迟', '征收进度'],
    ['卡在规划许可', '规划许可'],
    ['blocked by land acquisition', 'land acquisition'],
    ['Blocked: waiting for the land permit.', 'waiting for the land permit'],
    ['delayed due to funding', 'funding'],
    ['postponed because the contractor withdrew', 'the contractor withdrew'],
  ])('"%s" → blocker "%s"', (text, blocker) => {
    expect(parseProgress(text).blocker).toBe(blocker);
  });

  it('finds no blocker in a plain progress line', () => {
    expect(parseProgress('累计开工31项，进展顺利').blocker).toBeUndefined();
  });
});

describe('milestone phrases', () => {
  it.each([
    ['主体完工了', '主体完工'],
    ['已竣工验收', '竣工验收'],
    ['项目已开工', '开工'],
    ['works start done', 'works start'],
    ['招商专班已组建到位', '招商专班组建到位'],
    ['“4+6”招商体系重塑方案已出台', '4+6招商体系重塑方案出台'],
  ])('"%s" offers "%s"', (text, phrase) => {
    expect(parseProgress(text).milestoneWords).toContain(phrase);
  });

  it.each([
    ['下周开工'],
    ['计划6月主体完工'],
    ['尚未开工'],
    ['施工招标正在进行中'],
    ['累计开工31项'],
    ['完成35%'],
    ['已全部完成'],
    ['竣工验收推迟'],
  ])('"%s" offers no milestone phrase', (text) => {
    expect(parseProgress(text).milestoneWords).toEqual([]);
  });
});

describe('links and Slack markup', () => {
  it('collects a link from Slack markup and keeps its label and address in the note', () => {
    const p = parseProgress('进度见 <https://docs.example.cn/report?id=11|11月进度表>');
    expect(p.links).toEqual(['https://docs.example.cn/report?id=11']);
    expect(p.note).toBe('进度见 11月进度表 (https://docs.example.cn/report?id=11)');
  });

  it('collects bare links once, without trailing punctuation', () => {
    const p = parseProgress('照片：https://img.example.cn/a.jpg，报告 <http://x.cn/r> 和 http://x.cn/r.');
    expect(p.links).toEqual(['https://img.example.cn/a.jpg', 'http://x.cn/r']);
  });

  it('takes no figures from link addresses or labels that are dates', () => {
    const p = parseProgress('<https://x.cn/2026/11/31/report-40.pdf|2026年11月报告> 累计开工31项');
    expect(p.figures.map((f) => f.number.amount)).toEqual([31]);
  });

  it('ignores mailto links as evidence', () => {
    expect(parseProgress('<mailto:a@b.cn|a@b.cn>').links).toEqual([]);
  });

  it.each([
    ['<@U012ABCDEF> 累计31项', '@U012ABCDEF 累计31项'],
    ['<@U012ABCDEF|wang> 累计31项', '@wang 累计31项'],
    ['<#C012ABCDEF|general> 进展顺利', '#general 进展顺利'],
    ['<!channel> 已完成', '@channel 已完成'],
    ['<!here> 已完成', '@here 已完成'],
    ['<!subteam^S012AB|@liaisons> 请看', '@liaisons 请看'],
    ['a &lt; b &amp;&amp; c &gt; d', 'a < b && c > d'],
  ])('resolves %s in the note', (text, note) => {
    expect(parseProgress(text).note).toBe(note);
  });

  it('reads no figure out of user or channel ids', () => {
    expect(parseProgress('<@U012345678> <#C0123456|c2026> 进展顺利').figures).toEqual([]);
  });

  it('caps links at 20, as evidence allows', () => {
    const text = Array.from({ length: 30 }, (_, i) => `https://x.cn/${i}`).join(' ');
    expect(parseProgress(text).links).toHaveLength(20);
  });
});

describe('hostile input', () => {
  it.each([
    [''],
    ['   '],
    ['\n\n'],
    ['😀👍🎉'],
    ['<!channel>'],
    ['<>'],
    ['<<<>>>'],
    ['%%%'],
    ['百分之'],
    ['累计'],
    ['+'],
    ['-'],
    ['.'],
    ['亿元'],
  ])('"%s" is just a note', (text) => {
    const p = parseProgress(text);
    expect(p.figures).toEqual([]);
    expect(p.percents).toEqual([]);
    expect(p.state).toBeUndefined();
    expect(p.milestoneWords).toEqual([]);
  });

  it('trims the note and cuts it at 4000 characters', () => {
    const p = parseProgress(`  ${'进展顺利。'.repeat(2000)}  `);
    expect(p.note.length).toBe(4000);
    expect(p.note.startsWith('进展顺利')).toBe(true);
  });

  it('does not split an emoji when cutting the note', () => {
    const p = parseProgress('😀'.repeat(5000));
    expect(Array.from(p.note)).toHaveLength(4000);
    expect(p.note).toBe('😀'.repeat(4000));
  });

  it('reads 10,000 characters and still finds the figure at the end', () => {
    const text = `${'今天走访企业，进展顺利。'.repeat(800)}累计开工31项`;
    expect(text.length).toBeGreaterThan(9000);
    expect(parseProgress(text).figure?.number.amount).toBe(31);
  });

  // 20,000 characters is the most the scanner reads. The quadratic versions these cases caught took
  // 2–14 s there. Not a time budget (a busy machine makes linear work slow too): the time at 20,000
  // characters against the time at 5,000, both measured now, best of three. Linear work grows about 4×,
  // quadratic 16×; 10× allows for noise and still catches it (times under 10 ms count as 10 ms).
  const fill = (unit: string, n = 20_000) => unit.repeat(Math.ceil(n / unit.length)).slice(0, n);
  const best = (text: string) => {
    let ms = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      parseProgress(text);
      ms = Math.min(ms, performance.now() - started);
    }
    return ms;
  };
  it.each([
    ['digits', fill('1')],
    ['thousands separators', fill(',1')],
    ['unclosed quotes', fill('《')],
    ['cues and figures in one clause', fill('累计已新增1项本月')],
    ['spaced numbers in one clause', fill('1 ')],
    ['markup brackets', fill('<|>')],
    ['completion words', fill('完成')],
    ['Chinese numeral characters', fill('一二三四五六七八九十')],
    ['percentages', fill('1%')],
    ['short clauses with figures', fill('开工了，1项')],
    ['negations', fill('尚未完成，')],
    ['blocker cues', fill('受阻：因')],
  ])('stays linear on 20,000 characters of %s', (_name, text) => {
    const small = best(text.slice(0, 5_000));
    const large = best(text);
    expect(large).toBeLessThan(10 * Math.max(small, 10));
  });

  it('ignores emoji shortcodes with digits (:100:)', () => {
    expect(parseProgress(':100: :white_check_mark: 进展顺利').figures).toEqual([]);
  });

  it('treats a non-string as empty rather than throwing', () => {
    expect(parseProgress(undefined as unknown as string).note).toBe('');
  });
});

describe('interpreting for a cumulative target', () => {
  it.each([
    ['截至目前累计开工31项', 31],
    ['now at 31', 31],
    ['累计开工三十一项', 31],
    ['本月新开工5项，累计开工31项', 31],
  ])('takes a total as the new value: %s', (text, value) => {
    expect(update(read(text, renewalStarts, progress({ value: 26 }))).value).toBe(value);
  });

  it.each([
    ['本月新开工5项', 31],
    ['+5', 31],
    ['5 more', 31],
    ['新增5个', 31],
    ['11月新开工5项', 31],
  ])('adds an increment to the current value: %s', (text, value) => {
    expect(update(read(text, renewalStarts, progress({ value: 26 }))).value).toBe(value);
  });

  it('adds an increment to the baseline when nothing was reported yet', () => {
    const t = CumulativeTarget.parse({ ...renewalStarts, baseline: 10 });
    expect(update(read('新增5项', t)).value).toBe(15);
  });

  it('asks whether a bare figure is a total or an increment, labelling both', () => {
    const i = asked(read('开工8项', renewalStarts, progress({ value: 6 })));
    expect(i.reason).toBe('increment_or_total');
    expect(i.options).toEqual([
      { label: { zh: '累计 8 项', en: '8 projects in total' }, update: { value: 8 } },
      { label: { zh: '新增 8 项 → 累计 14 项', en: '8 more → 14 projects in total' }, update: { value: 14 } },
    ]);
  });

  it('takes a bare figure as the total when as an increment it would overshoot the target (开工31项 on 26/40)', () => {
    expect(update(read('开工31项', renewalStarts, progress({ value: 26 }))).value).toBe(31);
  });

  it('does not ask when both readings agree (nothing reported, baseline 0)', () => {
    expect(update(read('开工31项', renewalStarts)).value).toBe(31);
  });

  it.each([
    ['累计完成投资3.2亿元', 3.2],
    ['累计完成投资32000万元', 3.2],
    ['累计完成投资1.5亿', 1.5],
    ['累计完成投资3.2', 3.2],
    ['total 320 million yuan', 3.2],
    ['1-10月完成投资3.2亿元', 3.2],
  ])('converts to the target unit (亿元): %s → %d', (text, value) => {
    expect(update(read(text, investment, progress({ value: 1 }))).value).toBe(value);
  });

  it.each([
    ['累计建成5000平方米', 0.5],
    ['累计建成3.2万平方米', 3.2],
    ['累计建成两千平方米', 0.2],
    ['本月新增5000平方米', 0.6],
  ])('converts to the target unit (万平方米): %s → %d', (text, value) => {
    expect(update(read(text, floorSpace, progress({ value: 0.1 }))).value).toBe(value);
  });

  it('asks when a total falls below the last value of a total that can only grow (累计0.5 after 2)', () => {
    const i = asked(read('累计建成5000平方米', floorSpace, progress({ value: 2 })));
    expect(i.reason).toBe('implausible');
    expect(i.options.map((o) => o.update.value)).toEqual([0.5, 2.5]);
  });

  it("asks when a bare number is far too big for the unit, the reading nearest the item's scale first (累计5000 for a target of 20 万平方米)", () => {
    const i = asked(read('累计5000', floorSpace, progress({ value: 2 })));
    expect(i.reason).toBe('unit_mismatch');
    expect(i.options.map((o) => o.update.value)).toEqual([0.5, 5000]);
  });

  it('offers 万元 as a reading of a big bare number for a target in 亿元', () => {
    const i = asked(read('累计32000', investment, progress({ value: 1 })));
    expect(i.options.map((o) => o.update.value)).toContain(3.2);
  });

  it('asks when the only figure is in another unit (3.2亿元 for a count of projects)', () => {
    const i = asked(read('累计完成投资3.2亿元', renewalStarts, progress({ value: 26 })));
    expect(i.reason).toBe('unit_mismatch');
  });

  it.each([
    ['新增5个', 25],
    ['本月新增入驻5家', 25],
    ['5 more firms', 25],
  ])('accepts a generic count word for a count target: %s', (text, value) => {
    expect(update(read(text, firms, progress({ value: 20 }))).value).toBe(value);
  });

  it('does not take 新增 for an increment when the item is itself called 新增入驻企业', () => {
    const i = asked(read('新增入驻企业5家', firms, progress({ value: 20 })));
    expect(i.reason).toBe('increment_or_total');
    expect(i.options.map((o) => o.update.value)).toEqual([25, 5]);
    expect(update(read('1-10月新增入驻企业25家', firms, progress({ value: 20 }))).value).toBe(25);
  });

  it('asks when a specific count word differs (5项 for a target counted in 家)', () => {
    expect(asked(read('新增5项', firms, progress({ value: 20 }))).reason).toBe('unit_mismatch');
  });

  it('keeps the one figure in the target unit when others are in other units', () => {
    expect(update(read('本月新增投资1.2亿元，累计开工31项', renewalStarts, progress({ value: 26 }))).value).toBe(31);
  });

  it('keeps the figure that names the measure when two are in the unit (累计开工31项，其中竣工12项)', () => {
    expect(update(read('累计开工31项，其中竣工12项', renewalStarts, progress({ value: 26 }))).value).toBe(31);
  });

  it('asks which figure when nothing tells them apart, offering both readings of the bare one', () => {
    const i = asked(read('开工31项，开工12项', renewalStarts, progress({ value: 6 })));
    expect(i.reason).toBe('several_figures');
    expect(i.options.map((o) => o.update.value)).toEqual([31, 37, 12, 18]);
  });

  it('leaves a figure of another act unrecorded and says so (累计31项，竣工12项 for a count of starts)', () => {
    const i = update(read('累计31项，竣工12项', renewalStarts, progress({ value: 26 })));
    expect(i.value).toBe(31);
    expect(i.unrecorded).toEqual([{ raw: '12项', reason: 'other_measure' }]);
  });

  it('offers each resulting value once when two readings coincide (26 + 5 = 31)', () => {
    const i = asked(read('累计31项，开工5项', renewalStarts, progress({ value: 26 })));
    expect(i.options.map((o) => o.update.value)).toEqual([31, 5]);
  });

  it('records a total whose increment agrees with the last value (26 + 5 = 31), keeping the increment in the note', () => {
    const i = update(read('本月新开工5项，累计开工31项', renewalStarts, progress({ value: 26 })));
    expect([i.value, i.increment]).toEqual([31, 5]);
  });

  it('asks when a total and an increment disagree with the last value (31 ≠ 26 + 12)', () => {
    const i = asked(read('累计31项，另有12项', renewalStarts, progress({ value: 26 })));
    expect(i.reason).toBe('inconsistent');
    expect(i.options.map((o) => o.update.value)).toEqual([31, 38]);
  });

  it('turns an explicit completion percentage into a share of the way from baseline to target (完成35% of 40 → 14)', () => {
    expect(update(read('完成35%', renewalStarts)).value).toBe(14);
    expect(update(read('完成率35%', renewalStarts)).value).toBe(14);
  });

  it('asks about a percentage that does not say it is completion', () => {
    const i = asked(read('35%', renewalStarts));
    expect(i.reason).toBe('unit_mismatch');
    expect(i.options).toEqual([
      { label: { zh: '完成 35%（累计 14 项）', en: '35% done (14 projects)' }, update: { value: 14 } },
    ]);
  });

  it('ignores a growth rate for a count target', () => {
    expect(read('同比增长12%', renewalStarts).kind).toBe('note');
  });

  it('reads a percentage as the value when the target itself is in %', () => {
    expect(update(read('走访覆盖率达到85%', coverage, progress({ value: 60 }))).value).toBe(85);
  });

  it('is just a note when the text has no figure', () => {
    const i = read('今天召开推进会，协调征收问题', renewalStarts, progress({ value: 26 }));
    expect(i).toEqual({ kind: 'note', note: '今天召开推进会，协调征收问题', links: [] });
  });

  it('passes the links on with the update', () => {
    const i = update(read('累计开工31项 <https://x.cn/r|通报>', renewalStarts));
    expect(i.links).toEqual(['https://x.cn/r']);
  });
});

describe('interpreting for a shrinking target (idle space 45 → 30 万平方米)', () => {
  it('subtracts a reported reduction', () => {
    expect(update(read('减少2万平方米', idleSpace, progress({ value: 43 }))).value).toBe(41);
  });

  it('takes an unsigned period figure as progress toward the target, i.e. a reduction (本月盘活2万平方米)', () => {
    expect(update(read('本月盘活2万平方米', idleSpace, progress({ value: 43 }))).value).toBe(41);
  });

  it('takes what remains as the value (剩余41万平方米)', () => {
    expect(update(read('剩余闲置厂房41万平方米', idleSpace, progress({ value: 43 }))).value).toBe(41);
  });

  it('asks whether "累计盘活8万平方米" is what remains or what was removed', () => {
    const i = asked(read('累计盘活闲置厂房8万平方米', idleSpace, progress({ value: 43 })));
    expect(i.reason).toBe('increment_or_total');
    expect(i.options.map((o) => o.update.value)).toEqual([8, 37]);
  });
});

describe('interpreting for a level target (growth ≥ 7.5%)', () => {
  it.each([
    ['1-10月增速7.2%', 7.2],
    ['1-10月规上工业增加值同比增长7.2%', 7.2],
    ['规上工业增加值增速7.2', 7.2],
    ['同比下降3.2%', -3.2],
    ['1-10月增速7.2%，高于全市平均1.5个百分点', 7.2],
    ['growth 6.8% yoy', 6.8],
  ])('takes the rate as the value: %s → %d', (text, value) => {
    expect(update(read(text, growth, progress({ value: 6.1 }))).value).toBe(value);
  });

  it.each([['本月增速7.2%'], ['10月份规上工业增加值增长9.1%'], ['规上工业增加值环比增长1.2%']])(
    'does not take a single-month or month-on-month rate as the year-to-date level, and says so: %s',
    (text) => {
      const i = read(text, growth, progress({ value: 6.1 }));
      expect(i.kind).toBe('note');
      expect(i.unrecorded?.map((u) => u.reason)).toEqual(['period']);
    },
  );

  it("takes the year-to-date rate beside a single month's (1-10月8.2%，其中10月份9.1%)", () => {
    expect(
      update(read('1-10月，规上工业增加值同比增长8.2%，其中10月份增长9.1%', growth, progress({ value: 6.1 }))).value,
    ).toBe(8.2);
  });

  it('picks the rate that names the measure among several (增速7.2%，高于全市1.5%)', () => {
    expect(update(read('增速7.2%，高于全市1.5%', growth)).value).toBe(7.2);
  });

  it('asks when several rates cannot be told apart', () => {
    const i = asked(read('7.2%，8.1%', growth));
    expect(i.reason).toBe('several_figures');
    expect(i.options.map((o) => o.update.value)).toEqual([7.2, 8.1]);
  });

  it('is a note when only words are given', () => {
    expect(read('部分企业产能爬坡，增速偏低', growth).kind).toBe('note');
  });
});

describe('interpreting for a project', () => {
  it.each([
    ['完成35%', { percent: 35 }],
    ['35% done', { percent: 35 }],
    ['进度百分之三十五', { percent: 35 }],
    ['推进中，完成35%', { percent: 35 }],
    ['已全部完成', { state: 'done' }],
    ['done', { state: 'done' }],
    ['在建', { state: 'in_progress' }],
    ['延期', { state: 'delayed' }],
  ])('"%s" → %j', (text, fields) => {
    const i = update(read(text, renovation));
    expect({ percent: i.percent, state: i.state, milestoneId: i.milestoneId }).toEqual({
      percent: undefined,
      state: undefined,
      milestoneId: undefined,
      ...fields,
    });
  });

  it.each([
    ['主体完工了', 'm2'],
    ['已竣工验收', 'm3'],
    ['项目已开工', 'm1'],
    ['今天正式开工', 'm1'],
    ['works start done', 'm1'],
    ['Main works complete', 'm2'],
    ['主体完工了，完成80%', 'm2'],
  ])('"%s" reaches milestone %s', (text, milestoneId) => {
    const i = update(read(text, renovation));
    expect(i.milestoneId).toBe(milestoneId);
    expect(i.state).toBe('done');
  });

  it('drops a "topic:" label before a milestone phrase (Xinghu Garden: main works complete, 80% overall)', () => {
    const i = update(read('Xinghu Garden: main works complete, 80% overall', renovation));
    expect(i).toMatchObject({ milestoneId: 'm2', state: 'done', percent: 80 });
  });

  it('keeps the percentage with a milestone', () => {
    expect(update(read('主体完工了，完成80%', renovation)).percent).toBe(80);
  });

  it('asks which milestone when the text names more than one', () => {
    const i = asked(read('已开工，主体完工了', renovation));
    expect(i.reason).toBe('milestone_unclear');
    expect(i.options.map((o) => o.update.milestoneId)).toEqual(['m1', 'm2']);
  });

  it('takes the one milestone not reached yet when the text restates an earlier one', () => {
    const i = update(read('已开工，主体完工了', renovation, progress({ milestonesDone: { m1: '2026-03-02' } })));
    expect(i.milestoneId).toBe('m2');
  });

  it('offers only milestones not reached yet when a completion names none', () => {
    const i = asked(read('基本完成', renovation, progress({ milestonesDone: { m1: '2026-03-02' } })));
    expect(i.options.map((o) => o.update.milestoneId)).toEqual(['m2', 'm3', undefined]);
  });

  it('asks which milestone, or the whole item, when a completion names none (基本完成)', () => {
    const i = asked(read('基本完成', renovation));
    expect(i.reason).toBe('milestone_unclear');
    expect(i.options.at(-1)?.update).toEqual({ state: 'done' });
    expect(i.options).toHaveLength(4);
  });

  it('matches a milestone by a phrase inside its name (改造工程已开工 → 改造工程开工)', () => {
    expect(update(read('改造工程已开工', accelerator)).milestoneId).toBe('a2');
  });

  it("treats the item's own name as the whole item (星湖花园老旧小区改造已全部完成)", () => {
    const i = update(read('星湖花园老旧小区改造已全部完成', renovation));
    expect(i.state).toBe('done');
    expect(i.milestoneId).toBeUndefined();
  });

  it.each([['尚未完成'], ['not done'], ['未开工'], ['主体尚未完工'], ['计划6月主体完工']])(
    'never reads "%s" as done',
    (text) => {
      const i = read(text, renovation);
      if (i.kind === 'update') {
        expect(i.state).not.toBe('done');
        expect(i.milestoneId).toBeUndefined();
      } else expect(i.kind).toBe('note');
    },
  );

  it('keeps the blocker as the note of a blocked update', () => {
    const i = update(read('受阻：征收协议未签订', renovation));
    expect(i.state).toBe('blocked');
    expect(i.note).toBe('征收协议未签订');
  });

  it('keeps the whole text as the note when blocked without a stated reason', () => {
    expect(update(read('项目停滞', renovation)).note).toBe('项目停滞');
  });

  it('keeps the blocker for a delay and keeps the percentage', () => {
    const i = update(read('完成35%，进度滞后，原因是资金未到位', renovation));
    expect(i).toMatchObject({ state: 'delayed', percent: 35, note: '资金未到位' });
  });

  it('asks when a milestone is reached but something else is blocked', () => {
    const i = asked(read('主体完工了，竣工验收受阻：消防手续未办', renovation));
    expect(i.reason).toBe('milestone_or_state');
    expect(i.options.map((o) => o.update)).toEqual([{ milestoneId: 'm2', state: 'done' }, { state: 'blocked' }]);
  });

  it('asks which percentage when two completion figures are given', () => {
    expect(asked(read('完成35%，主体完成80%', renovation)).reason).toBe('several_figures');
  });

  it('takes the whole, not the part, when the other percentage is "其中…" (完成35%，其中主体完成80%)', () => {
    expect(update(read('完成35%，其中主体完成80%', renovation)).percent).toBe(35);
  });

  it('is a note when there is no figure, state or milestone', () => {
    expect(read('今天现场检查，安全文明施工情况良好', renovation).kind).toBe('note');
  });

  it('is a note for figures a project has no field for (完成投资3.2亿元)', () => {
    expect(read('完成投资3.2亿元', renovation).kind).toBe('note');
  });

  it('asks for a project with no milestones when something partial is finished', () => {
    const i = asked(read('主体完工了', bareProject));
    expect(i.options).toEqual([{ label: { zh: '整体完成', en: 'The whole item is done' }, update: { state: 'done' } }]);
  });
});

describe('interpreting for a commitment', () => {
  it.each([
    ['“4+6”招商体系重塑方案已出台', 'c1'],
    ['招商专班已组建到位', 'c2'],
    ['招商考核激励办法已经印发了', 'c3'],
    ['Investment task forces staffed — done', 'c2'],
  ])('"%s" reaches %s', (text, milestoneId) => {
    const i = update(read(text, investmentSystem));
    expect(i).toMatchObject({ milestoneId, state: 'done' });
  });

  it('takes "4+6" inside quotes as a name, not a figure or increment', () => {
    const p: ParsedProgress = parseProgress('“4+6”招商体系重塑方案已出台');
    expect(p.figures).toEqual([]);
  });

  it('reads a percentage for a commitment', () => {
    expect(update(read('整体推进完成60%', investmentSystem)).percent).toBe(60);
  });
});

describe('every milestone of the seed data, reported as a liaison would', () => {
  const seed = JSON.parse(readFileSync(new URL('../../../data/seed/nantong-2026.json', import.meta.url), 'utf8')) as {
    projects: unknown[];
    commitments: unknown[];
  };
  const items = [...seed.projects.map((p) => Project.parse(p)), ...seed.commitments.map((c) => Commitment.parse(c))];
  const cases = items.flatMap((item) =>
    item.milestones.flatMap((m) => [
      [item.id, m.id, `${m.name.zh}了`],
      [item.id, m.id, `已${m.name.zh}`],
      [item.id, m.id, `${m.name.en ?? m.name.zh} — done`],
    ]),
  );

  it('has milestones to try', () => {
    expect(cases.length).toBeGreaterThan(300);
  });

  it.each(cases)('%s: reaches %s from "%s"', (itemId, milestoneId, text) => {
    const item = items.find((i) => i.id === itemId)!;
    expect(update(read(text, item))).toMatchObject({ milestoneId, state: 'done' });
  });
});

describe('a monthly report as liaisons write it', () => {
  const report =
    '城市更新项目：截至11月底，本月新开工3项（通盛苑、竹行新村、小海新苑），累计开工31项，完成年度目标的77.5%。详见 <https://docs.example.cn/hurdb/11|11月台账>';

  it('gives the total for the count target and ignores the aside and the share', () => {
    const i = update(read(report, renewalStarts, progress({ value: 28 })));
    expect(i.value).toBe(31);
    expect(i.links).toEqual(['https://docs.example.cn/hurdb/11']);
    expect(i.note).toContain('11月台账 (https://docs.example.cn/hurdb/11)');
  });

  it('does not claim the item is done because "完成年度目标" appears', () => {
    expect(parseProgress(report).state).toBeUndefined();
  });

  it('reads the growth line for the level target despite the comparisons in 百分点', () => {
    const text = '1-10月，全区规上工业增加值同比增长7.2%，增速较1-9月提高0.3个百分点，低于目标0.3个百分点。';
    expect(update(read(text, growth, progress({ value: 6.9 }))).value).toBe(7.2);
  });

  it('reads new signings and investment together, keeping the count for a count target', () => {
    const i = asked(read('新开工项目5个，总投资12.6亿元', renewalStarts, progress({ value: 26 })));
    expect(i.reason).toBe('increment_or_total');
    expect(i.options.map((o) => o.update.value)).toEqual([31, 5]);
  });
});

describe('plausibility checks that must not fire', () => {
  const big = CumulativeTarget.parse({ ...renewalStarts, id: 't-big', target: 5000 });

  it('takes a small increment on a large target as it is ("本月新增1" on 3000 of 5000)', () => {
    expect(update(read('本月新增1', big, progress({ value: 3000 }))).value).toBe(3001);
  });

  it('does not take a milestone called "constructor" as reached because every object has one', () => {
    const odd = Project.parse({
      id: 'p-odd',
      departmentId: 'hurdb',
      name: { zh: '某某改造' },
      period: year,
      milestones: [{ id: 'constructor', name: { zh: '开工' }, due: '2026-03-31' }],
    });
    expect(update(read('已开工', odd)).milestoneId).toBe('constructor');
  });
});

describe('lists read respectively, and stoppages after a milestone long reached', () => {
  const manufacturing = LevelTarget.parse({
    ...growth,
    id: 't-mfg',
    name: { zh: '制造业投资增速', en: 'manufacturing investment growth' },
  });
  const industrial = LevelTarget.parse({ ...growth, id: 't-ind', name: { zh: '工业投资增速' } });

  it.each([
    ['工业投资、高技术产业投资分别增长18.6%、37.2%', industrial, 18.6],
    [
      'Investment in infrastructure and manufacturing gained 8.7 percent and 9.7 percent year on year, respectively.',
      manufacturing,
      9.7,
    ],
  ])('gives each figure of "%s" its own subject', (text, item, value) => {
    expect(update(read(text, item, progress({ value: 8 }))).value).toBe(value);
  });

  it('records a stoppage when the milestone it mentions was reached long ago (开工后停工, 开工 recorded)', () => {
    const i = update(
      read('该项目开工后因征地问题停工', renovation, progress({ milestonesDone: { m1: '2026-03-02' } })),
    );
    expect(i.state).toBe('blocked');
  });
});

describe('a share of the plan that confirms a figure', () => {
  const services = CumulativeTarget.parse({
    ...investment,
    id: 't-services',
    name: { zh: '服务业投资', en: 'Services investment' },
    target: 1300,
  });
  const municipal = CumulativeTarget.parse({
    ...investment,
    id: 't-municipal',
    name: { zh: '市级重点项目完成投资' },
    target: 114,
  });

  it('records the total whose share of the target the text states, without asking (640.9 of 1300 = 49.3%)', () => {
    const text = '完成服务业投资640.9亿元，同比增长23.4%，完成年度目标任务的49.3%。';
    expect(update(read(text, services, progress({ value: 520 }))).value).toBe(640.9);
  });

  it('chooses between two groups by the share that agrees with the target', () => {
    const text =
      '8个省级重点项目完成投资10.55亿元，完成年度投资计划的103.95%；10个市级重点项目，完成投资103.11亿元，完成年度投资计划的90.32%。';
    expect(update(read(text, municipal, progress({ value: 90 }))).value).toBe(103.11);
  });

  it('reads "占年计划投资的64.49%" as a share of the plan, not a plan', () => {
    const p = parseProgress('1-6月累计完成投资362.32亿元，占年计划投资的64.49%');
    expect(p.percents[0]).toMatchObject({ value: 64.49, role: 'actual', ofPlan: true });
  });

  it('asks as before when the share does not agree with the target', () => {
    const text = '完成服务业投资640.9亿元，完成年度目标任务的60%。';
    expect(read(text, services, progress({ value: 520 })).kind).toBe('ambiguous');
  });

  it('reads the difference from last year as a comparison ("比去年同期73.79亿元增加了1.54亿元")', () => {
    const p = parseProgress('完成投资75.33亿元，比去年同期73.79亿元增加了1.54亿元');
    expect(p.figures.map((f) => [f.number.raw, f.role])).toEqual([
      ['75.33亿元', 'actual'],
      ['73.79亿元', 'comparison'],
      ['1.54亿元', 'comparison'],
    ]);
  });
});

describe('groups, lists and breakdowns', () => {
  const newStarts = CumulativeTarget.parse({
    ...renewalStarts,
    id: 't-new',
    name: { zh: '州重点新开项目开工数' },
    unit: { zh: '个' },
    target: 170,
  });
  const fortune = CumulativeTarget.parse({ ...firms, id: 't-500', name: { zh: '引进世界500强企业' }, target: 40 });
  const keyInvest = CumulativeTarget.parse({
    ...investment,
    id: 't-key',
    name: { zh: '重点项目完成投资' },
    target: 300,
  });

  it('reads the first of "170个新开项目已开工145个" as the size of the group, not a count of starts', () => {
    const p = parseProgress('170个新开项目已开工145个');
    expect(p.figures.map((f) => [f.number.raw, f.role])).toEqual([
      ['170个', 'scope'],
      ['145个', 'actual'],
    ]);
    const text =
      '1-9月份,316个州重点建设项目累计开复工291个,开复工率92%。其中,146个续建项目已全面复工;170个新开项目已开工145个。';
    expect(update(read(text, newStarts, progress({ value: 128 }))).value).toBe(145);
  });

  it('carries a list\'s act to every figure of it ("已引进…项目18个,…,世界500强企业34家")', () => {
    const text = '截至目前,西咸新区已引进100亿元以上项目18个,10亿元以上项目114家,世界500强企业34家,中国500强企业38家。';
    expect(update(read(text, fortune, progress({ value: 31 }))).value).toBe(34);
  });

  it('reads "签约新能源、新材料、现代钢铁冶金产业项目132个" as one subject, not a list of figures', () => {
    const p = parseProgress('签约新能源、新材料、现代钢铁冶金产业项目132个');
    expect(p.figures[0]!.measure).toContain('新能源、新材料');
  });

  it('keeps a breakdown by kind, one figure a sentence, as a note, listing its parts', () => {
    const text =
      '续建项目完成投资191.1亿元,完成年度计划的81.75%;新开工项目完成投资19.78亿元,完成年度计划的26.99%;竣工投产项目完成投资47.62亿元。';
    const i = read(text, keyInvest, progress({ value: 180 }));
    expect(i.kind).toBe('note');
    expect(i.unrecorded?.map((u) => [u.raw, u.reason])).toEqual([
      ['191.1亿元', 'subset'],
      ['19.78亿元', 'subset'],
      ['47.62亿元', 'subset'],
    ]);
  });
});

describe('roles said in passing', () => {
  const filed = CumulativeTarget.parse({
    ...investment,
    id: 't-filed',
    name: { zh: '备案企业投资项目总投资', en: 'total investment of filed enterprise projects' },
    target: 10000,
  });
  const signedSize = CumulativeTarget.parse({
    ...investment,
    id: 't-signed',
    name: { zh: '签约项目计划总投资' },
    target: 200,
  });
  const privateInvest = CumulativeTarget.parse({
    ...investment,
    id: 't-private',
    name: { zh: '民间投资', en: 'private investment' },
    target: 320000,
  });
  const settled = CumulativeTarget.parse({
    ...firms,
    id: 't-settled',
    name: { zh: '新增入驻企业', en: 'companies newly settled' },
    target: 5000,
  });
  const majorSigned = CumulativeTarget.parse({
    ...renewalStarts,
    id: 't-major',
    name: { zh: '重大项目签约', en: 'major projects signed' },
    target: 30,
  });

  it.each([
    ['全区共签约项目58个,计划总投资215.0391亿元', signedSize, 180, 215.0391],
    [
      "From January to November, Huai'an filed a total of 5,191 enterprise investment projects, with a total investment of RMB 952.347 billion.",
      filed,
      8600,
      9523.47,
    ],
  ])('takes a project size as the value of an item named by it: "%s"', (text, item, prior, value) => {
    expect(update(read(text, item, progress({ value: prior }))).value).toBe(value);
  });

  it('keeps a plan a plan when the item is only named after a plan ("四大行动计划")', () => {
    const item = CumulativeTarget.parse({
      ...renewalStarts,
      id: 't-four',
      name: { zh: '“四大行动计划”项目开工' },
      unit: { zh: '个' },
      target: 660,
    });
    expect(read('将对列入2013年“四大行动计划”的660个项目,开展全面督查。', item, progress({ value: 410 })).kind).toBe(
      'note',
    );
  });

  it('reads "rose … from a year earlier to 25.84 trillion yuan" as the level reached, not a comparison', () => {
    const text =
      'During the Jan.-Oct. period, fixed-asset investment from the private sector increased 1.6 percent from a year earlier to 25.84 trillion yuan.';
    expect(update(read(text, privateInvest, progress({ value: 230000 }))).value).toBe(258400);
  });

  it('does not break a clause at a thousands separator, nor take "targeted" as a plan after "so far"', () => {
    const text =
      'The zone has so far attracted about 3,600 companies to settle in the zone through targeted investment promotion activities this year.';
    expect(update(read(text, settled, progress({ value: 2800 }))).value).toBe(3600);
  });

  it('reads an English period said after the figure ("were signed in the fourth quarter") as one period', () => {
    const text =
      'Nineteen major projects involving a total investment of 27.6 billion yuan were signed in the fourth quarter of the current year.';
    expect(update(read(text, majorSigned, progress({ value: 15 }))).value).toBe(34);
  });

  it('ends a plan carried through a sentence at a year-to-date frame ("计划…2.5万个，前7月新开工1.98万个")', () => {
    const item = CumulativeTarget.parse({
      ...renewalStarts,
      id: 't-old',
      name: { zh: '新开工改造城镇老旧小区' },
      unit: { zh: '个' },
      target: 25000,
    });
    const p = parseProgress('2025年,全国计划新开工改造城镇老旧小区2.5万个,前7月新开工1.98万个');
    expect(p.figures.map((f) => [f.number.raw, f.role])).toEqual([
      ['2.5万个', 'plan'],
      ['1.98万个', 'actual'],
    ]);
    expect(
      update(read('2025年,全国计划新开工改造城镇老旧小区2.5万个,前7月新开工1.98万个', item, progress({ value: 15000 })))
        .value,
    ).toBe(19800);
  });

  it('reads a figure that is a share of the city\'s total as a part ("accounting for 17.70% of the city\'s total")', () => {
    const p = parseProgress(
      "Among them, Huaiyin District had the most filed projects, totaling 919, accounting for 17.70% of the city's total.",
    );
    expect(p.figures.map((f) => [f.number.raw, f.role])).toEqual([['919', 'subset']]);
  });
});

describe('periods, currencies, new-this-year counts and milestones said in passing', () => {
  const oldEstates = CumulativeTarget.parse({
    ...renewalStarts,
    id: 't-estates',
    name: { zh: '老旧小区改造开工', en: 'old communities renovated' },
    unit: { zh: '个', en: 'communities' },
    target: 25000,
  });
  const funds = CumulativeTarget.parse({
    ...investment,
    id: 't-funds',
    name: { zh: '招商引资资金到位额' },
    target: 5000,
  });
  const entities = CumulativeTarget.parse({
    ...firms,
    id: 't-entities',
    name: { zh: '新增市场主体' },
    unit: { zh: '户' },
    target: 12000,
  });
  const road = Project.parse({
    id: 'p-road',
    departmentId: 'hurdb',
    name: { zh: '田正街道路工程' },
    period: year,
    milestones: [
      { id: 'start', name: { zh: '开工' }, due: '2026-03-31' },
      { id: 'open', name: { zh: '建成通车' }, due: '2026-12-31' },
    ],
  });

  it('keeps a figure of several years as a note ("From 2019 to 2024, … 280,000 old communities")', () => {
    const i = read(
      'From 2019 to 2024, China launched renovation projects at approximately 280,000 old urban residential communities.',
      oldEstates,
      progress({ value: 25100 }),
    );
    expect(i.kind).toBe('note');
    expect(i.unrecorded).toEqual([{ raw: '280,000', reason: 'period' }]);
  });

  it('does not ask about an amount in another currency, and says why it was not recorded', () => {
    const i = read('1—8月,全市实际使用外资38439万美元。', funds, progress({ value: 2339 }));
    expect(i).toMatchObject({ kind: 'note', unrecorded: [{ raw: '38439万美元', reason: 'unit' }] });
  });

  it('takes the net addition since the year began for an item counting what is new, not the stock', () => {
    expect(
      update(read('截至9月,高新区市场主体存量为36581户,较2023年末净增11152户。', entities, progress({ value: 9800 })))
        .value,
    ).toBe(11152);
  });

  it('offers the increment first when a total below the last value was not said to be a running total', () => {
    const signed = CumulativeTarget.parse({
      ...investment,
      id: 't-signed-inv',
      name: { zh: '签约项目投资额', en: 'investment of signed projects' },
      target: 1500,
    });
    const i = asked(
      read(
        'A total of 66 projects receiving 32.9 billion yuan in investment were signed at a promotional conference.',
        signed,
        progress({ value: 1000 }),
      ),
    );
    expect(i.options.map((o) => o.update.value)).toEqual([1329, 329]);
  });

  it('does not take "主体工程已完工" as the whole road built (建成通车)', () => {
    const text = '施工周期有所延长,年前主体工程已完工。';
    expect(update(read(text, road, progress({ milestonesDone: { start: '2026-03-02' } }))).state).toBe('delayed');
  });

  it('offers the stoppage first when the milestone it mentions is dated years back', () => {
    const i = asked(read('该项目自2014年7月开工建设,由于征地问题而停滞。', road));
    expect(i.options.map((o) => o.update)).toEqual([{ state: 'blocked' }, { milestoneId: 'start', state: 'done' }]);
  });
});

describe('a reply about one project, with a speaker before a colon', () => {
  const road = Project.parse({
    id: 'p-changjiang',
    departmentId: 'hurdb',
    name: { zh: '长江路改造工程' },
    period: year,
    milestones: [
      { id: 'start', name: { zh: '开工' }, due: '2026-03-31' },
      { id: 'open', name: { zh: '建成通车' }, due: '2026-12-31' },
    ],
  });
  const started = progress({ milestonesDone: { start: '2026-03-02' } });

  it.each([
    // Real (a 12345 reply on a city road): the name is in the first sentence, the state in the next.
    [
      '市文投集团答复:因长江路处于中心城区,为将交通影响降至最低,采取分段施工;现正在进行道路两侧人行道施工;计划今年4月底全部竣工验收。',
    ],
    // Constructed, same class: a bureau's reply naming the road once, then saying what is under way.
    ['区住建局答复：因长江路位于老城区，采取分段施工；目前正在进行雨污管网施工；计划10月底全部完工。'],
  ])('reads the sentences after the one naming the project: "%s" → in progress', (text) => {
    expect(update(readProgress(text, road, started))).toMatchObject({ state: 'in_progress' });
  });

  it('still reads only the intro of a list the project is one of ("…的项目2个，分别是：A、B")', () => {
    const i = readProgress(
      '进度滞后的项目2个，分别是：长江路改造工程、黄河路拓宽工程。其他项目正按序时推进。',
      road,
      started,
    );
    expect(update(i).state).toBe('delayed');
  });
});

describe('a sum said of one event or period', () => {
  const newStarts = CumulativeTarget.parse({
    ...renewalStarts,
    id: 't-new-starts',
    name: { zh: '新开工项目', en: 'Projects newly started' },
    unit: { zh: '个', en: 'items' },
    target: 400,
  });

  it.each([
    // Real (a city's fourth-quarter start-up event).
    ['此次共有98个项目集中开工', ['increment', 98, '个']],
    // Constructed, same class: a sum right after the event or period it is of.
    ['今天共有3个城市更新项目集中开工', ['increment', 3, '个']],
    ['本月共计完成5项', ['increment', 5, '项']],
    // A sum after other words, or of a running total, is still a total.
    ['本次督查共7个重点项目', ['absolute', 7, '个']],
    ['累计共有31个项目开工', ['absolute', 31, '个']],
  ])('"%s" → %j', (text, want) => {
    expect(figureOf(text)).toEqual(want);
  });

  it('adds a batch of starts to the count so far ("此次共有98个项目集中开工" on 260 → 358)', () => {
    const text =
      '10月8日, 市举行2022年第四季度项目集中开工活动。此次共有98个项目集中开工,总投资120.14亿元,年预计投资25.88亿元。';
    expect(update(read(text, newStarts, progress({ value: 260 })))).toMatchObject({ value: 358, increment: 98 });
  });

  it('does not take the event word (此次) as the thing counted', () => {
    expect(update(read('此次共有12个项目集中开工', newStarts, progress({ value: 30 }))).value).toBe(42);
  });
});

describe('a step not yet taken, said as late', () => {
  it.each([
    // Real (a national audit of expressway gaps).
    ['截至7月底项目用地尚未启动征地拆迁工作,2014年末已到位的8.83亿元资金有8.35亿元闲置。'],
    ['Construction of seven sections of the State highway system in four provinces has not even started.'],
    // Real (a light-rail line whose testing slipped).
    [
      'The accumulation of issues means the line will not be ready for safety testing until December 2019, officials said.',
    ],
    // Constructed, same class: a start not made by a date or for a reason, a step still not taken, a step put off.
    ['截至6月底，该项目尚未开工'],
    ['因征地问题，项目至今未开工'],
    ['因审批手续办理周期长、地方政府推动不力等尚未开工'],
    ['项目仍未开工'],
    ['The site has yet to break ground.'],
    ["The library won't be open until next spring."],
    ['该路段要到明年5月才能通车'],
  ])('"%s" → delayed', (text) => {
    expect(update(read(text, renovation)).state).toBe('delayed');
  });

  it.each([
    ['尚未开工'],
    ['未开工'],
    ['计划下月开工，目前尚未开工'],
    ['截至目前已开工'],
    ['尚未开工的项目已落实开工条件'],
  ])('does not read "%s" as delayed', (text) => {
    const i = read(text, renovation);
    if (i.kind === 'update') expect(i.state).not.toBe('delayed');
    else expect(i.kind).not.toBe('ambiguous');
  });

  it('reads the part about the project named (吉林至荒岗高速公路项目) in a bulletin about several', () => {
    const expressway = Project.parse({
      ...renovation,
      id: 'p-jh',
      name: { zh: '吉林至荒岗高速公路项目', en: 'Jilin–Huanggang expressway' },
    });
    const text =
      '公路建设方面,4个省的7个国家高速公路网“断头路”因审批手续办理周期长、地方政府推动不力等尚未开工。如吉林至荒岗高速公路项目是国家高速公路网“第二横”(珲春―乌兰浩特)联络线的重要组成部分,截至7月底项目用地尚未启动征地拆迁工作,2014年末已到位的8.83亿元资金有8.35亿元闲置。';
    expect(update(readProgress(text, expressway, progress())).state).toBe('delayed');
  });
});

describe("parts said done beside the whole's percentage", () => {
  it.each([
    // Real (a metro line's spokeswoman).
    [
      '“Construction is 99% complete, all of the stations are done, all of the pedestrian bridges are done, all of the entrance pavilions are done, but at this point, we’re moving into systems,” she said.',
      99,
    ],
    // Constructed, same class.
    ['The project is 85% complete; all of the bridges are done.', 85],
    ['项目总体进度90%，部分楼栋已完工', 90],
  ])('records the percentage of "%s" and says the parts done were not recorded', (text, percent) => {
    const i = update(read(text, bareProject));
    expect(i).toMatchObject({ percent });
    expect(i.state).toBeUndefined();
    expect(i.unrecorded).toEqual([{ raw: 'done', reason: 'state' }]);
  });

  it('still asks which milestone when parts are done and no percentage is given', () => {
    expect(asked(read('all of the stations are done', renovation)).reason).toBe('milestone_unclear');
  });
});

describe('a plan word that names a group of projects', () => {
  const park = Project.parse({
    ...renovation,
    id: 'p-park',
    name: { zh: '海昌海洋公园' },
    milestones: [
      { id: 'start', name: { zh: '开工' }, due: '2026-06-30' },
      { id: 'topping', name: { zh: '主体封顶' }, due: '2026-12-31' },
    ],
  });

  it("reads a project named among those brought forward and started as started (real: Beijing's first-quarter starts)", () => {
    const text =
      '截至3月底,49项新开项目实现开工建设、同期开工数量近年最高,其中一季度计划开工38项市重点工程已全部实现开工建设,海昌海洋公园、现代汽车工厂光伏项目、SMC(中国)研发中心等11个计划后续季度开工项目提前至一季度开工建设,为首都高质量发展注入强劲动力。';
    expect(update(readProgress(text, park, progress()))).toMatchObject({ milestoneId: 'start', state: 'done' });
  });

  it.each([
    // Constructed, same class: the plan word qualifies the group; the act after it happened.
    ['计划6月开工的项目已全部开工'],
    ['争取三季度开工项目提前至二季度开工建设'],
  ])('"%s" reaches 开工', (text) => {
    expect(update(read(text, renovation)).milestoneId).toBe('m1');
  });

  it.each([['计划6月开工建设'], ['计划于下半年开工的项目'], ['拟开工项目12个']])('reaches nothing in "%s"', (text) => {
    const i = read(text, renovation);
    expect(i.kind === 'update' ? i.milestoneId : undefined).toBeUndefined();
  });
});

describe('milestones named at length in English, and steps repeated', () => {
  const building = Project.parse({
    id: 'p-building',
    departmentId: 'hurdb',
    name: { zh: 'D1号楼', en: 'Building D1' },
    period: year,
    milestones: [
      { id: 'start', name: { zh: '开工', en: 'construction start' }, due: '2026-03-31' },
      { id: 'piling', name: { zh: '桩基完工', en: 'piling complete' }, due: '2026-05-31' },
      { id: 'foundation', name: { zh: '基础完工', en: 'foundation complete' }, due: '2026-06-30' },
      { id: 'topping', name: { zh: '主体封顶', en: 'topping out' }, due: '2026-09-30' },
      { id: 'complete', name: { zh: '竣工', en: 'completion' }, due: '2026-12-31' },
    ],
  });
  const started = progress({ milestonesDone: { start: '2026-03-02' } });

  it.each([
    // Real (a county council's new headquarters; a developer's monthly update).
    [
      'Now a topping-out ceremony to mark construction reaching roof level has been held at the Alconbury Weald building as part of an £18.3 million project which is expected to open next summer, despite the coronavirus pandemic.',
      'topping',
    ],
    ['In October we completed piling works on buildings D1 and C2 and commenced works on C1.', 'piling'],
    // Constructed, same class: the act by its subject (passive) or its object (active), in a clause too long to be a name.
    [
      'The last beam was lifted into place and a topping-out ceremony was held for the new county library at the corner of Main Street and Fifth Avenue.',
      'topping',
    ],
    [
      'This week the contractor completed the foundation works for the north tower and the east podium of the new hospital campus.',
      'foundation',
    ],
    [
      'A topping-out ceremony was held a week ahead of schedule for the tower at the corner of Main Street and Fifth Avenue.',
      'topping',
    ],
  ])('"%s" reaches %s', (text, milestoneId) => {
    expect(update(read(text, building, started))).toMatchObject({ milestoneId, state: 'done' });
  });

  it.each([
    // Real (a tower going up a storey a week).
    ['The builders said that construction work is on schedule with a new story completed every seven days.'],
    // Constructed, same class.
    ['主体施工按计划推进，每7天完成一层'],
  ])('reaches no milestone in a step repeated: "%s"', (text) => {
    const i = read(text, building, started);
    expect(i.kind === 'update' ? [i.milestoneId, i.state] : [undefined, undefined]).not.toContain('done');
    if (i.kind === 'update') expect(i.milestoneId).toBeUndefined();
  });
});

describe('a list of places or kinds where the item is one entry', () => {
  const zoneSigned = CumulativeTarget.parse({
    ...renewalStarts,
    id: 't-zone-signed',
    name: { zh: '市开发区固投亿元以上新签约项目' },
    unit: { zh: '个' },
    target: 45,
  });
  const citySigned = CumulativeTarget.parse({
    ...renewalStarts,
    id: 't-city-signed',
    name: { zh: '固投亿元以上新签约项目' },
    unit: { zh: '个' },
    target: 400,
  });
  const newEnergy = CumulativeTarget.parse({
    ...renewalStarts,
    id: 't-new-energy',
    name: { zh: '新能源项目签约数' },
    unit: { zh: '个' },
    target: 80,
  });
  const zoneGrowth = LevelTarget.parse({ ...growth, id: 't-zone-growth', name: { zh: '市开发区规上工业增加值增速' } });
  // Real (a city's monthly investment bulletin).
  const bulletin =
    '1-9月份全市固投亿元以上新签约项目344个,分别为:霍邱县52个、舒城县52个、金寨县47个、金安区46个、霍山县45个、裕安区44个、市开发区39个、叶集区19个。';

  it("takes the entry named by the item's own place, not the city's total, and says the total was not recorded", () => {
    const i = update(read(bulletin, zoneSigned, progress({ value: 33 })));
    expect(i.value).toBe(39);
    expect(i.unrecorded).toContainEqual({ raw: '344个', reason: 'other_measure' });
  });

  it('still takes the whole for an item naming no entry', () => {
    expect(update(read(bulletin, citySigned, progress({ value: 300 }))).value).toBe(344);
  });

  it.each([
    // Constructed, same class: a list by kind, and a list of rates by place.
    ['截至目前签约项目132个，分别为：新能源项目55个、新材料项目40个、现代钢铁冶金项目37个', newEnergy, 40, 55],
    ['1-6月全市规上工业增加值增速分别为：金安区6.5%、裕安区5.9%、市开发区7.8%', zoneGrowth, 7.1, 7.8],
  ])('"%s" → %d', (text, item, prior, value) => {
    expect(update(read(text, item, progress({ value: prior }))).value).toBe(value);
  });
});

describe('a short subject standing for the one named in full before it', () => {
  const industry = LevelTarget.parse({
    ...growth,
    id: 't-industry',
    name: { zh: '规上工业增加值增速', en: 'growth of industrial value added above designated size' },
    target: 5,
  });

  it.each([
    // Real (a province's October bulletin: the paragraph is about the high-tech segment).
    [
      '二是高新技术产业增势良好。1—10月份,全市规模以上高新技术产业增加值占规模以上工业增加值的比重为24.5%,占比分别较1—9月份和上年同期提高0.1和1.2个百分点;增加值同比增长8.5%,增速比1—9月份加快0.8个百分点,快于全市平均水平5.1个百分点。',
      '8.5%',
    ],
    // Constructed, same class: another segment's share, then its growth said short.
    ['1—6月，全市规上装备制造业增加值占规上工业增加值的比重为31.2%；增加值同比增长9.4%。', '9.4%'],
  ])('keeps a segment\'s rate as a note and says so: "%s"', (text, raw) => {
    const i = read(text, industry, progress({ value: 2.9 }));
    expect(i.kind).toBe('note');
    expect(i.unrecorded).toContainEqual({ raw, reason: 'other_measure' });
  });

  it("records the rate when the subject named in full is the item's own (constructed)", () => {
    expect(
      update(
        read('全市规模以上工业增加值总量占全省比重为12.1%；增加值同比增长6.3%。', industry, progress({ value: 5.8 })),
      ).value,
    ).toBe(6.3);
  });

  it('still asks when the text names no fuller subject (constructed)', () => {
    expect(
      asked(read('规上工业企业营业收入占比为12.1%；增加值同比增长8.5%。', industry, progress({ value: 5.8 })))
        .options[0]!.update,
    ).toEqual({ value: 8.5 });
  });
});
