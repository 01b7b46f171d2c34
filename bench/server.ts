/**
 * One server of the benchmark, in its own process so that the load generator (bench/run.ts) does not
 * steal its CPU. Started by bench/run.ts with `fork`:
 *
 *   node bin/run-ts.js bench/server.ts --kind duban --api-url http://127.0.0.1:PORT/api/
 *   node bin/run-ts.js bench/server.ts --kind bare  --api-url http://127.0.0.1:PORT/api/
 *   node bin/run-ts.js bench/server.ts --kind respond --api-url http://127.0.0.1:PORT/api/
 *   node bin/run-ts.js bench/server.ts --kind fake
 *
 * - duban: the real app (startSlackApp) in HTTP mode on a free loopback port, on the synthetic store
 *   of bench/generate.ts in a lowdb data file in a temporary directory, as `duban start` runs it
 *   (`--store memory` keeps it in memory), with a fixed clock (`--clock live`: one that starts at the
 *   same instant and runs, as a long-running process's does) and a silent logger;
 * - bare: a bare Bolt app whose /targets listener only acks (empty reply);
 * - respond: the same bare Bolt app, whose listener then also posts a one-line answer with respond(), the
 *   least any app that acks first and answers through response_url does (a reference, not a target);
 * - fake: the fake Slack Web API of test/support/fake-slack.ts, which also serves the response_urls
 *   and timestamps every answer it receives (response_url POSTs, chat.postMessage, chat.postEphemeral),
 *   for the end-to-end latency.
 *
 * Protocol (IPC): the child sends `{ type: 'ready', port, ... }` once listening; the parent may send
 * `{ type: 'arrivals' }` (fake: answered with the replies received since the last ask),
 * `{ type: 'ping', t }` (answered with this process's clock, to align clocks), `{ type: 'usage' }` (CPU time
 * and memory so far), and `{ type: 'stop' }`.
 * Run by hand (no IPC), it prints the ready line as JSON on stdout and runs until Ctrl-C.
 */

import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver, constants as perfConstants } from 'node:perf_hooks';
import { App, LogLevel } from '@slack/bolt';
import { type Config, loadConfig } from '../src/config.ts';
import type { WritePort } from '../src/domain/ports.ts';
import type { ReadModel } from '../src/domain/read-model.ts';
import type { StoreState } from '../src/domain/state.ts';
import { createLogger } from '../src/log.ts';
import { chineseCalendarData } from '../src/scheduler/holidays.ts';
import { startSlackApp } from '../src/slack/app.ts';
import { openStore, type Store } from '../src/store/store.ts';
import { startFakeSlack } from '../test/support/fake-slack.ts';
import {
  BENCH_NOW,
  BENCH_TIME_ZONE,
  BENCH_TODAY,
  benchUsers,
  buildBenchModel,
  type DatasetOptions,
  DEFAULT_DATASET,
} from './generate.ts';
import {
  BOT_TOKEN,
  clockMs,
  type ParentMessage,
  type ServerKind,
  type ServerMessage,
  SIGNING_SECRET,
} from './shared.ts';

function flag(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
}

function send(message: ServerMessage): void {
  if (process.send) process.send(message);
  else if (message.type === 'ready' || message.type === 'error') console.log(JSON.stringify(message));
}

/**
 * Experiment, for the benchmark only (the app's code is untouched): every command listener registered
 * after this call yields to the event loop (setImmediate) right after its ack() has been sent, so the
 * acks of requests already received go out before this request's work runs. Shows what that change
 * to src/slack/listeners/commands.ts would buy.
 */
function yieldAfterAck(): void {
  const original = App.prototype.command;
  type Listener = (args: { ack: (response?: unknown) => Promise<void> } & Record<string, unknown>) => Promise<void>;
  App.prototype.command = function (this: App, name: string | RegExp, ...listeners: Listener[]) {
    const wrapped: Listener[] = listeners.map(
      (listener) => async (args) =>
        listener({
          ...args,
          ack: async (response?: unknown) => {
            await args.ack(response);
            await new Promise<void>((resolve) => setImmediate(resolve));
          },
        }),
    );
    (original as unknown as (this: App, n: string | RegExp, ...l: Listener[]) => void).call(this, name, ...wrapped);
  } as unknown as typeof original;
}

/** What the duban server counts, from outside the app: store writes and whole-store evaluations. */
const counters = { storeWritesStarted: 0, storeWrites: 0, storeWriteMs: 0, evaluations: 0, evaluateMs: 0 };

/**
 * The store port the app is given: the real store, seen through a thin wrapper that counts and times
 * its transactions (their own time, not the wait behind earlier ones) and the first evaluation of every new revision of the read model (the app memoises
 * the evaluation per revision and day, so a write makes the next request evaluate the whole store).
 */
function instrumented(store: Store): WritePort {
  let last: ReadModel | undefined;
  let wrapped: ReadModel | undefined;
  let lastFinished = 0;
  return {
    model() {
      const m = store.model();
      if (m !== last) {
        last = m;
        let evaluated = false;
        wrapped = new Proxy(m, {
          get(target, prop, receiver) {
            if (prop !== 'evaluate' || evaluated) return Reflect.get(target, prop, receiver) as unknown;
            return (today: string) => {
              evaluated = true;
              const t = performance.now();
              const result = target.evaluate(today);
              counters.evaluations += 1;
              counters.evaluateMs += performance.now() - t;
              return result;
            };
          },
        });
      }
      return wrapped!;
    },
    async transact(fn) {
      counters.storeWritesStarted += 1;
      const started = performance.now();
      try {
        return await store.transact(fn);
      } finally {
        // Transactions run one at a time, in order: this one's own time started when it was called
        // or when the one before it finished, whichever was later.
        const now = performance.now();
        counters.storeWrites += 1;
        counters.storeWriteMs += now - Math.max(started, lastFinished);
        lastFinished = now;
      }
    },
    history: (filter) => store.history(filter),
    remember: (change) => store.remember(change),
  };
}

/** The duban server's store, once started: `usage` reports the size of its delivery indexes. */
let dubanStore: Store | undefined;

/** How many entries the store's bookkeeping indexes hold (what must stay bounded under steady use). */
function indexSizes(store: Store): Record<string, number> {
  const db = store.model().db;
  return {
    threads: Object.keys(db.threads).length,
    seenEvents: Object.keys(db.seen.events).length,
    seenMessages: Object.keys(db.seen.messages).length,
    choices: Object.keys(db.choices).length,
    reviews: db.reviews.length,
    journalEvents: db.journal.lastSeq,
  };
}

async function startDuban(
  apiUrl: string,
  dataset: DatasetOptions,
  storeKind: string,
  experiment: string | undefined,
  clockKind: string,
) {
  if (clockKind !== 'fixed' && clockKind !== 'live')
    throw new Error(`--clock must be fixed or live (got "${clockKind}")`);
  const origin = performance.now();
  const clock =
    clockKind === 'live' ? () => new Date(BENCH_NOW.getTime() + (performance.now() - origin)) : () => BENCH_NOW;
  if (experiment === 'yield-after-ack') yieldAfterAck();
  else if (experiment !== undefined) throw new Error(`unknown experiment "${experiment}" (known: yield-after-ack)`);
  if (storeKind !== 'file' && storeKind !== 'memory')
    throw new Error(`--store must be file or memory (got "${storeKind}")`);
  let t = performance.now();
  const { model, dataset: data } = buildBenchModel(dataset);
  const state = model.db as StoreState;
  const buildMs = performance.now() - t;
  // Like `duban start`, a lowdb data file (in a fresh temporary directory); or everything in memory.
  const dir = storeKind === 'file' ? mkdtempSync(join(tmpdir(), 'duban-bench-')) : undefined;
  t = performance.now();
  let store: Store;
  if (dir) {
    const file = join(dir, 'db.json');
    writeFileSync(file, JSON.stringify(state));
    store = await openStore(file, { timeZone: BENCH_TIME_ZONE, clock, calendar: chineseCalendarData() });
  } else {
    store = await openStore('(bench)', {
      timeZone: BENCH_TIME_ZONE,
      memory: { initial: state },
      clock,
      calendar: chineseCalendarData(),
    });
  }
  dubanStore = store;
  const openMs = performance.now() - t;
  const port = instrumented(store);
  // The first request of a day evaluates the whole store (memoised per revision and day); pay it here and report it.
  t = performance.now();
  port.model().evaluate(BENCH_TODAY);
  const evaluateMs = performance.now() - t;
  t = performance.now();
  port.model().rollup(BENCH_TODAY);
  const rollupMs = performance.now() - t;
  // The configuration `duban start` would read from this environment (not the maintainer's: nothing
  // leaks in), on a free port; the scheduler is off so that no reminder or bulletin runs mid-measurement.
  const config: Config = {
    ...loadConfig({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: apiUrl,
      DATA_FILE: dir ? join(dir, 'db.json') : '(memory)',
      BOT_LOCALE: 'zh-CN',
      DUBAN_TIMEZONE: BENCH_TIME_ZONE,
      LOG_LEVEL: 'silent',
      SCHEDULER: 'off',
    }),
    port: 0,
  };
  const running = await startSlackApp(config, {
    store: port,
    clock,
    timeZone: BENCH_TIME_ZONE,
    defaultLocale: 'zh-CN',
    logger: createLogger('silent'),
    adminUserIds: [],
  });
  return {
    port: running.port!,
    info: {
      ...data.counts,
      store: storeKind,
      ...(dir ? { storeBytes: statSync(join(dir, 'db.json')).size } : {}),
      ...(experiment ? { experiment } : {}),
      buildMs: Math.round(buildMs),
      openMs: Math.round(openMs),
      evaluateMs: Math.round(evaluateMs),
      rollupMs: Math.round(rollupMs),
    },
    stop: async () => {
      await running.stop();
      // close() waits for queued transactions; do not wait long for a backlog of writes.
      await Promise.race([store.close(), new Promise((resolve) => setTimeout(resolve, 2000))]);
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function startBare(apiUrl: string, withRespond: boolean) {
  const app = new App({
    token: BOT_TOKEN,
    signingSecret: SIGNING_SECRET,
    port: 0,
    logLevel: LogLevel.WARN,
    clientOptions: { slackApiUrl: apiUrl },
  });
  app.command('/targets', async ({ ack, respond }) => {
    await ack();
    if (withRespond) await respond({ response_type: 'ephemeral', replace_original: false, text: 'ok' });
  });
  const server = (await app.start(0)) as Server;
  return { port: (server.address() as AddressInfo).port, info: {}, stop: () => app.stop() as Promise<void> };
}

async function startFake() {
  // Every answer is timestamped when the fake has received and checked it. Each benchmark request has a
  // channel of its own and a response_url named after that channel, so an answer is matched to its
  // request whether the app posts it to the response_url or with chat.postMessage / chat.postEphemeral.
  const arrivals: Array<[string, number, number]> = [];
  const fake = await startFakeSlack({ responseUrlMaxUses: Number.POSITIVE_INFINITY });
  for (const u of benchUsers()) fake.setUser(u.id, { locale: u.locale });
  const ANSWERS = new Set(['chat.postMessage', 'chat.postEphemeral']);
  // waitFor with a predicate that never matches is the fake's hook on everything it records.
  fake
    .waitFor((item) => {
      if (item.kind === 'response') arrivals.push([item.id, clockMs(), item.status]);
      else if (item.kind === 'api' && ANSWERS.has(item.method))
        arrivals.push([String(item.args.channel), clockMs(), item.ok ? 200 : item.status === 200 ? 0 : item.status]);
      return false;
    }, 2_000_000_000)
    .catch(() => undefined);
  const port = Number(new URL(fake.origin).port);
  return {
    port,
    info: { url: fake.url },
    stop: () => fake.close(),
    takeArrivals: () => {
      const out = arrivals.splice(0);
      // Keep the fake's own recordings bounded: ids are unique, nothing needs the history.
      fake.responses.length = 0;
      fake.calls.length = 0;
      fake.reset();
      for (const u of benchUsers()) fake.setUser(u.id, { locale: u.locale });
      return out;
    },
  };
}

/** Main-thread GC pauses, by kind, since the process started. */
const gc = { minorMs: 0, minor: 0, majorMs: 0, major: 0 };
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const kind = (entry as unknown as { detail?: { kind?: number } }).detail?.kind;
    if (kind === perfConstants.NODE_PERFORMANCE_GC_MAJOR) {
      gc.majorMs += entry.duration;
      gc.major += 1;
    } else {
      gc.minorMs += entry.duration;
      gc.minor += 1;
    }
  }
}).observe({ entryTypes: ['gc'] });

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const kind = (flag(argv, 'kind') ?? '') as ServerKind;
  const apiUrl = flag(argv, 'api-url');
  const num = (name: keyof DatasetOptions) => {
    const v = flag(argv, name);
    return v === undefined ? DEFAULT_DATASET[name] : Number(v);
  };
  let server: {
    port: number;
    info: Record<string, number | string>;
    stop: () => Promise<void>;
    takeArrivals?: () => Array<[string, number, number]>;
  };
  if (kind === 'fake') server = await startFake();
  else if (kind === 'duban' || kind === 'bare' || kind === 'respond') {
    if (!apiUrl) throw new Error('--api-url is required for duban, bare and respond');
    server =
      kind === 'duban'
        ? await startDuban(
            apiUrl,
            {
              departments: num('departments'),
              targets: num('targets'),
              projects: num('projects'),
              updatesPerItem: num('updatesPerItem'),
              seed: num('seed'),
            },
            flag(argv, 'store') ?? 'file',
            flag(argv, 'experiment'),
            flag(argv, 'clock') ?? 'fixed',
          )
        : await startBare(apiUrl, kind === 'respond');
  } else throw new Error(`--kind must be duban, bare, respond or fake (got "${kind}")`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.stop().catch(() => undefined);
    // A normal exit, so that --cpu-prof writes its profile.
    process.exit(0);
  };
  process.on('message', (raw) => {
    const m = raw as ParentMessage;
    if (m.type === 'ping') send({ type: 'pong', t: m.t, child: clockMs() });
    else if (m.type === 'arrivals') send({ type: 'arrivals', arrivals: server.takeArrivals?.() ?? [] });
    else if (m.type === 'usage') {
      const cpu = process.cpuUsage();
      const mem = process.memoryUsage();
      send({
        type: 'usage',
        cpuMicros: cpu.user + cpu.system,
        rssBytes: mem.rss,
        heapUsedBytes: mem.heapUsed,
        heapTotalBytes: mem.heapTotal,
        externalBytes: mem.external,
        gc: { ...gc },
        ...counters,
        ...(dubanStore ? { indexes: indexSizes(dubanStore) } : {}),
      });
    } else if (m.type === 'stop') void stop();
  });
  process.on('disconnect', () => void stop());
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  send({ type: 'ready', kind, port: server.port, pid: process.pid, info: server.info });
}

main().catch((e: unknown) => {
  send({ type: 'error', message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  process.exit(1);
});
