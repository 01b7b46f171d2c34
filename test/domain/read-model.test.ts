import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { applyEvent } from '../../src/domain/apply.ts';
import { createReadModel, type ReadModel, readModelFromState, statusInState } from '../../src/domain/read-model.ts';
import { Database, Update } from '../../src/domain/schema.ts';
import type { StoreState } from '../../src/domain/state.ts';

const TZ = 'Asia/Shanghai';
const TODAY = '2026-07-15';
const period = { start: '2026-01-01', end: '2026-12-31' };
const db = Database.parse({
  version: 1,
  departments: [{ id: 'a', name: { zh: '甲局' } }],
  targets: [
    {
      id: 'a1',
      departmentId: 'a',
      name: { zh: 'A1' },
      kind: 'cumulative',
      unit: { zh: '项' },
      target: 1000,
      period,
      reporting: { cadence: 'none' },
    },
  ],
  updates: [],
});

/** A full garbage collection, from a test (the flag can be set at run time; `gc` then exists in a new context). */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/** The next revision after a report: its progress changed, so its read model is built afresh. */
function report(state: StoreState, n: number): StoreState {
  const at = `2026-07-${String(1 + (n % 14)).padStart(2, '0')}T10:00:00+08:00`;
  const update = Update.parse({
    id: `u${n}`,
    itemId: 'a1',
    at: '2026-07-01T10:00:00+08:00',
    by: 'U1',
    value: n,
    source: 'slack',
  });
  return applyEvent(state, { seq: state.journal.lastSeq + 1, type: 'update', at, by: 'U1', update }, TZ);
}

describe('read models of successive revisions', () => {
  it('keep no earlier revision alive: a long-running process holds only the current state and its evaluation', async () => {
    let model: ReadModel = createReadModel(db, TZ);
    const earlier: Array<WeakRef<object>> = [];
    for (let n = 1; n <= 30; n++) {
      // Every revision is read (evaluated) before the next write, as a busy channel does.
      model.evaluate(TODAY);
      model.rollup(TODAY);
      earlier.push(new WeakRef(model.db), new WeakRef(model.evaluate(TODAY)));
      const next = report(model.db as StoreState, n);
      // A bookkeeping change in between (a thread remembered) reuses the evaluation…
      const noted = readModelFromState(
        { ...next, threads: { [`C1:${n}`]: { itemIds: ['a1'], until: 1 } } },
        TZ,
        2 * n - 1,
        model,
      );
      // …and the report after it builds the next revision's model.
      model = readModelFromState(report(noted.db as StoreState, n + 1000), TZ, 2 * n, noted);
    }
    expect(model.evaluate(TODAY).byId.get('a1')?.item.id).toBe('a1');
    // WeakRefs made in this job stay alive until it ends.
    await new Promise((resolve) => setTimeout(resolve, 0));
    collectGarbage();
    const alive = earlier.filter((ref) => ref.deref() !== undefined).length;
    expect(alive).toBe(0);
  });

  it('share the evaluation while only bookkeeping changed', () => {
    const first = createReadModel(db, TZ);
    const evaluation = first.evaluate(TODAY);
    const noted = readModelFromState(
      { ...(first.db as StoreState), threads: { 'C1:1.0': { itemIds: ['a1'], until: 1 } } },
      TZ,
      1,
      first,
    );
    expect(noted.evaluate(TODAY)).toBe(evaluation);
    expect(noted.revision).toBe(1);
    const reported = readModelFromState(report(noted.db as StoreState, 1), TZ, 2, noted);
    expect(reported.evaluate(TODAY)).not.toBe(evaluation);
  });
});

describe('one item judged in a draft state (a report reply’s before and after) as the lists judge it', () => {
  const assigned = Database.parse({
    version: 1,
    departments: [{ id: 'a', name: { zh: '甲局' } }],
    commitments: [
      {
        id: 'c1',
        departmentId: 'a',
        name: { zh: '落实批示' },
        pledge: { zh: '落实批示' },
        period: { start: '2026-07-01', end: '2026-12-31' },
        reporting: { cadence: 'none' },
        assignment: { source: 'instruction', by: 'U0ADMIN001', at: '2026-07-01T09:00:00+08:00' },
      },
    ],
    updates: [],
  });

  it.each([
    ['unsigned past its sign-by day', {}, true],
    ['signed', { c1: { a: { by: 'U0LIAISON1', at: '2026-07-02T09:00:00+08:00' } } }, false],
  ])('%s: not signed is a reason in both, or in neither', (_case, signs, notSigned) => {
    const state: StoreState = { ...createReadModel(assigned, TZ).db, signs };
    const inState = statusInState(state, TZ, TODAY, undefined, 'c1');
    const inList = readModelFromState(state, TZ).evaluate(TODAY).byId.get('c1');
    expect(inState?.reasons.some((r) => r.code === 'not_signed')).toBe(notSigned);
    expect(inState?.reasons).toEqual(inList?.reasons);
  });
});
