/**
 * The 台账 ledger workbook: what a leader sees (one row per item with a red/amber/green status
 * cell and reasons in words, frozen header, filters), the updates with evidence links, and the
 * departments ranked.
 */
import type ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { mergeImport } from '../../src/domain/merge.ts';
import { createReadModel } from '../../src/domain/read-model.ts';
import { emptyDatabase, ImportFile, Update } from '../../src/domain/schema.ts';
import { readSpreadsheet, STATUS_FILL, writeLedger } from '../../src/spreadsheet/index.ts';
import { decimalsOf, roundTo } from '../../src/spreadsheet/ledger.ts';
import { loadWorkbook, seedStore, TODAY, TZ } from './helpers.ts';

const db = seedStore();
const model = createReadModel(db, TZ);
const evaluation = model.evaluate(TODAY);

/** Rows below the header of a sheet as objects keyed by header text. */
function rowsOf(
  ws: ExcelJS.Worksheet,
  headerRow: number,
): Array<Record<string, ExcelJS.CellValue> & { fill?: string }> {
  const headers = (ws.getRow(headerRow).values as ExcelJS.CellValue[]).map((v) => String(v ?? ''));
  const out: Array<Record<string, ExcelJS.CellValue> & { fill?: string }> = [];
  ws.eachRow((row, n) => {
    if (n <= headerRow) return;
    const rec: Record<string, ExcelJS.CellValue> = {};
    headers.forEach((h, i) => {
      if (h) rec[h] = row.getCell(i).value;
    });
    out.push(rec);
  });
  return out;
}

describe('the ledger sheets', () => {
  it.each([
    ['zh-CN', ['台账', '汇总', '进展记录', '基本信息', '部门', '指标', '项目', '承诺', '节点']],
    ['en', ['Ledger', 'Summary', 'Updates', 'Zone', 'Departments', 'Targets', 'Projects', 'Commitments', 'Milestones']],
  ] as const)('has the report sheets first, then the definitions (%s)', async (locale, names) => {
    const wb = await loadWorkbook(await writeLedger(model, TODAY, locale, { updates: db.updates }));
    expect(wb.worksheets.map((w) => w.name)).toEqual(names);
  });
});

const ledger = await loadWorkbook(await writeLedger(model, TODAY, 'zh-CN', { updates: db.updates }));

describe('台账', () => {
  const ws = ledger.getWorksheet('台账')!;
  const rows = rowsOf(ws, 2);
  const byId = new Map(rows.map((r) => [String(r.编号), r]));

  it('has a title with the date, a frozen header and a filter on it', () => {
    expect(ws.getCell('A1').value).toBe('南通经济技术开发区目标任务台账（截至 2026年11月28日）');
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
    expect(ws.autoFilter).toBe('A2:T2');
    expect((ws.getRow(2).values as unknown[]).slice(1)).toEqual([
      '序号',
      '牵头单位',
      '责任人',
      '配合单位',
      '类型',
      '名称',
      '目标',
      '完成时限',
      '序时目标',
      '实际',
      '单位',
      '完成率',
      '状态',
      '原因',
      '推进情况',
      '最近报送',
      '报送人',
      '逾期节点',
      '下一节点',
      '编号',
    ]);
  });

  it('has one row per target, project and commitment, grouped by department', () => {
    expect(rows).toHaveLength(db.targets.length + db.projects.length + db.commitments.length);
    expect(new Set(byId.keys())).toEqual(new Set([...db.targets, ...db.projects, ...db.commitments].map((i) => i.id)));
    const order = db.departments.map((d) => d.shortName.zh);
    const owners = rows.map((r) => order.indexOf(String(r.牵头单位)));
    expect(owners).toEqual([...owners].sort((a, b) => a - b));
  });

  it('fills every status cell with its colour, and says the status in words', () => {
    const statusColumn = (ws.getRow(2).values as unknown[]).indexOf('状态');
    const idColumn = (ws.getRow(2).values as unknown[]).indexOf('编号');
    const seen = new Set<string>();
    ws.eachRow((row, n) => {
      if (n <= 2) return;
      const s = evaluation.byId.get(String(row.getCell(idColumn).value))!;
      const fill = row.getCell(statusColumn).fill as ExcelJS.FillPattern;
      expect(fill.fgColor?.argb, String(row.getCell(idColumn).value)).toBe(STATUS_FILL[s.status]);
      expect(row.getCell(statusColumn).value).toBe(
        { red: '落后', amber: '预警', green: '正常', done: '已完成', exempt: '已豁免', pending: '未开始' }[s.status],
      );
      seen.add(s.status);
    });
    expect([...seen].sort()).toEqual(['amber', 'done', 'green', 'red']);
    expect(new Set([STATUS_FILL.red, STATUS_FILL.amber, STATUS_FILL.green]).size).toBe(3);
  });

  it('shows a level target against its target, with the reason in words', () => {
    expect(byId.get('t-edb-iva-growth')).toMatchObject({
      目标: '≥7.5%',
      序时目标: 7.5,
      实际: 7.2,
      单位: '%',
      状态: '预警',
      原因: '目标不低于 7.5%，最新 7.2%',
      报送人: '示例数据',
    });
  });

  it('shows a cumulative target’s expected-by-today, actual and completion', () => {
    const row = byId.get('t-hurdb-renewal-starts')!;
    expect(row).toMatchObject({ 目标: '40 项', 序时目标: 36, 实际: 30, 完成率: 0.75, 状态: '预警' });
    expect(row.完成时限).toEqual(new Date('2026-12-31T00:00:00Z'));
    expect(ws.getColumn((ws.getRow(2).values as unknown[]).indexOf('完成率')).numFmt).toBe('0.0%');
  });

  it('lists overdue milestones and reasons of a blocked project without Slack escaping', () => {
    const blocked = [...evaluation.byId.values()].find(
      (s) => s.status === 'red' && s.reasons.some((r) => r.code === 'blocked') && s.overdue.length > 0,
    )!;
    const row = byId.get(blocked.item.id)!;
    expect(String(row.原因)).toMatch(/^受阻：/);
    expect(String(row.原因)).not.toMatch(/&amp;|&lt;|&gt;/);
    expect(row.逾期节点).toBe(
      blocked.overdue
        .map((m) => `${m.name.zh}（${Number(m.due.slice(5, 7))}月${Number(m.due.slice(8))}日）`)
        .join('\n'),
    );
    expect(row.最近报送).toEqual(new Date(`${blocked.progress.lastReportDate}T00:00:00Z`));
  });

  it('keeps only one department’s items when asked', async () => {
    const one = await loadWorkbook(
      await writeLedger(model, TODAY, 'zh-CN', { departmentId: 'zhongxing', updates: db.updates }),
    );
    const ids = rowsOf(one.getWorksheet('台账')!, 2).map((r) => String(r.编号));
    const expected = [...db.targets, ...db.projects, ...db.commitments]
      .filter((i) => i.departmentId === 'zhongxing' || i.coDepartmentIds.includes('zhongxing'))
      .map((i) => i.id);
    expect(ids.sort()).toEqual(expected.sort());
    expect(ids.length).toBeLessThan(rows.length);
    const updateItems = new Set(rowsOf(one.getWorksheet('进展记录')!, 1).map((r) => String(r.事项编号)));
    expect([...updateItems].every((id) => expected.includes(id))).toBe(true);
    expect(
      rowsOf(one.getWorksheet('汇总')!, 1)
        .filter((r) => typeof r.排名 === 'number')
        .map((r) => r.部门),
    ).toEqual(['中兴街道']);
  });

  it('speaks English when asked', async () => {
    const en = await loadWorkbook(await writeLedger(model, TODAY, 'en', { updates: db.updates }));
    const row = rowsOf(en.getWorksheet('Ledger')!, 2).find((r) => r.ID === 't-edb-iva-growth')!;
    expect(row).toMatchObject({
      Lead: 'EDB',
      Kind: 'Target',
      Name: 'Growth of industrial value added (above designated size)',
      Status: 'At risk',
      Reasons: 'Target at least 7.5%, latest 7.2%',
      By: 'sample data',
    });
  });
});

describe('进展记录', () => {
  it('lists every update with who, when, what and the item', async () => {
    const wb = await loadWorkbook(await writeLedger(model, TODAY, 'zh-CN', { updates: db.updates }));
    const rows = rowsOf(wb.getWorksheet('进展记录')!, 1);
    expect(rows).toHaveLength(db.updates.length);
    expect(rows[0]).toMatchObject({
      日期: new Date('2026-02-24T00:00:00Z'),
      部门: '住建局',
      事项名称: '星湖花园老旧小区改造',
      完成百分比: 0,
      状态: '计划',
      报送人: 'seed',
      事项编号: 'ur-01',
      记录编号: 'u-0001',
      时间: '2026-02-24T11:30:00+08:00',
    });
  });

  it.runIf('evidence' in Update.shape)(
    'links evidence, several per cell, the first one clickable, and reads it back',
    async () => {
      const withEvidence = structuredClone(db);
      const u = withEvidence.updates[0]! as Record<string, unknown>;
      u.evidence = [
        { kind: 'link', url: 'https://example.org/photo.jpg', name: '开工照片' },
        {
          kind: 'file',
          url: 'https://files.slack.com/files-pri/T1-F0123ABC/report.pdf',
          name: '验收报告',
          fileId: 'F0123ABC',
        },
      ];
      const bytes = await writeLedger(createReadModel(withEvidence, TZ), TODAY, 'zh-CN', {
        updates: withEvidence.updates,
      });
      const cell = rowsOf((await loadWorkbook(bytes)).getWorksheet('进展记录')!, 1)[0]!.佐证材料;
      expect(cell).toEqual({
        text: '开工照片 https://example.org/photo.jpg\n验收报告 https://files.slack.com/files-pri/T1-F0123ABC/report.pdf (F0123ABC)',
        hyperlink: 'https://example.org/photo.jpg',
      });
      const back = await readSpreadsheet(bytes, 'ledger.xlsx');
      expect(back.ok && (back.file.updates[0] as Record<string, unknown>).evidence).toEqual(u.evidence);
    },
  );

  it('takes the history from the model’s document when it is not passed', async () => {
    const wb = await loadWorkbook(
      await writeLedger(
        { ...model, db: { ...model.db, updates: db.updates.slice(0, 3) } as typeof model.db },
        TODAY,
        'zh-CN',
      ),
    );
    expect(rowsOf(wb.getWorksheet('进展记录')!, 1).map((r) => r.记录编号)).toEqual(['u-0001', 'u-0002', 'u-0003']);
  });
});

describe('汇总', () => {
  it('ranks departments with their counts by status, and a zone total', async () => {
    const wb = await loadWorkbook(await writeLedger(model, TODAY, 'zh-CN', { updates: db.updates }));
    const rows = rowsOf(wb.getWorksheet('汇总')!, 1);
    const rollup = model.rollup(TODAY);
    const ranked = rows.filter((r) => typeof r.排名 === 'number');
    expect(ranked.map((r) => [r.排名, r.部门, r.落后, r.预警, r.正常, r.已完成, r.合计])).toEqual(
      rollup.departments
        .filter((d) => d.rank !== undefined)
        .map((d) => [
          d.rank,
          d.department.shortName.zh,
          d.counts.red,
          d.counts.amber,
          d.counts.green,
          d.counts.done,
          d.items.length,
        ]),
    );
    expect(rows.find((r) => r.部门 === '全区合计')).toMatchObject({
      落后: rollup.counts.red,
      预警: rollup.counts.amber,
      正常: rollup.counts.green,
      已完成: rollup.counts.done,
    });
    expect(rows.some((r) => r.排名 === '截至 2026年11月28日')).toBe(true);
  });
});

/** A small zone of its own, not the bundled sample: two departments, people, figures that do not divide evenly. */
function ownZone() {
  const year = { start: '2026-01-01', end: '2026-03-31' };
  const file = ImportFile.parse({
    meta: { zone: { zh: '青山经济开发区', en: 'Qingshan Development Zone' } },
    departments: [
      {
        id: 'invest',
        name: { zh: '投资促进局' },
        shortName: { zh: '投促局' },
        leadIds: ['U0LEADA'],
        memberIds: ['U0LIAISONA', 'U0LIAISONB'],
      },
      { id: 'green', name: { zh: '生态环境分局' }, shortName: { zh: '环境分局' } },
    ],
    targets: [
      {
        id: 't-firms',
        departmentId: 'invest',
        name: { zh: '新招引企业数' },
        kind: 'cumulative',
        target: 40,
        unit: { zh: '家', en: 'firms' },
        period: year,
      },
      {
        id: 't-area',
        departmentId: 'green',
        name: { zh: '绿化面积' },
        kind: 'cumulative',
        baseline: 0,
        target: 45.5,
        unit: { zh: '万平方米' },
        period: year,
      },
    ],
    updates: [
      { id: 'u1', itemId: 't-firms', at: '2026-01-10T10:00:00+08:00', by: 'U0LIAISONA', value: 5, note: '签约5家' },
      {
        id: 'u2',
        itemId: 't-firms',
        at: '2026-01-20T10:00:00+08:00',
        by: 'U0LIAISONA',
        value: 9,
        note: '新签约4家，其中制造业3家',
      },
      { id: 'u3', itemId: 't-firms', at: '2026-01-25T10:00:00+08:00', by: 'U0LIAISONB', value: 10 },
    ],
  });
  const db = emptyDatabase();
  mergeImport(db, file);
  return db;
}

describe('台账 of a zone of its own', async () => {
  const own = ownZone();
  // 30 of the quarter's 90 days: a third of the way.
  const today = '2026-01-30';
  const bytes = await writeLedger(createReadModel(own, TZ), today, 'zh-CN', { updates: own.updates });
  const ws = (await loadWorkbook(bytes)).getWorksheet('台账')!;
  const byId = new Map(rowsOf(ws, 2).map((r) => [String(r.编号), r]));

  it('rounds 序时目标 to the precision of the target’s own figures: 13 家, not 13.333333; 15.2 for 45.5', () => {
    expect(ws.getCell('A1').value).toBe('青山经济开发区目标任务台账（截至 2026年1月30日）');
    expect(byId.get('t-firms')).toMatchObject({ 目标: '40 家', 序时目标: 13, 实际: 10 });
    expect(byId.get('t-area')).toMatchObject({ 序时目标: 15.2 });
  });

  it('says the latest progress note with its date in 推进情况, even when a later report had none', () => {
    expect(byId.get('t-firms')!.推进情况).toBe('1月20日：新签约4家，其中制造业3家');
    expect(byId.get('t-area')!.推进情况).toBeNull();
  });

  it('names who answers for the item in 责任人: the lead department’s leads, then its liaisons, by id when no name is known', async () => {
    expect(byId.get('t-firms')!.责任人).toBe('负责人：U0LEADA\n联络员：U0LIAISONA、U0LIAISONB');
    expect(byId.get('t-area')!.责任人).toBeNull();
    const named = await writeLedger(createReadModel(own, TZ), today, 'en', {
      updates: own.updates,
      people: new Map([['U0LEADA', 'Wang Fang']]),
    });
    const row = rowsOf((await loadWorkbook(named)).getWorksheet('Ledger')!, 2).find((r) => r.ID === 't-firms')!;
    expect(row).toMatchObject({
      Responsible: 'Leads: Wang Fang\nLiaisons: U0LIAISONA, U0LIAISONB',
      'Expected by today': 13,
      Progress: '20 Jan: 新签约4家，其中制造业3家',
    });
  });

  it('prints on A4 landscape, one page wide, the header row on every page, without the id column', () => {
    expect(ws.pageSetup).toMatchObject({
      orientation: 'landscape',
      paperSize: 9,
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: '2:2',
    });
    expect(ws.pageSetup.printArea).toBe(`A1:S${ws.rowCount}`);
    expect(ws.getCell('S2').value).toBe('下一节点');
    expect(ws.getCell('T2').value).toBe('编号');
  });
});

describe('rounding to the figures’ own precision', () => {
  it.each([
    [40, 0],
    [7.5, 1],
    [45.25, 2],
    [0.1 + 0.2, 6],
    [1e-7, 6],
    [1.5e-3, 4],
    [2e21, 0],
  ])('%s has %i fraction digits', (n, digits) => expect(decimalsOf(n)).toBe(digits));

  it.each([
    [13.333333, 0, 13],
    [15.166666, 1, 15.2],
    [36.41, 0, 36],
    [2.5, 0, 3],
  ])('%s to %i digits is %s', (x, d, rounded) => expect(roundTo(x, d)).toBe(rounded));
});
