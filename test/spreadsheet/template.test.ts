/**
 * The empty template: one sheet per kind with the template's headers, example rows from the 2026
 * work-meeting article, drop-downs for fixed choices, and a 说明/Help sheet covering every column.
 * Imported as it is, it gives exactly its examples.
 */
import type ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { SHEETS, deriveId, readSpreadsheet, writeTemplate } from '../../src/spreadsheet/index.ts';
import { fileOf, loadWorkbook } from './helpers.ts';

const zh = await loadWorkbook(await writeTemplate());
const en = await loadWorkbook(await writeTemplate({ locale: 'en' }));

function values(ws: ExcelJS.Worksheet, n: number): unknown[] {
  return (ws.getRow(n).values as unknown[]).slice(1);
}

describe('the template workbook', () => {
  it('has one sheet per kind and a help sheet, in Chinese or English', () => {
    expect(zh.worksheets.map((w) => w.name)).toEqual(['部门', '指标', '项目', '承诺', '节点', '进展记录', '说明']);
    expect(en.worksheets.map((w) => w.name)).toEqual(['Departments', 'Targets', 'Projects', 'Commitments', 'Milestones', 'Updates', 'Help']);
  });

  it('heads each sheet with the template’s columns, required ones in red', () => {
    for (const def of Object.values(SHEETS)) {
      const ws = zh.getWorksheet(def.zh)!;
      expect(values(ws, 1)).toEqual(def.columns.map((c) => c.zh));
      expect(values(en.getWorksheet(def.en)!, 1)).toEqual(def.columns.map((c) => c.en));
      def.columns.forEach((c, i) => expect(ws.getRow(1).getCell(i + 1).font?.color?.argb, `${def.zh}.${c.zh}`).toBe(c.required ? 'FFC00000' : undefined));
      expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    }
  });

  it('fills in the article’s examples: 经发局 ≥7.5% and 住建局 40 项', () => {
    const targets = zh.getWorksheet('指标')!;
    const header = values(targets, 1);
    const row = (n: number) => Object.fromEntries(header.map((h, i) => [h, values(targets, n)[i] ?? null]));
    expect(row(2)).toMatchObject({ 指标编号: null, 牵头单位: '经发局', 指标名称: '规上工业增加值增速', 类型: '水平', 目标值: 7.5, 单位: '%', 比较: '≥' });
    expect(row(3)).toMatchObject({ 牵头单位: '住建局', 指标名称: '城市更新项目开工数', 类型: '累计', 目标值: 40, 单位: '项', 基数: 0, 阶段目标: '2026-03-31 15%\n2026-06-30 45%\n2026-09-30 75%' });
    expect(values(zh.getWorksheet('部门')!, 2).slice(0, 4)).toEqual([undefined, '经济发展局', 'Economic Development Bureau', '经发局']);
  });

  it('offers drop-downs for kind, comparator, cadence, state and yes/no', () => {
    const targets = zh.getWorksheet('指标')!;
    const col = (name: string) => values(targets, 1).indexOf(name) + 1;
    expect(targets.getCell(2, col('类型')).dataValidation).toMatchObject({ type: 'list', formulae: ['"累计,水平"'] });
    expect(targets.getCell(400, col('比较')).dataValidation).toMatchObject({ type: 'list', formulae: ['"≥,≤"'] });
    expect(targets.getCell(10, col('报送周期')).dataValidation).toMatchObject({ formulae: ['"每周,每月,每季度,不报送"'] });
    expect(targets.getCell(10, col('示例数据')).dataValidation).toMatchObject({ formulae: ['"是,否"'] });
    const updates = zh.getWorksheet('进展记录')!;
    expect(updates.getCell(2, values(updates, 1).indexOf('状态') + 1).dataValidation).toMatchObject({ formulae: ['"计划,推进中,受阻,延期,完成"'] });
    expect(en.getWorksheet('Targets')!.getCell(2, col('类型')).dataValidation).toMatchObject({ formulae: ['"cumulative,level"'] });
  });

  it('explains every column of every sheet in both languages on the help sheet', () => {
    const help = zh.getWorksheet('说明')!;
    const described = new Set<string>();
    help.eachRow((row) => {
      const [sheet, column, english, , , helpZh, helpEn] = (row.values as unknown[]).slice(1);
      if (typeof column === 'string' && column !== '列名 Column') {
        described.add(`${String(sheet)}.${column}`);
        expect(typeof english === 'string' && typeof helpZh === 'string' && typeof helpEn === 'string', column).toBe(true);
      }
    });
    const all = Object.values(SHEETS).flatMap((d) => d.columns.map((c) => `${d.zh}.${c.zh}`));
    expect([...described].sort()).toEqual([...all].sort());
  });
});

describe('importing the template as it is', () => {
  it('gives exactly the examples, with ids derived from names', async () => {
    const r = await readSpreadsheet(await writeTemplate(), 'template.xlsx');
    const file = fileOf(r);
    const edb = deriveId('d', ['经发局']);
    const hurdb = deriveId('d', ['住建局']);
    const iva = deriveId('t', [edb, '规上工业增加值增速']);
    expect(file.departments.map((d) => [d.id, d.name.zh])).toEqual([[edb, '经济发展局'], [hurdb, '住房和城乡建设局']]);
    expect(file.targets.map((t) => [t.id, t.departmentId, t.kind, t.target, t.unit.zh])).toEqual([
      [iva, edb, 'level', 7.5, '%'],
      [deriveId('t', [hurdb, '城市更新项目开工数']), hurdb, 'cumulative', 40, '项'],
    ]);
    expect(file.projects[0]!.milestones.map((m) => [m.name.zh, m.due])).toEqual([['开工', '2026-03-31'], ['主体完工', '2026-08-31'], ['竣工验收', '2026-11-30']]);
    expect(file.commitments[0]!.targetIds).toEqual([iva]);
    expect(file.updates.map((u) => [u.itemId, u.at, u.value, u.by, u.sample])).toEqual([[iva, '2026-03-31T12:00:00+08:00', 7.1, '督查室', true]]);
    expect(r.ok && r.warnings).toEqual([]);
  });

  it('gives the same file from the English template', async () => {
    expect(fileOf(await readSpreadsheet(await writeTemplate({ locale: 'en' }), 'template-en.xlsx'))).toEqual(fileOf(await readSpreadsheet(await writeTemplate(), 'template.xlsx')));
  });
});
