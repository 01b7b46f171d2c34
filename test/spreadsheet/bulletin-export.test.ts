/** The bulletin for export: buildBulletin's data as an .xlsx and as Markdown, saying the same thing. */
import { describe, expect, it } from 'vitest';
import { buildBulletin, snapshotOf } from '../../src/domain/bulletin.ts';
import { createReadModel } from '../../src/domain/read-model.ts';
import { isBehind } from '../../src/domain/status.ts';
import {
  behindItems,
  writeBulletinExportMarkdown,
  writeBulletinWorkbook,
} from '../../src/spreadsheet/bulletin-export.ts';
import { readSpreadsheet } from '../../src/spreadsheet/index.ts';
import { loadWorkbook, seedStore, TODAY, TZ } from './helpers.ts';

const model = createReadModel(seedStore(), TZ);
const bulletin = buildBulletin(model, TODAY);
const zh = writeBulletinExportMarkdown(bulletin, model, 'zh-CN');
const en = writeBulletinExportMarkdown(bulletin, model, 'en');

describe('the bulletin as Markdown', () => {
  it('opens with the zone, the date and the counts', () => {
    const c = bulletin.counts;
    expect(zh.split('\n').slice(0, 3)).toEqual([
      '# 南通经济技术开发区目标任务推进情况通报（截至 2026年11月28日）',
      '',
      `全区共跟踪 ${c.red + c.amber + c.green + c.done + c.pending + c.exempt} 项，其中落后 ${c.red} 项、预警 ${c.amber} 项、正常 ${c.green} 项、已完成 ${c.done} 项。`,
    ]);
  });

  it('ranks the departments in a table in the bulletin’s order', () => {
    const rows = zh.split('\n').filter((l) => /^\| (\d+|不参与排名) \|/.test(l));
    expect(rows.map((l) => l.split(' | ')[1])).toEqual(bulletin.departments.map((d) => d.department.shortName.zh));
    // The supervision office is listed last, not ranked; the table says what it ranks by.
    expect(rows.at(-1)).toMatch(/^\| 不参与排名 \| 督查室 \|/);
    expect(zh).toContain('排名依据：按时推进（正常和已完成）事项所占比例');
  });

  it('lists every item behind or at risk, worst first, with its status and reasons', () => {
    const behind = behindItems(bulletin);
    expect(behind.length).toBe(bulletin.departments.flatMap((d) => d.items).filter(isBehind).length);
    const lines = zh
      .slice(zh.indexOf('## 二、落后和预警事项'), zh.indexOf('## 三、逾期节点'))
      .split('\n')
      .filter((l) => l.startsWith('- '));
    expect(lines).toHaveLength(behind.length);
    expect(lines[0]).toMatch(/^- 【落后】\*\*.+\*\*（.+）：/);
    expect(zh).toContain(
      '- 【落后】**AI+载体新增入驻企业**（科创局）：截至 11月27日 计划进度 90.7%，实际 43.3%，落后 47.4 个百分点',
    );
  });

  it('lists overdue milestones with their days overdue', () => {
    const section = zh.slice(zh.indexOf('## 三、逾期节点'));
    expect(section.split('\n').filter((l) => l.startsWith('- '))).toHaveLength(
      bulletin.overdue.reduce((n, s) => n + s.overdue.length, 0),
    );
    expect(section).toContain('- 通富路东侧城中村改造（住建局）：开工，应于 6月30日 完成，逾期 151 天');
  });

  it('counts a commitment that links items by its own milestones, and its items on their own', () => {
    // 重塑“4+6”招商体系 links two targets (one on track, one forecast to miss: at risk) and has a milestone of
    // its own 151 days overdue.
    expect(zh).toContain('| 投促局 | 1 | 1 | 1 | 0 | 0 | 0 | 33.3% |');
    expect(zh).toContain(
      '- 【落后】**重塑“4+6”招商体系**（投促局）：节点「招商考核激励办法印发」已逾期 151 天（应于 6月30日 完成）',
    );
    expect(zh.slice(zh.indexOf('## 三、逾期节点'))).toContain(
      '- 重塑“4+6”招商体系（投促局）：招商考核激励办法印发，应于 6月30日 完成，逾期 151 天',
    );
    // A commitment that only links items (四大类40项城市更新项目) is counted through them, not again.
    expect(bulletin.departments.flatMap((d) => d.items).map((s) => s.item.id)).not.toContain('c-hurdb-renewal');
  });

  it('has a section of changes only when compared with a previous bulletin', () => {
    expect(zh).not.toContain('状态变化');
    const snapshot = snapshotOf(model.evaluate(TODAY).tracked);
    const someId = Object.keys(snapshot)[0]!;
    const previous = {
      date: '2026-11-21',
      snapshot: { ...snapshot, [someId]: snapshot[someId] === 'green' ? ('red' as const) : ('green' as const) },
    };
    const compared = writeBulletinExportMarkdown(buildBulletin(model, TODAY, previous), model, 'zh-CN');
    expect(compared).toContain('*与 2026年11月21日 的通报相比*');
    expect(compared).toContain('## 二、状态变化');
    expect(compared).toContain('## 三、落后和预警事项');
  });

  it('is written in English when asked, with the sample-data note, and pipes cannot break a table', () => {
    expect(en).toContain('## 2. Behind and at risk');
    expect(en).toContain(
      '- Behind: **Firms newly moved into AI+ carriers** (STIB): At 27 Nov: plan 90.7%, actual 43.3%, 47.4 points behind',
    );
    expect(en.trimEnd().endsWith('> Note: this bulletin contains sample data.')).toBe(true);
    const db = seedStore();
    db.departments[0]!.shortName.zh = '经发|局';
    const piped = writeBulletinExportMarkdown(
      buildBulletin(createReadModel(db, TZ), TODAY),
      createReadModel(db, TZ),
      'zh-CN',
    );
    expect(piped).toContain('经发\\|局');
  });
});

describe('the bulletin as a workbook', () => {
  it('holds the ranking, every item behind with a status fill, and the overdue milestones', async () => {
    const wb = await loadWorkbook(await writeBulletinWorkbook(bulletin, model, 'zh-CN'));
    expect(wb.worksheets.map((w) => w.name)).toEqual(['通报', '落后和预警', '逾期节点']);
    const main = wb.getWorksheet('通报')!;
    expect(String(main.getCell('A1').value)).toBe('南通经济技术开发区目标任务推进情况通报（截至 2026年11月28日）');
    const ranked: string[] = [];
    main.eachRow((row) => {
      if (typeof row.getCell(1).value === 'number' || row.getCell(1).value === '不参与排名')
        ranked.push(String(row.getCell(2).value));
    });
    expect(ranked).toEqual(bulletin.departments.map((d) => d.department.shortName.zh));
    const behind = wb.getWorksheet('落后和预警')!;
    expect(behind.rowCount - 1).toBe(behindItems(bulletin).length);
    expect(behind.getCell('B2').value).toBe('落后');
    expect((behind.getCell('B2').fill as { fgColor?: { argb?: string } }).fgColor?.argb).toBe('FFF8696B');
    const overdue = wb.getWorksheet('逾期节点')!;
    expect(overdue.rowCount - 1).toBe(bulletin.overdue.reduce((n, s) => n + s.overdue.length, 0));
  });

  it('is the same file for the same data on the same day', async () => {
    const a = await writeBulletinWorkbook(bulletin, model, 'en');
    const b = await writeBulletinWorkbook(buildBulletin(model, TODAY), model, 'en');
    const [wa, wb] = await Promise.all([loadWorkbook(a), loadWorkbook(b)]);
    expect(wa.worksheets.map((w) => w.name)).toEqual(['Bulletin', 'Behind and at risk', 'Overdue milestones']);
    expect(wa.created).toEqual(wb.created);
    expect(wa.getWorksheet('Behind and at risk')!.getSheetValues()).toEqual(
      wb.getWorksheet('Behind and at risk')!.getSheetValues(),
    );
  });

  it('is refused as an import file, not half-read', async () => {
    const r = await readSpreadsheet(await writeBulletinWorkbook(bulletin, model, 'zh-CN'), 'bulletin.xlsx');
    expect(r.ok).toBe(false);
  });
});
