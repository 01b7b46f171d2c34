/**
 * The only importer of node-cron. A tick every minute, in the zone's time, decides for each schedule
 * whether its latest occurrence (moved to the next working day when it falls on a day off) is due,
 * and runs it once: a restart, a double trigger or an overlapping tick finds the run recorded and
 * does nothing; a run missed while duban was down is caught up once within the grace window, and one
 * older than that is recorded as missed. Every skip, move and catch-up is logged with its reason.
 */

import cron, { type ScheduledTask } from 'node-cron';
import type { CronField, CronProblem, SchedulerPort } from '../../commands/context.ts';
import { failedOutcome, hasFailed } from '../../commands/schedule.ts';
import { localDate } from '../domain/dates.ts';
import { own } from '../domain/lookup.ts';
import type { WritePort } from '../domain/ports.ts';
import { calendarOf } from '../domain/read-model.ts';
import {
  type CronFields,
  decide,
  isQuietAt,
  missedAfter,
  planRun,
  quietHoursOf,
  type RunPlan,
  type ScheduleKind,
  upcomingRuns,
} from '../domain/schedule.ts';
import { type JobDeps, MONTHLY_PATTERN, type RunOutcome, runBulletin, runMonthly, runReminders } from './jobs.ts';
import type { RunGate } from './leadership.ts';

export const KINDS: readonly ScheduleKind[] = ['reminders', 'bulletin', 'monthly'];
/** Attempts at a run whose departments partly failed before it is left as it is. */
const MAX_ATTEMPTS = 3;

export type Patterns = Record<ScheduleKind, string>;

export type SchedulerDeps = JobDeps & {
  /** Patterns set in the environment win over those in the store. */
  overrides?: Partial<Patterns>;
  /**
   * Whether this instance may start a scheduled run (src/scheduler/leadership.ts): with several instances on one
   * database, only the leader's ticks run anything; the others tick and skip quietly. Manual runs do not ask.
   */
  gate?: RunGate;
};

const FIELD_RANGES: ReadonlyArray<{ field: CronField; min: number; max: number; names?: readonly string[] }> = [
  { field: 'minute', min: 0, max: 59 },
  { field: 'hour', min: 0, max: 23 },
  { field: 'dayOfMonth', min: 1, max: 31 },
  {
    field: 'month',
    min: 1,
    max: 12,
    names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'],
  },
  { field: 'dayOfWeek', min: 0, max: 7, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
];
const SECONDS = { field: 'second' as const, min: 0, max: 59 };

/** Whether one part of a pattern (`*`, `9`, `1-5`, `*\/15`, `mon,fri`) stays within its range. */
function partFits(value: string, spec: { min: number; max: number; names?: readonly string[] }): boolean {
  const number = (word: string): number | undefined => {
    if (/^\d{1,2}$/.test(word)) return Number(word);
    const i = spec.names?.findIndex((n) => word.toLowerCase().startsWith(n) && /^[a-z]+$/i.test(word)) ?? -1;
    return i >= 0 ? i + (spec.min === 1 ? 1 : 0) : undefined;
  };
  return value.split(',').every((item) => {
    const [range = '', step, extra] = item.split('/');
    if (
      extra !== undefined ||
      (step !== undefined && !/^\d{1,2}$/.test(step)) ||
      (step !== undefined && Number(step) < 1)
    )
      return false;
    if (range === '*') return true;
    const [from, to, more] = range.split('-').map(number);
    if (more !== undefined || from === undefined || from < spec.min || from > spec.max) return false;
    return !range.includes('-') || (to !== undefined && to >= from && to <= spec.max);
  });
}

/**
 * Parses a cron pattern, or says what is wrong with it: `reason` in terms a reply can put in the
 * reader's words (checked here before node-cron sees the pattern, so none of node-cron's own English
 * messages reaches a user), `problem` in English for the operator's logs and start-up errors.
 */
export function parseCron(
  pattern: string,
): { ok: true; fields: CronFields } | { ok: false; reason: CronProblem; problem: string } {
  const parts = pattern.trim().split(/\s+/).filter(Boolean);
  if (parts.length !== 5 && parts.length !== 6)
    return {
      ok: false,
      reason: { kind: 'fields', count: parts.length },
      problem: `expected 5 fields (or 6 with seconds first), got ${parts.length}`,
    };
  const specs = parts.length === 6 ? [SECONDS, ...FIELD_RANGES] : FIELD_RANGES;
  for (const [i, spec] of specs.entries()) {
    const value = parts[i]!;
    if (!partFits(value, spec))
      return {
        ok: false,
        reason: { kind: 'field', field: spec.field, value, min: spec.min, max: spec.max },
        problem: `the ${spec.field} must be from ${spec.min} to ${spec.max}, not "${value}"`,
      };
  }
  const check = cron.validateDetailed(pattern);
  // The operator's problem text (logs, start-up) only; replies say `reason` in the reader's words.
  if (!check.valid)
    return {
      ok: false,
      reason: { kind: 'other' },
      problem: check.errors.map((e) => e.message).join('; ') || 'invalid cron pattern',
    };
  const f = cron.parse(pattern);
  const numbers = (xs: Array<number | string>) => xs.map(Number).filter((n) => Number.isFinite(n));
  return {
    ok: true,
    fields: {
      minute: f.minute,
      hour: f.hour,
      dayOfMonth: numbers(f.dayOfMonth),
      month: f.month,
      dayOfWeek: numbers(f.dayOfWeek),
    },
  };
}

export function patternsOf(store: WritePort, overrides: Partial<Patterns> = {}): Patterns {
  const s = store.model().db.settings.schedule;
  return {
    reminders: overrides.reminders ?? s.reminders,
    bulletin: overrides.bulletin ?? s.bulletin,
    monthly: MONTHLY_PATTERN,
  };
}

/**
 * What the commands see of the scheduler (/duban schedule, remind now): built here, beside it, for the
 * Slack app and the console alike. `enabled`: whether the minute tick runs (the console never ticks).
 */
export function schedulerPort(
  scheduler: Pick<Scheduler, 'upcoming' | 'runNow'>,
  options: {
    store: WritePort;
    calendarData: SchedulerPort['calendarData'];
    enabled: boolean;
    overrides?: Partial<Patterns>;
  },
): SchedulerPort {
  const overrides = options.overrides ?? {};
  return {
    enabled: options.enabled,
    calendarData: options.calendarData,
    patterns: () => patternsOf(options.store, overrides),
    overridden: {
      reminders: overrides.reminders !== undefined,
      bulletin: overrides.bulletin !== undefined,
      monthly: false,
    },
    parse: parseCron,
    upcoming: (n) => scheduler.upcoming(n),
    runNow: (kind, o) => scheduler.runNow(kind, o),
  };
}

export type Scheduler = {
  /** Looks at every schedule now and runs what is due (what the minute tick calls). */
  tick(): Promise<void>;
  /** Runs reminders (or the bulletin) at once, outside the schedule, for an admin. */
  runNow(kind: ScheduleKind, options?: { departmentId?: string; month?: string }): Promise<RunOutcome>;
  upcoming(count: number): RunPlan[];
  start(): void;
  stop(): Promise<void>;
};

export function createScheduler(deps: SchedulerDeps): Scheduler {
  const log = deps.logger.child({ component: 'scheduler' });
  const announced = new Set<string>();
  let running: Promise<void> | undefined;
  let task: ScheduledTask | undefined;
  const job = (kind: ScheduleKind, slot: string, options: { departmentId?: string; month?: string } = {}) =>
    kind === 'reminders'
      ? runReminders(slot, deps, options)
      : kind === 'monthly'
        ? runMonthly(slot, deps, options.month)
        : runBulletin(slot, deps);
  const once = (key: string, fn: () => void) => {
    if (!announced.has(key)) {
      announced.add(key);
      fn();
    }
  };

  const record = (
    slot: string,
    entry: {
      status: 'done' | 'partial' | 'missed';
      attempts: number;
      caughtUp: boolean;
      outcome: RunOutcome;
      note?: string;
      deferred?: boolean;
    },
  ) =>
    deps.store.transact((tx) =>
      tx.bookkeep((s) => ({ runs: { ...s.runs, [slot]: { ...entry, at: deps.clock().toISOString() } } })),
    );

  const tickOnce = async () => {
    if (deps.gate && !(await deps.gate.mayRun())) return;
    const now = deps.clock();
    const model = deps.store.model();
    const calendar = calendarOf(model, deps.calendarData);
    const year = Number(localDate(now, deps.timeZone).slice(0, 4));
    if (!calendar.covers(year)) {
      once(`coverage:${year}`, () =>
        log.warn(
          { year, covered: calendar.coveredYears() },
          'the holiday calendar does not cover this year: weekends and weekdays are used as they are; admins can add days with /duban calendar',
        ),
      );
    }
    const graceMs = model.db.settings.schedule.graceHours * 3_600_000;
    const quiet = quietHoursOf(model.db.settings.schedule);
    const quietNow = isQuietAt(now, deps.timeZone, calendar, quiet);
    for (const kind of KINDS) {
      const pattern = patternsOf(deps.store, deps.overrides)[kind];
      const parsed = parseCron(pattern);
      if (!parsed.ok) {
        once(`bad:${kind}:${pattern}`, () =>
          log.error({ kind, pattern, problem: parsed.problem }, 'invalid schedule; this kind of run is not scheduled'),
        );
        continue;
      }
      const plan = planRun(kind, parsed.fields, now, deps.timeZone, calendar, quiet);
      if (!plan) continue;
      const previous = own(deps.store.model().db.runs, plan.slot);
      const finished = !!previous && (previous.status !== 'partial' || previous.attempts >= MAX_ATTEMPTS);
      const decision = decide(plan, now, graceMs, finished, {
        quietNow,
        missedAfter: missedAfter(plan, graceMs, deps.timeZone, calendar, quiet),
      });
      if (decision.action === 'wait') {
        if (plan.quiet)
          once(`quiet:${plan.slot}`, () =>
            log.info(
              { slot: plan.slot, runAt: plan.runAt.toISOString() },
              'run falls in quiet hours; deferred to the next working morning',
            ),
          );
        if (plan.moved)
          once(`moved:${plan.slot}`, () =>
            log.info(
              { slot: plan.slot, because: plan.moved!.because, runDate: plan.runDate },
              'run falls on a day off; moved to the next working day',
            ),
          );
        continue;
      }
      if (decision.action === 'done') continue;
      if (decision.action === 'missed') {
        if (!previous) {
          const hours = Math.round(decision.lateByMs / 360_000) / 10;
          log.warn(
            { slot: plan.slot, lateByHours: hours },
            'run missed while duban was down, older than the grace window; skipped',
          );
          await record(plan.slot, {
            status: 'missed',
            attempts: 0,
            caughtUp: false,
            outcome: {},
            note: `missed by ${hours} h (grace ${model.db.settings.schedule.graceHours} h)`,
          });
        }
        continue;
      }
      if (decision.caughtUp)
        log.info({ slot: plan.slot, dueAt: plan.runAt.toISOString() }, 'catching up a run missed while duban was down');
      // The leader may have lost its session during an earlier run of this tick: it starts no other.
      if (deps.gate && !(await deps.gate.mayRun())) return;
      const attempts = (previous?.attempts ?? 0) + 1;
      let outcome: RunOutcome;
      try {
        outcome = await job(kind, plan.slot);
      } catch (e) {
        log.error({ err: e, slot: plan.slot }, 'run failed');
        outcome = { run: failedOutcome((e as Error).message.slice(0, 150)) };
      }
      const failed = Object.values(outcome).some(hasFailed);
      await record(plan.slot, {
        status: failed ? 'partial' : 'done',
        attempts,
        caughtUp: decision.caughtUp,
        outcome,
        ...(plan.quiet || plan.moved ? { deferred: true } : {}),
      });
      log.info(
        { slot: plan.slot, attempts, outcome },
        failed ? 'run finished with failures; failed departments are retried next minute' : 'run finished',
      );
    }
  };

  return {
    tick() {
      // Overlapping ticks (a slow run, a double trigger) share the one in progress.
      running ??= tickOnce().finally(() => (running = undefined));
      return running;
    },
    async runNow(kind, options = {}) {
      const slot = `${kind}@manual-${deps.clock().toISOString().slice(0, 16)}`;
      const outcome = await job(kind, slot, options);
      await record(slot, {
        status: Object.values(outcome).some(hasFailed) ? 'partial' : 'done',
        attempts: 1,
        caughtUp: false,
        outcome,
      });
      return outcome;
    },
    upcoming(count) {
      const model = deps.store.model();
      const calendar = calendarOf(model, deps.calendarData);
      const patterns = patternsOf(deps.store, deps.overrides);
      const quiet = quietHoursOf(model.db.settings.schedule);
      return KINDS.flatMap((kind) => {
        const parsed = parseCron(patterns[kind]);
        return parsed.ok ? upcomingRuns(kind, parsed.fields, deps.clock(), deps.timeZone, calendar, count, quiet) : [];
      }).sort((a, b) => a.runAt.getTime() - b.runAt.getTime());
    },
    start() {
      task = cron.schedule('* * * * *', () => this.tick(), {
        timezone: deps.timeZone,
        noOverlap: true,
        name: 'duban-scheduler',
      });
      // A run missed while duban was down is caught up now, not at the next minute.
      void this.tick().catch((e: unknown) => log.error({ err: e }, 'start-up tick failed'));
    },
    async stop() {
      await task?.stop();
      await task?.destroy();
      await running;
    },
  };
}
