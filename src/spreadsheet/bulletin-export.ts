/**
 * The progress bulletin (通报) for export: `buildBulletin`'s data (src/domain/bulletin.ts) rendered
 * as an .xlsx for the office's files and as Markdown for pasting into a document. Both say the same
 * thing in the same order: the overview, departments ranked, what changed since the previous
 * bulletin (when there was one), every item behind or at risk with its reasons, overdue milestones.
 */
import ExcelJS from 'exceljs';
import type { DrawnChart } from '../charts/bulletin.ts';
import type { Bulletin } from '../domain/bulletin.ts';
import { daysBetween } from '../domain/dates.ts';
import type { ReadModel } from '../domain/read-model.ts';
import type { Department } from '../domain/schema.ts';
import type { MonthlyScores } from '../domain/scoring.ts';
import { compareWorstFirst, type ItemStatus, isBehind, type Status } from '../domain/status.ts';
import { formatDate, formatNumber, type Locale, messages, pick } from '../i18n/index.ts';
import { excelDate } from './definitions.ts';
import { STATUS_FILL } from './ledger.ts';
import { departmentName, ownerName, reasonsInWords, statusWord } from './words.ts';

/** A chart drawn for the bulletin, and the file name the Markdown refers to it by (written beside it). */
export type BulletinChart = DrawnChart & { file: string };

/** What the export reads besides the bulletin: the zone's name, departments and sample notice. */
export type BulletinContext = Pick<ReadModel, 'db'>;

/** Every item behind or at risk, worst first: each department's counted items, without repeats. */
export function behindItems(bulletin: Bulletin): ItemStatus[] {
  const seen = new Map<string, ItemStatus>();
  for (const d of bulletin.departments) for (const s of d.items) if (isBehind(s)) seen.set(s.item.id, s);
  return [...seen.values()].sort(compareWorstFirst);
}

function departmentsOf(ctx: BulletinContext): Map<string, Department> {
  return new Map(ctx.db.departments.map((d) => [d.id, d]));
}

function share(x: number | undefined, locale: Locale): string {
  return x === undefined ? '—' : messages(locale).format.percent(formatNumber(x * 100, locale, 1));
}

function joinReasons(s: ItemStatus, locale: Locale, today: string): string {
  return messages(locale).format.clauses(reasonsInWords(s, locale, today));
}

type OverdueRow = { status: ItemStatus; name: { zh: string; en?: string | undefined }; due: string; days: number };

function overdueRows(bulletin: Bulletin): OverdueRow[] {
  return bulletin.overdue.flatMap((s) =>
    s.overdue.map((m) => ({ status: s, name: m.name, due: m.due, days: daysBetween(m.due, bulletin.today) })),
  );
}

// ---------------------------------------------------------------------------------------------
// Markdown

/** Markdown table cells and list items: pipes and line breaks would break the layout. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** An image reference; the alt text is the chart's figures in words, the file the PNG beside the Markdown. */
function imageLine(chart: BulletinChart): string {
  const alt = chart.image.alt.replace(/[[\]\\]/g, '\\$&').replace(/\r?\n/g, ' ');
  const file = /[\s()<>]/.test(chart.file) ? `<${chart.file}>` : chart.file;
  return `![${alt}](${file})`;
}

/**
 * The bulletin as Markdown, for pasting into a document; with `charts`, the ranking chart under the
 * ranking's heading and the projects chart after its table, as images referring to the files beside it.
 */
export function writeBulletinExportMarkdown(
  bulletin: Bulletin,
  ctx: BulletinContext,
  locale: Locale,
  charts: readonly BulletinChart[] = [],
): string {
  const t = messages(locale).bulletinExport;
  const departments = departmentsOf(ctx);
  const owner = (s: ItemStatus) => cell(ownerName(departments, s.item.departmentId, locale));
  const c = bulletin.counts;
  const total = c.red + c.amber + c.green + c.done + c.pending + c.exempt;
  const lines = [`# ${t.title(pick(ctx.db.meta.zone, locale), formatDate(bulletin.today, locale))}`, ''];
  if (bulletin.since) lines.push(`*${t.since(formatDate(bulletin.since, locale))}*`, '');
  lines.push(t.overview(total, c.red, c.amber, c.green, c.done), '');

  let n = 0;
  lines.push(t.heading(++n, t.sections.ranking), '');
  for (const chart of charts) if (chart.kind === 'ranking') lines.push(imageLine(chart), '');
  const head = t.ranking.slice(0, 9);
  lines.push(`| ${head.join(' | ')} |`, `|${head.map(() => ' --- ').join('|')}|`);
  for (const r of bulletin.departments) {
    const k = r.counts;
    lines.push(
      `| ${r.rank ?? messages(locale).list.rank(undefined)} | ${cell(departmentName(r.department, locale))} | ${k.red} | ${k.amber} | ${k.green} | ${k.done} | ${k.pending} | ${k.exempt} | ${share(r.onTrackShare, locale)} |`,
    );
  }
  lines.push('', `*${messages(locale).list.rankedBy}*`, '');
  for (const chart of charts) if (chart.kind !== 'ranking') lines.push(imageLine(chart), '');

  if (bulletin.since) {
    lines.push(t.heading(++n, t.sections.changes), '');
    if (bulletin.changes.length === 0) lines.push(t.none);
    for (const ch of bulletin.changes) {
      const arrow = `${statusWord(ch.from, locale)} → ${statusWord(ch.to, locale)}`;
      const name = cell(pick(ch.status.item.name, locale));
      lines.push(t.changeLine(name, owner(ch.status), arrow));
    }
    lines.push('');
  }

  const behind = behindItems(bulletin);
  lines.push(t.heading(++n, t.sections.behind), '');
  if (behind.length === 0) lines.push(t.none);
  for (const s of behind) {
    const name = cell(pick(s.item.name, locale));
    const reasons = cell(joinReasons(s, locale, bulletin.today));
    const status = statusWord(s.status, locale);
    lines.push(t.behindLine(status, name, owner(s), reasons));
  }
  lines.push('');

  lines.push(t.heading(++n, t.sections.overdue), '');
  const overdue = overdueRows(bulletin);
  if (overdue.length === 0) lines.push(t.none);
  for (const o of overdue) {
    const item = cell(pick(o.status.item.name, locale));
    const milestone = cell(pick(o.name, locale));
    const due = formatDate(o.due, locale, bulletin.today);
    lines.push(t.overdueLine(item, owner(o.status), milestone, due, o.days));
  }
  lines.push('');
  if (ctx.db.meta.sampleNotice) lines.push(`> ${t.sample}`, '');
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Workbook

function fill(argb: string): ExcelJS.Fill {
  return { type: 'pattern', pattern: 'solid', fgColor: { argb } };
}

const HEADER_FILL = 'FFDDEBF7';

function headerRow(ws: ExcelJS.Worksheet, titles: readonly string[], widths: readonly number[]): void {
  const row = ws.addRow([...titles]);
  row.font = { bold: true };
  row.alignment = { vertical: 'middle', wrapText: true };
  titles.forEach((_, i) => {
    row.getCell(i + 1).fill = fill(HEADER_FILL);
    ws.getColumn(i + 1).width = Math.max(ws.getColumn(i + 1).width ?? 0, widths[i] ?? 10);
  });
}

function tableSheet(
  wb: ExcelJS.Workbook,
  name: string,
  titles: readonly string[],
  widths: readonly number[],
): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  headerRow(ws, titles, widths);
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: titles.length } };
  return ws;
}

function statusCell(row: ExcelJS.Row, column: number, status: Status): void {
  row.getCell(column).fill = fill(STATUS_FILL[status]);
}

/** Charts are placed this wide (CSS pixels) on the 图表 sheet: a column of 110 characters, one A4 page across. */
const CHART_WIDTH = 760;
const ROW_PX = 20;

/** 图表: each chart's title, its figures in words, and the picture, one under the other. */
function chartsSheet(wb: ExcelJS.Workbook, name: string, charts: readonly BulletinChart[]): void {
  const ws = wb.addWorksheet(name, {
    pageSetup: { paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  ws.getColumn(1).width = 110;
  let row = 1;
  for (const chart of charts) {
    const title = ws.getRow(row);
    title.getCell(1).value = chart.image.title;
    title.font = { bold: true, size: 13 };
    const alt = ws.getRow(row + 1);
    alt.getCell(1).value = chart.image.alt;
    alt.alignment = { vertical: 'top', wrapText: true };
    alt.height = 15 * Math.max(1, Math.ceil([...chart.image.alt].length / 70));
    const height = Math.round((chart.image.height * CHART_WIDTH) / chart.image.width);
    const id = wb.addImage({ buffer: chart.image.png as unknown as ExcelJS.Buffer, extension: 'png' });
    ws.addImage(id, { tl: { col: 0, row: row + 1 }, ext: { width: CHART_WIDTH, height }, editAs: 'oneCell' });
    row += 3 + Math.ceil(height / ROW_PX);
  }
}

/**
 * The bulletin as an .xlsx: 通报 (overview and ranking), 图表 when charts are given, 落后和预警, 逾期节点,
 * and 状态变化 when compared with a previous one.
 */
export async function writeBulletinWorkbook(
  bulletin: Bulletin,
  ctx: BulletinContext,
  locale: Locale,
  monthly?: MonthlyScores,
  charts: readonly BulletinChart[] = [],
): Promise<Buffer> {
  const t = messages(locale).bulletinExport;
  const departments = departmentsOf(ctx);
  const owner = (s: ItemStatus) => ownerName(departments, s.item.departmentId, locale);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'duban';
  // From the bulletin's date, not the clock: the same data on the same day gives the same file.
  wb.created = excelDate(bulletin.today);
  wb.modified = wb.created;

  const main = wb.addWorksheet(t.sheets.bulletin);
  const widths = [6, 16, 8, 8, 9, 8, 10, 8, 11, 44];
  const title = main.addRow([t.title(pick(ctx.db.meta.zone, locale), formatDate(bulletin.today, locale))]);
  title.font = { bold: true, size: 14 };
  main.mergeCells(1, 1, 1, widths.length);
  const c = bulletin.counts;
  main.addRow([t.overview(c.red + c.amber + c.green + c.done + c.pending + c.exempt, c.red, c.amber, c.green, c.done)]);
  main.mergeCells(2, 1, 2, widths.length);
  if (bulletin.since) {
    main.addRow([t.since(formatDate(bulletin.since, locale))]);
    main.mergeCells(3, 1, 3, widths.length);
  }
  main.addRow([]);
  headerRow(main, t.ranking, widths);
  const statusColumns: Status[] = ['red', 'amber', 'green', 'done', 'pending', 'exempt'];
  const header = main.lastRow!;
  statusColumns.forEach((s, i) => (header.getCell(i + 3).fill = fill(STATUS_FILL[s])));
  for (const r of bulletin.departments) {
    const k = r.counts;
    const worst = r.worst
      ? t.worst(pick(r.worst.item.name, locale), reasonsInWords(r.worst, locale, bulletin.today)[0] ?? '')
      : null;
    const row = main.addRow([
      r.rank ?? messages(locale).list.rank(undefined),
      departmentName(r.department, locale),
      k.red,
      k.amber,
      k.green,
      k.done,
      k.pending,
      k.exempt,
      r.onTrackShare ?? null,
      worst,
    ]);
    row.alignment = { vertical: 'top', wrapText: true };
    row.getCell(9).numFmt = '0.0%';
  }
  if (ctx.db.meta.sampleNotice) {
    main.addRow([]);
    main.addRow([t.sample]);
  }

  if (charts.length > 0) chartsSheet(wb, t.sheets.charts, charts);

  const behindSheet = tableSheet(wb, t.sheets.behind, t.behind, [6, 8, 12, 9, 32, 60, 22]);
  behindItems(bulletin).forEach((s, i) => {
    const row = behindSheet.addRow([
      i + 1,
      statusWord(s.status, locale),
      owner(s),
      messages(locale).kind[s.kind],
      pick(s.item.name, locale),
      joinReasons(s, locale, bulletin.today),
      s.item.id,
    ]);
    row.alignment = { vertical: 'top', wrapText: true };
    statusCell(row, 2, s.status);
  });

  const overdueSheet = tableSheet(wb, t.sheets.overdue, t.overdue, [12, 32, 28, 13, 10, 22]);
  for (const o of overdueRows(bulletin)) {
    const row = overdueSheet.addRow([
      owner(o.status),
      pick(o.status.item.name, locale),
      pick(o.name, locale),
      excelDate(o.due),
      o.days,
      o.status.item.id,
    ]);
    row.getCell(4).numFmt = 'yyyy-mm-dd';
    row.alignment = { vertical: 'top', wrapText: true };
  }

  if (bulletin.since) {
    const changes = tableSheet(wb, t.sheets.changes, t.changes, [12, 32, 9, 9, 8, 22]);
    for (const ch of bulletin.changes) {
      const row = changes.addRow([
        owner(ch.status),
        pick(ch.status.item.name, locale),
        statusWord(ch.from, locale),
        statusWord(ch.to, locale),
        ch.direction === 'better' ? t.better : t.worse,
        ch.status.item.id,
      ]);
      statusCell(row, 3, ch.from);
      statusCell(row, 4, ch.to);
    }
  }
  if (monthly) monthlySheet(wb, monthly, locale);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** 月度评价: the monthly results (src/domain/scoring.ts), one row per department, and the formula under them. */
function monthlySheet(wb: ExcelJS.Workbook, scores: MonthlyScores, locale: Locale): void {
  const m = messages(locale).scoring;
  const ws = tableSheet(wb, m.sheet, m.columns, [10, 16, 8, 8, 9, 8, 8, 8, 8, 9, 10]);
  for (const d of scores.departments) {
    ws.addRow([
      d.rank ?? (d.nothingDue ? '—' : messages(locale).list.rank(undefined)),
      departmentName(d.department, locale),
      d.score ?? m.nothingDueTitle,
      d.reports.due,
      d.reports.onTime,
      d.reports.late,
      d.reports.missing,
      d.overdue.length,
      d.done.total,
      d.done.onTime,
      d.gap ? d.gap.points : null,
    ]).alignment = { vertical: 'top', wrapText: true };
  }
  ws.addRow([]);
  ws.addRow([m.month(scores.month)]);
  ws.addRow([m.formula]);
}
