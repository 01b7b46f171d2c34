/**
 * Cell values as people type them in Excel: dates as serial numbers, date cells and text in several
 * styles; percentages as 7.5, "7.5%" or 0.075 formatted as percent; formulas with and without a
 * cached result; rich text; yes/no; fixed choices; checkpoints.
 */
import type ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { readSpreadsheet } from '../../src/spreadsheet/index.ts';
import { DEPARTMENTS, fileOf, linesOf, problemsOf, xlsx } from './helpers.ts';

const HEADERS = [
  '责任单位',
  '指标名称',
  '目标值',
  '单位',
  '类型',
  '开始日期',
  '完成时限',
  '示例数据',
  '报送周期',
  '宽限天数',
  '阶段目标',
  '基数',
] as const;
type Header = (typeof HEADERS)[number];

/** A workbook with one target row; `cells` override the defaults, `numFmt` formats cells of that row. */
async function oneTarget(
  cells: Partial<Record<Header, ExcelJS.CellValue>>,
  numFmt: Partial<Record<Header, string>> = {},
): Promise<Buffer> {
  const defaults: Record<Header, ExcelJS.CellValue> = {
    责任单位: '住建局',
    指标名称: '城市更新项目开工数',
    目标值: 40,
    单位: '项',
    类型: null,
    开始日期: null,
    完成时限: '2026-12-31',
    示例数据: null,
    报送周期: null,
    宽限天数: null,
    阶段目标: null,
    基数: null,
  };
  const row = HEADERS.map((h) => (h in cells ? cells[h] : defaults[h]) ?? null);
  return xlsx({ 部门: DEPARTMENTS, 指标: [[...HEADERS], row] }, (wb) => {
    const ws = wb.getWorksheet('指标')!;
    for (const [h, fmt] of Object.entries(numFmt)) ws.getCell(2, HEADERS.indexOf(h as Header) + 1).numFmt = fmt;
  });
}

async function targetOf(
  cells: Partial<Record<Header, ExcelJS.CellValue>>,
  numFmt: Partial<Record<Header, string>> = {},
) {
  const file = fileOf(await readSpreadsheet(await oneTarget(cells, numFmt), 'v.xlsx'));
  expect(file.targets).toHaveLength(1);
  return file.targets[0]!;
}

async function problemLines(
  cells: Partial<Record<Header, ExcelJS.CellValue>>,
  numFmt: Partial<Record<Header, string>> = {},
): Promise<string[]> {
  return linesOf(problemsOf(await readSpreadsheet(await oneTarget(cells, numFmt), 'v.xlsx')));
}

describe('dates', () => {
  it.each<[string, ExcelJS.CellValue]>([
    ['an Excel serial number', 46112],
    ['a date cell', new Date(Date.UTC(2026, 2, 31))],
    ['a date-and-time cell', new Date(Date.UTC(2026, 2, 31, 17, 30))],
    ['ISO text', '2026-03-31'],
    ['text with slashes', '2026/3/31'],
    ['Chinese text', '2026年3月31日'],
    ['text with dots', '2026.3.31'],
    ['eight digits', '20260331'],
    ['full-width digits', '２０２６－０３－３１'],
    ['text with spaces around it', ' 2026-03-31 '],
    ['a formula whose cached result is the serial number', { formula: 'DATE(2026,3,31)', result: 46112 }],
  ])('reads a due date given as %s', async (_label, value) => {
    expect((await targetOf({ 完成时限: value })).period).toEqual({ start: '2026-01-01', end: '2026-03-31' });
  });

  it.each<[string, ExcelJS.CellValue, string]>([
    ['a day that does not exist', '2026-02-30', '『指标』第 2 行『完成时限』日期不存在：『2026-02-30』'],
    ['words', '年底', '『指标』第 2 行『完成时限』不是日期：『年底』（请写成 2026-03-31）'],
    ['a number too small to be a date', 12, '『指标』第 2 行『完成时限』不是日期：『12』（请写成 2026-03-31）'],
    ['a month only', '2026-03', '『指标』第 2 行『完成时限』不是日期：『2026-03』（请写成 2026-03-31）'],
  ])('refuses a due date given as %s', async (_label, value, line) => {
    expect(await problemLines({ 完成时限: value })).toEqual([line]);
  });

  it('takes the start as 1 January of the due year, and the due date as 31 December of the start year', async () => {
    expect((await targetOf({ 开始日期: null, 完成时限: '2026-06-30' })).period).toEqual({
      start: '2026-01-01',
      end: '2026-06-30',
    });
    expect((await targetOf({ 开始日期: '2026-04-01', 完成时限: null })).period).toEqual({
      start: '2026-04-01',
      end: '2026-12-31',
    });
  });

  it('refuses a start after the due date, and a row with neither unless a default year is given', async () => {
    expect(await problemLines({ 开始日期: '2026-07-01', 完成时限: '2026-06-30' })).toEqual([
      '『指标』第 2 行『开始日期』开始日期 2026-07-01 晚于完成时限 2026-06-30',
    ]);
    expect(await problemLines({ 完成时限: null })).toEqual([
      '『指标』第 2 行『完成时限』必填：请填写完成时限（或开始日期）',
    ]);
    const r = await readSpreadsheet(await oneTarget({ 完成时限: null }), 'v.xlsx', { defaultYear: 2027 });
    expect(fileOf(r).targets[0]!.period).toEqual({ start: '2027-01-01', end: '2027-12-31' });
  });
});

describe('numbers and percentages', () => {
  it.each<
    [
      string,
      ExcelJS.CellValue,
      ExcelJS.CellValue,
      string | undefined,
      { target: number; unit: string; kind: string; comparator?: string },
    ]
  >([
    ['7.5 with the unit %', 7.5, '%', undefined, { target: 7.5, unit: '%', kind: 'cumulative' }],
    ['"7.5%" with no unit', '7.5%', null, undefined, { target: 7.5, unit: '%', kind: 'cumulative' }],
    ['0.075 formatted as a percentage', 0.075, null, '0.0%', { target: 7.5, unit: '%', kind: 'cumulative' }],
    ['"≥7.5%"', '≥7.5%', null, undefined, { target: 7.5, unit: '%', kind: 'level', comparator: 'atLeast' }],
    ['"7.5%以上"', '7.5%以上', null, undefined, { target: 7.5, unit: '%', kind: 'level', comparator: 'atLeast' }],
    [
      '"不高于3" with the unit %',
      '不高于3',
      '%',
      undefined,
      { target: 3, unit: '%', kind: 'level', comparator: 'atMost' },
    ],
    ['"1,234.5"', '1,234.5', '万元', undefined, { target: 1234.5, unit: '万元', kind: 'cumulative' }],
    ['full-width "４０"', '４０', '项', undefined, { target: 40, unit: '项', kind: 'cumulative' }],
    [
      'a formula with its cached result',
      { formula: '20*2', result: 40 },
      '项',
      undefined,
      { target: 40, unit: '项', kind: 'cumulative' },
    ],
  ])('reads a target typed as %s', async (_label, value, unit, fmt, expected) => {
    const t = await targetOf({ 目标值: value, 单位: unit }, fmt ? { 目标值: fmt } : {});
    expect({
      target: t.target,
      unit: t.unit.zh,
      kind: t.kind,
      ...(t.kind === 'level' ? { comparator: t.comparator } : {}),
    }).toEqual(expected);
  });

  it.each<[string, Partial<Record<Header, ExcelJS.CellValue>>, string]>([
    ['text that is not a number', { 目标值: '约7.5' }, '『指标』第 2 行『目标值』不是数字：『约7.5』'],
    [
      'a percentage with another unit',
      { 目标值: '7.5%', 单位: '亿元' },
      '『指标』第 2 行『目标值』写成了百分数，但单位是『亿元』',
    ],
    [
      '≥ on a cumulative target',
      { 目标值: '≥40', 类型: '累计' },
      '『指标』第 2 行『目标值』累计型指标的目标值不用写 ≥/≤：『≥40』',
    ],
    ['no unit at all', { 单位: null }, '『指标』第 2 行『单位』必填：请填写单位（如 %、项、亿元）'],
    ['an empty target', { 目标值: null }, '『指标』第 2 行『目标值』必填，不能为空'],
    ['a target equal to its baseline', { 目标值: 10, 基数: 10 }, '『指标』第 2 行『目标值』目标值不能等于基数'],
  ])('refuses %s', async (_label, cells, line) => {
    expect(await problemLines(cells)).toEqual([line]);
  });
});

describe('formulas, errors and rich text', () => {
  it('uses the cached result of a formula', async () => {
    expect((await targetOf({ 目标值: { formula: 'SUM(10,30)', result: 40 } })).target).toBe(40);
  });

  it('refuses a formula without a cached result, saying how to fix it', async () => {
    expect(await problemLines({ 目标值: { formula: 'SUM(10,30)' } })).toEqual([
      '『指标』第 2 行『目标值』是公式（=SUM(10,30)）但文件中没有计算结果：请在 Excel 中打开并保存，或把公式粘贴为数值',
    ]);
  });

  it('refuses a formula whose result is an error, and an error value', async () => {
    expect(await problemLines({ 目标值: { formula: '1/0', result: { error: '#DIV/0!' } } })).toEqual([
      '『指标』第 2 行『目标值』公式（=1/0）的结果是错误值 #DIV/0!',
    ]);
    expect(await problemLines({ 目标值: { error: '#N/A' } })).toEqual(['『指标』第 2 行『目标值』单元格是错误值 #N/A']);
  });

  it('reads rich text as its plain text', async () => {
    expect(
      (await targetOf({ 指标名称: { richText: [{ text: '城市更新', font: { bold: true } }, { text: '项目开工数' }] } }))
        .name,
    ).toEqual({ zh: '城市更新项目开工数' });
  });
});

describe('yes/no and fixed choices', () => {
  it.each<[ExcelJS.CellValue, boolean]>([
    ['是', true],
    [true, true],
    ['Yes', true],
    ['√', true],
    ['否', false],
    [false, false],
    ['no', false],
  ])('reads 示例数据 %j as %j', async (value, expected) => {
    expect((await targetOf({ 示例数据: value })).sample).toBe(expected);
  });

  it.each<[ExcelJS.CellValue, string]>([
    ['累计', 'cumulative'],
    ['cumulative', 'cumulative'],
    ['水平', 'level'],
    ['Level', 'level'],
  ])('reads 类型 %j as %j', async (value, expected) => {
    expect((await targetOf({ 类型: value })).kind).toBe(expected);
  });

  it.each<[ExcelJS.CellValue, ExcelJS.CellValue, { cadence: string; graceDays: number }]>([
    ['每季度', null, { cadence: 'quarterly', graceDays: 5 }],
    ['weekly', 3, { cadence: 'weekly', graceDays: 3 }],
    [null, '10', { cadence: 'monthly', graceDays: 10 }],
  ])('reads 报送周期 %j and 宽限天数 %j', async (cadence, grace, expected) => {
    expect((await targetOf({ 报送周期: cadence, 宽限天数: grace })).reporting).toEqual(expected);
  });

  it.each<[string, Partial<Record<Header, ExcelJS.CellValue>>, string]>([
    ['an unknown kind', { 类型: '混合' }, '『指标』第 2 行『类型』应为 累计 / 水平 之一：『混合』'],
    ['a yes/no that is neither', { 示例数据: '也许' }, '『指标』第 2 行『示例数据』应为“是”或“否”：『也许』'],
    ['a fractional number of days', { 宽限天数: 2.5 }, '『指标』第 2 行『宽限天数』应为整数：『2.5』'],
    [
      'an unknown cadence',
      { 报送周期: '每天' },
      '『指标』第 2 行『报送周期』应为 每周 / 每月 / 每季度 / 不报送 之一：『每天』',
    ],
  ])('refuses %s', async (_label, cells, line) => {
    expect(await problemLines(cells)).toEqual([line]);
  });
});

describe('checkpoints', () => {
  const expected = [
    { date: '2026-03-31', share: 0.15 },
    { date: '2026-06-30', share: 0.45 },
  ];

  it.each([
    ['one per line with percentages', '2026-03-31 15%\n2026-06-30 45%'],
    ['separated by ；with fractions', '2026/3/31:0.15；2026/6/30:0.45'],
    ['in Chinese dates', '2026年3月31日 15%；2026年6月30日 45%'],
  ])('reads checkpoints written %s', async (_label, text) => {
    const t = await targetOf({ 阶段目标: text });
    expect(t.kind === 'cumulative' && t.checkpoints).toEqual(expected);
  });

  it('refuses checkpoints that are not “date share”, and ones out of order', async () => {
    expect(await problemLines({ 阶段目标: '一季度 15%' })).toEqual([
      '『指标』第 2 行『阶段目标』阶段目标应写成“日期 比例”，如“2026-03-31 15%”：『一季度 15%』',
    ]);
    expect(await problemLines({ 阶段目标: '2026-06-30 45%\n2026-03-31 15%' })).toEqual([
      '『指标』第 2 行『阶段目标』阶段目标须按日期先后排列',
    ]);
  });
});
