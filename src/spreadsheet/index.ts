/**
 * Spreadsheets in and out (see docs/spreadsheet-template.md). Pure functions over bytes and data:
 * no store, no Slack, no clock (callers pass `today`), no environment.
 *
 * - `readSpreadsheet(bytes, fileName, options)`: .xlsx or .csv (UTF-8, UTF-8 BOM, UTF-16, GBK) in
 *   the template's shape → `ImportFile`, or every problem with sheet, row and column.
 * - `formatProblem(problem, locale)`: one problem as a line of text.
 * - `writeTemplate(options)`: the empty template with example rows and a 说明/Help sheet.
 * - `writeLedger(model, today, locale, options)`: the 台账 workbook, which imports back unchanged.
 * - `describeImport(store, updateIds, file)`: which records an import would add or change.
 */
export { readSpreadsheet, deriveId, type ReadOptions, type ReadResult } from './read.ts';
export { formatProblem, type SheetProblem, type Bilingual } from './problems.ts';
export { writeTemplate, type TemplateOptions } from './write-template.ts';
export { writeLedger, STATUS_FILL, type LedgerModel, type LedgerOptions } from './ledger.ts';
export { describeImport, type ImportChanges, type RecordChanges } from './diff.ts';
export { SHEETS, type SheetKind, type SheetDef, type ColumnDef } from './template.ts';
