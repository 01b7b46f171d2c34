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

export { describeImport, type ImportChanges, type RecordChanges } from './diff.ts';
export { type LedgerModel, type LedgerOptions, STATUS_FILL, writeLedger } from './ledger.ts';
export { type Bilingual, formatProblem, type SheetProblem } from './problems.ts';
export { deriveId, type ReadOptions, type ReadResult, readSpreadsheet } from './read.ts';
export { type ColumnDef, SHEETS, type SheetDef, type SheetKind } from './template.ts';
export { type TemplateOptions, writeTemplate } from './write-template.ts';
