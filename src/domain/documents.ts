/**
 * 督办单: the numbered documents of the escalation ladder — 提示单, 督办单, 督办函 — and their numbers.
 * A number is given once per year in order (督〔2026〕1号, 2号 …), inside the transaction that records
 * the `document` journal event, so the numbers are the journal's: none skipped, none given twice. Each
 * step that calls for a document has a key, and a step already numbered keeps its number however often
 * it is retried. Pure.
 */
import { z } from 'zod';
import { own } from './lookup.ts';
import { Id, IsoDateTime } from './schema.ts';

/** The ladder, mildest first: 提示单 (blue), 督办单 (amber), 督办函 (red). */
export const DOCUMENT_LEVELS = ['notice', 'supervision', 'letter'] as const;
export const DocumentLevel = z.enum(DOCUMENT_LEVELS);
export type DocumentLevel = z.infer<typeof DocumentLevel>;

export const DocumentRecord = z.object({
  number: z.number().int().positive(),
  year: z.number().int().min(2000).max(2100),
  level: DocumentLevel,
  departmentId: Id,
  itemIds: z.array(Id).min(1).max(100),
  /** Where it is posted: the department's channel. */
  channel: z.string().max(20),
  at: IsoDateTime,
  by: z.string().min(1).max(64),
});
export type DocumentRecord = z.infer<typeof DocumentRecord>;

/** step key → the document issued for that step. */
export type DocumentBook = Readonly<Record<string, DocumentRecord>>;

/** Escalation level 1 → 提示单, 2 → 督办单, 3 and above → 督办函. */
export function levelOfEscalation(level: number): DocumentLevel {
  return level <= 1 ? 'notice' : level === 2 ? 'supervision' : 'letter';
}

/** What a document is issued for: a scheduled escalation, or an admin's 发出 on a preview. */
export type DocumentStep =
  | { kind: 'escalation'; slot: string; departmentId: string; level: DocumentLevel }
  | { kind: 'manual'; previewId: string; level: DocumentLevel };

/** The key of a step: one document per escalation slot, department and level, or per preview. */
export function documentStepKey(step: DocumentStep): string {
  return step.kind === 'escalation'
    ? `escalation:${step.slot}:${step.departmentId}:${step.level}`
    : `manual:${step.previewId}:${step.level}`;
}

/** The next number of `year`: one past the highest given that year, 1 for the first. */
export function nextDocumentNumber(book: DocumentBook, year: number): number {
  let max = 0;
  for (const r of Object.values(book)) if (r.year === year && r.number > max) max = r.number;
  return max + 1;
}

/** The document a step already has, or the number a new one would get in `year`. */
export function allocateDocument(
  book: DocumentBook,
  key: string,
  year: number,
): { kind: 'existing'; record: DocumentRecord } | { kind: 'new'; number: number } {
  const record = own(book, key);
  return record ? { kind: 'existing', record } : { kind: 'new', number: nextDocumentNumber(book, year) };
}

/** Documents newest first (by year, then number), for the audit and the ledger. */
export function documentsInOrder(book: DocumentBook): Array<{ key: string; record: DocumentRecord }> {
  return Object.entries(book)
    .map(([key, record]) => ({ key, record }))
    .sort((a, b) => b.record.year - a.record.year || b.record.number - a.record.number);
}
