import { type CalendarData, makeCalendar, type WorkingCalendar } from './calendar.ts';
import { approvedExtensions } from './extension.ts';
import { own } from './lookup.ts';
import type { ItemProgress } from './progress.ts';
import { type Evaluation, evaluateDatabase, evaluateOne, rollupZone, type ZoneRollup } from './rollup.ts';
import type { Database, Department, Item, ItemKind, Settings } from './schema.ts';
import { type StoreState, stateFromDatabase } from './state.ts';
import type { EvaluationContext, ItemStatus } from './status.ts';

/**
 * An immutable view of one revision of the store, with the evaluation memoised per day: status
 * depends on the data and on today's date, nothing else.
 */
export type ReadModel = {
  readonly db: Readonly<StoreState>;
  readonly revision: number;
  readonly timeZone: string;
  readonly progress: ReadonlyMap<string, ItemProgress>;
  /** The statutory working days (src/scheduler/holidays.ts) when known: report deadlines count working days. */
  readonly calendar?: CalendarData;
  evaluate(today: string): Evaluation;
  rollup(today: string): ZoneRollup;
  /** Departments ranked by one kind of item only (memoised per day, like the evaluation). */
  rollupOf(kind: 'targets' | 'projects' | 'tracked', today: string): ZoneRollup;
  department(id: string): Department | undefined;
  item(id: string): { item: Item; kind: ItemKind } | undefined;
  /** The short number shown in lists (#12), and the item it stands for. */
  numberOf(id: string): number | undefined;
  itemByNumber(n: number): { item: Item; kind: ItemKind } | undefined;
};

const CORE_KEYS = [
  'meta',
  'settings',
  'departments',
  'targets',
  'projects',
  'commitments',
  'exemptions',
  'progress',
  'reviews',
  'signs',
  'numbers',
  'snoozes',
  'extensions',
  'absences',
  'streaks',
] as const;

/** The zone's working days: the statutory calendar with the admins' own days off and make-up days. */
export function workingCalendar(settings: Settings, data: CalendarData): WorkingCalendar {
  return makeCalendar(data, { holidays: settings.schedule.holidays, workdays: settings.schedule.workdays });
}

/**
 * One working calendar per statutory data and settings object, so every revision and day judges with the
 * same calendar object: statuses and report deadlines kept by status.ts are kept per calendar.
 */
const calendars = new WeakMap<CalendarData, WeakMap<Settings, WorkingCalendar>>();
function sharedCalendar(settings: Settings, data: CalendarData): WorkingCalendar {
  let bySettings = calendars.get(data);
  if (!bySettings) calendars.set(data, (bySettings = new WeakMap()));
  let calendar = bySettings.get(settings);
  if (!calendar) bySettings.set(settings, (calendar = workingCalendar(settings, data)));
  return calendar;
}

/** The working calendar of a read model's zone (reminders, snoozes and status all count the same days). */
export function calendarOf(model: Pick<ReadModel, 'db'>, data: CalendarData): WorkingCalendar {
  return workingCalendar(model.db.settings, data);
}

/**
 * How status is judged on `today` in a zone: the settings' thresholds, approved extensions (延期), who
 * signed assigned items (签收), and the zone's working days (with the admins' own) when known. One
 * function, so a list, a reply's before/after and a correction judge an item alike.
 */
export function evaluationContext(
  state: Pick<StoreState, 'settings'> & Partial<Pick<StoreState, 'extensions' | 'signs'>>,
  today: string,
  calendar: CalendarData | undefined,
): EvaluationContext {
  const { settings } = state;
  const extended = state.extensions ? approvedExtensions(state.extensions) : undefined;
  return {
    today,
    settings,
    ...(extended && extended.size > 0 ? { extendedTo: extended } : {}),
    ...(state.signs ? { signs: state.signs } : {}),
    ...(calendar ? { calendar: sharedCalendar(settings, calendar) } : {}),
  };
}

/** One item's status in `state` (a transaction's draft, before or after a change), judged as the read model would. */
export function statusInState(
  state: StoreState,
  timeZone: string,
  today: string,
  calendar: CalendarData | undefined,
  itemId: string,
): ItemStatus | undefined {
  const model = readModelFromState(state, timeZone);
  return evaluateOne(state, model.progress, evaluationContext(state, today, calendar), itemId);
}

/**
 * A read model of `state`. When `previous` was built from a state with the same definitions and
 * progress (only bookkeeping such as threads or deliveries changed), its indexes and the day's
 * evaluation are kept rather than recomputed. The calendar is `previous`'s unless given.
 */
export function readModelFromState(
  state: StoreState,
  timeZone: string,
  revision = 0,
  previous?: ReadModel,
  calendar: CalendarData | undefined = previous?.calendar,
): ReadModel {
  if (previous && previous.timeZone === timeZone && previous.calendar === calendar && sameCore(previous.db, state)) {
    return { ...previous, db: state, revision };
  }
  return buildReadModel(state, timeZone, revision, calendar);
}

function sameCore(a: Readonly<StoreState>, b: StoreState): boolean {
  for (const k of CORE_KEYS) if (a[k] !== b[k]) return false;
  return true;
}

/**
 * A fresh read model. Its own function, with nothing of the previous revision in scope: the closures
 * below keep this function's scope alive for as long as the model lives, so a `previous` in that scope
 * would chain every revision, each with its state and evaluation, to the next one (a leak under
 * steady writes).
 */
function buildReadModel(
  state: StoreState,
  timeZone: string,
  revision: number,
  calendar: CalendarData | undefined,
): ReadModel {
  const progress = new Map(Object.entries(state.progress));
  const departments = new Map(state.departments.map((d) => [d.id, d]));
  const items = new Map<string, { item: Item; kind: ItemKind }>();
  for (const t of state.targets) items.set(t.id, { item: t, kind: 'target' });
  for (const p of state.projects) items.set(p.id, { item: p, kind: 'project' });
  for (const c of state.commitments) items.set(c.id, { item: c, kind: 'commitment' });
  const byNumber = new Map(Object.entries(state.numbers).map(([id, n]) => [n, id]));
  let cached:
    | {
        today: string;
        evaluation: Evaluation;
        rollup?: ZoneRollup;
        byKind?: Partial<Record<'targets' | 'projects' | 'tracked', ZoneRollup>>;
      }
    | undefined;
  const evaluate = (today: string): Evaluation => {
    if (cached?.today !== today)
      cached = {
        today,
        evaluation: evaluateDatabase(state, progress, evaluationContext(state, today, calendar)),
      };
    return cached.evaluation;
  };
  return {
    db: state,
    revision,
    timeZone,
    progress,
    ...(calendar ? { calendar } : {}),
    evaluate,
    rollup(today) {
      const evaluation = evaluate(today);
      if (!cached!.rollup) cached!.rollup = rollupZone(state.departments, evaluation);
      return cached!.rollup;
    },
    rollupOf(kind, today) {
      const evaluation = evaluate(today);
      const byKind = (cached!.byKind ??= {});
      return (byKind[kind] ??= rollupZone(state.departments, { ...evaluation, tracked: evaluation[kind] }));
    },
    department: (id) => departments.get(id),
    item: (id) => items.get(id),
    numberOf: (id) => own(state.numbers, id),
    itemByNumber: (n) => {
      const id = byNumber.get(n);
      return id === undefined ? undefined : items.get(id);
    },
  };
}

/** A read model of a whole dataset with its history (seed, demo, tests, benchmarks). */
export function createReadModel(db: Database, timeZone: string, revision = 0, calendar?: CalendarData): ReadModel {
  return readModelFromState(stateFromDatabase(db, timeZone), timeZone, revision, undefined, calendar);
}
