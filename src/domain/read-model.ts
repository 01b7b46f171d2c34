import { foldProgress, type ItemProgress } from './progress.ts';
import { evaluateDatabase, rollupZone, type Evaluation, type ZoneRollup } from './rollup.ts';
import type { Database, Department } from './schema.ts';

/**
 * An immutable view of one revision of the store, with the history folded once and the evaluation
 * memoised per day: status depends on the data and on today's date, nothing else.
 */
export type ReadModel = {
  readonly db: Readonly<Database>;
  readonly revision: number;
  readonly timeZone: string;
  readonly progress: ReadonlyMap<string, ItemProgress>;
  evaluate(today: string): Evaluation;
  rollup(today: string): ZoneRollup;
  department(id: string): Department | undefined;
};

export function createReadModel(db: Database, timeZone: string, revision = 0): ReadModel {
  const progress = foldProgress(db.updates, timeZone);
  const departments = new Map(db.departments.map((d) => [d.id, d]));
  let cached: { today: string; evaluation: Evaluation; rollup?: ZoneRollup } | undefined;
  const evaluate = (today: string): Evaluation => {
    if (cached?.today !== today) cached = { today, evaluation: evaluateDatabase(db, progress, { today, settings: db.settings }) };
    return cached.evaluation;
  };
  return {
    db,
    revision,
    timeZone,
    progress,
    evaluate,
    rollup(today) {
      const evaluation = evaluate(today);
      if (!cached!.rollup) cached!.rollup = rollupZone(db.departments, evaluation);
      return cached!.rollup;
    },
    department: (id) => departments.get(id),
  };
}
