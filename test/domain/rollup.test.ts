import { describe, expect, it } from 'vitest';
import { foldProgress } from '../../src/domain/progress.ts';
import { createReadModel } from '../../src/domain/read-model.ts';
import { Database, Update } from '../../src/domain/schema.ts';

const period = { start: '2026-01-01', end: '2026-12-31' };
const none = { cadence: 'none' };
const db = Database.parse({
  version: 1,
  departments: [
    { id: 'a', name: { zh: '甲局' } },
    { id: 'b', name: { zh: '乙局' } },
    { id: 'c', name: { zh: '丙局' } },
  ],
  targets: [
    {
      id: 'a1',
      departmentId: 'a',
      name: { zh: 'A1' },
      kind: 'cumulative',
      unit: { zh: '项' },
      target: 10,
      period,
      reporting: none,
    },
    {
      id: 'a2',
      departmentId: 'a',
      name: { zh: 'A2' },
      kind: 'level',
      unit: { zh: '%' },
      target: 5,
      tolerance: 1,
      period,
      reporting: none,
    },
    {
      id: 'b1',
      departmentId: 'b',
      name: { zh: 'B1' },
      kind: 'cumulative',
      unit: { zh: '项' },
      target: 10,
      period,
      reporting: none,
    },
  ],
  projects: [
    {
      id: 'b2',
      departmentId: 'b',
      coDepartmentIds: ['a'],
      name: { zh: 'B2' },
      period,
      reporting: none,
      milestones: [{ id: 'm', name: { zh: '开工' }, due: '2026-03-01' }],
    },
  ],
  commitments: [
    {
      id: 'ca',
      departmentId: 'a',
      name: { zh: 'CA' },
      pledge: { zh: '承诺' },
      targetIds: ['a1', 'a2'],
      period,
      reporting: none,
    },
    {
      id: 'cc',
      departmentId: 'c',
      name: { zh: 'CC' },
      pledge: { zh: '三个一线' },
      period,
      reporting: none,
      milestones: [{ id: 'm', name: { zh: '启动' }, due: '2026-12-31' }],
    },
  ],
  updates: [
    { id: 'u1', itemId: 'a1', at: '2026-06-30T10:00:00+08:00', by: 'U1', value: 5 },
    { id: 'u2', itemId: 'a2', at: '2026-06-30T10:00:00+08:00', by: 'U1', value: 4.5 },
    { id: 'u3', itemId: 'b1', at: '2026-06-30T10:00:00+08:00', by: 'U1', value: 1 },
  ],
});

describe('roll-ups', () => {
  const model = createReadModel(db, 'Asia/Shanghai');
  const rollup = model.rollup('2026-06-30');

  it('counts targets, projects and qualitative commitments, not commitments that only link items', () => {
    expect(rollup.counts).toEqual({ red: 2, amber: 1, green: 2, pending: 0, done: 0, exempt: 0 });
  });

  it('counts a commitment that links items only by its own milestones, when it has some', () => {
    // b1 is red (1 of 10 at mid-year). A commitment on it with no milestones of its own is counted through b1;
    // one with its own milestone is counted on that milestone only: not again for b1, but red once the milestone is overdue.
    const commitment = (milestoneDue?: string) => ({
      id: 'cb',
      departmentId: 'b',
      name: { zh: 'CB' },
      pledge: { zh: '承诺' },
      targetIds: ['b1'],
      period,
      reporting: none,
      ...(milestoneDue ? { milestones: [{ id: 'cm', name: { zh: '出台办法' }, due: milestoneDue }] } : {}),
    });
    for (const [name, due, counted] of [
      ['links only', undefined, undefined],
      ['own milestone ahead', '2026-12-31', 'green'],
      ['own milestone overdue', '2026-03-31', 'red'],
    ] as const) {
      const m = createReadModel(
        Database.parse({ ...db, commitments: [...db.commitments, commitment(due)] }),
        'Asia/Shanghai',
      );
      const evaluation = m.evaluate('2026-06-30');
      const b = m.rollup('2026-06-30').departments.find((d) => d.department.id === 'b')!;
      expect({
        name,
        counted: evaluation.tracked.find((s) => s.item.id === 'cb')?.status,
        items: b.items.map((s) => s.item.id).sort(),
      }).toEqual({
        name,
        counted,
        items: counted ? ['b1', 'b2', 'cb'] : ['b1', 'b2'],
      });
      // Its own view (detail, /targets) still says that b1 is behind.
      expect(evaluation.byId.get('cb')?.status).toBe('red');
    }
  });

  it('ranks departments by the share on track, then fewer red', () => {
    expect(rollup.departments.map((d) => [d.department.id, d.rank])).toEqual([
      ['c', 1],
      ['a', 2],
      ['b', 3],
    ]);
  });

  it("names each department's worst item", () => {
    expect(rollup.departments.find((d) => d.department.id === 'b')?.worst?.item.id).toBe('b2');
    expect(rollup.departments.find((d) => d.department.id === 'c')?.worst).toBeUndefined();
  });

  it('lists everything behind, worst first', () => {
    expect(rollup.behind.map((s) => [s.item.id, s.status])).toEqual([
      ['b2', 'red'],
      ['b1', 'red'],
      ['a2', 'amber'],
    ]);
  });

  it('rates a commitment by the items that track it', () => {
    const ca = model.evaluate('2026-06-30').byId.get('ca')!;
    expect(ca.status).toBe('amber');
    expect(ca.reasons).toContainEqual(expect.objectContaining({ code: 'linked', itemId: 'a2', status: 'amber' }));
  });

  it('memoises the evaluation per day and recomputes for another day', () => {
    expect(model.evaluate('2026-06-30')).toBe(model.evaluate('2026-06-30'));
    expect(model.evaluate('2026-07-01')).not.toBe(model.evaluate('2026-06-30'));
  });
});

describe('folding history', () => {
  const u = (id: string, at: string, extra: Record<string, unknown>) =>
    Update.parse({ id, itemId: 'x', at, by: 'U1', ...extra });
  it('applies updates in time order whatever order they are stored in', () => {
    const p = foldProgress(
      [u('2', '2026-05-01T10:00:00+08:00', { value: 9 }), u('1', '2026-04-01T10:00:00+08:00', { value: 3 })],
      'Asia/Shanghai',
    ).get('x')!;
    expect(p.value).toBe(9);
    expect(p.reports).toBe(2);
    expect(p.lastReportDate).toBe('2026-05-01');
  });

  it('dates a report in the zone: 23:30 UTC on 31 March is 1 April in Shanghai', () => {
    const p = foldProgress([u('1', '2026-03-31T23:30:00Z', { value: 1 })], 'Asia/Shanghai').get('x')!;
    expect(p.lastReportDate).toBe('2026-04-01');
  });

  it('records a milestone reached without changing the item state', () => {
    const p = foldProgress(
      [
        u('1', '2026-04-01T10:00:00+08:00', { state: 'blocked', note: '缺资金' }),
        u('2', '2026-04-02T10:00:00+08:00', { milestoneId: 'm1', state: 'done' }),
      ],
      'Asia/Shanghai',
    ).get('x')!;
    expect(p.state).toBe('blocked');
    expect(p.stateNote).toBe('缺资金');
    expect(p.milestonesDone).toEqual({ m1: '2026-04-02' });
  });
});

describe('the store document', () => {
  it('rejects references to unknown departments and items, naming them', () => {
    const bad = Database.safeParse({
      version: 1,
      departments: [{ id: 'a', name: { zh: '甲' } }],
      targets: [
        { id: 't', departmentId: 'nope', name: { zh: 'T' }, kind: 'level', unit: { zh: '%' }, target: 1, period },
      ],
      updates: [{ id: 'u', itemId: 'ghost', at: '2026-01-01T00:00:00Z', by: 'U1' }],
    });
    expect(bad.success).toBe(false);
    const messages = bad.error!.issues.map((i) => i.message);
    expect(messages).toContain('unknown department "nope"');
    expect(messages).toContain('unknown item "ghost"');
  });
});
