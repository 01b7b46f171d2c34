/**
 * Does the optional model touch the acknowledgement path? In one run, the ack latency of signed
 * /targets commands against two duban apps with identical data and identical traffic:
 *
 *   off — no model configured (rules only);
 *   on  — the model configured and turned on zone-wide, against a fake OpenAI-compatible server that
 *         answers every request only after --model-delay ms (default 2000).
 *
 * While /targets is measured, each app also receives a steady stream of background events: thread
 * replies with long notes (stored, then summarised and read by the model in "on") and @mentions the
 * rules cannot place (routed by the model in "on"), so the "on" app has model calls in flight all
 * along. Both apps, the fake Slack API and the fake model run in their own processes; the apps are
 * measured in alternating rounds (AB BA AB BA) after a warm-up of each, so drift hits them alike.
 *
 *   node bin/run-ts.js bench/llm-ack.ts
 *   node bin/run-ts.js bench/llm-ack.ts --seconds 10 --rounds 4 --rate 40 --events-per-second 4 --model-delay 2000 --warmup 5 --check
 *
 * Target: p99 ack of /targets with the model on (and slow) within 10% of the figure with it off.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Config, loadConfig } from '../src/config.ts';
import type { StoreState } from '../src/domain/state.ts';
import { createModelAssistant } from '../src/llm/assistant.ts';
import { createOpenAiChat } from '../src/llm/openai-client.ts';
import { createLogger } from '../src/log.ts';
import { startSlackApp } from '../src/slack/app.ts';
import { openStore } from '../src/store/store.ts';
import { DEFAULT_ANSWERS, startFakeOpenAi } from '../test/support/fake-openai.ts';
import { startFakeSlack } from '../test/support/fake-slack.ts';
import { appMention, eventCallback, message, signSlackRequest, slashCommand } from '../test/support/slack-requests.ts';
import {
  BENCH_NOW,
  BENCH_TIME_ZONE,
  benchUsers,
  buildBenchModel,
  type DatasetOptions,
  QUERY_KINDS,
  queryText,
} from './generate.ts';
import { BOT_TOKEN, SIGNING_SECRET, sourceFingerprint, stopChild } from './shared.ts';
import { ms, type Summary, summarize, table } from './stats.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const THIS = fileURLToPath(import.meta.url);
const RUN_TS = join(ROOT, 'bin', 'run-ts.js');
const REPORTER = 'U0BENCH000';
const THREAD_CHANNEL = 'C0BENCHLLM';
const THREAD_TS = '1757901600.000100';
const DATASET: DatasetOptions = { departments: 50, targets: 1000, projects: 1000, updatesPerItem: 3, seed: 20260915 };

function flag(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
}

type Ready = { type: 'ready'; port: number; info: Record<string, unknown> };
type Stats = { type: 'stats'; info: Record<string, unknown> };

// ---------------------------------------------------------------------------------------------
// Children: the fake Slack API, the fake model, and the two apps
// ---------------------------------------------------------------------------------------------

async function child(role: string, argv: string[]): Promise<void> {
  let stop: () => Promise<void> = async () => undefined;
  let stats: () => Record<string, unknown> = () => ({});
  let port = 0;
  let info: Record<string, unknown> = {};
  if (role === 'slack') {
    const fake = await startFakeSlack({ responseUrlMaxUses: Number.POSITIVE_INFINITY, strictMessages: false });
    for (const u of benchUsers()) fake.setUser(u.id, { locale: u.locale });
    // Keep the recordings bounded: nothing here needs the history.
    const timer = setInterval(() => {
      fake.calls.length = 0;
      fake.responses.length = 0;
    }, 1000);
    port = Number(new URL(fake.origin).port);
    info = { url: fake.url };
    stop = async () => {
      clearInterval(timer);
      await fake.close();
    };
  } else if (role === 'model') {
    const delayMs = Number(flag(argv, 'delay') ?? 2000);
    const fake = await startFakeOpenAi();
    const counts: Record<string, number> = {};
    fake.on('*', (req) => {
      counts[req.task] = (counts[req.task] ?? 0) + 1;
      // A reading that proposes a figure, so "on" also posts questions with buttons.
      const value =
        req.task === 'note_reading'
          ? {
              confident: true,
              figure_mode: 'increment',
              value: 1,
              percent: null,
              state: null,
              milestone_id: null,
              blockers: [],
              evidence: [],
            }
          : (DEFAULT_ANSWERS[req.task] as { value: unknown }).value;
      return { kind: 'json', value, delayMs };
    });
    const timer = setInterval(() => (fake.requests.length = 0), 1000);
    port = Number(new URL(fake.url).port);
    info = { url: fake.url, delayMs };
    stats = () => ({ ...counts });
    stop = async () => {
      clearInterval(timer);
      await fake.close();
    };
  } else if (role === 'app') {
    const apiUrl = flag(argv, 'api-url')!;
    const modelUrl = flag(argv, 'model-url');
    const { model, dataset } = buildBenchModel(DATASET);
    const target = model.db.targets.find((t) => t.kind === 'cumulative')!;
    const initial: StoreState = {
      ...(model.db as StoreState),
      // A thread duban posted about one target, so replies in it are progress reports.
      threads: {
        [`${THREAD_CHANNEL}:${THREAD_TS}`]: { itemIds: [target.id], until: BENCH_NOW.getTime() + 90 * 86_400_000 },
      },
      llm: { enabled: modelUrl !== undefined, departments: {} },
    };
    const store = await openStore('(bench)', {
      timeZone: BENCH_TIME_ZONE,
      memory: { initial },
      clock: () => BENCH_NOW,
    });
    const logger = createLogger('silent');
    const config: Config = {
      ...loadConfig({
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: apiUrl,
        DUBAN_TIMEZONE: BENCH_TIME_ZONE,
        LOG_LEVEL: 'silent',
        SCHEDULER: 'off',
        ...(modelUrl ? { OPENAI_BASE_URL: modelUrl, OPENAI_MODEL: 'bench-slow-model' } : {}),
      }),
      port: 0,
    };
    const assistant = config.llm
      ? createModelAssistant({
          config: config.llm,
          chat: createOpenAiChat(config.llm),
          store,
          clock: () => BENCH_NOW,
          logger,
          defaultLocale: 'zh-CN',
        })
      : undefined;
    const running = await startSlackApp(config, {
      store,
      ...(assistant ? { assistant } : {}),
      clock: () => BENCH_NOW,
      timeZone: BENCH_TIME_ZONE,
      defaultLocale: 'zh-CN',
      logger,
      adminUserIds: [REPORTER],
    });
    port = running.port!;
    info = {
      llm: config.llm ? `${config.llm.model} @ ${new URL(config.llm.baseURL).host}` : 'not configured',
      ...dataset.counts,
    };
    stats = () => {
      const s = assistant?.status();
      const history = store.model().db.journal.lastSeq;
      return {
        journalEvents: history,
        ...(s
          ? { modelCalls: s.calls, modelFailures: s.failures, cacheHits: s.cacheHits, breaker: s.breaker.state }
          : {}),
      };
    };
    stop = async () => {
      await running.stop();
      await Promise.race([store.close(), new Promise((r) => setTimeout(r, 2000))]);
    };
  } else throw new Error(`unknown role ${role}`);
  process.send!({ type: 'ready', port, info } satisfies Ready);
  process.on('message', async (m: { type: string }) => {
    if (m.type === 'stats') process.send!({ type: 'stats', info: stats() } satisfies Stats);
    if (m.type === 'stop') {
      await stop();
      process.exit(0);
    }
  });
}

type Child = {
  proc: ChildProcess;
  port: number;
  info: Record<string, unknown>;
  ask(type: 'stats'): Promise<Stats>;
  stop(): Promise<void>;
};

function startChild(role: string, args: string[]): Promise<Child> {
  const proc = fork(RUN_TS, [THIS, '--role', role, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    const waiting: Array<(s: Stats) => void> = [];
    proc.on('message', (m: Ready | Stats) => {
      if (m.type === 'ready') {
        resolve({
          proc,
          port: m.port,
          info: m.info,
          ask: () =>
            new Promise((res) => {
              waiting.push(res);
              proc.send({ type: 'stats' });
            }),
          stop: () => stopChild(proc),
        });
      } else waiting.shift()?.(m);
    });
    proc.once('exit', (code) => reject(new Error(`${role} exited with code ${code}`)));
  });
}

// ---------------------------------------------------------------------------------------------
// Load
// ---------------------------------------------------------------------------------------------

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

function post(port: number, body: string, contentType: string): Promise<number> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const bytes = Buffer.from(body, 'utf8');
  const headers = {
    'content-type': contentType,
    'content-length': String(bytes.length),
    'x-slack-request-timestamp': timestamp,
    'x-slack-signature': signSlackRequest(SIGNING_SECRET, timestamp, body),
  };
  return new Promise((resolve, reject) => {
    const req = request({ agent, host: '127.0.0.1', port, path: '/slack/events', method: 'POST', headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(bytes);
  });
}

let seq = 0;

function targetsCommand(slackOrigin: string): string {
  seq += 1;
  const users = benchUsers();
  const kind = QUERY_KINDS[seq % QUERY_KINDS.length]!;
  return slashCommand({
    command: '/targets',
    text: queryText(kind, seq, DATASET),
    userId: users[seq % users.length]!.id,
    channelId: `CL${seq.toString(36).toUpperCase().padStart(8, '0')}`,
    responseUrl: `${slackOrigin}/response/llm-${seq}`,
  }).body;
}

/** A background event: a long note in the thread, or a question the rules cannot place. */
function backgroundEvent(): string {
  seq += 1;
  const event =
    seq % 2 === 0
      ? message({
          text: `本周推进情况（第${seq}条）：老旧小区改造项目大部分完成主体施工，少数项目因征收补偿协议尚未签订而暂缓，已报请区领导协调，预计下月初可恢复施工；配套管网改造已完成招标。`,
          userId: REPORTER,
          channelId: THREAD_CHANNEL,
          threadTs: THREAD_TS,
        })
      : appMention({
          text: `给我讲讲盖房子那个部门吧 ${seq.toString(36)}`,
          userId: REPORTER,
          channelId: THREAD_CHANNEL,
        });
  return eventCallback(event).body;
}

type Round = { acks: number[]; eventAcks: number[]; failures: number };

/**
 * Open loop for `seconds`: /targets at `rate` per second and background events at `eventsPerSecond`,
 * each sent on schedule whatever the app's pace (as Slack sends them); a latency counts from the
 * scheduled send time to the end of the HTTP response, the ack.
 */
async function round(
  port: number,
  slackOrigin: string,
  seconds: number,
  rate: number,
  eventsPerSecond: number,
): Promise<Round> {
  const out: Round = { acks: [], eventAcks: [], failures: 0 };
  const pending: Array<Promise<void>> = [];
  const fire = (body: string, contentType: string, into: number[]) => {
    const started = performance.now();
    pending.push(
      post(port, body, contentType).then(
        (status) => {
          if (status === 200) into.push(performance.now() - started);
          else out.failures += 1;
        },
        () => void (out.failures += 1),
      ),
    );
  };
  const start = performance.now();
  const end = start + seconds * 1000;
  let sentTargets = 0;
  let sentEvents = 0;
  while (performance.now() < end) {
    const elapsed = (performance.now() - start) / 1000;
    while (sentTargets < elapsed * rate) {
      sentTargets += 1;
      fire(targetsCommand(slackOrigin), 'application/x-www-form-urlencoded', out.acks);
    }
    while (sentEvents < elapsed * eventsPerSecond) {
      sentEvents += 1;
      fire(backgroundEvent(), 'application/json', out.eventAcks);
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  await Promise.all(pending);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

async function main(argv: string[]): Promise<number> {
  const int = (name: string, fallback: number) => {
    const v = flag(argv, name);
    return v === undefined ? fallback : Number(v);
  };
  const seconds = int('seconds', 10);
  const rounds = int('rounds', 4);
  const rate = int('rate', 40);
  const eventsPerSecond = int('events-per-second', 4);
  const modelDelay = int('model-delay', 2000);
  const warmup = int('warmup', 5);
  const check = argv.includes('--check');

  const slack = await startChild('slack', []);
  const model = await startChild('model', ['--delay', String(modelDelay)]);
  const slackUrl = String(slack.info.url);
  const slackOrigin = new URL(slackUrl).origin;
  const apps = {
    off: await startChild('app', ['--api-url', slackUrl]),
    on: await startChild('app', ['--api-url', slackUrl, '--model-url', String(model.info.url)]),
  };
  const results: Record<'off' | 'on', Round> = {
    off: { acks: [], eventAcks: [], failures: 0 },
    on: { acks: [], eventAcks: [], failures: 0 },
  };
  const load = loadavg()[0]!;
  try {
    for (const name of ['off', 'on'] as const) await round(apps[name].port, slackOrigin, warmup, rate, eventsPerSecond);
    for (let r = 0; r < rounds; r++) {
      const order: Array<'off' | 'on'> = r % 2 === 0 ? ['off', 'on'] : ['on', 'off'];
      for (const name of order) {
        const res = await round(apps[name].port, slackOrigin, seconds, rate, eventsPerSecond);
        results[name].acks.push(...res.acks);
        results[name].eventAcks.push(...res.eventAcks);
        results[name].failures += res.failures;
      }
    }
    // Let model calls still in flight finish, then read what happened.
    await new Promise((r) => setTimeout(r, modelDelay + 500));
    const stats = {
      off: (await apps.off.ask('stats')).info,
      on: (await apps.on.ask('stats')).info,
      model: (await model.ask('stats')).info,
    };
    const s: Record<'off' | 'on', { targets: Summary; events: Summary }> = {
      off: { targets: summarize(results.off.acks), events: summarize(results.off.eventAcks) },
      on: { targets: summarize(results.on.acks), events: summarize(results.on.eventAcks) },
    };
    const ratio = s.on.targets.p99 / s.off.targets.p99;
    const pass = ratio <= 1.1;
    const row = (label: string, x: Summary) => [label, String(x.n), ms(x.p50), ms(x.p90), ms(x.p99), ms(x.max)];
    process.stdout.write(
      `\nduban ack latency, model off vs on (model answers after ${modelDelay} ms); ${rounds} alternating rounds of ${seconds} s each, /targets at ${rate}/s and ${eventsPerSecond} background events/s (open loop)\n\n` +
        `${table(
          ['ack (ms)', 'n', 'p50', 'p90', 'p99', 'max'],
          [
            row('/targets, model off', s.off.targets),
            row('/targets, model on (slow)', s.on.targets),
            row('events, model off', s.off.events),
            row('events, model on (slow)', s.on.events),
          ],
        )}\n\n` +
        `p99 on/off: ${ratio.toFixed(3)} → ${pass ? 'PASS' : 'FAIL'} (target ≤ 1.10)\n` +
        `failures: off ${results.off.failures}, on ${results.on.failures}\n` +
        `model requests received: ${JSON.stringify(stats.model)}\napp off: ${JSON.stringify(stats.off)}\napp on: ${JSON.stringify(stats.on)}\n`,
    );
    const out = join(ROOT, 'bench', 'results', `llm-ack-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(
      out,
      `${JSON.stringify(
        {
          at: new Date().toISOString(),
          source: sourceFingerprint(),
          machine: {
            cpus: availableParallelism(),
            model: cpus()[0]?.model,
            node: process.version,
            loadBefore: load,
            loadAfter: loadavg()[0],
          },
          options: { seconds, rounds, rate, eventsPerSecond, modelDelay, warmup, dataset: DATASET },
          summary: s,
          ratio,
          pass,
          failures: { off: results.off.failures, on: results.on.failures },
          stats,
          apps: { off: apps.off.info, on: apps.on.info },
        },
        null,
        2,
      )}\n`,
    );
    process.stdout.write(`results: ${relative(ROOT, out)}\n`);
    return check && !pass ? 1 : 0;
  } finally {
    agent.destroy();
    await Promise.all([apps.off.stop(), apps.on.stop(), slack.stop(), model.stop()]);
  }
}

const role = flag(process.argv.slice(2), 'role');
if (role) await child(role, process.argv.slice(2));
else process.exitCode = await main(process.argv.slice(2));
