/**
 * Records to rows of the template's sheets (部门, 指标, 项目, 承诺, 节点, 进展记录): the inverse of
 * the importer, written so that reading a sheet back gives the same records exactly. Used by the
 * ledger (ids everywhere) and by the template (names, ids left to derive).
 */
import type ExcelJS from 'exceljs';
import { localDate } from '../domain/dates.ts';
import type { Commitment, Department, Milestone, Project, Target, Update } from '../domain/schema.ts';
import { type Locale, pick } from '../i18n/index.ts';
import { type EvidenceLink, formatCheckpoints, formatEvidence, joinTextList } from './cells.ts';
import { type ColumnDef, helpText, SHEETS, type SheetKind, ZONE_SHEET } from './template.ts';

export type CellOut = string | number | Date | { text: string; hyperlink: string } | null;
export type RowOut = Record<string, CellOut>;

export type RenderOptions = {
  locale: Locale;
  /** 'ledger': ids in every id and reference column. 'template': id columns empty, references by name. */
  mode: 'ledger' | 'template';
  departments: ReadonlyMap<string, Department>;
  items: ReadonlyMap<string, { name: { zh: string } }>;
  timeZone: string;
};

/** A civil date as the Date exceljs writes as that day (UTC midnight). */
export function excelDate(iso: string): Date {
  return new Date(`${iso}T00:00:00Z`);
}

const WORDS = {
  'zh-CN': {
    yes: '是',
    no: '否',
    kind: { cumulative: '累计', level: '水平' },
    cadence: { weekly: '每周', monthly: '每月', quarterly: '每季度', none: '不报送' },
    state: { planned: '计划', in_progress: '推进中', blocked: '受阻', delayed: '延期', done: '完成' },
  },
  en: {
    yes: 'yes',
    no: 'no',
    kind: { cumulative: 'cumulative', level: 'level' },
    cadence: { weekly: 'weekly', monthly: 'monthly', quarterly: 'quarterly', none: 'none' },
    state: { planned: 'planned', in_progress: 'in progress', blocked: 'blocked', delayed: 'delayed', done: 'done' },
  },
} as const;

export function choiceWords(locale: Locale) {
  return WORDS[locale];
}

function bool(v: boolean | undefined, o: RenderOptions): CellOut {
  return v === undefined ? null : v ? WORDS[o.locale].yes : WORDS[o.locale].no;
}

function list(items: readonly string[] | undefined): CellOut {
  return items && items.length > 0 ? joinTextList(items) : null;
}

function opt<T>(v: T | undefined): T | null {
  return v === undefined ? null : v;
}

function departmentRef(id: string, o: RenderOptions): string {
  if (o.mode === 'ledger') return id;
  const d = o.departments.get(id);
  return d ? (d.shortName.zh ?? d.name.zh) : id;
}

function itemRef(id: string, o: RenderOptions): string {
  return o.mode === 'ledger' ? id : (o.items.get(id)?.name.zh ?? id);
}

function idCell(id: string, o: RenderOptions): CellOut {
  return o.mode === 'ledger' ? id : null;
}

export function departmentRow(d: Department, o: RenderOptions): RowOut {
  return {
    id: idCell(d.id, o),
    name: d.name.zh,
    nameEn: opt(d.name.en),
    short: opt(d.shortName.zh),
    shortEn: opt(d.shortName.en),
    aliases: list(d.aliases),
    channel: opt(d.channelId),
    members: d.memberIds.length > 0 ? d.memberIds.join(' ') : null,
    leads: d.leadIds.length > 0 ? d.leadIds.join(' ') : null,
    ranked: bool(d.ranked, o),
    sample: bool(d.sample, o),
    source: opt(d.source),
  };
}

type AnyItem = Target | Project | Commitment;

function itemCommon(item: AnyItem, o: RenderOptions): RowOut {
  return {
    id: idCell(item.id, o),
    owner: departmentRef(item.departmentId, o),
    co: item.coDepartmentIds.length > 0 ? item.coDepartmentIds.map((id) => departmentRef(id, o)).join('；') : null,
    name: item.name.zh,
    nameEn: opt(item.name.en),
    category: opt(item.category?.zh),
    categoryEn: opt(item.category?.en),
    tags: list(item.tags),
    start: excelDate(item.period.start),
    end: excelDate(item.period.end),
    cadence: WORDS[o.locale].cadence[item.reporting.cadence],
    grace: item.reporting.graceDays,
    sample: bool(item.sample, o),
    source: opt(item.source),
  };
}

export function targetRow(t: Target, o: RenderOptions): RowOut {
  const row = itemCommon(t, o);
  row.kind = WORDS[o.locale].kind[t.kind];
  row.target = t.target;
  row.unit = t.unit.zh;
  row.unitEn = opt(t.unit.en);
  if (t.kind === 'cumulative') {
    row.baseline = t.baseline;
    row.checkpoints = t.checkpoints.length > 0 ? formatCheckpoints(t.checkpoints) : null;
  } else {
    row.comparator = t.comparator === 'atLeast' ? '≥' : '≤';
    row.tolerance = t.tolerance;
  }
  return row;
}

export function projectRow(p: Project, o: RenderOptions): RowOut {
  return itemCommon(p, o);
}

export function commitmentRow(c: Commitment, o: RenderOptions): RowOut {
  const row = itemCommon(c, o);
  row.pledge = c.pledge.zh;
  row.pledgeEn = opt(c.pledge.en);
  row.targets = c.targetIds.length > 0 ? c.targetIds.map((id) => itemRef(id, o)).join('；') : null;
  row.projects = c.projectIds.length > 0 ? c.projectIds.map((id) => itemRef(id, o)).join('；') : null;
  return row;
}

export function milestoneRows(item: Project | Commitment, o: RenderOptions): RowOut[] {
  return item.milestones.map((m: Milestone) => ({
    item: itemRef(item.id, o),
    id: idCell(m.id, o),
    name: m.name.zh,
    nameEn: opt(m.name.en),
    due: excelDate(m.due),
  }));
}

/** Evidence as the schema has it now ({kind, url, name?, fileId?}[]), or as a bare URL string from older data. */
export function evidenceOf(u: Update): EvidenceLink[] {
  const raw = (u as { evidence?: unknown }).evidence;
  if (typeof raw === 'string') return raw ? [{ kind: 'link', url: raw }] : [];
  if (!Array.isArray(raw)) return [];
  return raw.filter(
    (e): e is EvidenceLink => typeof e === 'object' && e !== null && typeof (e as EvidenceLink).url === 'string',
  );
}

export function updateRow(u: Update, o: RenderOptions, owner: string | undefined): RowOut {
  const evidence = evidenceOf(u);
  const evidenceText = evidence.length > 0 ? formatEvidence(evidence) : null;
  return {
    date: excelDate(localDate(new Date(u.at), o.timeZone)),
    dept: owner ?? null,
    itemName: opt(o.items.get(u.itemId)?.name.zh),
    value: opt(u.value),
    percent: opt(u.percent),
    state: u.state ? WORDS[o.locale].state[u.state] : null,
    milestone: opt(u.milestoneId),
    note: opt(u.note),
    by: u.by,
    evidence: evidenceText && evidence[0] ? { text: evidenceText, hyperlink: evidence[0].url } : evidenceText,
    source: u.source,
    sample: bool(u.sample, o),
    item: o.mode === 'ledger' ? u.itemId : null,
    id: idCell(u.id, o),
    at: o.mode === 'ledger' ? u.at : null,
  };
}

export const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
const DATE_FORMAT = 'yyyy-mm-dd';

export type SheetSpec = { columns: readonly ColumnDef[]; rows: readonly RowOut[] };

/** Adds a sheet with a styled, frozen, filterable header and one row per `rows` entry. */
export function addTableSheet(
  wb: ExcelJS.Workbook,
  name: string,
  spec: SheetSpec,
  locale: Locale,
  options: { required?: boolean } = {},
): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = spec.columns.map((c) => ({ header: pick(c, locale), key: c.key, width: c.width }));
  const header = ws.getRow(1);
  header.font = { bold: true };
  header.alignment = { vertical: 'middle', wrapText: true };
  spec.columns.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.fill = HEADER_FILL;
    if (options.required && c.required) cell.font = { bold: true, color: { argb: 'FFC00000' } };
  });
  for (const row of spec.rows) ws.addRow(row);
  spec.columns.forEach((c, i) => {
    if (c.format === 'date') ws.getColumn(i + 1).numFmt = DATE_FORMAT;
    if (
      c.format === 'longText' ||
      c.format === 'textList' ||
      c.format === 'checkpoints' ||
      c.format === 'itemList' ||
      c.format === 'link'
    ) {
      ws.getColumn(i + 1).alignment = { wrapText: true, vertical: 'top' };
    }
  });
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: spec.columns.length } };
  return ws;
}

/** The columns of a definition sheet as the ledger writes it, in template order: the template's 示例行 marker left out. */
export function columnsOf(kind: SheetKind): readonly ColumnDef[] {
  return SHEETS[kind].columns.filter((c) => c.format !== 'example');
}

/** The 基本信息 (Zone) sheet: per line a label, its value (the zone's name, when known) and what it is. */
export function addZoneSheet(
  wb: ExcelJS.Workbook,
  locale: Locale,
  zone: { zh?: string; en?: string | undefined },
): void {
  const h = ZONE_SHEET.headers;
  const ws = wb.addWorksheet(pick(ZONE_SHEET, locale));
  ws.columns = [
    { header: pick(h.field, locale), key: 'field', width: 14 },
    { header: pick(h.value, locale), key: 'value', width: 36 },
    { header: pick(h.help, locale), key: 'help', width: 70 },
  ];
  const header = ws.getRow(1);
  header.font = { bold: true };
  header.eachCell((cell) => (cell.fill = HEADER_FILL));
  const given = { zone: zone.zh, zoneEn: zone.en };
  for (const f of ZONE_SHEET.fields) {
    const row = ws.addRow({ field: pick(f, locale), value: given[f.key] ?? null, help: helpText(f, locale) });
    row.alignment = { vertical: 'top', wrapText: true };
    row.getCell('value').border = { bottom: { style: 'thin', color: { argb: 'FF808080' } } };
  }
  ws.getCell('B2').font = { bold: true, size: 12 };
}
