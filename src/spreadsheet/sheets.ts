/**
 * From bytes to tables: load the workbook (or CSV) with exceljs, decide what each sheet holds, find
 * its header row, map headers to template columns, and read every non-empty row's cells to scalars.
 * Structural problems (missing or duplicate columns, merged cells, unreadable cells) are collected here.
 */
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Catalogue } from '../i18n/index.ts';
import { readCellValue, type Scalar } from './cells.ts';
import { detectFormat } from './detect.ts';
import { guardCsv, guardWorkbook, type LimitProblem, type WorkbookLimits } from './limits.ts';
import { type Bilingual, fromCatalogues, type ProblemList, worded } from './problems.ts';
import {
  type ColumnDef,
  columnDef,
  columnForHeader,
  kindOfSheetName,
  normalizeHeader,
  SHEETS,
  type SheetKind,
  SIGNATURES,
  ZONE_SHEET,
  type ZoneField,
  zoneFieldForLabel,
} from './template.ts';

export type TableColumn = { def: ColumnDef; col: number; header: string };

export type TableRow = {
  /** Row number as Excel shows it. */
  n: number;
  cells: Map<string, Scalar>;
  links: Map<string, string>;
  /** Columns of this row already reported as bad, so later checks do not repeat them. */
  bad: Set<string>;
};

export type Table = {
  sheet: string;
  kind: SheetKind;
  headerRow: number;
  columns: Map<string, TableColumn>;
  rows: TableRow[];
  /** A required column is missing: the rows were not read. */
  unusable: boolean;
};

export type LoadLimits = { maxBytes: number; maxRows: number; workbook: WorkbookLimits };

/** What the 基本信息 (Zone) sheet says: each field's value, and where. */
export type ZoneSheet = {
  sheet: string;
  values: Map<ZoneField['key'], { scalar: Scalar; row: number; label: string }>;
};

export type Loaded = { tables: Table[]; rows: number; zone?: ZoneSheet };

/** How many rows from the top are searched for the header (titles above it are common in 台账). */
const HEADER_SEARCH_ROWS = 10;

/** Loads `bytes` as a workbook; on failure, `problems` says why and nothing else is returned. */
export async function loadTables(
  bytes: Buffer,
  fileName: string,
  limits: LoadLimits,
  problems: ProblemList,
  warnings: ProblemList,
): Promise<Loaded | undefined> {
  const fileLabel = basename(fileName) || fileName;
  if (bytes.length > limits.maxBytes) {
    const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
    problems.add(
      fileLabel,
      worded((m) => m.fileTooLarge(mb(bytes.length), mb(limits.maxBytes))),
    );
    return undefined;
  }
  const detected = detectFormat(bytes);
  if (detected.format === 'refused') {
    problems.add(fileLabel, detected.message);
    return undefined;
  }
  const damaged = (reason: string): Bilingual => worded((m) => m.notWorkbook(reason));
  const report = (found: readonly LimitProblem[]) => {
    for (const p of found) problems.add(p.sheet ?? fileLabel, p.message, p.row);
  };
  // Bounded before exceljs sees anything: it holds the whole workbook in memory (see limits.ts).
  let archive: Buffer | undefined;
  if (detected.format === 'xlsx') {
    const guarded = guardWorkbook(bytes, limits.workbook);
    if (!guarded.ok) {
      if (guarded.damaged !== undefined) problems.add(fileLabel, damaged(guarded.damaged));
      else report(guarded.problems);
      return undefined;
    }
    report(guarded.problems);
    archive = guarded.zip;
  } else {
    const found = guardCsv(detected.text, detected.delimiter, limits.workbook);
    if (found.length > 0) return void report(found);
  }
  const workbook = new ExcelJS.Workbook();
  const isCsv = detected.format === 'csv';
  try {
    if (archive) {
      // exceljs declares its own global `Buffer` (an ArrayBuffer); at run time it takes Node's.
      await workbook.xlsx.load(archive as unknown as Parameters<typeof workbook.xlsx.load>[0]);
    } else if (detected.format === 'csv') {
      await workbook.csv.read(Readable.from([detected.text]), {
        sheetName: fileLabel,
        // Keep every field as the text it is: ids such as 001 and dates are parsed per column later.
        map: (datum: unknown) => datum,
        parserOptions: { delimiter: detected.delimiter },
      });
    }
  } catch (e) {
    const reason = (e as Error).message.split('\n')[0]?.slice(0, 200) ?? '';
    problems.add(fileLabel, isCsv ? worded((m) => m.badCsv(reason)) : damaged(reason));
    return undefined;
  }
  const tables: Table[] = [];
  let rows = 0;
  let zone: ZoneSheet | undefined;
  for (const ws of workbook.worksheets) {
    const sheet = isCsv ? fileLabel : ws.name;
    const named = isCsv ? undefined : kindOfSheetName(ws.name);
    if (named === 'report') continue;
    if (named === 'zone') {
      zone ??= readZoneSheet(ws, sheet, warnings);
      continue;
    }
    const table = named
      ? tableOfKind(ws, sheet, named, problems, warnings)
      : sniffTable(ws, sheet, isCsv, problems, warnings);
    if (!table) continue;
    tables.push(table);
    if (table.unusable) continue;
    checkMerges(ws, table, problems);
    const read = readRows(ws, table, limits.maxRows - rows, problems);
    rows += read.count;
    if (read.overflow) break;
  }
  if (tables.length === 0 && !zone && problems.length === 0) {
    problems.add(
      fileLabel,
      worded((m) => m.noSheet(Object.values(SHEETS))),
    );
  }
  return zone ? { tables, rows, zone } : { tables, rows };
}

/** How many rows of the 基本信息 sheet are read: it has a few lines, not a table. */
const ZONE_ROWS = 50;

/** The 基本信息 sheet: on each line a field's label, and its value in the next cell to the right. */
function readZoneSheet(ws: ExcelJS.Worksheet, sheet: string, warnings: ProblemList): ZoneSheet {
  const values: ZoneSheet['values'] = new Map();
  const headers = new Set(
    Object.values(ZONE_SHEET.headers)
      .flatMap((h) => [h.zh, h.en])
      .map(normalizeHeader),
  );
  for (let n = 1; n <= Math.min(ZONE_ROWS, ws.rowCount); n++) {
    const cells = headerTexts(ws, n);
    const first = cells[0];
    if (!first || headers.has(normalizeHeader(first.text))) continue;
    const field = zoneFieldForLabel(first.text);
    if (!field) {
      const fields = (m: Catalogue, lang: 'zh' | 'en') =>
        ZONE_SHEET.fields.map((f) => f[lang]).join(m.importProblems.listSeparator);
      warnings.add(
        sheet,
        fromCatalogues((m, _q, lang) => m.sheetImport.zoneUnknownField(fields(m, lang))),
        n,
        first.text,
      );
      continue;
    }
    const cell = ws.findRow(n)?.findCell(first.col + 1);
    const read = cell ? readCellValue(cell.value, cell.numFmt) : undefined;
    if (read?.ok && read.value.scalar.t !== 'empty' && !values.has(field.key))
      values.set(field.key, { scalar: read.value.scalar, row: n, label: first.text });
  }
  return { sheet, values };
}

function headerTexts(ws: ExcelJS.Worksheet, rowNumber: number): Array<{ col: number; text: string }> {
  const out: Array<{ col: number; text: string }> = [];
  ws.getRow(rowNumber).eachCell({ includeEmpty: false }, (cell, col) => {
    const r = readCellValue(cell.value, cell.numFmt);
    if (r.ok && r.value.scalar.t !== 'empty') {
      const s = r.value.scalar;
      out.push({ col, text: s.t === 'text' ? s.v : String(s.t === 'number' || s.t === 'bool' ? s.v : '') });
    }
  });
  return out;
}

function lastHeaderRow(ws: ExcelJS.Worksheet): number {
  return Math.min(HEADER_SEARCH_ROWS, ws.rowCount);
}

/** A sheet whose name gave its kind: the header is the row (of the first ten) naming the most columns. */
function tableOfKind(
  ws: ExcelJS.Worksheet,
  sheet: string,
  kind: SheetKind,
  problems: ProblemList,
  warnings: ProblemList,
): Table | undefined {
  let best = { row: 0, count: 0 };
  for (let n = 1; n <= lastHeaderRow(ws); n++) {
    const count = headerTexts(ws, n).filter((h) => columnForHeader(kind, h.text)).length;
    if (count > best.count) best = { row: n, count };
  }
  if (best.count === 0) {
    if (ws.actualRowCount === 0) return undefined;
    const def = SHEETS[kind];
    const required = def.columns.filter((c) => c.required).map((c) => c.zh);
    problems.add(
      sheet,
      worded((m, q) => m.noHeaderRow(HEADER_SEARCH_ROWS, required.map(q).join(m.listSeparator))),
    );
    return undefined;
  }
  return mapHeader(ws, sheet, kind, best.row, problems, warnings);
}

/** A sheet whose name says nothing (a CSV, "Sheet1"): its headers decide, or it is skipped with a warning. */
function sniffTable(
  ws: ExcelJS.Worksheet,
  sheet: string,
  isCsv: boolean,
  problems: ProblemList,
  warnings: ProblemList,
): Table | undefined {
  for (let n = 1; n <= lastHeaderRow(ws); n++) {
    const headers = new Set(headerTexts(ws, n).map((h) => normalizeHeader(h.text)));
    for (const sig of SIGNATURES) {
      if (sig.anyOf.some((h) => headers.has(normalizeHeader(h)))) {
        if (!isCsv) {
          const def = SHEETS[sig.kind];
          warnings.add(
            sheet,
            worded((m) => m.sheetReadAs(def)),
          );
        }
        return mapHeader(ws, sheet, sig.kind, n, problems, warnings);
      }
    }
  }
  if (ws.actualRowCount === 0) return undefined;
  const message: Bilingual = isCsv ? worded((m) => m.csvUnknown) : worded((m) => m.sheetUnknown(Object.values(SHEETS)));
  (isCsv ? problems : warnings).add(sheet, message);
  return undefined;
}

function mapHeader(
  ws: ExcelJS.Worksheet,
  sheet: string,
  kind: SheetKind,
  headerRow: number,
  problems: ProblemList,
  warnings: ProblemList,
): Table {
  const columns = new Map<string, TableColumn>();
  for (const h of headerTexts(ws, headerRow)) {
    const def = columnForHeader(kind, h.text);
    if (!def) {
      warnings.add(
        sheet,
        worded((m) => m.columnUnknown),
        headerRow,
        h.text,
      );
      continue;
    }
    const existing = columns.get(def.key);
    if (existing) {
      problems.add(
        sheet,
        worded((m) => m.columnTwice(existing.header, def)),
        headerRow,
        h.text,
      );
      continue;
    }
    if (!def.displayOnly) columns.set(def.key, { def, col: h.col, header: h.text });
  }
  // Said once for the sheet, as the cause: its rows are not read, so nothing follows from them.
  const def = SHEETS[kind];
  const missing = [
    ...def.columns.filter((c) => c.required).map((c) => [c]),
    ...(def.requiredOneOf ?? []).map((keys) => keys.map((k) => columnDef(kind, k))),
  ].filter((group) => !group.some((c) => columns.has(c.key)));
  if (missing.length > 0) {
    const groups = missing.map((group) => ({ zh: group.map((c) => c.zh), en: group.map((c) => c.en) }));
    problems.add(
      sheet,
      fromCatalogues((m) => m.sheetImport.missingColumns(groups)),
      headerRow,
    );
  }
  return { sheet, kind, headerRow, columns, rows: [], unusable: missing.length > 0 };
}

function columnLetter(col: number): string {
  let s = '';
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

function decodeAddress(address: string): { row: number; col: number } | undefined {
  const m = /^\$?([A-Z]+)\$?(\d+)$/.exec(address);
  if (!m) return undefined;
  let col = 0;
  for (const ch of m[1]!) col = col * 26 + (ch.charCodeAt(0) - 64);
  return { row: Number(m[2]), col };
}

/** Merged cells at or below the header: each row must say everything itself, so these are refused. */
function checkMerges(ws: ExcelJS.Worksheet, table: Table, problems: ProblemList): void {
  if (!ws.hasMerges) return;
  for (const range of ws.model.merges ?? []) {
    const [a, b] = range.split(':');
    const from = a ? decodeAddress(a) : undefined;
    const to = b ? decodeAddress(b) : from;
    if (!from || !to || to.row < table.headerRow) continue;
    const column = [...table.columns.values()].find((c) => c.col >= from.col && c.col <= to.col);
    const where = `${columnLetter(from.col)}${from.row}:${columnLetter(to.col)}${to.row}`;
    problems.add(
      table.sheet,
      worded((m) => m.mergedCells(where)),
      from.row,
      column?.header,
    );
  }
}

/** Reads the rows below the header; returns how many were not empty, and whether `budget` ran out. */
function readRows(
  ws: ExcelJS.Worksheet,
  table: Table,
  budget: number,
  problems: ProblemList,
): { count: number; overflow: boolean } {
  let count = 0;
  const byCol = new Map([...table.columns.values()].map((c) => [c.col, c]));
  for (let n = table.headerRow + 1; n <= ws.rowCount; n++) {
    const row = ws.findRow(n);
    if (!row?.hasValues) continue;
    const cells = new Map<string, Scalar>();
    const links = new Map<string, string>();
    const bad = new Set<string>();
    const cellProblems: Array<{ header: string; message: Bilingual }> = [];
    // Only the cells that exist: getCell would create the missing ones.
    row.eachCell({ includeEmpty: false }, (cell, col) => {
      const c = byCol.get(col);
      if (!c) return;
      const r = readCellValue(cell.value, cell.numFmt);
      if (!r.ok) {
        cellProblems.push({ header: c.header, message: r.message });
        bad.add(c.def.key);
        return;
      }
      if (r.value.scalar.t !== 'empty') cells.set(c.def.key, r.value.scalar);
      if (r.value.link) links.set(c.def.key, r.value.link);
    });
    if (cells.size === 0 && bad.size === 0) continue;
    if (count >= budget) {
      problems.add(
        table.sheet,
        worded((m) => m.tooManyRows),
        n,
      );
      return { count, overflow: true };
    }
    for (const p of cellProblems) problems.add(table.sheet, p.message, n, p.header);
    table.rows.push({ n, cells, links, bad });
    count++;
  }
  return { count, overflow: false };
}
