/**
 * `writeLedger`: the 台账 workbook. Three sheets for people (台账: one row per item with status
 * colour, reasons, the latest progress note and who answers for it, printable on A4 landscape;
 * 汇总: departments ranked; 进展记录: every update with evidence links) and the definition sheets
 * of the template (基本信息, 部门, 指标, 项目, 承诺, 节点), so that the file imports back unchanged:
 * `readSpreadsheet(await writeLedger(model, …))` merged into the same store adds and changes nothing.
 */
import ExcelJS from 'exceljs';
import { localDate } from '../domain/dates.ts';
import type { ReadModel } from '../domain/read-model.ts';
import type { Commitment, Department, Item, Project, Target, Update } from '../domain/schema.ts';
import type { ItemStatus, Status } from '../domain/status.ts';
import { expectedShare } from '../domain/status.ts';
import { type Catalogue, formatDate, type Locale, messages, pick } from '../i18n/index.ts';
import {
  addTableSheet,
  addZoneSheet,
  columnsOf,
  commitmentRow,
  departmentRow,
  excelDate,
  milestoneRows,
  projectRow,
  type RenderOptions,
  type RowOut,
  targetRow,
  updateRow,
} from './definitions.ts';
import { addDocumentsSheet } from './documents-sheet.ts';
import { addSignSheet } from './sign-sheet.ts';
import { sheetTitle } from './template.ts';
import {
  departmentName,
  milestoneText,
  ownerName,
  reasonsInWords,
  reporterName,
  statusWord,
  targetText,
} from './words.ts';

/** What the ledger reads of a read model; any revision of `ReadModel` provides it. */
export type LedgerModel = Pick<ReadModel, 'db' | 'timeZone' | 'evaluate' | 'rollup'>;

export type LedgerOptions = {
  /** Only items this department leads or supports (all departments are still listed in 部门). */
  departmentId?: string;
  /**
   * The update history for 进展记录 and 推进情况. Defaults to `model.db.updates` when the model's
   * document carries its history; a store that keeps history elsewhere (a journal) must pass it here.
   */
  updates?: readonly Update[];
  /**
   * People's names by Slack user id, for 责任人. The store keeps only ids; where a caller knows the
   * names (from Slack's directory), it passes them here, and ids it does not know are shown as ids.
   */
  people?: ReadonlyMap<string, string>;
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

type LedgerColumn = keyof Catalogue['ledger']['columns'];

/**
 * The 台账 columns and their widths (in characters), chosen so that the printed columns (all but
 * 编号) fit the width of an A4 landscape page at a scale where Chinese stays readable; long texts wrap.
 * `en`: the width in English, where words are longer than their Chinese (目标 → Target).
 */
const LEDGER_COLUMNS: ReadonlyArray<{ key: LedgerColumn; width: number; en?: number }> = [
  { key: 'no', width: 4.5 },
  { key: 'owner', width: 9 },
  { key: 'people', width: 12 },
  { key: 'co', width: 9 },
  { key: 'kind', width: 5, en: 8 },
  { key: 'name', width: 20 },
  { key: 'target', width: 8 },
  { key: 'due', width: 10.5 },
  { key: 'expected', width: 7 },
  { key: 'actual', width: 7 },
  { key: 'unit', width: 5, en: 7 },
  { key: 'completion', width: 7, en: 8.5 },
  { key: 'status', width: 6, en: 8 },
  { key: 'reasons', width: 26 },
  { key: 'progress', width: 26 },
  { key: 'lastDate', width: 10.5 },
  { key: 'lastBy', width: 8 },
  { key: 'overdue', width: 14 },
  { key: 'next', width: 14 },
  { key: 'id', width: 20 },
];

/** How many columns are printed: all before the id, which is for finding the item in duban, not for paper. */
const PRINTED_COLUMNS = LEDGER_COLUMNS.findIndex((c) => c.key === 'id');

const SUMMARY_COLUMNS: ReadonlyArray<{ key: keyof Catalogue['ledger']['summaryColumns']; width: number }> = [
  { key: 'rank', width: 6 },
  { key: 'department', width: 16 },
  { key: 'red', width: 8 },
  { key: 'amber', width: 8 },
  { key: 'green', width: 9 },
  { key: 'done', width: 8 },
  { key: 'pending', width: 10 },
  { key: 'exempt', width: 8 },
  { key: 'total', width: 7 },
  { key: 'onTrack', width: 11 },
  { key: 'worst', width: 36 },
];

/** A latest note longer than this is shortened in 台账; 进展记录 has it whole. */
const NOTE_CHARS = 200;

/** Fraction digits of a number as written (7.5 → 1, 40 → 0, 1e-7 → 7), at most 6. */
export function decimalsOf(n: number): number {
  if (!Number.isFinite(n)) return 0;
  const [mantissa = '', exponent = '0'] = String(n).split('e');
  const fraction = mantissa.split('.')[1]?.length ?? 0;
  return Math.min(6, Math.max(0, fraction - Number(exponent)));
}

/** `x` to `decimals` fraction digits. */
export function roundTo(x: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
}

/**
 * What a cumulative target should have reached by `today`, to the precision its own figures are
 * written in: 13 项 rather than 13.333333, 36.4 万平方米 when the target is 45.5.
 */
export function expectedByToday(t: Extract<Target, { kind: 'cumulative' }>, today: string): number {
  const raw = t.baseline + expectedShare(t, today) * (t.target - t.baseline);
  return roundTo(raw, Math.max(decimalsOf(t.target), decimalsOf(t.baseline)));
}

function relevant(item: Item, departmentId: string | undefined): boolean {
  return (
    departmentId === undefined || item.departmentId === departmentId || item.coDepartmentIds.includes(departmentId)
  );
}

function fill(argb: string): ExcelJS.Fill {
  return { type: 'pattern', pattern: 'solid', fgColor: { argb } };
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** 责任人: the lead department's leads, then its liaisons, by name where known. */
function peopleOf(
  d: Department | undefined,
  people: ReadonlyMap<string, string> | undefined,
  locale: Locale,
): string | null {
  if (!d || (d.leadIds.length === 0 && d.memberIds.length === 0)) return null;
  const name = (id: string) => people?.get(id) ?? id;
  const leads = d.leadIds.map(name);
  const liaisons = d.memberIds.filter((id) => !d.leadIds.includes(id)).map(name);
  return messages(locale).ledger.people(leads, liaisons);
}

/** The latest update with a note, per item, from the history (the store's fold when the history is not at hand). */
function latestNotes(updates: readonly Update[]): Map<string, Update> {
  const latest = new Map<string, Update>();
  for (const u of updates) {
    if (!u.note?.trim()) continue;
    const known = latest.get(u.itemId);
    if (!known || Date.parse(u.at) >= Date.parse(known.at)) latest.set(u.itemId, u);
  }
  return latest;
}

type RowContext = {
  departments: ReadonlyMap<string, Department>;
  notes: ReadonlyMap<string, Update>;
  people: ReadonlyMap<string, string> | undefined;
  timeZone: string;
  locale: Locale;
  today: string;
};

function progressNote(s: ItemStatus, c: RowContext): string | null {
  const m = messages(c.locale);
  const u = c.notes.get(s.item.id);
  if (u?.note) {
    return m.ledger.progressNote(
      formatDate(localDate(new Date(u.at), c.timeZone), c.locale, c.today),
      clip(u.note.trim(), NOTE_CHARS),
    );
  }
  const last = s.progress.lastNote?.trim();
  return last ? clip(last, NOTE_CHARS) : null;
}

function ledgerRow(s: ItemStatus, n: number, c: RowContext): RowOut {
  const { departments, locale, today } = c;
  const m = messages(locale);
  const item = s.item;
  const row: RowOut = {
    no: n,
    owner: ownerName(departments, item.departmentId, locale),
    people: peopleOf(departments.get(item.departmentId), c.people, locale),
    co:
      item.coDepartmentIds.length > 0
        ? m.format.list(item.coDepartmentIds.map((id) => ownerName(departments, id, locale)))
        : null,
    kind: m.kind[s.kind],
    name: pick(item.name, locale),
    target: null,
    due: excelDate(item.period.end),
    expected: null,
    actual: null,
    unit: null,
    completion: s.completion ?? null,
    status: statusWord(s.status, locale),
    reasons: messages(locale).format.clauses(reasonsInWords(s, locale, today)) || null,
    progress: progressNote(s, c),
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
      row.expected = expectedByToday(t, today);
      row.actual = s.progress.value ?? null;
    } else {
      row.expected = t.target;
      row.actual = s.actual ?? null;
    }
  }
  return row;
}

/** Points per line of 11-point text, Chinese included (CJK fonts set their lines looser than Latin ones). */
const LINE_HEIGHT = 16;

/** Display width in character widths: a Chinese (or other wide) character takes two. */
function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text)
    w +=
      /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ||
      ch.codePointAt(0)! > 0xffff
        ? 2
        : 1;
  return w;
}

/** How many lines a wrapped cell of `width` characters takes. */
function linesOf(value: RowOut[string] | undefined, width: number): number {
  if (typeof value !== 'string') return 1;
  const usable = Math.max(1, width - 1);
  return value.split('\n').reduce((n, line) => n + Math.max(1, Math.ceil(displayWidth(line) / usable)), 0);
}

function columnLetter(col: number): string {
  let out = '';
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) out = String.fromCharCode(65 + ((n - 1) % 26)) + out;
  return out;
}

/** A4 (paper size 9) landscape, as many pages down as it takes but one page wide. */
const A4_LANDSCAPE_ONE_PAGE_WIDE = {
  paperSize: 9,
  orientation: 'landscape',
  fitToPage: true,
  fitToWidth: 1,
  fitToHeight: 0,
} as const;

/**
 * A printed 台账: A4 landscape, every printed column on one page's width (as many pages down as it
 * takes), the header row repeated on each page, narrow margins, and the page number in the footer.
 */
function setUpPrinting(ws: ExcelJS.Worksheet, lastRow: number, locale: Locale): void {
  ws.pageSetup = {
    ...ws.pageSetup,
    ...A4_LANDSCAPE_ONE_PAGE_WIDE,
    horizontalCentered: true,
    margins: { left: 0.25, right: 0.25, top: 0.5, bottom: 0.5, header: 0.2, footer: 0.2 },
    // exceljs puts a "$" before each end as given: "A$1" becomes the absolute "$A$1" that Excel writes.
    printArea: `A$1:${columnLetter(PRINTED_COLUMNS)}$${Math.max(lastRow, 2)}`,
    printTitlesRow: '2:2',
  };
  ws.headerFooter = { oddFooter: messages(locale).ledger.pageFooter };
}

function addLedgerSheet(wb: ExcelJS.Workbook, model: LedgerModel, statuses: ItemStatus[], context: RowContext): void {
  const { locale, today } = context;
  const t = messages(locale).ledger;
  const ws = wb.addWorksheet(t.sheet, { views: [{ state: 'frozen', ySplit: 2, xSplit: 0 }] });
  const widths = LEDGER_COLUMNS.map((c) => (locale === 'en' ? (c.en ?? c.width) : c.width));
  ws.columns = LEDGER_COLUMNS.map((c, i) => ({ key: c.key, width: widths[i] }));
  const title = ws.getRow(1);
  title.getCell(1).value = t.title(pick(model.db.meta.zone, locale), formatDate(today, locale));
  title.font = { bold: true, size: 14 };
  title.height = 24;
  ws.mergeCells(1, 1, 1, PRINTED_COLUMNS);
  const header = ws.getRow(2);
  header.height = LINE_HEIGHT * Math.max(...LEDGER_COLUMNS.map((c, i) => linesOf(t.columns[c.key], widths[i]!)));
  LEDGER_COLUMNS.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.value = t.columns[c.key];
    cell.font = { bold: true };
    cell.fill = fill('FFDDEBF7');
    cell.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
  });
  const thin: ExcelJS.Border = { style: 'thin', color: { argb: 'FFBFBFBF' } };
  statuses.forEach((s, i) => {
    const values = ledgerRow(s, i + 1, context);
    const row = ws.addRow(values);
    row.alignment = { vertical: 'top', wrapText: true };
    row.getCell('status').fill = fill(STATUS_FILL[s.status]);
    // Set, not left to the spreadsheet: neither Excel nor LibreOffice fits wrapped rows of a file they did not write.
    row.height = LINE_HEIGHT * Math.max(1, ...LEDGER_COLUMNS.map((c, i) => linesOf(values[c.key], widths[i]!)));
  });
  for (let r = 2; r <= ws.rowCount; r++) {
    for (let c = 1; c <= LEDGER_COLUMNS.length; c++)
      ws.getRow(r).getCell(c).border = { top: thin, left: thin, bottom: thin, right: thin };
  }
  ws.getColumn('due').numFmt = 'yyyy-mm-dd';
  ws.getColumn('lastDate').numFmt = 'yyyy-mm-dd';
  ws.getColumn('completion').numFmt = '0.0%';
  ws.autoFilter = { from: { row: 2, column: 1 }, to: { row: 2, column: LEDGER_COLUMNS.length } };
  setUpPrinting(ws, ws.rowCount, locale);
}

function addSummarySheet(
  wb: ExcelJS.Workbook,
  model: LedgerModel,
  locale: Locale,
  today: string,
  departmentId: string | undefined,
): void {
  const t = messages(locale).ledger;
  const rollup = model.rollup(today);
  const ws = wb.addWorksheet(t.summarySheet, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = SUMMARY_COLUMNS.map((c) => ({ header: t.summaryColumns[c.key], key: c.key, width: c.width }));
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
      rank: r.rank ?? null,
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
  ws.pageSetup = { ...ws.pageSetup, ...A4_LANDSCAPE_ONE_PAGE_WIDE };
}

/**
 * The 台账 ledger as an .xlsx. `today` (YYYY-MM-DD, the zone's date) sets statuses, pacing and
 * the "as of" line; `locale` the language of sheet names, headers and words.
 */
export async function writeLedger(
  model: LedgerModel,
  today: string,
  locale: Locale,
  options: LedgerOptions = {},
): Promise<Buffer> {
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
    .map((i, order) => ({
      s: evaluation.byId.get(i.id),
      order,
      dept: deptOrder.get(i.departmentId) ?? Number.MAX_SAFE_INTEGER,
    }))
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

  addLedgerSheet(wb, model, statuses, {
    departments,
    notes: latestNotes(updates),
    people: options.people,
    timeZone: model.timeZone,
    locale,
    today,
  });
  addSummarySheet(wb, model, locale, today, departmentId);
  addSignSheet(wb, db, commitments, departments, {
    locale,
    timeZone: model.timeZone,
    ...(options.people ? { people: options.people } : {}),
  });
  addDocumentsSheet(wb, db, model.timeZone, locale, departmentId);

  const allItems = new Map<string, { name: { zh: string } }>(
    [...db.targets, ...db.projects, ...db.commitments].map((i) => [i.id, i]),
  );
  const render: RenderOptions = { locale, mode: 'ledger', departments, items: allItems, timeZone: model.timeZone };
  const itemOwner = new Map(
    [...db.targets, ...db.projects, ...db.commitments].map((i) => [
      i.id,
      ownerName(departments, i.departmentId, locale),
    ]),
  );
  const updatesSheet = addTableSheet(
    wb,
    sheetTitle('updates', locale),
    { columns: columnsOf('updates'), rows: updates.map((u) => updateRow(u, render, itemOwner.get(u.itemId))) },
    locale,
  );
  const evidenceColumn = columnsOf('updates').findIndex((c) => c.key === 'evidence') + 1;
  if (evidenceColumn > 0) {
    updatesSheet.getColumn(evidenceColumn).eachCell((cell, n) => {
      if (n > 1 && typeof cell.value === 'object' && cell.value !== null && 'hyperlink' in cell.value)
        cell.font = { color: { argb: 'FF0563C1' }, underline: true };
    });
  }

  addZoneSheet(wb, locale, db.meta.zone);
  addTableSheet(
    wb,
    sheetTitle('departments', locale),
    { columns: columnsOf('departments'), rows: db.departments.map((d) => departmentRow(d, render)) },
    locale,
  );
  addTableSheet(
    wb,
    sheetTitle('targets', locale),
    { columns: columnsOf('targets'), rows: targets.map((t) => targetRow(t, render)) },
    locale,
  );
  addTableSheet(
    wb,
    sheetTitle('projects', locale),
    { columns: columnsOf('projects'), rows: projects.map((p) => projectRow(p, render)) },
    locale,
  );
  addTableSheet(
    wb,
    sheetTitle('commitments', locale),
    { columns: columnsOf('commitments'), rows: commitments.map((c) => commitmentRow(c, render)) },
    locale,
  );
  const withMilestones: Array<Project | Commitment> = [...projects, ...commitments];
  addTableSheet(
    wb,
    sheetTitle('milestones', locale),
    { columns: columnsOf('milestones'), rows: withMilestones.flatMap((i) => milestoneRows(i, render)) },
    locale,
  );

  return Buffer.from(await wb.xlsx.writeBuffer());
}
