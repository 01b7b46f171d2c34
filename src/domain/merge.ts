/** Upserting an import file into the store's definitions: by id, never touching history. */
import { isDeepStrictEqual } from 'node:util';
import type { Database, Department, ImportFile, Update } from './schema.ts';

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

export type Definitions = Pick<Database, 'meta' | 'settings' | 'departments' | 'targets' | 'projects' | 'commitments'>;

type Keyed = { id: string };

function upsert<T extends Keyed>(
  existing: T[],
  incoming: readonly T[],
  merge: (old: T, next: T) => T = (_o, n) => n,
): CollectionChange {
  const index = new Map(existing.map((e, i) => [e.id, i]));
  const change: CollectionChange = { added: 0, changed: 0, unchanged: 0 };
  for (const item of incoming) {
    const at = index.get(item.id);
    if (at === undefined) {
      index.set(item.id, existing.push(item) - 1);
      change.added++;
      continue;
    }
    const next = merge(existing[at]!, item);
    if (isDeepStrictEqual(existing[at], next)) change.unchanged++;
    else {
      existing[at] = next;
      change.changed++;
    }
  }
  return change;
}

/** Channel, members and leads are managed from Slack: an import that leaves them empty keeps them. */
function mergeDepartment(old: Department, next: Department): Department {
  return {
    ...next,
    ...(next.channelId === undefined && old.channelId !== undefined ? { channelId: old.channelId } : {}),
    memberIds: next.memberIds.length > 0 ? next.memberIds : old.memberIds,
    leadIds: next.leadIds.length > 0 ? next.leadIds : old.leadIds,
  };
}

/** Mutates `draft` (copies of the store's definitions) with the definitions of an import file. */
export function mergeDefinitions(
  draft: Definitions,
  file: ImportFile,
): Omit<ImportSummary, 'updatesAdded' | 'updatesSkipped'> {
  const summary = {
    departments: upsert(draft.departments, file.departments, mergeDepartment),
    targets: upsert(draft.targets, file.targets),
    projects: upsert(draft.projects, file.projects),
    commitments: upsert(draft.commitments, file.commitments),
    settingsChanged: false,
  };
  if (file.settings && !isDeepStrictEqual(draft.settings, file.settings)) {
    draft.settings = file.settings;
    summary.settingsChanged = true;
  }
  if (file.meta) draft.meta = { ...draft.meta, ...file.meta };
  return summary;
}

/** The updates of an import file not yet in the history, oldest first. */
export function newUpdates(file: ImportFile, knownIds: ReadonlySet<string>): { added: Update[]; skipped: number } {
  const seen = new Set(knownIds);
  const added: Update[] = [];
  let skipped = 0;
  for (const u of file.updates) {
    if (seen.has(u.id)) skipped++;
    else {
      seen.add(u.id);
      added.push(u);
    }
  }
  added.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return { added, skipped };
}

/** Merges an import file into a whole dataset (definitions and inline history): demo and tests. */
export function mergeImport(draft: Database, file: ImportFile): ImportSummary {
  const defs = mergeDefinitions(draft, file);
  const { added, skipped } = newUpdates(file, new Set(draft.updates.map((u) => u.id)));
  draft.updates.push(...added);
  return { ...defs, updatesAdded: added.length, updatesSkipped: skipped };
}
