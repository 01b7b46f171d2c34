import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Two tiers, both run by `npm test`.
 *
 * `fast` (`npm run test:fast`): pure code and the command layer on an in-memory store — the domain
 * rules, the reader and its corpus, commands and report logging, rendering, the console, the model's
 * unit tests, configuration. Milliseconds a test, no Bolt app, no fake Slack, no files: run it while
 * changing a reply's wording or a rule.
 *
 * `integration` (`npm run test:integration`): every other test file — the real Bolt app over signed
 * HTTP and Socket Mode against the fake Slack Web API, the store on real files (kill -9 included),
 * workbooks, the CLI as a process. Seconds a test. A new test file lands here unless FAST names it.
 */
export const FAST = [
  'test/zones/**/*.test.ts',
  'test/architecture.test.ts',
  'test/charts/specs.test.ts',
  'test/config.test.ts',
  'test/manifest.test.ts',
  'test/seed.test.ts',
  'test/commands/**/*.test.ts',
  'test/console/**/*.test.ts',
  'test/domain/**/*.test.ts',
  'test/llm/**/*.test.ts',
  'test/render/**/*.test.ts',
  'test/scheduler/calendar.test.ts',
  'test/scheduler/cron.test.ts',
  'test/store/wal-patch.test.ts',
];
// No fast file may load Bolt, even through a helper: test/architecture.test.ts follows their imports.

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Integration tests bind loopback ports and spawn processes; two workers suit these 2-core machines.
    maxWorkers: 2,
    projects: [
      // The fast files share each worker's modules (isolate: false), which halves the tier's time; they
      // keep no state in modules, and each test passes alone (see the README).
      { extends: true, test: { name: 'fast', include: FAST, isolate: false } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...FAST],
          // One Postgres for the run when DUBAN_TEST_STORE=postgres (npm run test:postgres); nothing otherwise.
          globalSetup: ['test/support/postgres-global.ts'],
        },
      },
    ],
  },
});
