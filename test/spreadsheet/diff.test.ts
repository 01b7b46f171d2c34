/** describeImport: what `--dry-run` lists, record by record, by the same rules as mergeImport. */
import { describe, expect, it } from 'vitest';
import { mergeImport } from '../../src/domain/merge.ts';
import { ImportFile } from '../../src/domain/schema.ts';
import { describeImport } from '../../src/spreadsheet/index.ts';
import { seedStore } from './helpers.ts';

describe('describeImport', () => {
  const db = seedStore();
  const iva = db.targets.find((t) => t.id === 't-edb-iva-growth')!;
  const file = ImportFile.parse({
    departments: [db.departments[0]],
    targets: [
      { ...iva, target: 8 },
      { ...iva, id: 't-new' },
    ],
    updates: [db.updates[0], { ...db.updates[0], id: 'u-new' }, { ...db.updates[0], id: 'u-new' }],
  });

  it('lists added, changed and unchanged ids, and updates appended or skipped', () => {
    const changes = describeImport(db, new Set(db.updates.map((u) => u.id)), file);
    expect(changes.departments).toEqual({ added: [], changed: [], unchanged: [db.departments[0]!.id] });
    expect(changes.targets).toEqual({ added: ['t-new'], changed: ['t-edb-iva-growth'], unchanged: [] });
    expect(changes.updates).toEqual({ added: ['u-new'], skipped: [db.updates[0]!.id, 'u-new'] });
  });

  it('agrees with mergeImport’s counts and leaves the store alone', () => {
    const before = structuredClone(db);
    const changes = describeImport(db, new Set(db.updates.map((u) => u.id)), file);
    expect(db).toEqual(before);
    const summary = mergeImport(structuredClone(db), file);
    expect(summary.targets).toEqual({
      added: changes.targets.added.length,
      changed: changes.targets.changed.length,
      unchanged: changes.targets.unchanged.length,
    });
    expect([summary.updatesAdded, summary.updatesSkipped]).toEqual([
      changes.updates.added.length,
      changes.updates.skipped.length,
    ]);
  });
});
