/**
 * The ledger's 签收 sheet: for each assigned item (交办), each of its departments — lead first, then
 * supporting — with who signed (签收) and when, or that it has not. For reading, like 台账; the importer
 * skips it (REPORT_SHEET_NAMES).
 */
import type ExcelJS from 'exceljs';
import { localDate } from '../domain/dates.ts';
import { own } from '../domain/lookup.ts';
import type { Commitment, Department } from '../domain/schema.ts';
import type { StoreState } from '../domain/state.ts';
import { type Locale, messages, pick } from '../i18n/index.ts';
import { excelDate } from './definitions.ts';
import { ownerName } from './words.ts';

const COLUMNS = [
  { key: 'no', width: 6 },
  { key: 'name', width: 36 },
  { key: 'department', width: 14 },
  { key: 'role', width: 8 },
  { key: 'assignedAt', width: 12 },
  { key: 'deadline', width: 12 },
  { key: 'by', width: 16 },
  { key: 'at', width: 18 },
] as const;

/** Adds the sheet when any of `items` was assigned; nothing otherwise. */
export function addSignSheet(
  wb: ExcelJS.Workbook,
  db: Pick<StoreState, 'signs' | 'numbers'>,
  items: readonly Commitment[],
  departments: ReadonlyMap<string, Department>,
  options: { locale: Locale; timeZone: string; people?: ReadonlyMap<string, string> },
): void {
  const assigned = items.filter((c) => c.assignment);
  if (assigned.length === 0) return;
  const { locale, timeZone } = options;
  const m = messages(locale).assign;
  const ws = wb.addWorksheet(m.ledgerSheet, { views: [{ state: 'frozen', ySplit: 1, xSplit: 0 }] });
  ws.columns = COLUMNS.map((c) => ({ key: c.key, width: c.width, header: m.ledgerColumns[c.key] }));
  ws.getRow(1).font = { bold: true };
  const time = (at: string) => {
    const d = new Date(at);
    const hm = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hour12: false });
    return `${localDate(d, timeZone)} ${hm.format(d)}`;
  };
  for (const item of assigned) {
    for (const id of [item.departmentId, ...item.coDepartmentIds]) {
      const sig = own(own(db.signs, item.id), id);
      ws.addRow({
        no: own(db.numbers, item.id) ?? null,
        name: pick(item.name, locale),
        department: ownerName(departments, id, locale),
        role: m.roles[id === item.departmentId ? 'lead' : 'co'],
        assignedAt: excelDate(item.period.start),
        deadline: excelDate(item.period.end),
        by: sig ? (options.people?.get(sig.by) ?? sig.by) : m.notYet,
        at: sig ? time(sig.at) : null,
      });
    }
  }
  ws.getColumn('assignedAt').numFmt = 'yyyy-mm-dd';
  ws.getColumn('deadline').numFmt = 'yyyy-mm-dd';
}
