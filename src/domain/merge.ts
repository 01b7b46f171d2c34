/** Upserting an import file into a store document: by id, never touching existing history. */
import { isDeepStrictEqual } from 'node:util';
import type { Database, ImportFile } from './schema.ts';

export type CollectionChange = { added: number; changed: number; unchanged: number };
export type ImportSummary = {
  departments: CollectionChange;
  targets: CollectionChange;
  projects: CollectionChange;
  commitments: CollectionChange;
  /** History entries appended (entries whose id already exists are skipped, not replaced). */
  updatesAdded: number;
  updatesSkipped: number;
  settingsChanged: boolean;
};

type Keyed = { id: string };

function upsert<T extends Keyed>(existing: T[], incoming: readonly T[]): CollectionChange {
  const index = new Map(existing.map((e, i) => [e.id, i]));
  const change: CollectionChange = { added: 0, changed: 0, unchanged: 0 };
  for (const item of incoming) {
    const at = index.get(item.id);
    if (at === undefined) {
      index.set(item.id, existing.push(item) - 1);
      change.added++;
    } else if (isDeepStrictEqual(existing[at], item)) {
      change.unchanged++;
    } else {
      existing[at] = item;
      change.changed++;
    }
  }
  return change;
}

/** Mutates `draft` (a copy of the store document) with the contents of an import file. */
export function mergeImport(draft: Database, file: ImportFile): ImportSummary {
  const summary: ImportSummary = {
    departments: upsert(draft.departments, file.departments),
    targets: upsert(draft.targets, file.targets),
    projects: upsert(draft.projects, file.projects),
    commitments: upsert(draft.commitments, file.commitments),
    updatesAdded: 0,
    updatesSkipped: 0,
    settingsChanged: false,
  };
  const known = new Set(draft.updates.map((u) => u.id));
  for (const u of file.updates) {
    if (known.has(u.id)) summary.updatesSkipped++;
    else {
      draft.updates.push(u);
      known.add(u.id);
      summary.updatesAdded++;
    }
  }
  if (file.settings && !isDeepStrictEqual(draft.settings, file.settings)) {
    draft.settings = file.settings;
    summary.settingsChanged = true;
  }
  if (file.meta) draft.meta = { ...draft.meta, ...file.meta };
  return summary;
}
