/**
 * The app process of bench/ack-scale.ts, started once per store in a fresh process so that its CPU time
 * and RSS are its own (forked by bench/ack-scale.ts; not meant to be run by hand):
 *
 *   node bin/run-ts.js bench/ack-scale-server.ts --store wal      --data DIR/db.json --api-url URL --now ISO --admins U1,U2
 *   node bin/run-ts.js bench/ack-scale-server.ts --store legacy   --data DIR/db.json …
 *   node bin/run-ts.js bench/ack-scale-server.ts --store postgres --url postgres://… …
 *   node bin/run-ts.js bench/ack-scale-server.ts --store bare     --api-url URL
 *
 * - wal: the embedded store as it is (src/store), on the data file;
 * - legacy: the store before the write-ahead log (bench/store/legacy), on its own copy of the files;
 * - postgres: src/store/postgres on a database the parent filled with `copyToPostgres`;
 * - bare: a bare Bolt app that answers every command with an empty ack and ignores every event.
 * duban runs as `duban start` runs it (startSlackApp, HTTP on a free loopback port, scheduler off, a silent
 * logger) with a fixed clock just after the history's last report, so new reports fold on top.
 *
 * IPC: sends `ready` once listening; answers `usage` with its CPU time, RSS, peak RSS and the commit times
 * of the store transactions since the last `usage`; `stop` closes the app and the store and exits.
 */
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel } from '@slack/bolt';
import type { Config } from '../src/config.ts';
import type { WritePort } from '../src/domain/ports.ts';
import { BOT_TOKEN, SIGNING_SECRET } from './shared.ts';

// duban's modules are imported only by the processes that run duban, so the bare Bolt app's RSS is Bolt's.
const TIME_ZONE = 'Asia/Shanghai';

export type AckScaleStore = 'wal' | 'legacy' | 'postgres' | 'bare';

export type AckScaleServerMessage =
  | { type: 'ready'; port: number; pid: number; openMs: number; rssAfterOpenBytes: number; notices: string[] }
  | {
      type: 'usage';
      cpuMicros: number;
      rssBytes: number;
      /** The process's peak RSS so far (VmHWM, or getrusage maxRSS). */
      maxRssBytes: number;
      /** Transactions started and finished so far. */
      started: number;
      finished: number;
      /** Commit times (ms) of the transactions finished since the last `usage`: their own time, not the wait behind earlier ones. */
      commitMs: number[];
    }
  | { type: 'error'; message: string };

export type AckScaleParentMessage = { type: 'usage' } | { type: 'stop' };

type Closable = WritePort & { close(): Promise<void> };

function flag(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
}

/**
 * The process's peak RSS so far: VmHWM on Linux (per process image, so not the parent's at fork time,
 * which getrusage's maxRSS can carry over), else maxRSS.
 */
function peakRssBytes(): number {
  try {
    const kb = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    if (kb) return Number(kb) * 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS * 1024;
}

function send(message: AckScaleServerMessage): void {
  process.send?.(message);
}

const counters = { started: 0, finished: 0, commitMs: [] as number[] };

/** The store as the app sees it, with each transaction's commit time recorded. */
function timed(store: Closable): WritePort {
  let lastFinished = 0;
  return {
    model: () => store.model(),
    async transact(fn) {
      counters.started += 1;
      const started = performance.now();
      try {
        return await store.transact(fn);
      } finally {
        // Transactions run one at a time, in order: this one's own time started when it was called or
        // when the one before it finished, whichever was later.
        const now = performance.now();
        counters.finished += 1;
        counters.commitMs.push(now - Math.max(started, lastFinished));
        lastFinished = now;
      }
    },
    history: (filter) => store.history(filter),
    remember: (change) => store.remember(change),
  };
}

async function openOf(kind: AckScaleStore, argv: string[], clock: () => Date, notices: string[]): Promise<Closable> {
  const onNotice = (message: string) => notices.push(message);
  const { chineseCalendarData } = await import('../src/scheduler/holidays.ts');
  const calendar = chineseCalendarData();
  const data = flag(argv, 'data');
  if (kind === 'postgres') {
    const url = flag(argv, 'url');
    if (!url) throw new Error('--url is required for --store postgres');
    const { openPostgresStore } = await import('../src/store/postgres/store.ts');
    return openPostgresStore({ url, timeZone: TIME_ZONE, clock, calendar, onNotice });
  }
  if (!data) throw new Error(`--data is required for --store ${kind}`);
  const open =
    kind === 'legacy'
      ? (await import('./store/legacy/store.ts')).openStore
      : (await import('../src/store/store.ts')).openStore;
  return open(data, { timeZone: TIME_ZONE, clock, calendar, onNotice });
}

async function startBare(apiUrl: string) {
  const app = new App({
    token: BOT_TOKEN,
    signingSecret: SIGNING_SECRET,
    port: 0,
    logLevel: LogLevel.WARN,
    clientOptions: { slackApiUrl: apiUrl },
  });
  app.command(/.*/, async ({ ack }) => {
    await ack();
  });
  app.event(/.*/, async () => undefined);
  const server = (await app.start(0)) as Server;
  return { port: (server.address() as AddressInfo).port, stop: () => app.stop() as Promise<void> };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const kind = flag(argv, 'store') as AckScaleStore | undefined;
  const apiUrl = flag(argv, 'api-url');
  if (!kind || !['wal', 'legacy', 'postgres', 'bare'].includes(kind))
    throw new Error(`--store must be wal, legacy, postgres or bare (got "${kind}")`);
  if (!apiUrl) throw new Error('--api-url is required');
  const now = new Date(flag(argv, 'now') ?? '2036-01-01T02:00:00Z');
  const clock = () => now;
  const notices: string[] = [];
  const t = performance.now();
  let server: { port: number; stop: () => Promise<void> };
  if (kind === 'bare') server = await startBare(apiUrl);
  else {
    const store = await openOf(kind, argv, clock, notices);
    const { loadConfig } = await import('../src/config.ts');
    const { startSlackApp } = await import('../src/slack/app.ts');
    const { createLogger } = await import('../src/log.ts');
    const config: Config = {
      ...loadConfig({
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: apiUrl,
        DATA_FILE: flag(argv, 'data') ?? '(memory)',
        BOT_LOCALE: 'zh-CN',
        DUBAN_TIMEZONE: TIME_ZONE,
        LOG_LEVEL: 'silent',
        SCHEDULER: 'off',
      }),
      port: 0,
    };
    const adminUserIds = (flag(argv, 'admins') ?? '').split(',').filter(Boolean);
    const running = await startSlackApp(
      { ...config, adminUserIds },
      {
        store: timed(store),
        clock,
        timeZone: TIME_ZONE,
        defaultLocale: 'zh-CN',
        logger: createLogger('silent'),
        adminUserIds,
      },
    );
    server = {
      port: running.port!,
      stop: async () => {
        await running.stop();
        await Promise.race([store.close(), new Promise((resolve) => setTimeout(resolve, 5_000))]);
      },
    };
  }
  const openMs = performance.now() - t;
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.stop().catch(() => undefined);
    process.exit(0);
  };
  process.on('message', (raw) => {
    const m = raw as AckScaleParentMessage;
    if (m.type === 'usage') {
      const cpu = process.cpuUsage();
      send({
        type: 'usage',
        cpuMicros: cpu.user + cpu.system,
        rssBytes: process.memoryUsage().rss,
        maxRssBytes: peakRssBytes(),
        started: counters.started,
        finished: counters.finished,
        commitMs: counters.commitMs.splice(0),
      });
    } else if (m.type === 'stop') void stop();
  });
  process.on('disconnect', () => void stop());
  send({
    type: 'ready',
    port: server.port,
    pid: process.pid,
    openMs,
    rssAfterOpenBytes: process.memoryUsage().rss,
    notices,
  });
}

main().catch((e: unknown) => {
  send({ type: 'error', message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  process.exit(1);
});
