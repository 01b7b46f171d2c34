/**
 * Ack latency at 100,000 stored updates (issue 15, "How we will know"): the real Bolt app on the
 * embedded store as it is, on the store before the write-ahead log and on Postgres, and a bare Bolt app
 * that only acks, side by side in one run, under the same seeded mix of requests.
 *
 *   npm run bench:ack-scale
 *   npm run bench:ack-scale -- --updates 10000 --requests 300
 *   npm run bench:ack-scale -- --help
 *
 * 1. The deterministic history of bench/store/history.ts (the store-scale benchmark's) is written
 *    through the store, or copied from the dataset cache (bench/store/dataset-cache.ts), into a temp
 *    folder; the store before the write-ahead log gets its own copy of the files, and a real Postgres
 *    (test/support/postgres.ts, durable settings) a copy made with `copyToPostgres` (`duban migrate`).
 * 2. For each store, a fresh process (bench/ack-scale-server.ts) runs the real app (startSlackApp, HTTP,
 *    signed requests) against the fake Slack Web API, which runs in this process and timestamps every
 *    answer. Threads are set up first (`/targets ITEM` posted in a channel, unmeasured), then a warm-up,
 *    then `--requests` requests at `--rate` per second (open loop, at most `--concurrency` in flight):
 *    thread replies that log progress (the write path), /progress ITEM NOTE (a write through a command)
 *    and /targets queries, in the same seeded order for every store.
 * 3. Measured: ack latency (request written → HTTP 200 received), time to the answer on the fake Slack
 *    (end to end), each store transaction's commit time (in the app process, its own time), the app
 *    process's CPU time and peak RSS, and the load average. Everything stays on 127.0.0.1.
 */

import { fork } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { copyToPostgres } from '../src/store/postgres/copy.ts';
import { journalDirOf } from '../src/store/store.ts';
import { walDirOf } from '../src/store/wal.ts';
import { allText, type FakeSlack, startFakeSlack } from '../test/support/fake-slack.ts';
import { startTestPostgres, type TestPostgres } from '../test/support/postgres.ts';
import { eventCallback, fakeTs, message, signSlackRequest, slashCommand } from '../test/support/slack-requests.ts';
import type { AckScaleParentMessage, AckScaleServerMessage, AckScaleStore } from './ack-scale-server.ts';
import { parseFlags, SIGNING_SECRET, sourceFingerprint, UsageError } from './shared.ts';
import { percentile } from './stats.ts';
import { cachedStoreDataset } from './store/dataset-cache.ts';
import { DEFAULT_HISTORY, definitionsOfYear, type HistoryOptions, itemsOf, lastDayOf, prng } from './store/history.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export const STORE_LABEL: Record<AckScaleStore, string> = {
  bare: 'bare Bolt (empty ack)',
  wal: 'lowdb store, after (write-ahead log)',
  legacy: 'lowdb store, before (bench/store/legacy)',
  postgres: 'Postgres',
};

export type AckScaleOptions = {
  history: HistoryOptions;
  stores: AckScaleStore[];
  requests: number;
  warmup: number;
  rate: number;
  concurrency: number;
  threads: number;
  seed: number;
  cache: boolean;
  drainTimeoutMs: number;
};

const HELP = `Usage: npm run bench:ack-scale -- [options]

  --updates N       progress reports in the stored history (default ${DEFAULT_HISTORY.updates.toLocaleString('en')})
  --stores S,S…     which apps to run, in this order: bare, wal, legacy, postgres (default all)
  --requests N      measured requests per app (default 600)
  --warmup N        unmeasured requests per app first (default 100)
  --rate R          requests per second, open loop (default 10)
  --concurrency C   at most C requests in flight (default 20)
  --threads T       threads duban posts first, which the replies go to (default 16)
  --seed N          the request mix's seed (default 15)
  --no-cache        generate the history afresh instead of using the dataset cache
  --drain-timeout S how long to wait for the answers after the last request (default 120)
  --help            this text
`;

export function parseOptions(argv: string[]): AckScaleOptions {
  const flags = parseFlags(argv, ['help', 'no-cache']);
  const known = [
    'updates',
    'stores',
    'requests',
    'warmup',
    'rate',
    'concurrency',
    'threads',
    'seed',
    'no-cache',
    'drain-timeout',
    'help',
  ];
  for (const name of flags.keys()) if (!known.includes(name)) throw new UsageError(`unknown option --${name}`);
  if (flags.has('help')) {
    process.stdout.write(HELP);
    process.exit(0);
  }
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = flags.get(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new UsageError(`--${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
    return n;
  };
  const stores = (flags.get('stores') ?? 'bare,wal,legacy,postgres').split(',').map((s) => s.trim()) as AckScaleStore[];
  for (const s of stores)
    if (!(s in STORE_LABEL))
      throw new UsageError(`--stores: "${s}" is not one of ${Object.keys(STORE_LABEL).join(', ')}`);
  return {
    history: { ...DEFAULT_HISTORY, updates: int('updates', DEFAULT_HISTORY.updates, 100, 10_000_000) },
    stores,
    requests: int('requests', 600, 1, 1_000_000),
    warmup: int('warmup', 100, 0, 100_000),
    rate: int('rate', 10, 1, 10_000),
    concurrency: int('concurrency', 20, 1, 1000),
    threads: int('threads', 16, 1, 64),
    seed: int('seed', 15, 0, 2 ** 31),
    cache: !flags.has('no-cache'),
    drainTimeoutMs: int('drain-timeout', 120, 1, 3600) * 1000,
  };
}

// ---------------------------------------------------------------------------------------------
// The request mix
// ---------------------------------------------------------------------------------------------

/** The people sending the requests: admins, so that a report on any item is theirs to log. */
export const BENCH_USERS = ['U0ACKSCL01', 'U0ACKSCL02', 'U0ACKSCL03', 'U0ACKSCL04'];

/** Notes without figures, so every reply is recorded as it stands (no question about a figure). */
const NOTES = [
  '施工单位已进场，正在进行基础施工',
  '已召开协调会，明确责任分工',
  '资金已拨付到位',
  '正在办理竣工验收手续',
  '项目用地手续正在报批',
  '企业意向明确，正在洽谈合同条款',
];

export type RequestKind = 'reply' | 'progress' | 'targets';

/** One request of the mix: what it is, independent of the app it is sent to. */
export type RequestSpec = { kind: RequestKind; user: string; thread: number; item: string; text: string };

/** The seed's items (all, and its targets and projects) and the department names /targets is asked for. */
function benchItems(h: HistoryOptions) {
  const defs = definitionsOfYear(h.startYear, h.definitions);
  return {
    items: itemsOf(defs).map(({ item }) => item.id),
    targets: defs.targets.map((t) => t.id),
    projects: defs.projects.map((p) => p.id),
    departments: defs.departments.map((d) => d.name.zh),
  };
}

/**
 * The seeded mix: half thread replies logging progress, a fifth /progress ITEM NOTE, the rest /targets
 * (the overview, a department, an item). The same options always give the same list.
 */
export function requestMix(o: Pick<AckScaleOptions, 'history' | 'threads' | 'seed'>, n: number): RequestSpec[] {
  const rand = prng(o.seed);
  const { items, targets, departments } = benchItems(o.history);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const out: RequestSpec[] = [];
  for (let i = 0; i < n; i++) {
    const r = rand();
    const user = pick(BENCH_USERS);
    const thread = Math.floor(rand() * o.threads);
    const item = pick(items);
    if (r < 0.5) out.push({ kind: 'reply', user, thread, item: '', text: pick(NOTES) });
    else if (r < 0.7) out.push({ kind: 'progress', user, thread, item, text: `${item} ${pick(NOTES)}` });
    else {
      const q = rand();
      out.push({
        kind: 'targets',
        user,
        thread,
        item,
        text: q < 0.4 ? '' : q < 0.7 ? pick(departments) : pick(targets),
      });
    }
  }
  return out;
}

/** The items the threads are about, alternately the seed's targets and projects (what /targets and /projects show). */
export function threadItems(
  h: HistoryOptions,
  threads: number,
): Array<{ command: '/targets' | '/projects'; item: string }> {
  const { targets, projects } = benchItems(h);
  return Array.from({ length: threads }, (_, i) => {
    const [list, command] = i % 2 === 0 ? [targets, '/targets' as const] : [projects, '/projects' as const];
    return { command, item: list[Math.floor(i / 2) % list.length]! };
  });
}

// ---------------------------------------------------------------------------------------------
// The fake Slack's answers, matched to requests
// ---------------------------------------------------------------------------------------------

type Answer = { at: number; text: string };

/**
 * Routes every answer the fake receives: a response_url POST or a channel message to the request of
 * that id (each slash command has a channel and response_url of its own), a thread message to the
 * oldest unanswered reply in that thread.
 */
class Answers {
  private byId = new Map<string, (a: Answer) => void>();
  private byThread = new Map<string, Array<(a: Answer) => void>>();
  /** Thread messages no reply was waiting for. */
  extra = 0;

  constructor(fake: FakeSlack) {
    const ANSWERS = new Set(['chat.postMessage', 'chat.postEphemeral']);
    // waitFor with a predicate that never matches is the fake's hook on everything it records.
    fake
      .waitFor((item) => {
        const at = performance.timeOrigin + performance.now();
        if (item.kind === 'response') this.deliver(item.id, { at, text: allText(item.body) });
        else if (item.kind === 'api' && ANSWERS.has(item.method)) {
          const text = allText(item.args);
          const thread = item.args.thread_ts;
          const ts = (item.response as { ts?: string } | undefined)?.ts ?? '';
          if (typeof thread === 'string') {
            const waiting = this.byThread.get(`${String(item.args.channel)}/${thread}`)?.shift();
            if (waiting) waiting({ at, text });
            else this.extra += 1;
          } else this.deliver(String(item.args.channel), { at, text: `${ts}\n${text}` });
        }
        return false;
      }, 2_000_000_000)
      .catch(() => undefined);
  }

  private deliver(id: string, a: Answer): void {
    const waiting = this.byId.get(id);
    if (!waiting) return;
    this.byId.delete(id);
    waiting(a);
  }

  expect(id: string, on: (a: Answer) => void): void {
    this.byId.set(id, on);
  }

  expectInThread(channel: string, ts: string, on: (a: Answer) => void): void {
    const key = `${channel}/${ts}`;
    const list = this.byThread.get(key) ?? [];
    list.push(on);
    this.byThread.set(key, list);
  }

  clear(): void {
    this.byId.clear();
    this.byThread.clear();
    this.extra = 0;
  }
}

// ---------------------------------------------------------------------------------------------
// The app process
// ---------------------------------------------------------------------------------------------

type UsageMessage = Extract<AckScaleServerMessage, { type: 'usage' }>;
type AppChild = {
  port: number;
  openMs: number;
  rssAfterOpenBytes: number;
  notices: string[];
  usage(): Promise<UsageMessage>;
  stop(): Promise<void>;
};

function startApp(store: AckScaleStore, args: string[]): Promise<AppChild> {
  const proc = fork(
    join(ROOT, 'bin', 'run-ts.js'),
    [join(ROOT, 'bench', 'ack-scale-server.ts'), '--store', store, ...args],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    },
  );
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  const usageWaiters: Array<(m: UsageMessage) => void> = [];
  let exited = false;
  const exit = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    proc.on('message', (raw) => {
      const m = raw as AckScaleServerMessage;
      if (m.type === 'ready')
        resolve({
          port: m.port,
          openMs: m.openMs,
          rssAfterOpenBytes: m.rssAfterOpenBytes,
          notices: m.notices,
          usage: () =>
            new Promise<UsageMessage>((res, rej) => {
              if (exited) return rej(new Error(`the ${store} app has exited:\n${output}`));
              usageWaiters.push(res);
              proc.send({ type: 'usage' } satisfies AckScaleParentMessage);
            }),
          stop: async () => {
            if (exited) return;
            const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
            proc.send({ type: 'stop' } satisfies AckScaleParentMessage);
            await exit;
            clearTimeout(timer);
          },
        });
      else if (m.type === 'usage') usageWaiters.shift()?.(m);
      else if (m.type === 'error') reject(new Error(`the ${store} app failed to start:\n${m.message}`));
    });
    proc.once('exit', (code, signal) => {
      exited = true;
      reject(new Error(`the ${store} app exited (code ${code}, signal ${signal}):\n${output}`));
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Sending
// ---------------------------------------------------------------------------------------------

function post(agent: Agent, port: number, body: string, contentType: string): Promise<number> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const bytes = Buffer.from(body, 'utf8');
  const headers = {
    'content-type': contentType,
    'content-length': String(bytes.length),
    'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
    'x-slack-request-timestamp': timestamp,
    'x-slack-signature': signSlackRequest(SIGNING_SECRET, timestamp, body),
  };
  return new Promise((resolve, reject) => {
    const req = request({ agent, host: '127.0.0.1', port, path: '/slack/events', method: 'POST', headers }, (res) => {
      res.on('data', () => undefined);
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(bytes);
  });
}

/** What happened to one request. */
export type Outcome = {
  kind: RequestKind;
  /** HTTP status of the ack (0: the request failed). */
  status: number;
  ackMs: number;
  /** Request written → its answer received by the fake; NaN when none came (or none was expected). */
  e2eMs: number;
  /** The answer recorded the report ("已记录"): thread replies and /progress only. */
  recorded: boolean;
  /** The start of the answer, for writes whose answer did not record them. */
  answer?: string;
};

type Thread = { channel: string; ts: string };

/** Sends the specs at `rate` per second (at most `concurrency` in flight) and waits for their answers. */
async function drive(
  specs: readonly RequestSpec[],
  ctx: {
    port: number;
    fake: FakeSlack;
    answers: Answers;
    threads: Thread[];
    prefix: string;
    answered: boolean;
    rate: number;
    concurrency: number;
    drainTimeoutMs: number;
  },
): Promise<Outcome[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: ctx.concurrency });
  const outcomes: Outcome[] = specs.map((s) => ({
    kind: s.kind,
    status: 0,
    ackMs: Number.NaN,
    e2eMs: Number.NaN,
    recorded: false,
  }));
  let pending = 0;
  let allAnswered: () => void = () => undefined;
  const answeredAll = new Promise<void>((resolve) => {
    allAnswered = resolve;
  });
  const one = async (i: number) => {
    const spec = specs[i]!;
    const out = outcomes[i]!;
    const id = `C${ctx.prefix}${i.toString(36).toUpperCase().padStart(6, '0')}`;
    let body: string;
    let contentType: string;
    // Set just before the request is written; no answer can come before.
    let sent = Number.NaN;
    const onAnswer = (a: Answer) => {
      out.e2eMs = a.at - sent;
      out.recorded = a.text.includes('已记录');
      if (!out.recorded && spec.kind !== 'targets') out.answer = a.text.replace(/\s+/g, ' ').slice(0, 80);
      if (--pending === 0) allAnswered();
    };
    if (spec.kind === 'reply') {
      const thread = ctx.threads[spec.thread % Math.max(1, ctx.threads.length)] ?? {
        channel: 'C0NOTHREAD',
        ts: '1.000001',
      };
      const req = eventCallback(
        message({ text: spec.text, userId: spec.user, channelId: thread.channel, threadTs: thread.ts, ts: fakeTs() }),
      );
      ({ body, contentType } = req);
      if (ctx.answered) {
        pending++;
        ctx.answers.expectInThread(thread.channel, thread.ts, onAnswer);
      }
    } else {
      const req = slashCommand({
        command: spec.kind === 'progress' ? '/progress' : '/targets',
        text: spec.text,
        userId: spec.user,
        channelId: id,
        channelName: 'bench',
        responseUrl: ctx.fake.responseUrl(id),
      });
      ({ body, contentType } = req);
      if (ctx.answered) {
        pending++;
        ctx.answers.expect(id, onAnswer);
      }
    }
    const t0 = performance.now();
    sent = performance.timeOrigin + t0;
    try {
      out.status = await post(agent, ctx.port, body, contentType);
      out.ackMs = performance.now() - t0;
    } catch {
      out.status = 0;
    }
  };
  const started = performance.now();
  const interval = 1000 / ctx.rate;
  const inFlight = new Set<Promise<void>>();
  for (let i = 0; i < specs.length; i++) {
    const wait = started + i * interval - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    if (inFlight.size >= ctx.concurrency) await Promise.race(inFlight);
    const p: Promise<void> = one(i).finally(() => inFlight.delete(p));
    inFlight.add(p);
  }
  await Promise.all(inFlight);
  agent.destroy();
  if (pending > 0) await Promise.race([answeredAll, new Promise((resolve) => setTimeout(resolve, ctx.drainTimeoutMs))]);
  return outcomes;
}

/** Posts `/targets ITEM` in a channel of its own per thread and returns the messages duban posted. */
async function setUpThreads(
  port: number,
  fake: FakeSlack,
  answers: Answers,
  items: ReturnType<typeof threadItems>,
  prefix: string,
) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const threads: Thread[] = [];
  for (const [i, { command, item }] of items.entries()) {
    const channel = `C${prefix}T${String(i).padStart(3, '0')}`;
    const posted = new Promise<Answer>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`duban posted nothing for ${command} ${item} in 60 s`)), 60_000);
      answers.expect(channel, (a) => {
        clearTimeout(timer);
        resolve(a);
      });
      answers.expect(`${channel}R`, (a) => {
        clearTimeout(timer);
        reject(new Error(`${command} ${item} was answered privately, not posted: ${a.text.slice(0, 200)}`));
      });
    });
    const { body, contentType } = slashCommand({
      command,
      text: item,
      userId: BENCH_USERS[0]!,
      channelId: channel,
      channelName: 'bench',
      responseUrl: fake.responseUrl(`${channel}R`),
    });
    const status = await post(agent, port, body, contentType);
    if (status !== 200) throw new Error(`${command} ${item} answered HTTP ${status}`);
    const [ts = ''] = (await posted).text.split('\n');
    if (!ts) throw new Error(`${command} ${item} was not posted in the channel`);
    threads.push({ channel, ts });
  }
  agent.destroy();
  return threads;
}

// ---------------------------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------------------------

export type StoreResult = {
  store: AckScaleStore;
  outcomes: Outcome[];
  /** Commit times of the measured segment's transactions (ms). */
  commitMs: number[];
  /** Transactions still unfinished when the drain ended. */
  unfinished: number;
  cpuMs: number;
  wallMs: number;
  openMs: number;
  rssAfterOpenMb: number;
  peakRssMb: number;
  extraThreadAnswers: number;
  load: { before: number[]; after: number[] };
  notices: string[];
};

export type AckScaleResult = {
  options: AckScaleOptions;
  startedAt: string;
  fingerprint: string;
  dataset: { events: number; updates: number; cached: boolean; ms: number };
  postgres?: { startMs: number; copyMs: number };
  results: StoreResult[];
  loadBefore: number[];
  loadAfter: number[];
  durationMs: number;
};

const mb = (bytes: number) => Math.round((bytes / 1_048_576) * 10) / 10;

export async function runAckScale(
  o: AckScaleOptions,
  log: (s: string) => void = () => undefined,
): Promise<AckScaleResult> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const loadBefore = loadavg();
  const dir = await mkdtemp(join(tmpdir(), 'duban-ack-scale-'));
  let postgres: TestPostgres | undefined;
  const fake = await startFakeSlack({ responseUrlMaxUses: Number.POSITIVE_INFINITY });
  for (const u of BENCH_USERS) fake.setUser(u, { locale: 'zh-CN' });
  const answers = new Answers(fake);
  try {
    const file = join(dir, 'wal', 'db.json');
    log(`history: ${o.history.updates.toLocaleString('en')} updates …`);
    const dataset = await cachedStoreDataset(file, o.history, {
      cache: o.cache,
      onGenerate: () => log('  not cached: generating it through the store (≈15 min at 100,000 on a loaded machine)'),
    });
    log(
      `  ${dataset.cached ? 'copied from the cache' : 'generated'} in ${(dataset.ms / 1000).toFixed(1)} s (${dataset.events} events)`,
    );
    // Each store gets its own copy of the same files.
    const copyTo = async (name: string) => {
      const target = join(dir, name, 'db.json');
      await mkdir(dirname(target), { recursive: true });
      await cp(file, target);
      await cp(journalDirOf(file), journalDirOf(target), { recursive: true });
      await cp(walDirOf(file), walDirOf(target), { recursive: true }).catch(() => undefined);
      return target;
    };
    const args: Partial<Record<AckScaleStore, string[]>> = { bare: [], wal: ['--data', file] };
    if (o.stores.includes('legacy')) args.legacy = ['--data', await copyTo('legacy')];
    let pg: AckScaleResult['postgres'];
    if (o.stores.includes('postgres')) {
      log('Postgres: starting a server (durable settings) and copying the history with copyToPostgres …');
      postgres = await startTestPostgres({ durable: true });
      const url = await postgres.database('ackscale');
      const t = performance.now();
      await copyToPostgres({ dataFile: await copyTo('pg-source'), url, timeZone: 'Asia/Shanghai' });
      pg = { startMs: postgres.startMs, copyMs: performance.now() - t };
      args.postgres = ['--url', url];
    }
    const now = `${lastDayOf(o.history)}T22:00:00+08:00`;
    const common = ['--api-url', fake.url, '--now', now, '--admins', BENCH_USERS.join(',')];
    const all = requestMix(o, o.warmup + o.requests);
    const warmup = all.slice(0, o.warmup);
    const measured = all.slice(o.warmup);
    const items = threadItems(o.history, o.threads);
    const results: StoreResult[] = [];
    for (const [n, store] of o.stores.entries()) {
      log(`${STORE_LABEL[store]}: starting the app …`);
      const app = await startApp(store, [...common, ...args[store]!]);
      try {
        const answered = store !== 'bare';
        const prefix = `K${n}`;
        answers.clear();
        const threads = answered ? await setUpThreads(app.port, fake, answers, items, prefix) : [];
        const ctx = { port: app.port, fake, answers, threads, answered, rate: o.rate, concurrency: o.concurrency };
        log(`  opened in ${(app.openMs / 1000).toFixed(1)} s; ${threads.length} threads; warm-up ${warmup.length} …`);
        await drive(warmup, { ...ctx, prefix: `${prefix}W`, drainTimeoutMs: o.drainTimeoutMs });
        await settle(app, 30_000);
        answers.clear();
        const before = await app.usage();
        const loadAt = loadavg();
        const t = performance.now();
        const outcomes = await drive(measured, { ...ctx, prefix: `${prefix}M`, drainTimeoutMs: o.drainTimeoutMs });
        const settled = await settle(app, o.drainTimeoutMs);
        const wallMs = performance.now() - t;
        const after = await app.usage();
        const r: StoreResult = {
          store,
          outcomes,
          commitMs: [...settled.commitMs, ...after.commitMs],
          unfinished: settled.left,
          cpuMs: (after.cpuMicros - before.cpuMicros) / 1000,
          wallMs,
          openMs: app.openMs,
          rssAfterOpenMb: mb(app.rssAfterOpenBytes),
          peakRssMb: mb(after.maxRssBytes),
          extraThreadAnswers: answers.extra,
          load: { before: loadAt, after: loadavg() },
          notices: app.notices,
        };
        results.push(r);
        const acks = r.outcomes.map((x) => x.ackMs).filter((x) => !Number.isNaN(x));
        log(
          `  ack p50 ${fmt(pct(acks, 50))} p99 ${fmt(pct(acks, 99))} ms; ${r.commitMs.length} commits p95 ${fmt(pct(r.commitMs, 95))} ms; peak RSS ${r.peakRssMb} MB; load ${loadAt[0]!.toFixed(2)}`,
        );
      } finally {
        await app.stop();
      }
    }
    return {
      options: o,
      startedAt,
      fingerprint: sourceFingerprint(),
      dataset: { events: dataset.events, updates: dataset.updates, cached: dataset.cached, ms: dataset.ms },
      ...(pg ? { postgres: pg } : {}),
      results,
      loadBefore,
      loadAfter: loadavg(),
      durationMs: performance.now() - started,
    };
  } finally {
    await fake.close();
    await postgres?.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Waits until the app has finished the transactions its requests started; returns how many it had not,
 * and the commit times reported meanwhile.
 */
async function settle(app: AppChild, timeoutMs: number): Promise<{ left: number; commitMs: number[] }> {
  const deadline = performance.now() + timeoutMs;
  const commitMs: number[] = [];
  for (;;) {
    const u = await app.usage();
    commitMs.push(...u.commitMs);
    const left = u.started - u.finished;
    if (left <= 0 || performance.now() > deadline) return { left, commitMs };
    await new Promise((r) => setTimeout(r, 100));
  }
}

// ---------------------------------------------------------------------------------------------
// The report
// ---------------------------------------------------------------------------------------------

const pct = (xs: readonly number[], p: number) => percentile(Float64Array.from(xs).sort(), p);
const fmt = (x: number) => (!Number.isFinite(x) ? '—' : x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0));

function markdownTable(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map((_, i) => (i === 0 ? '---' : '---:'))), ...rows.map(line)].join('\n');
}

export function renderReport(r: AckScaleResult): string {
  const o = r.options;
  const load = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(' ');
  const out: string[] = [];
  out.push(
    `## duban ack at ${r.dataset.updates.toLocaleString('en')} stored updates — ${r.startedAt.slice(0, 16).replace('T', ' ')} UTC`,
  );
  out.push('');
  out.push(
    `${availableParallelism()} CPUs (${cpus()[0]?.model.trim() ?? 'unknown'}), Node ${process.version}; source fingerprint ${r.fingerprint}; load average ${load(r.loadBefore)} before, ${load(r.loadAfter)} after.`,
  );
  out.push(
    `History: ${r.dataset.updates.toLocaleString('en')} updates, ${r.dataset.events.toLocaleString('en')} journal events (${r.dataset.cached ? 'from the dataset cache' : 'generated'}). Per app: ${o.warmup} warm-up + ${o.requests} measured requests at ${o.rate}/s (open loop, ≤ ${o.concurrency} in flight), the same seeded mix: thread replies logging progress, /progress ITEM NOTE, /targets.${r.postgres ? ` Postgres started in ${(r.postgres.startMs / 1000).toFixed(1)} s; the history copied in with copyToPostgres in ${(r.postgres.copyMs / 1000).toFixed(1)} s.` : ''}`,
  );
  out.push('');
  out.push('**Ack latency** (signed request written → HTTP 200 received), ms');
  out.push('');
  const ackRow = (name: string, xs: Outcome[]) => {
    const acks = xs.filter((x) => x.status === 200).map((x) => x.ackMs);
    return [
      name,
      String(xs.length),
      fmt(pct(acks, 50)),
      fmt(pct(acks, 95)),
      fmt(pct(acks, 99)),
      fmt(Math.max(...acks)),
      String(xs.length - acks.length),
    ];
  };
  out.push(
    markdownTable(
      ['app', 'n', 'p50', 'p95', '**p99**', 'max', 'not 200'],
      r.results.map((s) => ackRow(STORE_LABEL[s.store], s.outcomes)),
    ),
  );
  out.push('');
  out.push('Ack p99 by kind of request, ms');
  out.push('');
  const kinds: RequestKind[] = ['reply', 'progress', 'targets'];
  const kindLabel: Record<RequestKind, string> = { reply: 'thread reply', progress: '/progress', targets: '/targets' };
  out.push(
    markdownTable(
      ['app', ...kinds.map((k) => `${kindLabel[k]} p50 / p99`)],
      r.results.map((s) => [
        STORE_LABEL[s.store],
        ...kinds.map((k) => {
          const acks = s.outcomes.filter((x) => x.kind === k && x.status === 200).map((x) => x.ackMs);
          return `${fmt(pct(acks, 50))} / ${fmt(pct(acks, 99))}`;
        }),
      ]),
    ),
  );
  const answered = r.results.filter((s) => s.store !== 'bare');
  if (answered.length > 0) {
    out.push('');
    out.push(
      '**End to end** (request written → duban’s answer received by the fake Slack), ms; **commits** (one store transaction, in the app process, its own time), ms',
    );
    out.push('');
    out.push(
      markdownTable(
        [
          'app',
          'answers',
          'e2e p50',
          'e2e p95',
          'e2e p99',
          'e2e max',
          'reports recorded',
          'commits',
          'commit p50',
          '**commit p95**',
          'commit p99',
          'commit max',
        ],
        answered.map((s) => {
          const e2e = s.outcomes.map((x) => x.e2eMs).filter((x) => !Number.isNaN(x));
          const writes = s.outcomes.filter((x) => x.kind !== 'targets');
          return [
            STORE_LABEL[s.store],
            `${e2e.length}/${s.outcomes.length}`,
            fmt(pct(e2e, 50)),
            fmt(pct(e2e, 95)),
            fmt(pct(e2e, 99)),
            fmt(Math.max(...e2e)),
            `${writes.filter((x) => x.recorded).length}/${writes.length}`,
            `${s.commitMs.length}${s.unfinished ? ` (+${s.unfinished} unfinished)` : ''}`,
            fmt(pct(s.commitMs, 50)),
            fmt(pct(s.commitMs, 95)),
            fmt(pct(s.commitMs, 99)),
            fmt(Math.max(...s.commitMs)),
          ];
        }),
      ),
    );
  }
  out.push('');
  out.push('**The app process**');
  out.push('');
  out.push(
    markdownTable(
      [
        'app',
        'start-up (open + listen)',
        'RSS after start-up',
        '**peak RSS**',
        'CPU time, measured part',
        'CPU ms / request',
        'wall',
        '1-min load during',
      ],
      r.results.map((s) => [
        STORE_LABEL[s.store],
        `${(s.openMs / 1000).toFixed(2)} s`,
        `${s.rssAfterOpenMb} MB`,
        `${s.peakRssMb} MB`,
        `${(s.cpuMs / 1000).toFixed(2)} s`,
        fmt(s.cpuMs / s.outcomes.length),
        `${(s.wallMs / 1000).toFixed(1)} s`,
        `${s.load.before[0]!.toFixed(2)} → ${s.load.after[0]!.toFixed(2)}`,
      ]),
    ),
  );
  for (const s of r.results) {
    const unrecorded = new Map<string, number>();
    for (const x of s.outcomes) if (x.answer) unrecorded.set(x.answer, (unrecorded.get(x.answer) ?? 0) + 1);
    const notes = [
      ...(s.extraThreadAnswers ? [`${s.extraThreadAnswers} thread answers matched no reply`] : []),
      ...(s.notices.length ? [`start-up notices: ${s.notices.join('; ')}`] : []),
      ...[...unrecorded].map(([text, n]) => `${n} × a write answered “${text}”`),
    ];
    if (notes.length > 0) out.push(`\n${STORE_LABEL[s.store]}: ${notes.join('; ')}`);
  }
  out.push('');
  out.push(
    'CPU time and peak RSS are the app process’s own (Postgres’s server processes are not counted). The fake Slack and this load generator run in one process beside it. Figures are preliminary unless the load average above is near 0.',
  );
  out.push(`Run took ${(r.durationMs / 1000).toFixed(0)} s.`);
  return out.join('\n');
}

async function main(): Promise<void> {
  let o: AckScaleOptions;
  try {
    o = parseOptions(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`bench:ack-scale: ${e.message}\n\n${HELP}`);
    process.exit(2);
  }
  const result = await runAckScale(o, (s) => process.stderr.write(`${s}\n`));
  process.stdout.write(`${renderReport(result)}\n`);
  process.exit(0);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
