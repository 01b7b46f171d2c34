/**
 * Spreadsheets against a live store (an in-memory store of the seed), through the importer Slack
 * uses: the preview writes nothing and predicts exactly what applying does; applying is one
 * transaction with an `import` event; the ledger carries the journal's history as it stands (edits
 * applied, retractions left out), so that exporting and importing back changes nothing.
 */
import { describe, expect, it } from 'vitest';
import type { JournalEvent } from '../../src/domain/journal.ts';
import { createReadModel } from '../../src/domain/read-model.ts';
import type { Update } from '../../src/domain/schema.ts';
import type { StoreState } from '../../src/domain/state.ts';
import {
  exportLedger,
  ledgerUpdates,
  looksLikeJson,
  previewParsed,
  previewSpreadsheet,
  readOptionsFor,
  safeFileName,
  utcOffsetOf,
} from '../../src/spreadsheet/exchange.ts';
import { readSpreadsheet } from '../../src/spreadsheet/index.ts';
import { importerOf } from '../../src/store/import.ts';
import { openStore } from '../../src/store/store.ts';
import { csvText, fileOf, seedStore, TODAY, TZ, xlsx } from './helpers.ts';

const NOW = new Date('2026-11-28T10:00:00+08:00');

async function seeded() {
  return openStore('(test)', {
    timeZone: TZ,
    memory: { initial: createReadModel(seedStore(), TZ).db as StoreState },
    clock: () => NOW,
  });
}

const update = (id: string, over: Partial<Update> = {}): Update =>
  ({
    id,
    itemId: 't-hurdb-renewal-starts',
    at: '2026-11-01T02:00:00.000Z',
    by: 'U0X',
    evidence: [],
    source: 'slack',
    ...over,
  }) as Update;
const ev = (seq: number, e: Record<string, unknown>) =>
  ({ seq, at: '2026-11-01T02:00:00.000Z', by: 'U0X', ...e }) as JournalEvent;

describe('ledgerUpdates: the history as it stands', () => {
  it.each([
    ['an update alone', [ev(1, { type: 'update', update: update('u1', { value: 3 }) })], [{ id: 'u1', value: 3 }]],
    [
      'an edited value',
      [
        ev(1, { type: 'update', update: update('u1', { value: 3 }) }),
        ev(2, { type: 'update.edit', itemId: 't', updateId: 'u1', before: { value: 3 }, after: { value: 4 } }),
      ],
      [{ id: 'u1', value: 4 }],
    ],
    [
      'a note cleared by an edit',
      [
        ev(1, { type: 'update', update: update('u1', { note: 'x' }) }),
        ev(2, { type: 'update.edit', itemId: 't', updateId: 'u1', before: { note: 'x' }, after: { note: undefined } }),
      ],
      [{ id: 'u1' }],
    ],
    [
      'a retraction',
      [
        ev(1, { type: 'update', update: update('u1') }),
        ev(2, { type: 'update', update: update('u2') }),
        ev(3, { type: 'update.retract', itemId: 't', updateId: 'u1' }),
      ],
      [{ id: 'u2' }],
    ],
    [
      'an edit of an unknown update',
      [ev(1, { type: 'update.edit', itemId: 't', updateId: 'nope', before: {}, after: { value: 1 } })],
      [],
    ],
  ] as const)('%s', (_name, events, expected) => {
    const out = ledgerUpdates(events as unknown as JournalEvent[]).map((u) => ({
      id: u.id,
      ...(u.value !== undefined ? { value: u.value } : {}),
      ...(u.note !== undefined ? { note: u.note } : {}),
    }));
    expect(out).toEqual(expected);
  });
});

describe('reading options from the store', () => {
  it.each([
    ['Asia/Shanghai', '2026-11-28T00:00:00Z', '+08:00'],
    ['UTC', '2026-11-28T00:00:00Z', '+00:00'],
    ['America/New_York', '2026-07-01T00:00:00Z', '-04:00'],
    ['America/New_York', '2026-12-01T00:00:00Z', '-05:00'],
    ['Asia/Kolkata', '2026-12-01T00:00:00Z', '+05:30'],
  ])('the offset of %s at %s is %s', (zone, at, offset) => {
    expect(utcOffsetOf(zone, new Date(at))).toBe(offset);
  });

  it('passes the store’s departments and items, the year and the zone’s offset', async () => {
    const store = await seeded();
    const o = readOptionsFor(store.model(), NOW);
    expect(o.knownDepartments).toHaveLength(store.model().db.departments.length);
    expect(o.knownItems?.targets).toHaveLength(store.model().db.targets.length);
    expect(o.defaultYear).toBe(2026);
    expect(o.utcOffset).toBe('+08:00');
  });

  it.each([
    ['{"departments":[]}', true],
    ['\uFEFF  \n{', true],
    ['部门名称,简称\n', false],
    ['', false],
  ])('tells JSON from a spreadsheet by content: %j → %s', (text, json) => {
    expect(looksLikeJson(Buffer.from(text, 'utf8'))).toBe(json);
  });

  it.each([
    ['台账-住建局-2026-11-28.xlsx', '台账-住建局-2026-11-28.xlsx'],
    ['a/b\\c:d*e?f"g<h>i|j.xlsx', 'a-b-c-d-e-f-g-h-i-j.xlsx'],
    ['two  words.md', 'two-words.md'],
  ])('makes a safe file name of %j', (name, safe) => {
    expect(safeFileName(name)).toBe(safe);
  });
});

describe('preview and apply', () => {
  const rows = [
    ['牵头单位', '指标名称', '目标值', '单位', '完成时限'],
    ['住建局', '海绵城市改造面积', 120, '万平方米', '2026-12-31'],
    ['住建局', '城市更新项目开工数', 45, '项', '2026-12-31'],
  ];

  it('previews without writing, and applying gives exactly the previewed counts, recorded with who', async () => {
    const store = await seeded();
    const revision = store.model().revision;
    const preview = await previewSpreadsheet(store, importerOf(store), await xlsx({ 指标: rows }), 'targets.xlsx', NOW);
    if (!preview.ok) throw new Error('expected a preview');
    expect(store.model().revision).toBe(revision);
    expect(preview.unchanged).toBe(false);
    expect(preview.changes.targets.added).toHaveLength(1);
    expect(preview.changes.targets.changed).toEqual(['t-hurdb-renewal-starts']);
    const applied = await importerOf(store)(preview.file, preview.label, { now: NOW, by: 'U0ADMIN001' });
    expect(applied).toEqual({ ok: true, summary: preview.summary });
    const last = (await store.history()).at(-1);
    expect(last).toMatchObject({ type: 'import', by: 'U0ADMIN001', file: 'targets.xlsx', at: NOW.toISOString() });
    const again = await previewSpreadsheet(store, importerOf(store), await xlsx({ 指标: rows }), 'targets.xlsx', NOW);
    expect(again.ok && again.unchanged).toBe(true);
  });

  it('reports a file’s problems with nothing written', async () => {
    const store = await seeded();
    const preview = await previewSpreadsheet(
      store,
      importerOf(store),
      Buffer.from(csvText([rows[0]!, ['住建局', '某指标', '约7.5', '个', '2026-12-31']]), 'utf8'),
      'bad.csv',
      NOW,
    );
    expect(preview.ok).toBe(false);
    expect(!preview.ok && preview.problems).toHaveLength(1);
  });

  it('reports the merged store’s problems as problems of the file', async () => {
    const store = await seeded();
    const file = fileOf(
      await readSpreadsheet(await xlsx({ 指标: rows }), 'targets.xlsx', readOptionsFor(store.model(), NOW)),
    );
    // A commitment linking a target that is not there: found only once merged.
    const broken = { ...file, commitments: [{ ...store.model().db.commitments[0]!, targetIds: ['t-missing'] }] };
    const preview = await previewParsed(store, importerOf(store), broken, 'broken.xlsx', NOW);
    expect(preview.ok).toBe(false);
    expect(!preview.ok && preview.problems[0]).toMatchObject({ sheet: 'broken.xlsx' });
  });

  it('round trip: the store’s own ledger, journal history included, previews as unchanged', async () => {
    const store = await seeded();
    await store.transact(async (tx) => {
      const u = update('u-live-1', { value: 33, at: '2026-11-25T02:00:00.000Z' });
      tx.append({ type: 'update', at: u.at, by: u.by, update: u }, await tx.itemHistory(u.itemId));
    });
    const bytes = await exportLedger(store, TODAY, 'zh-CN');
    const preview = await previewSpreadsheet(store, importerOf(store), bytes, 'ledger.xlsx', NOW);
    if (!preview.ok) throw new Error(preview.problems.map((p) => p.message.en).join('\n'));
    expect(preview.unchanged).toBe(true);
    expect(preview.file.updates.map((u) => u.id)).toContain('u-live-1');
  });
});
