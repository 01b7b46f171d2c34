/**
 * Exporting a store and importing the export changes nothing: the bundled seed, written as a 台账
 * ledger in either language, reads back to the same departments, targets, projects, commitments
 * and history.
 */
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { mergeImport } from '../../src/domain/merge.ts';
import { createReadModel } from '../../src/domain/read-model.ts';
import { type Database, emptyDatabase } from '../../src/domain/schema.ts';
import { describeImport, readSpreadsheet, writeLedger } from '../../src/spreadsheet/index.ts';
import { fileOf, loadWorkbook, seedStore, TODAY, TZ, xlsx } from './helpers.ts';

const NOTHING_CHANGED = (db: Database) => ({
  departments: { added: 0, changed: 0, unchanged: db.departments.length },
  targets: { added: 0, changed: 0, unchanged: db.targets.length },
  projects: { added: 0, changed: 0, unchanged: db.projects.length },
  commitments: { added: 0, changed: 0, unchanged: db.commitments.length },
  updatesAdded: 0,
  updatesSkipped: db.updates.length,
  settingsChanged: false,
});

describe.each(['zh-CN', 'en'] as const)('round trip of the seed through a %s ledger', (locale) => {
  const db = seedStore();
  const model = createReadModel(db, TZ);
  const ledger = writeLedger(model, TODAY, locale, { updates: db.updates });

  it('merges back into the same store with nothing added or changed', async () => {
    const file = fileOf(await readSpreadsheet(await ledger, `ledger-${locale}.xlsx`));
    const draft = structuredClone(db);
    expect(mergeImport(draft, file)).toEqual(NOTHING_CHANGED(db));
    expect(isDeepStrictEqual(draft, db)).toBe(true);
  });

  it('rebuilds the whole store, history included, in an empty one', async () => {
    const file = fileOf(await readSpreadsheet(await ledger, `ledger-${locale}.xlsx`));
    const fresh = emptyDatabase();
    mergeImport(fresh, file);
    expect(fresh.meta.zone).toEqual(db.meta.zone);
    for (const key of ['departments', 'targets', 'projects', 'commitments', 'updates'] as const) {
      expect(fresh[key], key).toEqual(db[key]);
      expect(isDeepStrictEqual(fresh[key], db[key]), key).toBe(true);
    }
  });

  it('reads back without a single warning', async () => {
    const r = await readSpreadsheet(await ledger, `ledger-${locale}.xlsx`);
    expect(r.ok && r.warnings).toEqual([]);
    expect(r.ok && r.rows).toBe(
      db.departments.length +
        db.targets.length +
        db.projects.length +
        db.commitments.length +
        db.updates.length +
        [...db.projects, ...db.commitments].reduce((n, i) => n + i.milestones.length, 0),
    );
  });
});

describe('round trip of one department’s ledger', () => {
  const db = seedStore();
  const model = createReadModel(db, TZ);

  it('changes nothing when read back with the store’s departments and items', async () => {
    const bytes = await writeLedger(model, TODAY, 'zh-CN', { departmentId: 'zhongxing', updates: db.updates });
    const file = fileOf(
      await readSpreadsheet(bytes, 'zhongxing.xlsx', { knownDepartments: db.departments, knownItems: db }),
    );
    const owned = (i: { departmentId: string; coDepartmentIds: string[] }) =>
      i.departmentId === 'zhongxing' || i.coDepartmentIds.includes('zhongxing');
    expect(file.targets.map((t) => t.id)).toEqual(db.targets.filter(owned).map((t) => t.id));
    expect(file.projects.map((p) => p.id)).toEqual(db.projects.filter(owned).map((p) => p.id));
    expect(file.projects.length).toBeGreaterThan(0);
    const summary = mergeImport(structuredClone(db), file);
    expect([
      summary.departments.added,
      summary.departments.changed,
      summary.targets.changed,
      summary.projects.changed,
      summary.commitments.changed,
      summary.updatesAdded,
    ]).toEqual([0, 0, 0, 0, 0, 0]);
  });
});

describe('an edited ledger', () => {
  it('changes exactly the record that was edited', async () => {
    const db = seedStore();
    const bytes = await writeLedger(createReadModel(db, TZ), TODAY, 'zh-CN', { updates: db.updates });
    const wb = await loadWorkbook(bytes);
    const ws = wb.getWorksheet('指标')!;
    const header = (ws.getRow(1).values as unknown[]).indexOf('目标值');
    let edited = '';
    ws.eachRow((row, n) => {
      if (n > 1 && row.getCell('A').value === 't-hurdb-renewal-starts') {
        row.getCell(header).value = 45;
        edited = String(row.getCell('A').value);
      }
    });
    expect(edited).toBe('t-hurdb-renewal-starts');
    const file = fileOf(await readSpreadsheet(Buffer.from(await wb.xlsx.writeBuffer()), 'edited.xlsx'));
    const changes = describeImport(db, new Set(db.updates.map((u) => u.id)), file);
    expect(changes.targets.changed).toEqual(['t-hurdb-renewal-starts']);
    expect(
      [changes.departments, changes.projects, changes.commitments].map((c) => c.changed.length + c.added.length),
    ).toEqual([0, 0, 0]);
    expect(changes.updates.added).toEqual([]);
    const draft = structuredClone(db);
    expect(mergeImport(draft, file).targets).toEqual({ added: 0, changed: 1, unchanged: db.targets.length - 1 });
    expect(draft.targets.find((t) => t.id === 't-hurdb-renewal-starts')!.target).toBe(45);
  });
});

describe('a department that is not ranked', () => {
  it('stays unranked through the ledger, and 参与排名 否 in a sheet makes it so', async () => {
    const db = seedStore();
    const office = db.departments[db.departments.length - 1]!;
    office.ranked = false;
    const back = fileOf(
      await readSpreadsheet(
        await writeLedger(createReadModel(db, TZ), TODAY, 'zh-CN', { updates: db.updates }),
        'ledger.xlsx',
      ),
    );
    expect(back.departments.find((d) => d.id === office.id)?.ranked).toBe(false);
    expect(back.departments.filter((d) => d.ranked !== undefined)).toHaveLength(1);
    const sheet = await xlsx({
      部门: [
        ['部门名称', '简称', '参与排名'],
        ['督查室', '督查室', '否'],
        ['经济发展局', '经发局', ''],
      ],
    });
    expect(fileOf(await readSpreadsheet(sheet, 'a.xlsx')).departments.map((d) => [d.shortName.zh, d.ranked])).toEqual([
      ['督查室', false],
      ['经发局', undefined],
    ]);
  });
});
