/** `duban import <file.json>`: validate an import file and upsert it into the store. */
import { readFile } from 'node:fs/promises';
import { mergeImport, type ImportSummary } from '../domain/merge.ts';
import { Database, ImportFile, findReferenceProblems, type ImportFile as ImportFileType } from '../domain/schema.ts';
import { DataFileError, describePath, formatIssues } from './errors.ts';
import type { Store } from './store.ts';

/** Reads and validates an import file on its own (shape and types); every problem is reported at once. */
export async function readImportFile(path: string): Promise<ImportFileType> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new DataFileError(path, [`cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new DataFileError(path, [`not valid JSON: ${(e as Error).message}`]);
  }
  const parsed = ImportFile.safeParse(raw);
  if (!parsed.success) throw new DataFileError(path, formatIssues(raw, parsed.error.issues), 'Nothing was imported.');
  return parsed.data;
}

/** The merged document's cross-references, reported against the import file where the record came from it. */
export function checkMerged(path: string, merged: Database): void {
  const problems = findReferenceProblems(merged);
  if (problems.length > 0) {
    throw new DataFileError(path, problems.map((p) => `${describePath(merged, p.path)}: ${p.message}`), 'Nothing was imported.');
  }
}

export async function importIntoStore(store: Store, path: string, options: { dryRun?: boolean } = {}): Promise<ImportSummary> {
  const file = await readImportFile(path);
  if (options.dryRun) {
    const draft = structuredClone(store.model().db) as Database;
    const summary = mergeImport(draft, file);
    checkMerged(path, draft);
    return summary;
  }
  let summary: ImportSummary | undefined;
  await store.update((draft) => {
    summary = mergeImport(draft, file);
    checkMerged(path, draft);
  });
  return summary!;
}

export { Database };
