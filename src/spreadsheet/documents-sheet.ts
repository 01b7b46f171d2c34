/**
 * The ledger's 督办单 sheet: every numbered document (提示单, 督办单, 督办函), newest first — number,
 * level, department, items, date of issue and the channel it was posted to. For reading; an import
 * ignores it like the 台账 and 汇总 sheets.
 */
import type ExcelJS from 'exceljs';
import { localDate } from '../domain/dates.ts';
import { documentsInOrder } from '../domain/documents.ts';
import { own } from '../domain/lookup.ts';
import type { StoreState } from '../domain/state.ts';
import { type Locale, messages, pick } from '../i18n/index.ts';
import { departmentName } from '../words/status.ts';

const WIDTHS = { number: 16, level: 10, department: 14, items: 48, date: 12, channel: 14 } as const;

/** Adds the sheet when the ledger's scope has documents (one department's, or all). */
export function addDocumentsSheet(
  wb: ExcelJS.Workbook,
  db: Pick<StoreState, 'documents' | 'departments' | 'numbers' | 'targets' | 'projects' | 'commitments'>,
  timeZone: string,
  locale: Locale,
  departmentId?: string,
): void {
  const docs = documentsInOrder(db.documents ?? {}).filter(
    (d) => departmentId === undefined || d.record.departmentId === departmentId,
  );
  if (docs.length === 0) return;
  const w = messages(locale).documents;
  const ws = wb.addWorksheet(w.sheet, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = (Object.keys(WIDTHS) as Array<keyof typeof WIDTHS>).map((key) => ({
    header: w.columns[key],
    key,
    width: WIDTHS[key],
  }));
  ws.getRow(1).font = { bold: true };
  const departments = new Map(db.departments.map((d) => [d.id, d]));
  const items = new Map([...db.targets, ...db.projects, ...db.commitments].map((i) => [i.id, i]));
  for (const { record } of docs) {
    const d = departments.get(record.departmentId);
    ws.addRow({
      // The number is the document's own, as printed on it.
      number: messages('zh-CN').documents.number(record.year, record.number),
      level: w.level[record.level],
      department: d ? departmentName(d, locale) : record.departmentId,
      items: record.itemIds
        .map((id) => {
          const n = own(db.numbers, id);
          const item = items.get(id);
          return `${n ? `#${n} ` : ''}${item ? pick(item.name, locale) : id}`;
        })
        .join('\n'),
      date: localDate(new Date(record.at), timeZone),
      channel: record.channel,
    });
  }
  ws.getColumn('items').alignment = { wrapText: true, vertical: 'top' };
}
