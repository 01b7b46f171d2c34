/**
 * Ack-latency benchmark of duban's HTTP endpoint against a bare Bolt app, side by side in one run.
 *
 *   npm run bench
 *   npm run bench -- --requests 2000 --concurrency 20 --rounds 4
 *   npm run bench -- --help
 *
 * Child processes (bench/server.ts), one per server: the fake Slack Web API (which also serves the
 * response_urls), duban on a synthetic store of 5,000 targets and 5,000 projects in 300 departments, a
 * bare Bolt app that only acks /targets, and, for reference, the same bare app answering "ok" through
 * respond(). This process is the load generator: it pre-builds and signs every slash command, then
 * sends them over keep-alive loopback connections, `--concurrency` in flight at a time (closed loop; or
 * at a fixed `--rate`, open loop), and times each one from just before the request is written to the end
 * of the HTTP response (the ack). The servers are measured in alternating segments (rounds in
 * AB BA AB BA order) after a warm-up of each, so drift and noise of this small machine hit them alike.
 * The user-visible latency (request sent → reply received at the fake's response_url) is reported too.
 * Everything stays on 127.0.0.1. See docs/benchmarks.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FLUSH_MS } from '../src/store/store.ts';
import { signSlackRequest, slashCommand } from '../test/support/slack-requests.ts';
import {
  benchUsers,
  type DatasetOptions,
  DEFAULT_DATASET,
  datasetFlags,
  QUERY_KINDS,
  type QueryKind,
  queryText,
} from './generate.ts';
import {
  clockMs,
  parseFlags,
  type ServerChild,
  type ServerKind,
  SIGNING_SECRET,
  sourceFingerprint,
  startServerProcess,
  UsageError,
} from './shared.ts';
import { median, ms, type Summary, summarize, table } from './stats.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

// ---------------------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------------------

type Options = {
  requests: number;
  concurrency: number;
  rounds: number;
  warmup: number;
  rate: number;
  mix: QueryKind[];
  dataset: DatasetOptions;
  profile: ServerKind[];
  drainTimeoutMs: number;
  settleTimeoutMs: number;
  out: string | undefined;
  check: boolean;
  experiment: string | undefined;
  servers: Array<Exclude<ServerKind, 'fake'>>;
  store: 'file' | 'memory';
};

const HELP = `Usage: npm run bench -- [options]

  --requests N        measured requests per server, split over the rounds (default 2000)
  --concurrency C     requests in flight at a time (default 20)
  --rounds R          alternating measurement rounds, AB BA AB BA… (default 4)
  --warmup S          seconds of unmeasured warm-up load on each server before the rounds, in batches of
                      200 requests (default 3: a fast server needs thousands of requests to be fully JIT-compiled)
  --rate R            open loop: send R requests/s per server (at most C in flight) instead of
                      a closed loop; latency then counts from the scheduled send time (default 0 = closed loop)
  --mix K,K…          /targets queries to cycle through: ${QUERY_KINDS.join(', ')} (default all)
  --targets N --projects N --departments N --updates-per-item N --seed N
                      the synthetic store (default ${DEFAULT_DATASET.targets}, ${DEFAULT_DATASET.projects}, ${DEFAULT_DATASET.departments}, ${DEFAULT_DATASET.updatesPerItem}, ${DEFAULT_DATASET.seed})
  --store file|memory duban's store: a lowdb data file in a temporary directory, as in production (default),
                      or in memory
  --servers K,K…      what to measure: duban and bare (required) and respond, a bare Bolt app that also
                      answers "ok" through respond() (default duban,bare,respond)
  --profile K,K…      write V8 CPU profiles of these servers (duban, bare, respond, fake) to bench/results/profiles/KIND/
                      (summarise with: node bin/run-ts.js bench/profile-summary.ts FILE.cpuprofile)
  --drain-timeout S   how long to wait for duban's answers after a segment (default 60)
  --settle-timeout S  how long to wait, after a measured duban segment, for the store transactions its
                      requests queued to finish (default 10; what is left runs on in the background)
  --out FILE          where to write the JSON results (default bench/results/bench-<time>.json)
  --experiment yield-after-ack
                      not a measurement of duban as it is: its command listener is wrapped (in the bench
                      server only) to yield to the event loop right after ack(), to see what that would buy
  --check             exit with status 1 when a target fails
  --help              this text
`;

function parseOptions(argv: string[]): Options {
  const flags = parseFlags(argv, ['check', 'help']);
  const known = new Set([
    'requests',
    'concurrency',
    'rounds',
    'warmup',
    'rate',
    'mix',
    'targets',
    'projects',
    'departments',
    'updates-per-item',
    'seed',
    'profile',
    'drain-timeout',
    'settle-timeout',
    'out',
    'check',
    'experiment',
    'servers',
    'store',
    'help',
  ]);
  for (const name of flags.keys()) if (!known.has(name)) throw new UsageError(`unknown option --${name}`);
  if (flags.has('help')) {
    process.stdout.write(HELP);
    process.exit(0);
  }
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = flags.get(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new UsageError(`--${name} must be an integer from ${min} to ${max} (got "${raw}")`);
    return n;
  };
  const list = <T extends string>(name: string, allowed: readonly T[], fallback: T[]): T[] => {
    const raw = flags.get(name);
    if (raw === undefined) return fallback;
    const items = raw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    for (const item of items)
      if (!(allowed as readonly string[]).includes(item))
        throw new UsageError(`--${name}: "${item}" is not one of ${allowed.join(', ')}`);
    return items as T[];
  };
  const rounds = int('rounds', 4, 1, 50);
  const mix = list('mix', QUERY_KINDS, [...QUERY_KINDS]);
  const servers = list('servers', ['duban', 'bare', 'respond'] as const, ['duban', 'bare', 'respond']);
  if (!servers.includes('duban') || !servers.includes('bare'))
    throw new UsageError('--servers must include duban and bare');
  if (mix.length === 0) throw new UsageError('--mix needs at least one kind');
  return {
    requests: Math.max(rounds, int('requests', 2000, 1, 1_000_000)),
    concurrency: int('concurrency', 20, 1, 1000),
    rounds,
    warmup: int('warmup', 3, 0, 600),
    rate: int('rate', 0, 0, 100_000),
    mix,
    dataset: {
      targets: int('targets', DEFAULT_DATASET.targets, 0, 200_000),
      projects: int('projects', DEFAULT_DATASET.projects, 0, 200_000),
      departments: int('departments', DEFAULT_DATASET.departments, 1, 300),
      updatesPerItem: int('updates-per-item', DEFAULT_DATASET.updatesPerItem, 1, 100),
      seed: int('seed', DEFAULT_DATASET.seed, 0, 2 ** 31),
    },
    profile: list('profile', ['duban', 'bare', 'respond', 'fake'] as const, []),
    servers,
    drainTimeoutMs: int('drain-timeout', 60, 1, 3600) * 1000,
    settleTimeoutMs: int('settle-timeout', 10, 0, 3600) * 1000,
    out: flags.get('out'),
    check: flags.has('check'),
    experiment: flags.get('experiment'),
    store: list('store', ['file', 'memory'] as const, ['file'])[0] ?? 'file',
  };
}

// ---------------------------------------------------------------------------------------------
// Child processes
// ---------------------------------------------------------------------------------------------

type Child = ServerChild;

const children: Child[] = [];

async function startChild(kind: ServerKind, args: string[], profileDir: string | undefined): Promise<Child> {
  // One directory per server: V8 writes a profile per thread (the main one is the largest; the other is tsx's loader).
  const child = await startServerProcess(
    kind,
    args,
    profileDir ? ['--cpu-prof', `--cpu-prof-dir=${join(profileDir, kind)}`] : [],
  );
  children.push(child);
  return child;
}

/** Offset of the fake's clock from ours (its clock − ours), from the ping with the shortest round trip. */
async function clockOffset(child: Child): Promise<{ offsetMs: number; rttMs: number }> {
  let best = { offsetMs: 0, rttMs: Number.POSITIVE_INFINITY };
  for (let i = 0; i < 30; i++) {
    const t0 = clockMs();
    const pong = await child.ask({ type: 'ping', t: t0 }, 'pong');
    const t1 = clockMs();
    if (t1 - t0 < best.rttMs) best = { offsetMs: pong.child - (t0 + t1) / 2, rttMs: t1 - t0 };
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// Load generation
// ---------------------------------------------------------------------------------------------

type Prepared = { ids: string[]; kinds: QueryKind[]; bodies: Buffer[]; headers: Array<Record<string, string>> };

let sequence = 0;

/**
 * Builds and signs `n` distinct /targets commands. Each comes from a channel of its own, and its
 * response_url on the fake is named after that channel, which is also the request's id.
 */
function prepare(n: number, fakeOrigin: string, opts: Options): Prepared {
  const users = benchUsers();
  const timestamp = String(Math.floor(Date.now() / 1000));
  const out: Prepared = { ids: [], kinds: [], bodies: [], headers: [] };
  for (let i = 0; i < n; i++) {
    sequence += 1;
    const kind = opts.mix[sequence % opts.mix.length]!;
    const id = `CB${sequence.toString(36).toUpperCase().padStart(8, '0')}`;
    // Every kind of query is sent by every user (the users' locales differ).
    const user = users[Math.floor(sequence / opts.mix.length) % users.length]!;
    const { body } = slashCommand({
      command: '/targets',
      text: queryText(kind, sequence, opts.dataset),
      userId: user.id,
      channelId: id,
      channelName: 'bench',
      responseUrl: `${fakeOrigin}/response/${id}`,
    });
    const bytes = Buffer.from(body, 'utf8');
    out.ids.push(id);
    out.kinds.push(kind);
    out.bodies.push(bytes);
    out.headers.push({
      'content-type': 'application/x-www-form-urlencoded',
      'content-length': String(bytes.length),
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': signSlackRequest(SIGNING_SECRET, timestamp, body),
    });
  }
  return out;
}

type SegmentResult = {
  /** Ack latency per request, ms (NaN when it failed). */
  latencyMs: Float64Array;
  /** When each request was sent (or scheduled, in open loop), on clockMs(). */
  sentAt: Float64Array;
  failures: Map<string, number>;
  elapsedMs: number;
  /** Open loop: requests that waited for a free slot (the server fell behind the rate). */
  delayed: number;
};

function send(agent: Agent, port: number, headers: Record<string, string>, body: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ agent, host: '127.0.0.1', port, path: '/slack/events', method: 'POST', headers }, (res) => {
      res.on('data', () => undefined);
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function runSegment(
  agent: Agent,
  port: number,
  prepared: Prepared,
  concurrency: number,
  rate: number,
): Promise<SegmentResult> {
  const n = prepared.bodies.length;
  const latencyMs = new Float64Array(n).fill(Number.NaN);
  const sentAt = new Float64Array(n);
  const failures = new Map<string, number>();
  let delayed = 0;
  const one = async (i: number, scheduled?: number) => {
    const t0 = performance.now();
    const from = scheduled ?? t0;
    sentAt[i] = performance.timeOrigin + from;
    try {
      const status = await send(agent, port, prepared.headers[i]!, prepared.bodies[i]!);
      if (status === 200) latencyMs[i] = performance.now() - from;
      else failures.set(`HTTP ${status}`, (failures.get(`HTTP ${status}`) ?? 0) + 1);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
      failures.set(code, (failures.get(code) ?? 0) + 1);
    }
  };
  const started = performance.now();
  if (rate <= 0) {
    let next = 0;
    const worker = async () => {
      while (next < n) await one(next++);
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
  } else {
    const interval = 1000 / rate;
    const inFlight = new Set<Promise<void>>();
    for (let i = 0; i < n; i++) {
      const due = started + i * interval;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      if (inFlight.size >= concurrency) {
        delayed += 1;
        await Promise.race(inFlight);
      }
      const p: Promise<void> = one(i, due).finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    await Promise.all(inFlight);
  }
  const elapsedMs = performance.now() - started;
  return { latencyMs, sentAt, failures, elapsedMs, delayed };
}

// ---------------------------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------------------------

type Measured = Exclude<ServerKind, 'fake'>;
const LABEL: Record<Measured, string> = { duban: 'duban', bare: 'bare Bolt', respond: 'Bolt ack+respond' };

type SegmentRecord = {
  server: Measured;
  round: number;
  ack: Summary;
  failures: Record<string, number>;
  requestsPerSecond: number;
  serverCpuMsPerRequest: number;
  /** Main-thread GC pauses while the segment's requests were being acknowledged (before its answers were awaited). */
  gcDuringAcks: { minorMs: number; minor: number; majorMs: number; major: number };
  fakeCpuMsPerRequest: number;
  generatorCpuMsPerRequest: number;
  /** duban: store transactions and whole-store evaluations during the segment (count, total ms). */
  store: { started: number; writes: number; writeMs: number; evaluations: number; evaluateMs: number };
  rssBytes: number;
  /** How long the store took to finish the segment's queued transactions after the last answer (and how many it had not). */
  storeBacklog: { waitedMs: number; left: number };
  delayed: number;
  e2e?: Summary;
  /** Raw samples in send order (ms, rounded to µs): ack latency, and time to the reply when there is one. */
  samples: { sentAtMs: number[]; ackMs: number[]; e2eMs: number[] };
  repliesMissing?: number;
  replyStatuses?: Record<string, number>;
};

const sleep = (msec: number) => new Promise((r) => setTimeout(r, msec));

async function main(): Promise<number> {
  const opts = parseOptions(process.argv.slice(2));
  const started = Date.now();
  const fingerprint = sourceFingerprint();
  const loadBefore = loadavg()[0]!;
  const stamp = new Date(started).toISOString().replace(/[:.]/g, '-');
  const resultsDir = join(ROOT, 'bench', 'results');
  const profileDir = opts.profile.length ? join(resultsDir, 'profiles') : undefined;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  const prof = (kind: ServerKind) => (opts.profile.includes(kind) ? profileDir : undefined);
  const log = (s: string) => process.stderr.write(`${s}\n`);
  const measured = opts.servers;

  log(
    `starting the fake Slack API and the servers (${measured.map((k) => LABEL[k]).join(', ')}), one child process each…`,
  );
  const fake = await startChild('fake', [], prof('fake'));
  const apiUrl = String(fake.info.url);
  const fakeOrigin = new URL(apiUrl).origin;
  const d = opts.dataset;
  const dubanArgs = [
    ...datasetFlags(d),
    '--store',
    opts.store,
    ...(opts.experiment ? ['--experiment', opts.experiment] : []),
  ];
  const started_ = await Promise.all(
    measured.map((kind) => startChild(kind, ['--api-url', apiUrl, ...(kind === 'duban' ? dubanArgs : [])], prof(kind))),
  );
  const servers = new Map(measured.map((kind, i) => [kind, started_[i]!]));
  const duban = servers.get('duban')!;
  const clock = await clockOffset(fake);

  const usageOf = (child: Child) => child.ask({ type: 'usage' }, 'usage');

  /** Waits until the fake has received `expected` replies (or the drain timeout); returns them by id. */
  const drain = async (expected: number): Promise<Map<string, [number, number]>> => {
    const got = new Map<string, [number, number]>();
    const deadline = Date.now() + opts.drainTimeoutMs;
    for (;;) {
      for (const [id, at, status] of (await fake.ask({ type: 'arrivals' }, 'arrivals')).arrivals)
        got.set(id, [at - clock.offsetMs, status]);
      if (got.size >= expected || Date.now() > deadline) return got;
      await sleep(50);
    }
  };
  const answers = (server: Measured) => server !== 'bare';
  /**
   * Waits until duban's store has finished the transactions its requests started (writes queued behind
   * each other), so that they neither spill into the next server's segment nor escape the CPU count.
   */
  const settle = async (child: Child): Promise<{ waitedMs: number; left: number }> => {
    const t = performance.now();
    const deadline = t + opts.settleTimeoutMs;
    for (;;) {
      const u = await usageOf(child);
      const left = (u.storeWritesStarted ?? 0) - (u.storeWrites ?? 0);
      if (left <= 0 || performance.now() > deadline) return { waitedMs: performance.now() - t, left };
      await sleep(100);
    }
  };

  /** One segment: prime C keep-alive connections, send `n` measured requests, wait for the replies to response_url. */
  const segment = async (server: Measured, n: number, round: number) => {
    const child = servers.get(server)!;
    const primer = prepare(opts.concurrency, fakeOrigin, opts);
    const batch = prepare(n, fakeOrigin, opts);
    // The primer opens the C keep-alive connections the measured requests then reuse, and lets the server
    // settle after the previous one ran; it is not measured.
    const agent = new Agent({ keepAlive: true, maxSockets: opts.concurrency });
    await runSegment(agent, child.port, primer, opts.concurrency, 0);
    await drain(answers(server) ? primer.ids.length : 0);
    const u0 = { server: await usageOf(child), fake: await usageOf(fake), gen: process.cpuUsage() };
    const result = await runSegment(agent, child.port, batch, opts.concurrency, opts.rate);
    const afterAcks = await usageOf(child);
    agent.destroy();
    const ok = result.latencyMs.filter((x) => !Number.isNaN(x)).length;
    const replies = await drain(answers(server) ? ok : 0);
    const backlog = round > 0 ? await settle(child) : { waitedMs: 0, left: 0 };
    // What duban's answers noted (threads) reaches its data file within FLUSH_MS: let that write land here,
    // in duban's own time, rather than in the next server's segment.
    if (answers(server) && server === 'duban') await sleep(FLUSH_MS + 250);
    const genCpu = process.cpuUsage(u0.gen);
    const u1 = { server: await usageOf(child), fake: await usageOf(fake) };
    const delta = (k: 'storeWritesStarted' | 'storeWrites' | 'storeWriteMs' | 'evaluations' | 'evaluateMs') =>
      (u1.server[k] ?? 0) - (u0.server[k] ?? 0);
    const ack: number[] = [];
    const e2e: number[] = [];
    const e2eByKind = new Map<QueryKind, number[]>();
    const replyStatuses: Record<string, number> = {};
    const round3 = (x: number) => Math.round(x * 1000) / 1000;
    const samples = { sentAtMs: [] as number[], ackMs: [] as number[], e2eMs: [] as number[] };
    for (let i = 0; i < n; i++) {
      samples.sentAtMs.push(round3(result.sentAt[i]! - result.sentAt[0]!));
      samples.ackMs.push(round3(result.latencyMs[i]!));
      const r = replies.get(batch.ids[i]!);
      samples.e2eMs.push(r ? round3(r[0] - result.sentAt[i]!) : Number.NaN);
    }
    for (let i = 0; i < n; i++) {
      const lat = result.latencyMs[i]!;
      if (!Number.isNaN(lat)) ack.push(lat);
      const reply = replies.get(batch.ids[i]!);
      if (reply) {
        const [at, status] = reply;
        replyStatuses[String(status)] = (replyStatuses[String(status)] ?? 0) + 1;
        const t = at - result.sentAt[i]!;
        e2e.push(t);
        const list = e2eByKind.get(batch.kinds[i]!) ?? [];
        list.push(t);
        e2eByKind.set(batch.kinds[i]!, list);
      }
    }
    const record: SegmentRecord = {
      server,
      round,
      ack: summarize(ack),
      failures: Object.fromEntries(result.failures),
      requestsPerSecond: (n / result.elapsedMs) * 1000,
      serverCpuMsPerRequest: (u1.server.cpuMicros - u0.server.cpuMicros) / 1000 / n,
      gcDuringAcks: {
        minorMs: afterAcks.gc.minorMs - u0.server.gc.minorMs,
        minor: afterAcks.gc.minor - u0.server.gc.minor,
        majorMs: afterAcks.gc.majorMs - u0.server.gc.majorMs,
        major: afterAcks.gc.major - u0.server.gc.major,
      },
      fakeCpuMsPerRequest: (u1.fake.cpuMicros - u0.fake.cpuMicros) / 1000 / n,
      store: {
        started: delta('storeWritesStarted'),
        writes: delta('storeWrites'),
        writeMs: delta('storeWriteMs'),
        evaluations: delta('evaluations'),
        evaluateMs: delta('evaluateMs'),
      },
      rssBytes: u1.server.rssBytes,
      storeBacklog: backlog,
      generatorCpuMsPerRequest: (genCpu.user + genCpu.system) / 1000 / n,
      delayed: result.delayed,
      samples,
      ...(answers(server) ? { e2e: summarize(e2e), repliesMissing: ok - e2e.length, replyStatuses } : {}),
    };
    return { record, e2eByKind, ack, e2e };
  };

  const perRound = Math.ceil(opts.requests / opts.rounds);
  const mode =
    opts.rate > 0
      ? `open loop at ${opts.rate} req/s per server (at most ${opts.concurrency} in flight; latency counted from the scheduled send time)`
      : `closed loop, ${opts.concurrency} requests in flight`;
  log(
    `store: ${['departments', 'targets', 'projects', 'commitments', 'updates'].map((k) => `${duban.info[k]} ${k}`).join(', ')} (built in ${duban.info.buildMs} ms; first evaluation ${duban.info.evaluateMs} ms)`,
  );
  log(`clock offset to the fake: ${clock.offsetMs.toFixed(3)} ms (ping round trip ${clock.rttMs.toFixed(3)} ms)`);
  const warmedUp = new Map<Measured, number>();
  if (opts.warmup > 0) {
    log(`warm-up: ${opts.warmup} s of load on each server…`);
    for (const server of measured) {
      const until = performance.now() + opts.warmup * 1000;
      let count = 0;
      while (performance.now() < until) {
        await segment(server, 200, 0);
        count += 200 + opts.concurrency;
      }
      warmedUp.set(server, count);
      if (server === 'duban') await settle(servers.get(server)!);
    }
  }
  const records: SegmentRecord[] = [];
  const pooledAck = new Map<Measured, number[]>(measured.map((k) => [k, []]));
  const pooledE2e = new Map<Measured, number[]>(measured.map((k) => [k, []]));
  const e2eByKind = new Map<QueryKind, number[]>();
  const orders: string[] = [];
  for (let round = 1; round <= opts.rounds; round++) {
    const order = round % 2 === 1 ? measured : [...measured].reverse();
    orders.push(order.map((k) => LABEL[k]).join(', '));
    for (const server of order) {
      const s = await segment(server, perRound, round);
      records.push(s.record);
      pooledAck.get(server)!.push(...s.ack);
      pooledE2e.get(server)!.push(...s.e2e);
      if (server === 'duban') for (const [k, v] of s.e2eByKind) e2eByKind.set(k, (e2eByKind.get(k) ?? []).concat(v));
      const r = s.record;
      log(
        `round ${round}/${opts.rounds} ${LABEL[server].padEnd(16)} ack p50 ${ms(r.ack.p50).padStart(5)} ms  p99 ${ms(r.ack.p99).padStart(5)} ms  ${r.requestsPerSecond.toFixed(0).padStart(5)} req/s${r.e2e ? `  answer p50 ${ms(r.e2e.p50)} ms` : ''}${r.storeBacklog.waitedMs > 150 || r.storeBacklog.left > 0 ? `  store writes finished ${(r.storeBacklog.waitedMs / 1000).toFixed(1)} s after the last answer${r.storeBacklog.left ? ` (${r.storeBacklog.left} left)` : ''}` : ''}`,
      );
      await sleep(200);
    }
  }

  // -- report ----------------------------------------------------------------------------------
  const ackSum = new Map(measured.map((k) => [k, summarize(pooledAck.get(k)!)]));
  const e2eSum = new Map(measured.filter(answers).map((k) => [k, summarize(pooledE2e.get(k)!)]));
  const dubanAck = ackSum.get('duban')!;
  const bareAck = ackSum.get('bare')!;
  const ratio = dubanAck.p50 / bareAck.p50;
  const roundOf = (server: Measured, round: number) => records.find((r) => r.server === server && r.round === round)!;
  const roundRatios = Array.from(
    { length: opts.rounds },
    (_, i) => roundOf('duban', i + 1).ack.p50 / roundOf('bare', i + 1).ack.p50,
  );
  const mid = (
    server: Measured,
    key: 'requestsPerSecond' | 'serverCpuMsPerRequest' | 'fakeCpuMsPerRequest' | 'generatorCpuMsPerRequest',
  ) => median(records.filter((r) => r.server === server).map((r) => r[key]));
  const failures = (server: Measured) =>
    records
      .filter((r) => r.server === server)
      .reduce((n, r) => n + Object.values(r.failures).reduce((a, b) => a + b, 0), 0);
  const missing = records.filter((x) => x.server === 'duban').reduce((n, r) => n + (r.repliesMissing ?? 0), 0);
  const replyStatuses: Record<string, number> = {};
  for (const r of records.filter((x) => x.server === 'duban'))
    for (const [k, v] of Object.entries(r.replyStatuses ?? {})) replyStatuses[k] = (replyStatuses[k] ?? 0) + v;
  const targets = [
    {
      name: 'duban ack p50 within 1.5× bare Bolt',
      pass: ratio <= 1.5,
      detail: `${ratio.toFixed(2)}× (${ms(dubanAck.p50)} vs ${ms(bareAck.p50)} ms; per round ${roundRatios.map((x) => `${x.toFixed(2)}×`).join(', ')})`,
    },
    { name: 'duban ack p99 under 300 ms', pass: dubanAck.p99 < 300, detail: `${ms(dubanAck.p99)} ms` },
  ];
  const date = new Date(started);
  const machine = `${availableParallelism()} CPUs (${cpus()[0]?.model.trim() ?? 'unknown'}), Node ${process.version}`;
  const load = { before: loadBefore, after: loadavg()[0]! };
  const out: string[] = [''];
  if (opts.experiment)
    out.push(
      `EXPERIMENT ${opts.experiment}: duban's listener is modified by the bench server; these are not duban's figures as shipped.`,
    );
  out.push(`duban /targets ack benchmark — ${date.toISOString().slice(0, 16).replace('T', ' ')} UTC — ${machine}`);
  out.push(
    `code: source fingerprint ${fingerprint} (sha256 of src/, commands/, package-lock.json); 1-min load average ${load.before.toFixed(2)} before, ${load.after.toFixed(2)} after (this run adds about 2)`,
  );
  out.push(
    `store: ${duban.info.departments} departments, ${duban.info.targets} targets, ${duban.info.projects} projects, ${duban.info.commitments} commitments, ${duban.info.updates} updates; queries: ${opts.mix.join(', ')}`,
  );
  out.push(
    `load: ${mode}; ${perRound * opts.rounds} measured requests per server in ${opts.rounds} alternating rounds, after ${opts.warmup} s of warm-up each (${measured.map((k) => `${LABEL[k]} ${warmedUp.get(k) ?? 0}`).join(', ')} requests)`,
  );
  out.push('');
  out.push('Ack latency (signed POST /slack/events → empty HTTP 200 received), ms, all rounds pooled');
  const row = (k: Measured) => {
    const s = ackSum.get(k)!;
    return [
      LABEL[k],
      String(s.n),
      ms(s.p50),
      ms(s.p90),
      ms(s.p99),
      ms(s.max),
      mid(k, 'requestsPerSecond').toFixed(0),
      mid(k, 'serverCpuMsPerRequest').toFixed(3),
      String(failures(k)),
    ];
  };
  out.push(
    table(
      ['server', 'n', 'p50', 'p90', 'p99', 'max', 'req/s', 'CPU ms/req', 'errors'],
      [
        ...measured.map(row),
        [
          'duban / bare Bolt',
          '',
          `${ratio.toFixed(2)}×`,
          `${(dubanAck.p90 / bareAck.p90).toFixed(2)}×`,
          `${(dubanAck.p99 / bareAck.p99).toFixed(2)}×`,
          '',
          '',
          '',
          '',
        ],
      ],
    ),
  );
  out.push('');
  out.push('Per round: ack p50 / p99, ms');
  out.push(
    table(
      ['round', ...measured.flatMap((k) => [`${LABEL[k]} p50`, 'p99']), 'duban/bare p50', 'order'],
      roundRatios.map((x, i) => [
        String(i + 1),
        ...measured.flatMap((k) => [ms(roundOf(k, i + 1).ack.p50), ms(roundOf(k, i + 1).ack.p99)]),
        `${x.toFixed(2)}×`,
        orders[i]!,
      ]),
    ),
  );
  out.push(`median of the per-round ratios: ${median(roundRatios).toFixed(2)}×`);
  out.push('');
  out.push('End to end (request sent → answer received by the fake: response_url POST or chat.postMessage), ms');
  const e2eRow = (name: string, s: Summary) => [name, String(s.n), ms(s.p50), ms(s.p90), ms(s.p99), ms(s.max)];
  out.push(
    table(
      ['server / query', 'n', 'p50', 'p90', 'p99', 'max'],
      [
        ...(e2eSum.has('respond') ? [e2eRow(`${LABEL.respond} (one-line reply)`, e2eSum.get('respond')!)] : []),
        e2eRow('duban, all queries', e2eSum.get('duban')!),
        ...opts.mix.map((k) => e2eRow(`duban, ${k}`, summarize(e2eByKind.get(k) ?? []))),
      ],
    ),
  );
  out.push(
    `duban's answers: ${
      Object.entries(replyStatuses)
        .map(([k, v]) => `${v} × ${k === '0' ? 'Slack API error' : `HTTP ${k}`}`)
        .join(', ') || 'none'
    }${missing ? `; ${missing} missing after ${opts.drainTimeoutMs / 1000} s` : ''}`,
  );
  out.push(
    `CPU ms per request: ${measured.map((k) => `${LABEL[k]} ${mid(k, 'serverCpuMsPerRequest').toFixed(3)}`).join(', ')}; fake Slack in duban rounds ${mid('duban', 'fakeCpuMsPerRequest').toFixed(3)}; load generator ${measured.map((k) => `${mid(k, 'generatorCpuMsPerRequest').toFixed(3)}`).join(' / ')}`,
  );
  const gcLine = (k: Measured) => {
    const rs = records.filter((r) => r.server === k);
    const sum = rs.reduce(
      (a, r) => ({
        n: a.n + r.ack.n,
        minorMs: a.minorMs + r.gcDuringAcks.minorMs,
        minor: a.minor + r.gcDuringAcks.minor,
        majorMs: a.majorMs + r.gcDuringAcks.majorMs,
        major: a.major + r.gcDuringAcks.major,
      }),
      { n: 0, minorMs: 0, minor: 0, majorMs: 0, major: 0 },
    );
    return `${LABEL[k]} ${((sum.minorMs + sum.majorMs) / sum.n).toFixed(3)} (${sum.minor} scavenges, ${ms(sum.minorMs)} ms; ${sum.major} mark-compacts, ${ms(sum.majorMs)} ms)`;
  };
  out.push(`GC pause ms per request while acknowledging (main thread): ${measured.map(gcLine).join('; ')}`);
  const dubanRecords = records.filter((r) => r.server === 'duban');
  const totals = dubanRecords.reduce(
    (a, r) => ({
      n: a.n + r.ack.n,
      started: a.started + r.store.started,
      writes: a.writes + r.store.writes,
      writeMs: a.writeMs + r.store.writeMs,
      evaluations: a.evaluations + r.store.evaluations,
      evaluateMs: a.evaluateMs + r.store.evaluateMs,
    }),
    { n: 0, started: 0, writes: 0, writeMs: 0, evaluations: 0, evaluateMs: 0 },
  );
  out.push(
    `duban's store (${duban.info.store}${duban.info.storeBytes ? `, ${(Number(duban.info.storeBytes) / 1e6).toFixed(1)} MB data file` : ''}): ${totals.started} transactions started and ${totals.writes} finished for ${totals.n} requests${totals.writes ? ` (${ms(totals.writeMs / totals.writes)} ms each, not counting the wait behind earlier ones)` : ''}; ${totals.evaluations} whole-store evaluations${totals.evaluations ? ` (mean ${ms(totals.evaluateMs / totals.evaluations)} ms each)` : ''}; store backlog after the last answer: ${(Math.max(...dubanRecords.map((r) => r.storeBacklog.waitedMs)) / 1000).toFixed(1)} s at most${dubanRecords.some((r) => r.storeBacklog.left) ? ` (writes still queued when the next segment started, after --settle-timeout ${opts.settleTimeoutMs / 1000} s: ${dubanRecords.map((r) => r.storeBacklog.left).join(', ')})` : ''}; server RSS ${(Math.max(...dubanRecords.map((r) => r.rssBytes)) / 1e6).toFixed(0)} MB`,
  );
  out.push(
    `first /targets of a day (whole-store evaluation, memoised per revision and day): ${duban.info.evaluateMs} ms + roll-up ${duban.info.rollupMs} ms`,
  );
  out.push('');
  out.push('Targets');
  for (const t of targets) out.push(`${t.pass ? 'PASS' : 'FAIL'}  ${t.name}: ${t.detail}`);
  out.push('');
  process.stdout.write(`${out.join('\n')}\n`);

  await Promise.all(children.map((c) => c.stop()));
  const file = opts.out ?? join(resultsDir, `bench-${stamp}.json`);
  mkdirSync(dirname(file), { recursive: true });
  const json = {
    date: date.toISOString(),
    machine,
    nproc: availableParallelism(),
    node: process.version,
    sourceFingerprint: fingerprint,
    loadAverage: load,
    options: opts,
    store: duban.info,
    clock,
    ack: Object.fromEntries(ackSum),
    e2e: Object.fromEntries(e2eSum),
    e2eByKind: Object.fromEntries([...e2eByKind].map(([k, v]) => [k, summarize(v)])),
    ratio,
    roundRatios,
    targets,
    warmUpRequests: Object.fromEntries(warmedUp),
    records,
    durationSeconds: (Date.now() - started) / 1000,
  };
  writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
  log(
    `results: ${relative(process.cwd(), file)}${profileDir ? `; CPU profiles: ${relative(process.cwd(), profileDir)}/` : ''} (run took ${((Date.now() - started) / 1000).toFixed(0)} s)`,
  );
  return opts.check && targets.some((t) => !t.pass) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  async (e: unknown) => {
    process.stderr.write(
      `bench: ${e instanceof UsageError ? `${e.message}\n\n${HELP}` : e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
    );
    await Promise.all(children.map((c) => c.stop().catch(() => undefined)));
    process.exit(2);
  },
);
