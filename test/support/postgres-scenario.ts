/** Existing Slack scenario files on Postgres: DUBAN_TEST_STORE=postgres (npm run test:postgres), see test/support/app.ts. */
import { inject } from 'vitest';
import type { CalendarData } from '../../src/domain/calendar.ts';
import { openPostgresStore, type PostgresStore } from '../../src/store/postgres/store.ts';
import { createDatabase } from './postgres.ts';

/**
 * A fresh database on the run's server (test/support/postgres-global.ts), for running existing
 * scenario files on Postgres: DUBAN_TEST_STORE=postgres (npm run test:postgres).
 */
export async function sharedTestDatabase(): Promise<string> {
  const base = inject('postgresBase');
  if (!base)
    throw new Error('no Postgres for this run: start it with DUBAN_TEST_STORE=postgres (npm run test:postgres)');
  return createDatabase(base, 'scenario');
}

/** A Postgres store on a fresh database of the worker's shared server. */
export async function openTestPostgresStore(clock: () => Date, calendar?: CalendarData): Promise<PostgresStore> {
  const url = await sharedTestDatabase();
  return openPostgresStore({ url, timeZone: 'Asia/Shanghai', clock, ...(calendar ? { calendar } : {}) });
}
