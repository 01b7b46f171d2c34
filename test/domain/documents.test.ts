/**
 * 督办单 numbers: per year, in order, none skipped, none given twice; a step already numbered keeps
 * its number; the `document` event folds into the store's book of documents.
 */
import { describe, expect, it } from 'vitest';
import { applyEvent } from '../../src/domain/apply.ts';
import {
  allocateDocument,
  type DocumentBook,
  type DocumentRecord,
  documentStepKey,
  documentsInOrder,
  levelOfEscalation,
  nextDocumentNumber,
} from '../../src/domain/documents.ts';
import { JournalEvent } from '../../src/domain/journal.ts';
import { emptyState, type StoreState, withSafeRecords } from '../../src/domain/state.ts';

const record = (year: number, number: number, level: DocumentRecord['level'] = 'notice'): DocumentRecord => ({
  number,
  year,
  level,
  departmentId: 'd-edb',
  itemIds: ['t-1'],
  channel: 'C0EDB00001',
  at: `${year}-06-01T02:00:00.000Z`,
  by: 'duban',
});

function book(entries: Array<[string, DocumentRecord]>): DocumentBook {
  return Object.assign(Object.create(null) as Record<string, DocumentRecord>, Object.fromEntries(entries));
}

describe('levelOfEscalation', () => {
  it.each([
    [1, 'notice'],
    [2, 'supervision'],
    [3, 'letter'],
    [4, 'letter'],
    [5, 'letter'],
  ] as const)('escalation level %i issues a %s', (level, expected) => {
    expect(levelOfEscalation(level)).toBe(expected);
  });
});

describe('nextDocumentNumber', () => {
  it.each([
    ['the first of a year is 1', [], 2026, 1],
    ['the next follows the highest of the year', [record(2026, 1), record(2026, 2), record(2026, 3)], 2026, 4],
    ['a new year starts again at 1', [record(2026, 11), record(2026, 12)], 2027, 1],
    ['the old year goes on from its own highest', [record(2026, 12), record(2027, 1)], 2026, 13],
    ['levels share one sequence', [record(2026, 1, 'notice'), record(2026, 2, 'letter')], 2026, 3],
  ] as const)('%s', (_, records, year, expected) => {
    expect(nextDocumentNumber(book(records.map((r, i) => [`k${i}`, r])), year)).toBe(expected);
  });
});

describe('allocateDocument', () => {
  const numbered = book([['escalation:slot-1:d-edb:notice', record(2026, 7)]]);
  it('gives a step that was numbered its own number again (a retry or a restart)', () => {
    expect(allocateDocument(numbered, 'escalation:slot-1:d-edb:notice', 2026)).toEqual({
      kind: 'existing',
      record: record(2026, 7),
    });
  });
  it('gives a new step the next number', () => {
    expect(allocateDocument(numbered, 'escalation:slot-2:d-edb:notice', 2026)).toEqual({ kind: 'new', number: 8 });
  });
  it('finds no step called like a property of every object', () => {
    expect(allocateDocument(numbered, 'constructor', 2026)).toEqual({ kind: 'new', number: 8 });
  });
});

describe('documentStepKey', () => {
  it.each([
    [
      { kind: 'escalation', slot: 'reminders:2026-11-30T09:00', departmentId: 'd-edb', level: 'notice' },
      'escalation:reminders:2026-11-30T09:00:d-edb:notice',
    ],
    [{ kind: 'manual', previewId: 'p1', level: 'letter' }, 'manual:p1:letter'],
  ] as const)('keys %j as %s', (step, key) => {
    expect(documentStepKey(step)).toBe(key);
  });
  it('keys the same slot and department apart by level', () => {
    const base = { kind: 'escalation', slot: 's', departmentId: 'd' } as const;
    expect(documentStepKey({ ...base, level: 'notice' })).not.toBe(documentStepKey({ ...base, level: 'supervision' }));
  });
});

describe('the document event', () => {
  const state = (): StoreState =>
    withSafeRecords({
      ...emptyState(),
      departments: [
        { id: 'd-edb', name: { zh: '经济发展局' }, shortName: {}, aliases: [], memberIds: [], leadIds: [] },
      ],
    });
  const event = (seq: number, key: string, number: number, year = 2026) =>
    JournalEvent.parse({
      seq,
      type: 'document',
      at: `${year}-11-28T02:00:00.000Z`,
      by: 'U0ADMIN001',
      key,
      number,
      year,
      level: 'supervision',
      departmentId: 'd-edb',
      itemIds: ['t-1', 't-2'],
      channel: 'C0EDB00001',
    });

  it('is recorded in the book under its step, with everything but the key', () => {
    const next = applyEvent(state(), event(1, 'manual:p1:supervision', 1), 'Asia/Shanghai');
    expect(next.documents['manual:p1:supervision']).toEqual({
      number: 1,
      year: 2026,
      level: 'supervision',
      departmentId: 'd-edb',
      itemIds: ['t-1', 't-2'],
      channel: 'C0EDB00001',
      at: '2026-11-28T02:00:00.000Z',
      by: 'U0ADMIN001',
    });
  });

  it('numbers folded from the journal go on without a gap, and restart in a new year', () => {
    let s = state();
    let seq = 0;
    for (const [key, year] of [
      ['a', 2026],
      ['b', 2026],
      ['c', 2026],
      ['d', 2027],
    ] as const) {
      const n = nextDocumentNumber(s.documents, year);
      s = applyEvent(s, event(++seq, key, n, year), 'Asia/Shanghai');
    }
    expect(documentsInOrder(s.documents).map((d) => `${d.record.year}-${d.record.number}`)).toEqual([
      '2027-1',
      '2026-3',
      '2026-2',
      '2026-1',
    ]);
  });

  it('refuses an event without items or with a level outside the ladder', () => {
    const base = {
      seq: 1,
      type: 'document',
      at: '2026-11-28T02:00:00.000Z',
      by: 'duban',
      key: 'k',
      number: 1,
      year: 2026,
      departmentId: 'd-edb',
      channel: 'C0EDB00001',
    };
    expect(JournalEvent.safeParse({ ...base, level: 'notice', itemIds: [] }).success).toBe(false);
    expect(JournalEvent.safeParse({ ...base, level: 'urgent', itemIds: ['t-1'] }).success).toBe(false);
  });
});
