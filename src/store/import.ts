/** `duban import <file.json>`: validate an import file and upsert it into the store. */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { HistoryNeededError } from '../domain/apply.ts';
import { type Definitions, type ImportSummary, mergeDefinitions, newUpdates } from '../domain/merge.ts';
import type { WritePort } from '../domain/ports.ts';
import { findReferenceProblems, ImportFile, type ImportFile as ImportFileType, type Update } from '../domain/schema.ts';
import type { StoreState } from '../domain/state.ts';
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

/** Cross-references of the merged definitions and the new history, reported with ids. */
export function checkMerged(
  path: string,
  merged: Definitions & { exemptions?: StoreState['exemptions'] },
  updates: readonly Update[],
): void {
  const doc = { ...merged, exemptions: merged.exemptions ?? [], updates: [...updates] };
  const problems = findReferenceProblems(doc);
  if (problems.length > 0) {
    throw new DataFileError(
      path,
      problems.map((p) => `${describePath(doc, p.path)}: ${p.message}`),
      'Nothing was imported.',
    );
  }
}

function definitionsOf(state: StoreState): Definitions & { exemptions: StoreState['exemptions'] } {
  return structuredClone({
    meta: state.meta,
    settings: state.settings,
    departments: state.departments,
    targets: state.targets,
    projects: state.projects,
    commitments: state.commitments,
    exemptions: state.exemptions,
  });
}

function updateIds(events: ReadonlyArray<{ type: string; update?: Update }>): Set<string> {
  return new Set(events.flatMap((e) => (e.type === 'update' && e.update ? [e.update.id] : [])));
}

export type ImportOptions = { dryRun?: boolean; now: Date; by?: string; label?: string };

/** Upserts a parsed import into the store in one transaction, with an `import` event in the journal. */
export async function importParsed(
  store: WritePort,
  file: ImportFileType,
  label: string,
  options: ImportOptions,
): Promise<ImportSummary> {
  if (options.dryRun) {
    const draft = definitionsOf(store.model().db);
    const defs = mergeDefinitions(draft, file);
    const { added, skipped } = newUpdates(file, updateIds(await store.history()));
    checkMerged(label, draft, added);
    return { ...defs, updatesAdded: added.length, updatesSkipped: skipped };
  }
  const at = options.now.toISOString();
  const by = options.by ?? 'import';
  const { result } = await store.transact(async (tx) => {
    const draft = definitionsOf(tx.state);
    const defs = mergeDefinitions(draft, file);
    const { added, skipped } = newUpdates(file, updateIds(await tx.itemHistory()));
    checkMerged(label, draft, added);
    tx.replace({ ...tx.state, ...draft });
    for (const update of added) {
      const input = { type: 'update' as const, at, by: update.by, update };
      try {
        tx.append(input);
      } catch (e) {
        if (!(e instanceof HistoryNeededError)) throw e;
        tx.append(input, await tx.itemHistory(update.itemId));
      }
    }
    const summary: ImportSummary = { ...defs, updatesAdded: added.length, updatesSkipped: skipped };
    tx.append({ type: 'import', at, by, file: label, summary });
    return summary;
  });
  return result;
}

export async function importIntoStore(store: Store, path: string, options: ImportOptions): Promise<ImportSummary> {
  return importParsed(store, await readImportFile(path), options.label ?? basename(path), options);
}

/**
 * The import transaction as the spreadsheet commands (CLI and Slack) call it: a file that does not
 * fit the merged store gives its problems and nothing is written.
 */
export function importerOf(
  store: WritePort,
): (
  file: ImportFileType,
  label: string,
  options: ImportOptions,
) => Promise<{ ok: true; summary: ImportSummary } | { ok: false; problems: string[] }> {
  return async (file, label, options) => {
    try {
      return { ok: true, summary: await importParsed(store, file, label, options) };
    } catch (e) {
      if (e instanceof DataFileError) return { ok: false, problems: e.problems };
      throw e;
    }
  };
}
