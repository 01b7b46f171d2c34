/**
 * The empty template: a 基本信息 sheet for the zone's name, one sheet per kind with the template's
 * headers, example rows from the 2026 work-meeting article marked 示例 so that they are never
 * imported by accident, drop-downs for fixed choices, and a 说明/Help sheet covering every column.
 */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { deriveId, readSpreadsheet, SHEETS, writeTemplate } from '../../src/spreadsheet/index.ts';
import { ZONE_SHEET } from '../../src/spreadsheet/template.ts';
import { fileOf, linesOf, loadWorkbook, problemsOf } from './helpers.ts';

const zhBytes = await writeTemplate();
const zh = await loadWorkbook(zhBytes);
const en = await loadWorkbook(await writeTemplate({ locale: 'en' }));

function values(ws: ExcelJS.Worksheet, n: number): unknown[] {
  return (ws.getRow(n).values as unknown[]).slice(1);
}

/** The template with `change` made to it, as a user would in Excel. */
async function edited(bytes: Buffer, change: (wb: ExcelJS.Workbook) => void): Promise<Buffer> {
  const wb = await loadWorkbook(bytes);
  change(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Types `cells` (by header) into the first empty row below the examples, as a user would. */
function typeRow(ws: ExcelJS.Worksheet, cells: Record<string, unknown>): void {
  const header = values(ws, 1);
  let n = 2;
  while (ws.getRow(n).getCell(2).value !== null || ws.getRow(n).getCell(1).value !== null) n++;
  for (const [k, v] of Object.entries(cells))
    ws.getRow(n).getCell(header.indexOf(k) + 1).value = v as ExcelJS.CellValue;
}

/** Empties the 示例行 column of every sheet: the examples become rows of one's own. */
function clearExampleMarks(wb: ExcelJS.Workbook): void {
  for (const ws of wb.worksheets) {
    if (values(ws, 1)[0] !== '示例行' && values(ws, 1)[0] !== 'Example row') continue;
    ws.eachRow((row, n) => {
      if (n > 1) row.getCell(1).value = null;
    });
  }
}

describe('the template workbook', () => {
  it('has the zone sheet, one sheet per kind and a help sheet, in Chinese or English', () => {
    expect(zh.worksheets.map((w) => w.name)).toEqual([
      '基本信息',
      '部门',
      '指标',
      '项目',
      '承诺',
      '节点',
      '进展记录',
      '说明',
    ]);
    expect(en.worksheets.map((w) => w.name)).toEqual([
      'Zone',
      'Departments',
      'Targets',
      'Projects',
      'Commitments',
      'Milestones',
      'Updates',
      'Help',
    ]);
  });

  it('heads each sheet with the template’s columns, the example marker first, required ones in red', () => {
    for (const def of Object.values(SHEETS)) {
      const ws = zh.getWorksheet(def.zh)!;
      expect(values(ws, 1)).toEqual(def.columns.map((c) => c.zh));
      expect(values(ws, 1)[0]).toBe('示例行');
      expect(values(en.getWorksheet(def.en)!, 1)).toEqual(def.columns.map((c) => c.en));
      def.columns.forEach((c, i) =>
        expect(ws.getRow(1).getCell(i + 1).font?.color?.argb, `${def.zh}.${c.zh}`).toBe(
          c.required ? 'FFC00000' : undefined,
        ),
      );
      expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    }
  });

  it('marks every example row of every sheet 示例 (example in English), on a grey fill', () => {
    for (const [wb, word] of [
      [zh, '示例'],
      [en, 'example'],
    ] as const) {
      let rows = 0;
      for (const def of Object.values(SHEETS)) {
        const ws = wb.getWorksheet(wb === zh ? def.zh : def.en)!;
        ws.eachRow((row, n) => {
          if (n === 1) return;
          rows++;
          expect(row.getCell(1).value, `${def.zh} row ${n}`).toBe(word);
          expect((row.getCell(2).fill as ExcelJS.FillPattern).fgColor?.argb).toBe('FFF2F2F2');
        });
      }
      expect(rows).toBe(10);
    }
  });

  it('fills in the article’s examples: 经发局 ≥7.5% and 住建局 40 项', () => {
    const targets = zh.getWorksheet('指标')!;
    const header = values(targets, 1);
    const row = (n: number) => Object.fromEntries(header.map((h, i) => [h, values(targets, n)[i] ?? null]));
    expect(row(2)).toMatchObject({
      示例行: '示例',
      指标编号: null,
      牵头单位: '经发局',
      指标名称: '规上工业增加值增速',
      类型: '水平',
      目标值: 7.5,
      单位: '%',
      比较: '≥',
    });
    expect(row(3)).toMatchObject({
      示例行: '示例',
      牵头单位: '住建局',
      指标名称: '城市更新项目开工数',
      类型: '累计',
      目标值: 40,
      单位: '项',
      基数: 0,
      阶段目标: '2026-03-31 15%\n2026-06-30 45%\n2026-09-30 75%',
    });
    expect(values(zh.getWorksheet('部门')!, 2).slice(0, 5)).toEqual([
      '示例',
      undefined,
      '经济发展局',
      'Economic Development Bureau',
      '经发局',
    ]);
  });

  it('offers drop-downs for kind, comparator, cadence, state, yes/no and the example mark', () => {
    const targets = zh.getWorksheet('指标')!;
    const col = (name: string) => values(targets, 1).indexOf(name) + 1;
    expect(targets.getCell(2, col('类型')).dataValidation).toMatchObject({ type: 'list', formulae: ['"累计,水平"'] });
    expect(targets.getCell(400, col('比较')).dataValidation).toMatchObject({ type: 'list', formulae: ['"≥,≤"'] });
    expect(targets.getCell(10, col('报送周期')).dataValidation).toMatchObject({
      formulae: ['"每周,每月,每季度,不报送"'],
    });
    expect(targets.getCell(10, col('示例数据')).dataValidation).toMatchObject({ formulae: ['"是,否"'] });
    expect(targets.getCell(10, col('示例行')).dataValidation).toMatchObject({ formulae: ['"示例"'] });
    const updates = zh.getWorksheet('进展记录')!;
    expect(updates.getCell(2, values(updates, 1).indexOf('状态') + 1).dataValidation).toMatchObject({
      formulae: ['"计划,推进中,受阻,延期,完成"'],
    });
    expect(en.getWorksheet('Targets')!.getCell(2, col('类型')).dataValidation).toMatchObject({
      formulae: ['"cumulative,level"'],
    });
  });

  it('explains every column of every sheet, the zone’s fields, and that example rows are skipped, in both languages', () => {
    const help = zh.getWorksheet('说明')!;
    const described = new Set<string>();
    const notes: string[] = [];
    help.eachRow((row) => {
      const [sheet, column, english, , , helpZh, helpEn] = (row.values as unknown[]).slice(1);
      if (typeof helpZh === 'string') notes.push(helpZh, String(helpEn));
      if (typeof column === 'string' && column !== '列名 Column') {
        described.add(`${String(sheet)}.${column}`);
        expect(typeof english === 'string' && typeof helpZh === 'string' && typeof helpEn === 'string', column).toBe(
          true,
        );
      }
    });
    const all = [
      ...ZONE_SHEET.fields.map((f) => `${ZONE_SHEET.zh}.${f.zh}`),
      ...Object.values(SHEETS).flatMap((d) => d.columns.map((c) => `${d.zh}.${c.zh}`)),
    ];
    expect([...described].sort()).toEqual([...all].sort());
    expect(notes.some((n) => n.includes('导入时自动跳过，不会被导入'))).toBe(true);
    expect(notes.some((n) => n.includes('skipped on import and never imported'))).toBe(true);
    expect(notes.some((n) => n.includes('--zone'))).toBe(true);
  });
});

describe('the zone’s name', () => {
  it('is empty on the 基本信息 sheet unless given, and written there when it is', async () => {
    const sheet = zh.getWorksheet('基本信息')!;
    expect(values(sheet, 1)).toEqual(['项目', '内容', '说明']);
    expect(values(sheet, 2).slice(0, 2)).toEqual(['开发区名称', undefined]);
    const named = await loadWorkbook(await writeTemplate({ zone: { zh: '青山经济开发区' } }));
    expect(values(named.getWorksheet('基本信息')!, 2).slice(0, 2)).toEqual(['开发区名称', '青山经济开发区']);
  });

  it('is imported from the sheet, with the rows of one’s own', async () => {
    const bytes = await edited(await writeTemplate({ zone: { zh: '青山经济开发区' } }), (wb) => {
      wb.getWorksheet('基本信息')!.getCell('B3').value = 'Qingshan Development Zone';
      typeRow(wb.getWorksheet('部门')!, { 部门名称: '投资促进局', 简称: '投促局' });
    });
    const r = await readSpreadsheet(bytes, 'mine.xlsx');
    const file = fileOf(r);
    expect(file.meta?.zone).toEqual({ zh: '青山经济开发区', en: 'Qingshan Development Zone' });
    expect(file.departments.map((d) => d.name.zh)).toEqual(['投资促进局']);
  });

  it('is enough on its own: a file that only names the zone renames it', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('基本信息');
    ws.addRow(['开发区名称', '青山经济开发区']);
    const r = await readSpreadsheet(Buffer.from(await wb.xlsx.writeBuffer()), 'zone.xlsx');
    expect(fileOf(r)).toMatchObject({ meta: { zone: { zh: '青山经济开发区' } }, departments: [], targets: [] });
  });

  it('needs the Chinese name when an English one is given, and warns of a line it does not know', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Zone');
    ws.addRow(['English name', 'Qingshan Development Zone']);
    ws.addRow(['负责人', '张三']);
    const r = await readSpreadsheet(Buffer.from(await wb.xlsx.writeBuffer()), 'zone.xlsx');
    expect(linesOf(problemsOf(r))).toEqual([
      '『Zone』第 1 行『English name』填写了英文名称，但没有开发区名称：请同时填写开发区名称，如“某某经济开发区”',
    ]);
    expect(linesOf(r.warnings, 'en')).toEqual([
      'Sheet Zone, row 2, 负责人: not a field of the Zone sheet; ignored (its fields: Zone name, English name)',
    ]);
  });
});

describe('importing the template', () => {
  it('as it is imports nothing: one problem says the file has only example rows', async () => {
    const r = await readSpreadsheet(zhBytes, 'template.xlsx');
    expect(linesOf(problemsOf(r))).toEqual([
      '『template.xlsx』：文件里只有示例行：『示例行』列填了“示例”的行导入时都会跳过。请填写自己的行，并让它们的『示例行』列留空',
    ]);
    expect(linesOf(r.warnings, 'en')).toEqual([
      'Sheet 部门: rows 2, 3 are example rows (marked in the Example row column): skipped, not imported',
      'Sheet 指标: rows 2, 3 are example rows (marked in the Example row column): skipped, not imported',
      'Sheet 项目: row 2 is an example row (marked in the Example row column): skipped, not imported',
      'Sheet 承诺: row 2 is an example row (marked in the Example row column): skipped, not imported',
      'Sheet 节点: rows 2, 3, 4 are example rows (marked in the Example row column): skipped, not imported',
      'Sheet 进展记录: row 2 is an example row (marked in the Example row column): skipped, not imported',
    ]);
  });

  it('with rows of one’s own added, imports those alone and skips the examples', async () => {
    const bytes = await edited(zhBytes, (wb) => {
      typeRow(wb.getWorksheet('部门')!, { 部门名称: '投资促进局', 简称: '投促局' });
      typeRow(wb.getWorksheet('指标')!, {
        牵头单位: '投促局',
        指标名称: '新招引企业数',
        目标值: 40,
        单位: '家',
        完成时限: '2026-12-31',
      });
    });
    const file = fileOf(await readSpreadsheet(bytes, 'mine.xlsx'));
    expect(file.departments.map((d) => d.name.zh)).toEqual(['投资促进局']);
    expect(file.targets.map((t) => [t.name.zh, t.target, t.unit.zh])).toEqual([['新招引企业数', 40, '家']]);
    expect([file.projects, file.commitments, file.updates]).toEqual([[], [], []]);
  });

  it('says so when a row of one’s own names a department that is only an example', async () => {
    const bytes = await edited(zhBytes, (wb) => {
      typeRow(wb.getWorksheet('指标')!, {
        牵头单位: '经发局',
        指标名称: '新招引企业数',
        目标值: 40,
        单位: '家',
        完成时限: '2026-12-31',
      });
    });
    expect(linesOf(problemsOf(await readSpreadsheet(bytes, 'mine.xlsx')))).toEqual([
      '『指标』第 4 行『牵头单位』未知单位『经发局』：请先在『部门』表中登记，或填写已有部门的编号、全称、简称或别名（『部门』第 2 行有这个名称，但那是示例行，导入时跳过）',
    ]);
  });

  it('refuses a mark that is neither 示例 nor empty, naming what to write', async () => {
    const bytes = await edited(zhBytes, (wb) => {
      wb.getWorksheet('部门')!.getCell('A2').value = '待定';
    });
    expect(linesOf(problemsOf(await readSpreadsheet(bytes, 'mine.xlsx')))).toContain(
      '『部门』第 2 行『示例行』应填“示例”（该行导入时跳过）或留空：『待定』',
    );
  });

  it('with the marks cleared, gives exactly the examples, with ids derived from names', async () => {
    const r = await readSpreadsheet(await edited(zhBytes, clearExampleMarks), 'template.xlsx');
    const file = fileOf(r);
    const edb = deriveId('d', ['经发局']);
    const hurdb = deriveId('d', ['住建局']);
    const iva = deriveId('t', [edb, '规上工业增加值增速']);
    expect(file.departments.map((d) => [d.id, d.name.zh])).toEqual([
      [edb, '经济发展局'],
      [hurdb, '住房和城乡建设局'],
    ]);
    expect(file.targets.map((t) => [t.id, t.departmentId, t.kind, t.target, t.unit.zh])).toEqual([
      [iva, edb, 'level', 7.5, '%'],
      [deriveId('t', [hurdb, '城市更新项目开工数']), hurdb, 'cumulative', 40, '项'],
    ]);
    expect(file.projects[0]!.milestones.map((m) => [m.name.zh, m.due])).toEqual([
      ['开工', '2026-03-31'],
      ['主体完工', '2026-08-31'],
      ['竣工验收', '2026-11-30'],
    ]);
    expect(file.commitments[0]!.targetIds).toEqual([iva]);
    expect(file.updates.map((u) => [u.itemId, u.at, u.value, u.by, u.sample])).toEqual([
      [iva, '2026-03-31T12:00:00+08:00', 7.1, '督查室', true],
    ]);
    expect(file.meta).toBeUndefined();
    expect(r.ok && r.warnings).toEqual([]);
  });

  it('gives the same file from the English template, marks cleared', async () => {
    const english = await readSpreadsheet(
      await edited(await writeTemplate({ locale: 'en' }), clearExampleMarks),
      'template-en.xlsx',
    );
    expect(fileOf(english)).toEqual(
      fileOf(await readSpreadsheet(await edited(zhBytes, clearExampleMarks), 'template.xlsx')),
    );
  });
});
