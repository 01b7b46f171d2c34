/**
 * Starts the real duban Slack app in HTTP mode on a free port (or in Socket Mode, connected to a fake
 * socket), against the fake Web API, with an injected clock and a store: by default the bundled seed,
 * imported as `duban import` does (its reports journaled, so corrections refold from the whole
 * history); a model a test builds is loaded as its folded state. Tests talk to it with SlackClient
 * (HTTP) or the fake socket's envelopes.
 */
import { Writable } from 'node:stream';
import type { ChartPort } from '../../src/charts/port.ts';
import type { Config, LlmConfig } from '../../src/config.ts';
import type { CalendarData } from '../../src/domain/calendar.ts';
import type { WritePort } from '../../src/domain/ports.ts';
import type { ReadModel } from '../../src/domain/read-model.ts';
import type { StoreState } from '../../src/domain/state.ts';
import type { Locale } from '../../src/i18n/index.ts';
import { createModelAssistant, type ModelAssistant } from '../../src/llm/assistant.ts';
import { createOpenAiChat } from '../../src/llm/openai-client.ts';
import { createLogger, type Logger } from '../../src/log.ts';
import type { RunGate } from '../../src/scheduler/leadership.ts';
import { type RunningApp, startSlackApp } from '../../src/slack/app.ts';
import { importIntoStore } from '../../src/store/import.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { type FakeSlack, startFakeSlack } from './fake-slack.ts';
import { openTestPostgresStore } from './postgres-scenario.ts';
import { SlackClient } from './slack-requests.ts';

export const SIGNING_SECRET = 'testsigningsecret0123456789abcd';
export const BOT_TOKEN = 'xoxb-test-0000-duban';

/** A Saturday late in the seed year, at 10:00 in Shanghai. */
import { SEED_NOW } from './seed-clock.ts';
import { SEED_FILE, seedModel } from './seed-model.ts';

export { SEED_NOW, seedModel };

export type TestApp = {
  fake: FakeSlack;
  /** The store the app writes to (in memory unless a data file was asked for). */
  store: Store;
  /** The app's scheduler (not started: tests tick it with their own clock). */
  scheduler: RunningApp['scheduler'];
  slack: SlackClient;
  running: RunningApp;
  baseUrl: string;
  logs: string[];
  /** The model-backed assistant, when the app was started with `llm`. */
  assistant?: ModelAssistant;
  /** Replace the data the app reads and writes (as a restart with another store would). */
  setModel(model: ReadModel): Promise<void>;
  setNow(now: Date): void;
  close(): Promise<void>;
};

export type TestAppOptions = {
  model?: ReadModel;
  now?: Date;
  /** The wall clock (ms) Slack's request timestamps are checked against; default Date.now. */
  requestClock?: () => number;
  locale?: Locale;
  fake?: FakeSlack;
  /** Replaces the store's model() (e.g. one that throws, to test the error sink). */
  modelFn?: () => ReadModel;
  /** ADMIN_USER_IDS. */
  admins?: string[];
  /** A real data file instead of memory. */
  dataFile?: string;
  /** The optional model (an OpenAI-compatible server such as test/support/fake-openai.ts), with its breaker's bounds. */
  llm?: { config: LlmConfig; breaker?: { threshold?: number; cooldownMs?: number } };
  /** A store of the test's own (test/store/postgres-slack.test.ts: Postgres); the seed is imported when it is empty. */
  openStore?: (
    clock: () => Date,
    calendar?: CalendarData,
  ) => Promise<Store & { status?: () => { connected: boolean } }>;
  /** Socket Mode instead of HTTP: the app connects to the WebSocket the fake's `apps.connections.open` hands out. */
  socketMode?: { appToken: string };
  /** The chart renderer (default: the app's own worker); a test's own port makes a chart fail. */
  charts?: ChartPort;
  /** Postgres mode with several instances: the leadership gating this app's scheduled runs (test/scheduler/leadership.test.ts). */
  gate?: RunGate;
};

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const fake = options.fake ?? (await startFakeSlack());
  const model = options.model ?? (await seedModel());
  let now = options.now ?? SEED_NOW;
  const clock = () => now;
  // DUBAN_TEST_STORE=postgres runs the scenario on a real Postgres, a fresh database per store (npm run test:postgres).
  const openOwn =
    options.openStore ??
    (process.env.DUBAN_TEST_STORE === 'postgres' && !options.dataFile ? openTestPostgresStore : undefined);
  const open = async (m: ReadModel) => {
    if (openOwn) {
      const s = await openOwn(clock, m.calendar);
      if (s.model().db.departments.length > 0) return s;
      if (m === model && options.model === undefined) await importIntoStore(s, SEED_FILE, { now: clock(), by: 'seed' });
      else await s.transact((tx) => tx.replace(m.db as StoreState));
      return s;
    }
    if (options.dataFile)
      return openStore(options.dataFile, {
        timeZone: 'Asia/Shanghai',
        clock,
        ...(m.calendar ? { calendar: m.calendar } : {}),
      });
    if (m === model && options.model === undefined && !options.modelFn) {
      // The bundled seed is imported as \`duban import\` does, so its reports are in the journal like any store's.
      const s = await openStore('(test)', {
        timeZone: 'Asia/Shanghai',
        memory: true,
        clock,
        ...(m.calendar ? { calendar: m.calendar } : {}),
      });
      await importIntoStore(s, SEED_FILE, { now: clock(), by: 'seed' });
      return s;
    }
    return openStore('(test)', {
      timeZone: 'Asia/Shanghai',
      memory: { initial: m.db as StoreState },
      clock,
      ...(m.calendar ? { calendar: m.calendar } : {}),
    });
  };
  let store: Store & { status?: () => { connected: boolean } } = await open(model);
  // The app holds this port; setModel swaps the store behind it, as a restart with other data would.
  const port: WritePort = {
    model: () => (options.modelFn ? options.modelFn() : store.model()),
    transact: (fn) => store.transact(fn),
    history: (filter) => store.history(filter),
    remember: (change) => store.remember(change),
  };
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  const logger: Logger = createLogger('debug', sink);
  const config: Config = {
    slack: {
      botToken: BOT_TOKEN,
      signingSecret: SIGNING_SECRET,
      apiUrl: fake.url,
      ...(options.socketMode ? { appToken: options.socketMode.appToken } : {}),
    },
    mode: options.socketMode ? 'socket' : 'http',
    port: 0,
    dataFile: options.dataFile ?? '(memory)',
    locale: options.locale ?? 'zh-CN',
    timeZone: 'Asia/Shanghai',
    logLevel: 'debug',
    adminUserIds: options.admins ?? [],
    scheduler: { enabled: false, overrides: {} },
  };
  const assistant = options.llm
    ? createModelAssistant({
        config: options.llm.config,
        chat: createOpenAiChat(options.llm.config),
        store: port,
        clock,
        logger,
        defaultLocale: config.locale,
        ...(options.llm.breaker ? { breaker: options.llm.breaker } : {}),
      })
    : undefined;
  const running = await startSlackApp(config, {
    ...(assistant ? { assistant } : {}),
    ...(options.charts ? { charts: options.charts } : {}),
    store: port,
    clock,
    ...(options.requestClock ? { requestClock: options.requestClock } : {}),
    timeZone: 'Asia/Shanghai',
    defaultLocale: config.locale,
    logger,
    adminUserIds: config.adminUserIds,
    ...(store.status ? { storeStatus: () => store.status!() } : {}),
    // Scheduled messages go out at once in tests: the pacing has its own unit test and benchmark.
    schedule: { enabled: false, pacing: { intervalMs: 0 }, ...(options.gate ? { gate: options.gate } : {}) },
  });
  const baseUrl = `http://127.0.0.1:${running.port}`;
  return {
    fake,
    get store() {
      return store;
    },
    scheduler: running.scheduler,
    slack: new SlackClient({ baseUrl, secret: SIGNING_SECRET }),
    ...(assistant ? { assistant } : {}),
    running,
    baseUrl,
    logs,
    async setModel(m) {
      await store.close();
      store = await open(m);
    },
    setNow: (n) => (now = n),
    async close() {
      await running.stop();
      await store.close();
      if (!options.fake) await fake.close();
    },
  };
}
