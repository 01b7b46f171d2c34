/**
 * vitest globalSetup: with DUBAN_TEST_STORE=postgres (npm run test:postgres), one Postgres for the
 * whole run, its URL handed to the test files (inject('postgresBase')); otherwise nothing.
 */
import type { TestProject } from 'vitest/node';
import { startTestPostgres } from './postgres.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresBase: string;
  }
}

export default async function setup(project: TestProject) {
  if (process.env.DUBAN_TEST_STORE !== 'postgres') return;
  const server = await startTestPostgres();
  project.provide('postgresBase', server.base);
  return () => server.stop();
}
