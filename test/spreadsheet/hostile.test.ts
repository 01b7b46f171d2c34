/**
 * Hostile and broken files: each gives a clear problem and no ImportFile, so nothing can be written.
 * (Wrong sheet names, formulas without results and bad values are in read-basics and read-values;
 * files built to exhaust memory, such as a merge over a whole sheet or a zip bomb, in limits.test.ts
 * and, read in a worker thread, isolated.test.ts.)
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type ReadOptions, readSpreadsheet } from '../../src/spreadsheet/index.ts';
import { csvText, DEPARTMENTS, KNOWN_DEPARTMENTS, linesOf, problemsOf, xlsx } from './helpers.ts';

const TARGET_HEADER = ['责任单位', '指标名称', '目标值', '单位', '完成时限'];
const GOOD_ROW = ['经发局', '规上工业增加值增速', 7.5, '%', '2026-12-31'];
const MEGABYTE = 'x'.repeat(1024 * 1024);

async function validBook(): Promise<Buffer> {
  return xlsx({ 部门: DEPARTMENTS, 指标: [TARGET_HEADER, GOOD_ROW] });
}

type Case = [
  label: string,
  bytes: () => Promise<Buffer> | Buffer,
  fileName: string,
  lines: string[],
  options?: ReadOptions,
];

const NOT_TEXT = '这不是表格文件：内容是二进制数据，不是 CSV 文本。请上传 .xlsx，或在 Excel 中“另存为”CSV';

describe('files that are not spreadsheets', () => {
  it.each<Case>([
    ['an empty file', () => Buffer.alloc(0), 'empty.csv', ['『empty.csv』：文件是空的']],
    [
      'random bytes named .csv',
      () => Buffer.concat([Buffer.from('责任单位,'), Buffer.from([0, 1, 2, 3]), randomBytes(4096)]),
      'targets.csv',
      [`『targets.csv』：${NOT_TEXT}`],
    ],
    [
      'a PNG image named .csv',
      () => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(512)]),
      'targets.csv',
      ['『targets.csv』：这不是表格文件，而是PNG 图片：请上传 .xlsx 或 .csv'],
    ],
    [
      'a PDF named .xlsx',
      () => Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj'),
      'targets.xlsx',
      ['『targets.xlsx』：这不是表格文件，而是PDF 文件：请上传 .xlsx 或 .csv'],
    ],
    [
      'an Excel 97–2003 .xls (or encrypted workbook)',
      () => Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]),
      'targets.xls',
      [
        '『targets.xls』：这是旧版 Excel（.xls）或加了密码的工作簿：请在 Excel 中“另存为”Excel 工作簿（.xlsx），不设密码',
      ],
    ],
    [
      'a file over the size limit',
      validBook,
      'big.xlsx',
      ['『big.xlsx』：文件过大（0.0 MB，上限 0.0 MB）'],
      { maxBytes: 1000 },
    ],
  ])('refuses %s', async (_label, bytes, fileName, lines, options) => {
    const r = await readSpreadsheet(await bytes(), fileName, options);
    expect(linesOf(problemsOf(r))).toEqual(lines);
  });

  it('refuses a damaged workbook, naming it damaged', async () => {
    const book = await validBook();
    const r = await readSpreadsheet(book.subarray(0, Math.floor(book.length / 2)), 'cut.xlsx');
    const lines = linesOf(problemsOf(r));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^『cut\.xlsx』：无法打开 Excel 工作簿：文件已损坏或不是 \.xlsx（.+）$/);
  });
});

describe('workbooks that are broken inside', () => {
  it('refuses merged cells in the data, saying where, but allows a merged title above the header', async () => {
    const book = await xlsx(
      {
        部门: DEPARTMENTS,
        指标: [
          ['2026 年目标任务台账'],
          TARGET_HEADER,
          GOOD_ROW,
          ['经发局', '批发零售业销售额增速', 3, '%', '2026-12-31'],
          [null, '社会消费品零售总额增速', 5, '%', '2026-12-31'],
        ],
      },
      (wb) => {
        const ws = wb.getWorksheet('指标')!;
        ws.mergeCells('A1:E1');
        ws.mergeCells('A4:A5');
      },
    );
    const r = await readSpreadsheet(book, 'merged.xlsx');
    expect(linesOf(problemsOf(r))).toEqual([
      '『指标』第 4 行『责任单位』有合并单元格 A4:A5：请取消合并，并在每一行填写完整',
    ]);
    expect(linesOf(problemsOf(r), 'en')).toEqual([
      'Sheet 指标, row 4, 责任单位: has merged cells A4:A5: unmerge them and fill in every row',
    ]);
  });

  it('refuses a 1 MB cell without quoting it back', async () => {
    const r = await readSpreadsheet(
      await xlsx({ 部门: DEPARTMENTS, 指标: [TARGET_HEADER, ['经发局', MEGABYTE, 7.5, '%', '2026-12-31']] }),
      'huge.xlsx',
    );
    const lines = linesOf(problemsOf(r));
    expect(lines).toEqual(['『指标』第 2 行『指标名称』内容过长（1,048,576 个字符，Excel 单元格最多 32,767 个）']);
    expect(lines[0]!.length).toBeLessThan(200);
  });

  it('refuses a 1 MB field in a CSV the same way', async () => {
    const r = await readSpreadsheet(
      Buffer.from(
        csvText([TARGET_HEADER, ['经发局', '增速', '7.5', '%', '2026-12-31'].map((v, i) => (i === 1 ? MEGABYTE : v))]),
      ),
      'huge.csv',
      { knownDepartments: KNOWN_DEPARTMENTS },
    );
    expect(linesOf(problemsOf(r))).toEqual([
      '『huge.csv』第 2 行『指标名称』内容过长（1,048,576 个字符，Excel 单元格最多 32,767 个）',
    ]);
  });

  it('refuses text longer than its field allows, saying the limit', async () => {
    const r = await readSpreadsheet(
      await xlsx({ 部门: DEPARTMENTS, 指标: [TARGET_HEADER, ['经发局', '增'.repeat(201), 7.5, '%', '2026-12-31']] }),
      'long.xlsx',
    );
    expect(linesOf(problemsOf(r))).toEqual(['『指标』第 2 行『指标名称』太长（201 个字符，最多 200 个）']);
  });

  it('stops reading past the row limit and says so', async () => {
    const r = await readSpreadsheet(
      await xlsx({
        部门: DEPARTMENTS,
        指标: [TARGET_HEADER, GOOD_ROW, ['经发局', '批发零售业销售额增速', 3, '%', '2026-12-31']],
      }),
      'rows.xlsx',
      { maxRows: 3 },
    );
    expect(linesOf(problemsOf(r))).toEqual(['『指标』第 3 行：行数超过上限，其余行未读取']);
  });

  it('changes nothing when one row of many is bad: no file at all comes back', async () => {
    const rows = Array.from({ length: 200 }, (_, i) => ['经发局', `指标${i}`, i + 1, '项', '2026-12-31']);
    rows[150]![2] = '不详';
    const r = await readSpreadsheet(await xlsx({ 部门: DEPARTMENTS, 指标: [TARGET_HEADER, ...rows] }), 'many.xlsx');
    expect(linesOf(problemsOf(r))).toEqual(['『指标』第 152 行『目标值』不是数字：『不详』']);
    expect(r).not.toHaveProperty('file');
  });
});
