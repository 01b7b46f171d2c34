/**
 * What an import would change, record by record, for `--dry-run`: the ids that would be added,
 * changed or left as they are, with the same upsert rules as `mergeImport` (which gives the counts).
 */
import { isDeepStrictEqual } from 'node:util';
import type { Database, ImportFile } from '../domain/schema.ts';

export type RecordChanges = { added: string[]; changed: string[]; unchanged: string[] };

export type ImportChanges = {
  departments: RecordChanges;
  targets: RecordChanges;
  projects: RecordChanges;
  commitments: RecordChanges;
  /** Update ids that would be appended, and those skipped because the store has them. */
  updates: { added: string[]; skipped: string[] };
};

type Definitions = Pick<Database, 'departments' | 'targets' | 'projects' | 'commitments'>;

function compare<T extends { id: string }>(existing: readonly T[], incoming: readonly T[]): RecordChanges {
  const byId = new Map(existing.map((e) => [e.id, e]));
  const out: RecordChanges = { added: [], changed: [], unchanged: [] };
  for (const item of incoming) {
    const before = byId.get(item.id);
    if (before === undefined) out.added.push(item.id);
    else if (isDeepStrictEqual(before, item)) out.unchanged.push(item.id);
    else out.changed.push(item.id);
    byId.set(item.id, item);
  }
  return out;
}

/** Pure: `store` is not modified. `updateIds` are the ids already in the history (from wherever the store keeps it). */
export function describeImport(store: Definitions, updateIds: ReadonlySet<string>, file: ImportFile): ImportChanges {
  const seen = new Set(updateIds);
  const updates = { added: [] as string[], skipped: [] as string[] };
  for (const u of file.updates) {
    if (seen.has(u.id)) updates.skipped.push(u.id);
    else {
      updates.added.push(u.id);
      seen.add(u.id);
    }
  }
  return {
    departments: compare(store.departments, file.departments),
    targets: compare(store.targets, file.targets),
    projects: compare(store.projects, file.projects),
    commitments: compare(store.commitments, file.commitments),
    updates,
  };
}
