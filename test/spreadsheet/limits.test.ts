/**
 * The bounds checked before exceljs loads a workbook (src/spreadsheet/limits.ts): the zip's parts and
 * sizes, declared and actual; rows, cells and merged ranges; what exceljs would expand cell by cell.
 * At each limit the file is read; one over, it is refused with the limit named and nothing returned.
 */
import { describe, expect, it } from 'vitest';
import { readSpreadsheet } from '../../src/spreadsheet/index.ts';
import { WORKBOOK_LIMITS, type WorkbookLimits } from '../../src/spreadsheet/limits.ts';
import { csvText, fileOf, KNOWN_DEPARTMENTS, linesOf, problemsOf } from './helpers.ts';
import {
  deflatedEntry,
  packageEntries,
  rowsBomb,
  rowXml,
  TARGET_HEADER,
  targetsSheet,
  wholeSheetMerge,
  workbookOf,
  zipOf,
} from './hostile-files.ts';

const read = (bytes: Buffer, name: string, limits: Partial<WorkbookLimits> = {}) =>
  readSpreadsheet(bytes, name, { knownDepartments: KNOWN_DEPARTMENTS, limits });
const sheet = (tail = '', rows?: ReadonlyArray<ReadonlyArray<string | number>>) =>
  workbookOf([{ name: '指标', xml: targetsSheet(tail, rows) }]);
const row = (i: number) => ['经发局', `指标${i}`, i + 1, '项', '2026-12-31'];
const merges = (...refs: string[]) =>
  `<mergeCells count="${refs.length}">${refs.map((r) => `<mergeCell ref="${r}"/>`).join('')}</mergeCells>`;

describe('the limits', () => {
  it('stay generous enough for the 5,000-row benchmark (bench/spreadsheet-import.ts), four times over', () => {
    expect(WORKBOOK_LIMITS.maxRows).toBeGreaterThanOrEqual(4 * 5_000);
    // 2,500 targets × 12 columns, 1,250 projects × 7, 1,200 milestones × 3, 50 departments × 5.
    expect(WORKBOOK_LIMITS.maxCells).toBeGreaterThanOrEqual(4 * 42_600);
  });
});

describe('the whole-sheet merge (1.6 KB, A1:XFD1048576)', () => {
  it('is refused naming the range and its size, never expanded, and the rest of the file is still checked', async () => {
    const bytes = wholeSheetMerge();
    expect(bytes.length).toBeLessThan(2_000);
    const started = performance.now();
    const r = await readSpreadsheet(bytes, 'merged.xlsx');
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(linesOf(problemsOf(r))).toEqual([
      '『指标』第 1 行：有合并单元格 A1:XFD1048576，覆盖 17,179,869,184 个单元格，超过上限 10,000 个：请取消合并，并在每一行填写完整',
      '『指标』第 2 行『责任单位』未知单位『经发局』：请先在『部门』表中登记，或填写已有部门的编号、全称、简称或别名',
    ]);
    expect(linesOf(problemsOf(r), 'en')[0]).toBe(
      'Sheet 指标, row 1: has merged cells A1:XFD1048576 covering 17,179,869,184 cells, more than the 10,000 allowed: unmerge them and fill in every row',
    );
  });

  it.each([
    [
      'at the limit (10,000 cells) is read, and refused only as a merge in the data',
      'F2:O1001',
      '『指标』第 2 行：有合并单元格 F2:O1001：请取消合并，并在每一行填写完整',
    ],
    [
      'one row of cells over the limit is refused unexpanded',
      'F2:O1002',
      '『指标』第 2 行：有合并单元格 F2:O1002，覆盖 10,010 个单元格，超过上限 10,000 个：请取消合并，并在每一行填写完整',
    ],
  ])('a merged range %s', async (_label, ref, line) => {
    expect(linesOf(problemsOf(await read(sheet(merges(ref)), 'm.xlsx')))).toEqual([line]);
  });

  it('allows as many merged ranges as the limit in a sheet, and refuses one more', async () => {
    const titles = (n: number) => Array.from({ length: n }, (_, i) => `F${i + 1}:G${i + 1}`);
    const ok = await read(sheet(merges(...titles(3)), [row(1), row(2)]), 'three.xlsx', { maxMerges: 3 });
    expect(linesOf(problemsOf(ok)).every((l) => l.includes('有合并单元格 F'))).toBe(true);
    const over = await read(sheet(merges(...titles(4)), [row(1), row(2)]), 'four.xlsx', { maxMerges: 3 });
    expect(linesOf(problemsOf(over))).toEqual([
      '『指标』：合并单元格过多（4 处，上限 3 处）：请取消合并，并在每一行填写完整',
    ]);
  });

  it('counts the cells merges cover with the sheet’s own', async () => {
    const r = await read(sheet(merges('A10:B14')), 'cover.xlsx', { maxCells: 15 });
    expect(linesOf(problemsOf(r))).toEqual([
      '『cover.xlsx』：单元格过多：共 20 个（其中合并单元格覆盖 10 个），上限 15 个。请删除不需要的行、列和合并单元格，或拆分成几个文件后重新上传',
    ]);
  });
});

describe('the rows bomb (about 1.3 MB unpacking to 300 MB)', () => {
  it('is refused from the zip directory alone, naming the unpacked size and the limit', async () => {
    const bytes = rowsBomb();
    expect(bytes.length).toBeLessThan(1.5 * 1024 * 1024);
    const started = performance.now();
    const r = await readSpreadsheet(bytes, 'bomb.xlsx');
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(linesOf(problemsOf(r))).toEqual([
      '『bomb.xlsx』：文件过大：解压后共 301 MB，超过上限 50 MB。请删除不需要的工作表、图片、空行和格式，或拆分成几个文件后重新上传',
    ]);
    expect(linesOf(problemsOf(r), 'en')).toEqual([
      'Sheet bomb.xlsx: the file is too large: it unpacks to 301 MB, more than the 50 MB allowed. Delete the sheets, pictures, empty rows and formatting you do not need, or split it into several files, and upload it again',
    ]);
  });

  it('is refused as damaged when the directory lies about its size: inflating stops at the declared size', async () => {
    const r = await readSpreadsheet(rowsBomb({ declaredMegabytes: 1 }), 'liar.xlsx');
    expect(linesOf(problemsOf(r))).toEqual([
      '『liar.xlsx』：无法打开 Excel 工作簿：文件已损坏或不是 .xlsx（xl/worksheets/sheet1.xml unpacks to more than it declares）',
    ]);
  });

  it('refuses one part over 40 MB, naming the sheet', async () => {
    const r = await readSpreadsheet(rowsBomb({ megabytes: 41 }), 'part.xlsx');
    expect(linesOf(problemsOf(r))).toEqual([
      expect.stringMatching(
        /^『part\.xlsx』：文件过大：工作表『指标』解压后 4\d(\.\d)? MB，超过单个部分 40 MB 的上限。请删除不需要的行和格式，或拆分成几个文件后重新上传$/,
      ),
    ]);
  });

  it('refuses a large part that claims to grow more than 200 times', async () => {
    const r = await readSpreadsheet(rowsBomb({ megabytes: 20 }), 'ratio.xlsx');
    expect(linesOf(problemsOf(r), 'en')).toEqual([
      expect.stringMatching(
        /^Sheet ratio\.xlsx: sheet “指标” is compressed suspiciously well \(it unpacks to 2\d\d times its size; at most 200 times is allowed\)/,
      ),
    ]);
  });

  it('refuses too many rows and too many cells once inflated, saying how many of each', async () => {
    // 5 MB of rows, about 27,600 of them with five cells each: small enough to pass the size limits.
    const r = await readSpreadsheet(rowsBomb({ megabytes: 5 }), 'many.xlsx', {
      limits: { maxRows: 20_000, maxCells: 100_000 },
    });
    expect(linesOf(problemsOf(r))).toEqual([
      expect.stringMatching(/^『many\.xlsx』：行数过多：共 2\d,\d{3} 行（含表头和空行），上限 20,000 行。/),
      expect.stringMatching(/^『many\.xlsx』：单元格过多：共 1\d\d,\d{3} 个，上限 100,000 个。/),
    ]);
  });
});

describe('rows and cells at their limits', () => {
  // A header and two rows: 3 rows, 15 cells.
  const three = () => sheet('', [row(1), row(2)]);
  it.each<[string, Partial<WorkbookLimits>, string[]]>([
    ['rows at the limit', { maxRows: 3 }, []],
    [
      'one row over',
      { maxRows: 2 },
      ['『rows.xlsx』：行数过多：共 3 行（含表头和空行），上限 2 行。请删除不需要的行，或拆分成几个文件后重新上传'],
    ],
    ['cells at the limit', { maxCells: 15 }, []],
    [
      'one cell over',
      { maxCells: 14 },
      ['『rows.xlsx』：单元格过多：共 15 个，上限 14 个。请删除不需要的行、列和合并单元格，或拆分成几个文件后重新上传'],
    ],
  ])('%s', async (_label, limits, lines) => {
    const r = await read(three(), 'rows.xlsx', limits);
    if (lines.length === 0) expect(fileOf(r).targets).toHaveLength(2);
    else expect(linesOf(problemsOf(r))).toEqual(lines);
  });

  it.each<[string, Partial<WorkbookLimits>, string[]]>([
    ['records at the limit', { maxRows: 3 }, []],
    [
      'one record over',
      { maxRows: 2 },
      ['『rows.csv』：行数过多：共 3 行（含表头和空行），上限 2 行。请删除不需要的行，或拆分成几个文件后重新上传'],
    ],
    [
      'one field over',
      { maxCells: 14 },
      ['『rows.csv』：单元格过多：共 15 个，上限 14 个。请删除不需要的行、列和合并单元格，或拆分成几个文件后重新上传'],
    ],
  ])('a CSV: %s (quoted delimiters and line breaks are not counted)', async (_label, limits, lines) => {
    const text = csvText([TARGET_HEADER, ['经发局', '增速,含"引号"\n和换行', 7.5, '%', '2026-12-31'], row(2)]);
    const r = await read(Buffer.from(text), 'rows.csv', limits);
    if (lines.length === 0) expect(fileOf(r).targets).toHaveLength(2);
    else expect(linesOf(problemsOf(r))).toEqual(lines);
  });
});

describe('what Excel could not have written', () => {
  it.each([
    ['a row past 1,048,576', rowXml(2_000_000, row(1))],
    ['a cell past column XFD', '<row r="2"><c r="XFE2"><v>1</v></c></row>'],
  ])('refuses %s as damaged', async (_label, extra) => {
    const xml = targetsSheet('').replace('</sheetData>', `${extra}</sheetData>`);
    const r = await read(workbookOf([{ name: '指标', xml }]), 'grid.xlsx');
    expect(linesOf(problemsOf(r))).toEqual([
      '『指标』：有超出 Excel 范围的行号或列号（Excel 最多 1,048,576 行、16,384 列），文件已损坏。请在 Excel 中“另存为”新的 .xlsx 后重新上传',
    ]);
  });

  it('refuses a column range past XFD, which exceljs would list column by column', async () => {
    const xml = targetsSheet('').replace(
      '<sheetData>',
      '<cols><col min="1" max="1000000000" width="9"/></cols><sheetData>',
    );
    expect(linesOf(problemsOf(await read(workbookOf([{ name: '指标', xml }]), 'cols.xlsx')))).toEqual([
      '『指标』：有超出 Excel 范围的行号或列号（Excel 最多 1,048,576 行、16,384 列），文件已损坏。请在 Excel 中“另存为”新的 .xlsx 后重新上传',
    ]);
  });

  it('refuses more parts than a workbook has', async () => {
    const r = await read(sheet(), 'parts.xlsx', { maxEntries: 4 });
    expect(linesOf(problemsOf(r))).toEqual([
      '『parts.xlsx』：文件由 5 个部分组成，超过上限 4 个，不像是 Excel 保存的文件。请在 Excel 中“另存为”新的 .xlsx 后重新上传',
    ]);
  });

  it('refuses a part whose checksum does not match', async () => {
    const good = deflatedEntry('xl/worksheets/sheet1.xml', targetsSheet(''));
    const bytes = zipOf([...packageEntries(['指标']), { ...good, crc: good.crc ^ 1 }]);
    expect(linesOf(problemsOf(await read(bytes, 'crc.xlsx')))).toEqual([
      '『crc.xlsx』：无法打开 Excel 工作簿：文件已损坏或不是 .xlsx（xl/worksheets/sheet1.xml fails its checksum）',
    ]);
  });
});

describe('what the reader never uses', () => {
  it('drops data validations, which exceljs would list cell by cell (a drop-down over the whole sheet)', async () => {
    const validation =
      '<dataValidations count="1"><dataValidation type="list" allowBlank="1" sqref="A2:XFD1048576"><formula1>"经发局,住建局"</formula1></dataValidation></dataValidations>';
    const r = await read(sheet(validation), 'dropdown.xlsx');
    expect(fileOf(r).targets.map((t) => t.name.zh)).toEqual(['规上工业增加值增速']);
  });
});
