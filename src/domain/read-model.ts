import type { ItemProgress } from './progress.ts';
import { evaluateDatabase, rollupZone, type Evaluation, type ZoneRollup } from './rollup.ts';
import type { Database, Department, Item, ItemKind } from './schema.ts';
import { stateFromDatabase, type StoreState } from './state.ts';

/**
 * An immutable view of one revision of the store, with the evaluation memoised per day: status
 * depends on the data and on today's date, nothing else.
 */
export type ReadModel = {
  readonly db: Readonly<StoreState>;
  readonly revision: number;
  readonly timeZone: string;
  readonly progress: ReadonlyMap<string, ItemProgress>;
  evaluate(today: string): Evaluation;
  rollup(today: string): ZoneRollup;
  department(id: string): Department | undefined;
  item(id: string): { item: Item; kind: ItemKind } | undefined;
  /** The short number shown in lists (#12), and the item it stands for. */
  numberOf(id: string): number | undefined;
  itemByNumber(n: number): { item: Item; kind: ItemKind } | undefined;
};

export function readModelFromState(state: StoreState, timeZone: string, revision = 0): ReadModel {
  const progress = new Map(Object.entries(state.progress));
  const departments = new Map(state.departments.map((d) => [d.id, d]));
  const items = new Map<string, { item: Item; kind: ItemKind }>();
  for (const t of state.targets) items.set(t.id, { item: t, kind: 'target' });
  for (const p of state.projects) items.set(p.id, { item: p, kind: 'project' });
  for (const c of state.commitments) items.set(c.id, { item: c, kind: 'commitment' });
  const byNumber = new Map(Object.entries(state.numbers).map(([id, n]) => [n, id]));
  let cached: { today: string; evaluation: Evaluation; rollup?: ZoneRollup } | undefined;
  const evaluate = (today: string): Evaluation => {
    if (cached?.today !== today) cached = { today, evaluation: evaluateDatabase(state, progress, { today, settings: state.settings }) };
    return cached.evaluation;
  };
  return {
    db: state,
    revision,
    timeZone,
    progress,
    evaluate,
    rollup(today) {
      const evaluation = evaluate(today);
      if (!cached!.rollup) cached!.rollup = rollupZone(state.departments, evaluation);
      return cached!.rollup;
    },
    department: (id) => departments.get(id),
    item: (id) => items.get(id),
    numberOf: (id) => state.numbers[id],
    itemByNumber: (n) => {
      const id = byNumber.get(n);
      return id === undefined ? undefined : items.get(id);
    },
  };
}

/** A read model of a whole dataset with its history (seed, demo, tests, benchmarks). */
export function createReadModel(db: Database, timeZone: string, revision = 0): ReadModel {
  return readModelFromState(stateFromDatabase(db, timeZone), timeZone, revision);
}
