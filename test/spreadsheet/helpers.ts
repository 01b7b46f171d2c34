/** Builders for real workbooks and CSV files, the bundled seed as a store, and result helpers. */
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { expect } from 'vitest';
import { mergeImport } from '../../src/domain/merge.ts';
import { type Database, type Department, emptyDatabase, ImportFile } from '../../src/domain/schema.ts';
import { formatProblem, type ReadResult, type SheetProblem } from '../../src/spreadsheet/index.ts';

export type Rows = unknown[][];

/** An .xlsx with one sheet per entry, rows as given (exceljs cell values: numbers, Dates, formulas…). */
export async function xlsx(sheets: Record<string, Rows>, tweak?: (wb: ExcelJS.Workbook) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(name);
    for (const row of rows) ws.addRow(row);
  }
  tweak?.(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export async function loadWorkbook(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as Parameters<typeof wb.xlsx.load>[0]);
  return wb;
}

/** CSV text from rows: fields quoted when they need it. */
export function csvText(rows: ReadonlyArray<ReadonlyArray<string | number>>, delimiter = ','): string {
  const field = (v: string | number) => {
    const s = String(v);
    return s.includes(delimiter) || s.includes('"') || s.includes('\n') ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return `${rows.map((r) => r.map(field).join(delimiter)).join('\r\n')}\r\n`;
}

export const SEED_PATH = new URL('../../data/seed/nantong-2026.json', import.meta.url);

/** The bundled seed merged into an empty store, as `duban import` does. */
export function seedStore(): Database {
  const file = ImportFile.parse(JSON.parse(readFileSync(SEED_PATH, 'utf8')));
  const db = emptyDatabase();
  mergeImport(db, file);
  return db;
}

export const TODAY = '2026-11-28';
export const TZ = 'Asia/Shanghai';

/** The two departments most examples use, as a 部门 sheet. */
export const DEPARTMENTS: Rows = [
  ['部门编号', '部门名称', '英文名称', '简称', '别名'],
  ['edb', '经济发展局', 'Economic Development Bureau', '经发局', '经发；经济局'],
  ['hurdb', '住房和城乡建设局', null, '住建局', '住建'],
];

export const KNOWN_DEPARTMENTS: Department[] = [
  {
    id: 'edb',
    name: { zh: '经济发展局' },
    shortName: { zh: '经发局', en: 'EDB' },
    aliases: ['经发'],
    memberIds: [],
    leadIds: [],
  },
  {
    id: 'hurdb',
    name: { zh: '住房和城乡建设局' },
    shortName: { zh: '住建局' },
    aliases: ['住建'],
    memberIds: [],
    leadIds: [],
  },
];

/** The ImportFile of a successful read; fails the test with the problems otherwise. */
export function fileOf(r: ReadResult): ImportFile {
  if (!r.ok)
    expect.fail(`expected the file to be read, got:\n${r.problems.map((p) => formatProblem(p, 'en')).join('\n')}`);
  return r.file;
}

/** The problems of a failed read; fails the test when the read succeeded, and checks nothing was produced. */
export function problemsOf(r: ReadResult): SheetProblem[] {
  if (r.ok) expect.fail('expected problems, but the file was read');
  expect('file' in r).toBe(false);
  return r.problems;
}

export function linesOf(problems: readonly SheetProblem[], locale: 'zh-CN' | 'en' = 'zh-CN'): string[] {
  return problems.map((p) => formatProblem(p, locale));
}
