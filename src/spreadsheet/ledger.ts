/**
 * `writeLedger`: the 台账 workbook. Three sheets for people (台账: one row per item with status
 * colour and reasons; 汇总: departments ranked; 进展记录: every update with evidence links) and the
 * definition sheets of the template (部门, 指标, 项目, 承诺, 节点), so that the file imports back
 * unchanged: `readSpreadsheet(await writeLedger(model, …))` merged into the same store adds and
 * changes nothing.
 */
import ExcelJS from 'exceljs';
import { expectedShare } from '../domain/status.ts';
import type { ReadModel } from '../domain/read-model.ts';
import type { Commitment, Department, Item, Project, Target, Update } from '../domain/schema.ts';
import type { ItemStatus, Status } from '../domain/status.ts';
import { formatDate, messages, pick, type Locale } from '../i18n/index.ts';
import {
  addTableSheet,
  columnsOf,
  commitmentRow,
  departmentRow,
  excelDate,
  milestoneRows,
  projectRow,
  targetRow,
  updateRow,
  type RenderOptions,
  type RowOut,
} from './definitions.ts';
import { sheetTitle } from './template.ts';
import { departmentName, milestoneText, ownerName, reasonsInWords, reporterName, statusWord, targetText } from './words.ts';

/** What the ledger reads of a read model; any revision of `ReadModel` provides it. */
export type LedgerModel = Pick<ReadModel, 'db' | 'timeZone' | 'evaluate' | 'rollup'>;

export type LedgerOptions = {
  /** Only items this department leads or supports (all departments are still listed in 部门). */
  departmentId?: string;
  /**
   * The update history for 进展记录. Defaults to `model.db.updates` when the model's document
   * carries its history; a store that keeps history elsewhere (a journal) must pass it here.
   */
  updates?: readonly Update[];
};

/** Cell fills for statuses: Excel's own red/amber/green, blue for done, grey otherwise. */
export const STATUS_FILL: Record<Status, string> = {
  red: 'FFF8696B',
  amber: 'FFFFD966',
  green: 'FF63BE7B',
  done: 'FF9BC2E6',
  exempt: 'FFD9D9D9',
  pending: 'FFD9D9D9',
};

const LEDGER_COLUMNS = [
  { key: 'no', zh: '序号', en: 'No.', width: 6 },
  { key: 'owner', zh: '牵头单位', en: 'Lead', width: 12 },
  { key: 'co', zh: '配合单位', en: 'Supporting', width: 14 },
  { key: 'kind', zh: '类型', en: 'Kind', width: 9 },
  { key: 'name', zh: '名称', en: 'Name', width: 32 },
  { key: 'target', zh: '目标', en: 'Target', width: 12 },
  { key: 'due', zh: '完成时限', en: 'Due', width: 11 },
  { key: 'expected', zh: '序时目标', en: 'Expected by today', width: 11 },
  { key: 'actual', zh: '实际', en: 'Actual', width: 10 },
  { key: 'unit', zh: '单位', en: 'Unit', width: 8 },
  { key: 'completion', zh: '完成率', en: 'Completion', width: 9 },
  { key: 'status', zh: '状态', en: 'Status', width: 9 },
  { key: 'reasons', zh: '原因', en: 'Reasons', width: 48 },
  { key: 'lastDate', zh: '最近报送', en: 'Last update', width: 11 },
  { key: 'lastBy', zh: '报送人', en: 'By', width: 12 },
  { key: 'overdue', zh: '逾期节点', en: 'Overdue milestones', width: 28 },
  { key: 'next', zh: '下一节点', en: 'Next milestone', width: 22 },
  { key: 'id', zh: '编号', en: 'ID', width: 22 },
] as const;

const SUMMARY_COLUMNS = [
  { key: 'rank', zh: '排名', en: 'Rank', width: 6 },
  { key: 'department', zh: '部门', en: 'Department', width: 16 },
  { key: 'red', zh: '落后', en: 'Behind', width: 8 },
  { key: 'amber', zh: '预警', en: 'At risk', width: 8 },
  { key: 'green', zh: '正常', en: 'On track', width: 9 },
  { key: 'done', zh: '已完成', en: 'Done', width: 8 },
  { key: 'pending', zh: '未开始', en: 'Not started', width: 10 },
  { key: 'exempt', zh: '已豁免', en: 'Exempt', width: 8 },
  { key: 'total', zh: '合计', en: 'Total', width: 7 },
  { key: 'onTrack', zh: '正常率', en: 'On track share', width: 11 },
  { key: 'worst', zh: '最需关注', en: 'Needs attention', width: 36 },
] as const;

const TEXT = {
  'zh-CN': {
    ledger: '台账',
    summary: '汇总',
    title: (zone: string, date: string) => `${zone}目标任务台账（截至 ${date}）`,
    zoneTotal: '全区合计',
    asOf: (date: string) => `截至 ${date}`,
    note: '各定义表（部门、指标、项目、承诺、节点）与进展记录可直接修改后用 duban import 导回；台账与汇总表仅供阅读，导入时忽略。',
  },
  en: {
    ledger: 'Ledger',
    summary: 'Summary',
    title: (zone: string, date: string) => `${zone}: targets ledger (as of ${date})`,
    zoneTotal: 'Zone total',
    asOf: (date: string) => `As of ${date}`,
    note: 'The definition sheets (Departments, Targets, Projects, Commitments, Milestones) and Updates can be edited and imported back with duban import; the Ledger and Summary sheets are for reading and are ignored on import.',
  },
} as const;

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

function relevant(item: Item, departmentId: string | undefined): boolean {
  return departmentId === undefined || item.departmentId === departmentId || item.coDepartmentIds.includes(departmentId);
}

function fill(argb: string): ExcelJS.Fill {
  return { type: 'pattern', pattern: 'solid', fgColor: { argb } };
}

function ledgerRow(s: ItemStatus, n: number, departments: ReadonlyMap<string, Department>, locale: Locale, today: string): RowOut {
  const m = messages(locale);
  const item = s.item;
  const row: RowOut = {
    no: n,
    owner: ownerName(departments, item.departmentId, locale),
    co: item.coDepartmentIds.length > 0 ? m.format.list(item.coDepartmentIds.map((id) => ownerName(departments, id, locale))) : null,
    kind: m.kind[s.kind],
    name: pick(item.name, locale),
    target: null,
    due: excelDate(item.period.end),
    expected: null,
    actual: null,
    unit: null,
    completion: s.completion ?? null,
    status: statusWord(s.status, locale),
    reasons: reasonsInWords(s, locale, today).join(locale === 'en' ? '; ' : '；') || null,
    lastDate: s.progress.lastReportDate ? excelDate(s.progress.lastReportDate) : null,
    lastBy: s.progress.lastReportBy ? reporterName(s.progress.lastReportBy, locale) : null,
    overdue: s.overdue.length > 0 ? s.overdue.map((o) => milestoneText(o, locale, today)).join('\n') : null,
    next: s.nextMilestone ? milestoneText(s.nextMilestone.milestone, locale, today) : null,
    id: item.id,
  };
  if (s.kind === 'target') {
    const t = item as Target;
    row.target = targetText(t, locale);
    row.unit = pick(t.unit, locale);
    if (t.kind === 'cumulative') {
      row.expected = round2(t.baseline + expectedShare(t, today) * (t.target - t.baseline));
      row.actual = s.progress.value ?? null;
    } else {
      row.expected = t.target;
      row.actual = s.actual ?? null;
    }
  }
  return row;
}

function addLedgerSheet(wb: ExcelJS.Workbook, model: LedgerModel, statuses: ItemStatus[], locale: Locale, today: string): void {
  const t = TEXT[locale];
  const departments = new Map(model.db.departments.map((d) => [d.id, d]));
  const ws = wb.addWorksheet(t.ledger, { views: [{ state: 'frozen', ySplit: 2, xSplit: 0 }] });
  ws.columns = LEDGER_COLUMNS.map((c) => ({ key: c.key, width: c.width }));
  const title = ws.getRow(1);
  title.getCell(1).value = t.title(pick(model.db.meta.zone, locale), formatDate(today, locale));
  title.font = { bold: true, size: 14 };
  title.height = 24;
  ws.mergeCells(1, 1, 1, LEDGER_COLUMNS.length);
  const header = ws.getRow(2);
  LEDGER_COLUMNS.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.value = locale === 'en' ? c.en : c.zh;
    cell.font = { bold: true };
    cell.fill = fill('FFDDEBF7');
    cell.alignment = { vertical: 'middle', wrapText: true };
  });
  statuses.forEach((s, i) => {
    const row = ws.addRow(ledgerRow(s, i + 1, departments, locale, today));
    row.alignment = { vertical: 'top', wrapText: true };
    row.getCell('status').fill = fill(STATUS_FILL[s.status]);
  });
  ws.getColumn('due').numFmt = 'yyyy-mm-dd';
  ws.getColumn('lastDate').numFmt = 'yyyy-mm-dd';
  ws.getColumn('completion').numFmt = '0.0%';
  ws.autoFilter = { from: { row: 2, column: 1 }, to: { row: 2, column: LEDGER_COLUMNS.length } };
}

function addSummarySheet(wb: ExcelJS.Workbook, model: LedgerModel, locale: Locale, today: string, departmentId: string | undefined): void {
  const t = TEXT[locale];
  const rollup = model.rollup(today);
  const ws = wb.addWorksheet(t.summary, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = SUMMARY_COLUMNS.map((c) => ({ header: locale === 'en' ? c.en : c.zh, key: c.key, width: c.width }));
  const header = ws.getRow(1);
  header.font = { bold: true };
  SUMMARY_COLUMNS.forEach((c, i) => {
    const status = c.key as Status;
    header.getCell(i + 1).fill = fill(status in STATUS_FILL ? STATUS_FILL[status] : 'FFDDEBF7');
  });
  const rows = rollup.departments.filter((r) => departmentId === undefined || r.department.id === departmentId);
  for (const r of rows) {
    const total = r.items.length;
    ws.addRow({
      rank: r.rank,
      department: departmentName(r.department, locale),
      ...r.counts,
      total,
      onTrack: r.onTrackShare ?? null,
      worst: r.worst ? `${pick(r.worst.item.name, locale)}：${reasonsInWords(r.worst, locale, today)[0] ?? ''}` : null,
    });
  }
  if (departmentId === undefined) {
    const c = rollup.counts;
    const counted = c.red + c.amber + c.green + c.done;
    const totalRow = ws.addRow({
      rank: null,
      department: t.zoneTotal,
      ...c,
      total: Object.values(c).reduce((a, b) => a + b, 0),
      onTrack: counted > 0 ? (c.green + c.done) / counted : null,
      worst: rollup.behind[0] ? pick(rollup.behind[0].item.name, locale) : null,
    });
    totalRow.font = { bold: true };
  }
  ws.getColumn('onTrack').numFmt = '0.0%';
  ws.addRow([]);
  ws.addRow([t.asOf(formatDate(today, locale))]);
  if (model.db.meta.sampleNotice) ws.addRow([model.db.meta.sampleNotice]);
  ws.addRow([t.note]);
}

/**
 * The 台账 ledger as an .xlsx. `today` (YYYY-MM-DD, the zone's date) sets statuses, pacing and
 * the "as of" line; `locale` the language of sheet names, headers and words.
 */
export async function writeLedger(model: LedgerModel, today: string, locale: Locale, options: LedgerOptions = {}): Promise<Buffer> {
  const db = model.db;
  const { departmentId } = options;
  const evaluation = model.evaluate(today);
  const departments = new Map(db.departments.map((d) => [d.id, d]));
  const targets = db.targets.filter((i) => relevant(i, departmentId));
  const projects = db.projects.filter((i) => relevant(i, departmentId));
  const commitments = db.commitments.filter((i) => relevant(i, departmentId));
  const included = new Set([...targets, ...projects, ...commitments].map((i) => i.id));

  // 台账 order: by department as listed, then targets, projects, commitments as defined.
  const deptOrder = new Map(db.departments.map((d, i) => [d.id, i]));
  const statuses = [...targets, ...projects, ...commitments]
    .map((i, order) => ({ s: evaluation.byId.get(i.id), order, dept: deptOrder.get(i.departmentId) ?? Number.MAX_SAFE_INTEGER }))
    .filter((x): x is { s: ItemStatus; order: number; dept: number } => x.s !== undefined)
    .sort((a, b) => a.dept - b.dept || a.order - b.order)
    .map((x) => x.s);

  const history = options.updates ?? (db as { updates?: readonly Update[] }).updates ?? [];
  const updates = history.filter((u) => included.has(u.itemId));

  const wb = new ExcelJS.Workbook();
  wb.creator = 'duban';
  // Fixed from `today`, not the clock, so the same data on the same day gives the same workbook.
  wb.created = excelDate(today);
  wb.modified = excelDate(today);

  addLedgerSheet(wb, model, statuses, locale, today);
  addSummarySheet(wb, model, locale, today, departmentId);

  const allItems = new Map<string, { name: { zh: string } }>([...db.targets, ...db.projects, ...db.commitments].map((i) => [i.id, i]));
  const render: RenderOptions = { locale, mode: 'ledger', departments, items: allItems, timeZone: model.timeZone };
  const itemOwner = new Map([...db.targets, ...db.projects, ...db.commitments].map((i) => [i.id, ownerName(departments, i.departmentId, locale)]));
  const updatesSheet = addTableSheet(wb, sheetTitle('updates', locale), { columns: columnsOf('updates'), rows: updates.map((u) => updateRow(u, render, itemOwner.get(u.itemId))) }, locale);
  const evidenceColumn = columnsOf('updates').findIndex((c) => c.key === 'evidence') + 1;
  if (evidenceColumn > 0) {
    updatesSheet.getColumn(evidenceColumn).eachCell((cell, n) => {
      if (n > 1 && typeof cell.value === 'object' && cell.value !== null && 'hyperlink' in cell.value) cell.font = { color: { argb: 'FF0563C1' }, underline: true };
    });
  }

  addTableSheet(wb, sheetTitle('departments', locale), { columns: columnsOf('departments'), rows: db.departments.map((d) => departmentRow(d, render)) }, locale);
  addTableSheet(wb, sheetTitle('targets', locale), { columns: columnsOf('targets'), rows: targets.map((t) => targetRow(t, render)) }, locale);
  addTableSheet(wb, sheetTitle('projects', locale), { columns: columnsOf('projects'), rows: projects.map((p) => projectRow(p, render)) }, locale);
  addTableSheet(wb, sheetTitle('commitments', locale), { columns: columnsOf('commitments'), rows: commitments.map((c) => commitmentRow(c, render)) }, locale);
  const withMilestones: Array<Project | Commitment> = [...projects, ...commitments];
  addTableSheet(wb, sheetTitle('milestones', locale), { columns: columnsOf('milestones'), rows: withMilestones.flatMap((i) => milestoneRows(i, render)) }, locale);

  return Buffer.from(await wb.xlsx.writeBuffer());
}
