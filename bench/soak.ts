/**
 * Soak benchmark: memory and ack latency of duban under steady use, for a long time.
 *
 *   npm run bench:soak                         # 30 minutes
 *   npm run bench:soak -- --minutes 5
 *   npm run bench:soak -- --help
 *
 * The real app runs in a child process (bench/server.ts, HTTP mode, the synthetic store of 1,000
 * targets and 1,000 projects in 50 departments in a lowdb data file, a clock that runs from the
 * benchmark's instant), next to the fake Slack Web API in another. This process sends it an open-loop
 * mix at `--rate` requests/s (default 20), each signed and sent on schedule whatever the app's pace, as
 * Slack sends them: one in seven is a reply in the thread of an earlier answer ("本月新增1", from a member
 * of the item's department); the others cycle through /targets, /projects, /duban status, /duban
 * behind and @mentions. Every request has a channel of its own, so the answers are matched to their
 * requests.
 *
 * Every 10 s it samples the server's RSS, heap and the sizes of its bookkeeping indexes; ack latency
 * (signed POST → HTTP 200) is summarised per minute, with the machine's load average. It prints the
 * first-minute against the last-minute RSS, and PASS/FAIL against the target: RSS at the end within
 * 25% of the first minute, and ack p99 steady (the median per-minute p99 of the last third of the run
 * at most 1.5× that of the first third, minute 1 left out as warm-up, or within 10 ms of it).
 * Everything stays on 127.0.0.1; the run stops by itself after `--minutes`, or as soon as the server
 * exits (out of memory, for instance). See docs/benchmarks.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { appMention, eventCallback, message, signSlackRequest, slashCommand } from '../test/support/slack-requests.ts';
import { benchUsers, type DatasetOptions, DEFAULT_DATASET, datasetFlags, QUERY_KINDS, queryText } from './generate.ts';
import {
  clockMs,
  parseFlags,
  type ServerChild,
  SIGNING_SECRET,
  sourceFingerprint,
  startServerProcess,
  UsageError,
} from './shared.ts';
import { median, ms, type Summary, summarize, table } from './stats.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * A zone of 2,000 items: a duban process of about 170 MB at start, as in the report this benchmark
 * answers. (On npm run bench's 10,000 items, each logged reply makes the next read evaluate the whole
 * store again, about 0.4 s on 2 CPUs, so 20 requests/s of this mix are more than the machine can do.)
 */
const SOAK_DATASET: DatasetOptions = { ...DEFAULT_DATASET, targets: 1000, projects: 1000, departments: 50 };

const HELP = `Usage: npm run bench:soak -- [options]

  --minutes N         how long to send traffic (default 30)
  --rate R            requests per second, open loop (default 20)
  --thread-every K    one request in K is a thread reply (default 7)
  --sample-seconds S  how often to sample the server's memory (default 10)
  --max-in-flight C   requests in flight at most; later ones wait (and count as delayed) (default 500)
  --store file|memory duban's store: a lowdb data file in a temporary directory (default) or in memory
  --targets N --projects N --departments N
                      the synthetic store (default ${SOAK_DATASET.targets}, ${SOAK_DATASET.projects}, ${SOAK_DATASET.departments}; npm run bench uses
                      ${DEFAULT_DATASET.targets}, ${DEFAULT_DATASET.projects}, ${DEFAULT_DATASET.departments})
  --server-node-args "ARGS"
                      extra Node options for the duban process alone, e.g. "--max-old-space-size=200"
                      (NODE_OPTIONS, by contrast, applies to every process of the run)
  --out FILE          where to write the JSON results (default bench/results/soak-<time>.json)
  --check             exit with status 1 when the target fails
  --help              this text
`;

type Options = {
  minutes: number;
  rate: number;
  threadEvery: number;
  sampleSeconds: number;
  maxInFlight: number;
  store: 'file' | 'memory';
  dataset: DatasetOptions;
  serverNodeArgs: string[];
  out: string | undefined;
  check: boolean;
};

function parseOptions(argv: string[]): Options {
  const flags = parseFlags(argv, ['check', 'help']);
  const known = new Set([
    'minutes',
    'rate',
    'thread-every',
    'sample-seconds',
    'max-in-flight',
    'store',
    'targets',
    'projects',
    'departments',
    'server-node-args',
    'out',
    'check',
    'help',
  ]);
  for (const name of flags.keys()) if (!known.has(name)) throw new UsageError(`unknown option --${name}`);
  if (flags.has('help')) {
    process.stdout.write(HELP);
    process.exit(0);
  }
  const num = (name: string, fallback: number, min: number, max: number, integer = true): number => {
    const raw = flags.get(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min || n > max)
      throw new UsageError(
        `--${name} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max} (got "${raw}")`,
      );
    return n;
  };
  const store = flags.get('store') ?? 'file';
  if (store !== 'file' && store !== 'memory') throw new UsageError(`--store must be file or memory (got "${store}")`);
  return {
    minutes: num('minutes', 30, 0.5, 24 * 60, false),
    rate: num('rate', 20, 1, 1000),
    threadEvery: num('thread-every', 7, 2, 1000),
    sampleSeconds: num('sample-seconds', 10, 1, 600),
    maxInFlight: num('max-in-flight', 500, 1, 100_000),
    store,
    dataset: {
      ...SOAK_DATASET,
      targets: num('targets', SOAK_DATASET.targets, 12, 200_000),
      projects: num('projects', SOAK_DATASET.projects, 0, 200_000),
      departments: num('departments', SOAK_DATASET.departments, 1, 300),
    },
    serverNodeArgs: (flags.get('server-node-args') ?? '').split(/\s+/).filter(Boolean),
    out: flags.get('out'),
    check: flags.has('check'),
  };
}

// ---------------------------------------------------------------------------------------------
// The traffic
// ---------------------------------------------------------------------------------------------

type Kind = 'thread' | 'targets' | 'projects' | 'status' | 'behind' | 'mention';
const READS: readonly Exclude<Kind, 'thread'>[] = ['targets', 'projects', 'status', 'behind', 'mention'];

/** Cumulative targets (bench/generate.ts: metrics 0–7 of every 12 are cumulative), so "本月新增1" is an increment. */
function cumulativeTarget(n: number, targets: number): number {
  const i = (n * 12 + (n % 8)) % targets;
  return i % 12 < 8 ? i : i - (i % 12);
}

type Built = {
  id: string;
  kind: Kind;
  body: string;
  contentType: 'application/json' | 'application/x-www-form-urlencoded';
};

/**
 * Builds the requests of the mix. Mentions ask about one cumulative target ("@duban t-00013"), and
 * their answer, posted in the mention's thread, remembers the target; later, a member of the
 * target's department replies in that thread with an increment.
 */
function createTraffic(fakeOrigin: string, threadEvery: number, d: DatasetOptions) {
  const users = benchUsers();
  let seq = 0;
  let reads = 0;
  /** Mentions sent, oldest first, waiting for a reply in their thread once their answer is surely out. */
  const threads: Array<{ channel: string; ts: string; itemIndex: number; sentAt: number }> = [];
  let lastThread: (typeof threads)[number] | undefined;
  let tsCounter = 0;
  const ts = () => {
    tsCounter += 1;
    return `${Math.floor(Date.now() / 1000)}.${String(tsCounter % 1_000_000).padStart(6, '0')}`;
  };
  const memberOf = (itemIndex: number) => {
    const dept = itemIndex % d.departments;
    return users[dept % users.length]!.id;
  };
  return {
    next(now: number): Built {
      seq += 1;
      const id = `CS${seq.toString(36).toUpperCase().padStart(8, '0')}`;
      if (seq % threadEvery === 0) {
        // The oldest mention at least 5 s old (its answer has been posted and its thread remembered).
        while (threads.length > 1 && now - threads[0]!.sentAt > 5_000 && now - threads[1]!.sentAt > 5_000)
          threads.shift();
        const thread = threads.length > 0 && now - threads[0]!.sentAt > 5_000 ? threads.shift()! : lastThread;
        if (thread) {
          lastThread = thread;
          const event = message({
            text: '本月新增1',
            userId: memberOf(thread.itemIndex),
            channelId: thread.channel,
            threadTs: thread.ts,
            ts: ts(),
          });
          return {
            id: thread.channel,
            kind: 'thread',
            body: eventCallback(event).body,
            contentType: 'application/json',
          };
        }
      }
      reads += 1;
      const kind = READS[reads % READS.length]!;
      const user = users[Math.floor(reads / READS.length) % users.length]!.id;
      const responseUrl = `${fakeOrigin}/response/${id}`;
      const command = (name: string, text: string): Built => ({
        id,
        kind,
        body: slashCommand({ command: name, text, userId: user, channelId: id, channelName: 'soak', responseUrl }).body,
        contentType: 'application/x-www-form-urlencoded',
      });
      switch (kind) {
        case 'targets':
          return command('/targets', queryText(QUERY_KINDS[reads % QUERY_KINDS.length]!, reads, d));
        case 'projects':
          return command('/projects', reads % 2 === 0 ? '' : queryText('dept', reads, d));
        case 'status':
          return command('/duban', reads % 2 === 0 ? 'status' : `status ${queryText('dept', reads, d)}`);
        case 'behind':
          return command('/duban', 'behind');
        case 'mention': {
          const itemIndex = cumulativeTarget(reads, d.targets);
          const mentionTs = ts();
          threads.push({ channel: id, ts: mentionTs, itemIndex, sentAt: now });
          const event = appMention({
            text: `t-${String(itemIndex + 1).padStart(5, '0')}`,
            userId: user,
            channelId: id,
            ts: mentionTs,
          });
          return { id, kind, body: eventCallback(event).body, contentType: 'application/json' };
        }
      }
    },
  };
}

/**
 * Sends one request. A keep-alive connection the server closed just as it was reused fails with
 * ECONNRESET before the request reached the app; like any HTTP client, that is retried once.
 */
function post(agent: Agent, port: number, built: Built, retried = false): Promise<number> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const bytes = Buffer.from(built.body, 'utf8');
  const headers = {
    'content-type': built.contentType,
    'content-length': String(bytes.length),
    'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
    'x-slack-request-timestamp': timestamp,
    'x-slack-signature': signSlackRequest(SIGNING_SECRET, timestamp, built.body),
  };
  return new Promise((resolve, reject) => {
    const req = request({ agent, host: '127.0.0.1', port, path: '/slack/events', method: 'POST', headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ECONNRESET' && req.reusedSocket && !retried) resolve(post(agent, port, built, true));
      else reject(e);
    });
    req.end(bytes);
  });
}

// ---------------------------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------------------------

type Sample = {
  /** Seconds since the traffic started. */
  t: number;
  /** The machine's 1-minute load average: other work on a shared machine moves the latency. */
  load: number;
  rssMB: number;
  heapUsedMB: number;
  heapTotalMB: number;
  externalMB: number;
  cpuPercent: number;
  gcMajor: number;
  gcMajorMs: number;
  storeWrites: number;
  evaluations: number;
  indexes: Record<string, number>;
};

type Minute = {
  minute: number;
  sent: number;
  ack: Summary;
  failures: number;
  delayed: number;
  answers: number;
  answerP50: number;
  answerP99: number;
  rssMB: number;
  heapUsedMB: number;
  load: number;
};

const sleep = (msec: number) => new Promise((r) => setTimeout(r, msec));
const MB = 1024 * 1024;

async function main(): Promise<number> {
  const opts = parseOptions(process.argv.slice(2));
  const started = Date.now();
  const fingerprint = sourceFingerprint();
  const loadBefore = loadavg()[0]!;
  const log = (s: string) => process.stderr.write(`${s}\n`);
  const children: ServerChild[] = [];
  const stopAll = () => Promise.all(children.map((c) => c.stop().catch(() => undefined)));
  try {
    log(
      `starting the fake Slack API and duban (${opts.store} store${opts.serverNodeArgs.length ? `, node ${opts.serverNodeArgs.join(' ')}` : ''}), one child process each…`,
    );
    const fake = await startServerProcess('fake', [], []);
    children.push(fake);
    const apiUrl = String(fake.info.url);
    const fakeOrigin = new URL(apiUrl).origin;
    const d = opts.dataset;
    const dataset = datasetFlags(d);
    const duban = await startServerProcess(
      'duban',
      ['--api-url', apiUrl, '--store', opts.store, '--clock', 'live', ...dataset],
      opts.serverNodeArgs,
    );
    children.push(duban);
    log(
      `store: ${['departments', 'targets', 'projects', 'updates'].map((k) => `${duban.info[k]} ${k}`).join(', ')}; first evaluation ${duban.info.evaluateMs} ms`,
    );
    // The fake's clock against ours, from the ping with the shortest round trip (for the answer latency).
    let offset = { offsetMs: 0, rttMs: Number.POSITIVE_INFINITY };
    for (let i = 0; i < 20; i++) {
      const t0 = clockMs();
      const pong = await fake.ask({ type: 'ping', t: t0 }, 'pong');
      const t1 = clockMs();
      if (t1 - t0 < offset.rttMs) offset = { offsetMs: pong.child - (t0 + t1) / 2, rttMs: t1 - t0 };
    }

    const durationMs = opts.minutes * 60_000;
    const minutes = Math.ceil(opts.minutes);
    const agent = new Agent({ keepAlive: true, maxSockets: opts.maxInFlight });
    const traffic = createTraffic(fakeOrigin, opts.threadEvery, opts.dataset);
    const acks: number[][] = Array.from({ length: minutes }, () => []);
    const failures = new Array<number>(minutes).fill(0);
    const delayed = new Array<number>(minutes).fill(0);
    const sent = new Array<number>(minutes).fill(0);
    const byKind = new Map<Kind, number>();
    const failureKinds = new Map<string, number>();
    /** Requests awaiting their answer: id → [sent at (our clock), minute, kind]. */
    const awaiting = new Map<string, Array<[number, number]>>();
    const answerTimes: number[][] = Array.from({ length: minutes }, () => []);
    const samples: Sample[] = [];
    const t0 = clockMs();
    const minuteOf = (at: number) => Math.min(minutes - 1, Math.floor((at - t0) / 60_000));

    // Memory samples and the answers the fake received, in the background, until the traffic stops.
    let running = true;
    let lastUsage: { at: number; cpu: number } | undefined;
    const sampleLoop = (async () => {
      while (running && !duban.exited) {
        try {
          const u = await duban.ask({ type: 'usage' }, 'usage', 60_000);
          const at = clockMs();
          const cpuPercent = lastUsage ? ((u.cpuMicros - lastUsage.cpu) / 1000 / (at - lastUsage.at)) * 100 : 0;
          lastUsage = { at, cpu: u.cpuMicros };
          const s: Sample = {
            t: Math.round((at - t0) / 100) / 10,
            load: loadavg()[0]!,
            rssMB: u.rssBytes / MB,
            heapUsedMB: u.heapUsedBytes / MB,
            heapTotalMB: (u.heapTotalBytes ?? 0) / MB,
            externalMB: (u.externalBytes ?? 0) / MB,
            cpuPercent,
            gcMajor: u.gc.major,
            gcMajorMs: u.gc.majorMs,
            storeWrites: u.storeWrites ?? 0,
            evaluations: u.evaluations ?? 0,
            indexes: u.indexes ?? {},
          };
          samples.push(s);
          log(
            `${(s.t / 60).toFixed(1).padStart(5)} min  RSS ${s.rssMB.toFixed(0).padStart(4)} MB  heap ${s.heapUsedMB.toFixed(0).padStart(4)}/${s.heapTotalMB.toFixed(0)} MB  CPU ${cpuPercent.toFixed(0).padStart(3)}%  ` +
              `${Object.entries(s.indexes)
                .map(([k, v]) => `${k} ${v}`)
                .join(', ')}`,
          );
        } catch (e) {
          if (!duban.exited) log(`sample failed: ${(e as Error).message}`);
        }
        const wait = opts.sampleSeconds * 1000 - ((clockMs() - t0) % (opts.sampleSeconds * 1000));
        await sleep(wait);
      }
    })();
    const arrivalLoop = (async () => {
      while (running && !fake.exited) {
        await sleep(1000);
        const { arrivals } = await fake
          .ask({ type: 'arrivals' }, 'arrivals')
          .catch(() => ({ arrivals: [] as Array<[string, number, number]> }));
        for (const [id, at] of arrivals) {
          const list = awaiting.get(id);
          const first = list?.shift();
          if (!first) continue;
          if (list!.length === 0) awaiting.delete(id);
          answerTimes[first[1]]!.push(at - offset.offsetMs - first[0]);
        }
      }
    })();

    log(
      `traffic: ${opts.rate} requests/s for ${opts.minutes} min, one in ${opts.threadEvery} a thread reply, the rest ${READS.join(', ')}`,
    );
    const inFlight = new Set<Promise<void>>();
    const interval = 1000 / opts.rate;
    const start = performance.now();
    for (let i = 0; ; i++) {
      const due = start + i * interval;
      if (due - start >= durationMs || duban.exited) break;
      const wait = due - performance.now();
      if (wait > 1) await sleep(wait);
      if (duban.exited) break;
      const at = performance.timeOrigin + due;
      const minute = minuteOf(at);
      if (inFlight.size >= opts.maxInFlight) {
        delayed[minute]! += 1;
        await Promise.race(inFlight);
      }
      const built = traffic.next(at);
      sent[minute]! += 1;
      byKind.set(built.kind, (byKind.get(built.kind) ?? 0) + 1);
      const list = awaiting.get(built.id) ?? [];
      list.push([at, minute]);
      awaiting.set(built.id, list);
      const p: Promise<void> = post(agent, duban.port, built)
        .then(
          (status) => {
            // Latency counts from the scheduled send time, so a server that falls behind shows it.
            if (status === 200) acks[minute]!.push(performance.now() - due);
            else {
              failures[minute]! += 1;
              failureKinds.set(`HTTP ${status}`, (failureKinds.get(`HTTP ${status}`) ?? 0) + 1);
            }
          },
          (e: unknown) => {
            failures[minute]! += 1;
            const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
            failureKinds.set(code, (failureKinds.get(code) ?? 0) + 1);
          },
        )
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    const trafficEnded = clockMs();
    await Promise.race([Promise.all(inFlight), sleep(30_000)]);
    // A last sample and the last answers, then stop.
    await sleep(Math.max(0, Math.min(3000, opts.sampleSeconds * 1000)));
    running = false;
    await Promise.race([Promise.all([sampleLoop, arrivalLoop]), sleep(70_000)]);
    agent.destroy();
    const exited = duban.exited;
    const dubanOutput = duban.output();
    await stopAll();

    // -- report --------------------------------------------------------------------------------
    const inMinute = (m: number) => samples.filter((s) => s.t >= m * 60 && s.t < (m + 1) * 60);
    const lastMinuteIndex = Math.max(0, Math.ceil((trafficEnded - t0) / 60_000) - 1);
    const perMinute: Minute[] = acks.map((a, m) => {
      const ss = inMinute(m);
      const ans = summarize(answerTimes[m]!);
      return {
        minute: m + 1,
        sent: sent[m]!,
        ack: summarize(a),
        failures: failures[m]!,
        delayed: delayed[m]!,
        answers: ans.n,
        answerP50: ans.p50,
        answerP99: ans.p99,
        rssMB: ss.length ? median(ss.map((s) => s.rssMB)) : Number.NaN,
        heapUsedMB: ss.length ? median(ss.map((s) => s.heapUsedMB)) : Number.NaN,
        load: ss.length ? Math.max(...ss.map((s) => s.load)) : Number.NaN,
      };
    });
    const firstRss = perMinute[0]?.rssMB ?? Number.NaN;
    const lastMinutes = perMinute.slice(0, lastMinuteIndex + 1).filter((m) => Number.isFinite(m.rssMB));
    const lastRss = lastMinutes.at(-1)?.rssMB ?? Number.NaN;
    const rssRatio = lastRss / firstRss;
    const peakRss = Math.max(...samples.map((s) => s.rssMB));
    // Steadiness of p99: the last third against the first third (minute 1 is warm-up when there is enough run).
    const measured = perMinute.slice(0, lastMinuteIndex + 1).filter((m) => m.ack.n > 0);
    const body = measured.length >= 3 ? measured.slice(1) : measured;
    const third = Math.max(1, Math.floor(body.length / 3));
    const p99First = median(body.slice(0, third).map((m) => m.ack.p99));
    const p99Last = median(body.slice(-third).map((m) => m.ack.p99));
    const totalFailures = failures.reduce((a, b) => a + b, 0);
    const totalSent = sent.reduce((a, b) => a + b, 0);
    const date = new Date(started);
    const machine = `${availableParallelism()} CPUs (${cpus()[0]?.model.trim() ?? 'unknown'}), Node ${process.version}`;
    const load = { before: loadBefore, after: loadavg()[0]! };
    const targets = [
      {
        name: 'server ran to the end',
        pass: !exited,
        detail: exited
          ? `exited at ${((exited.at - t0) / 60_000).toFixed(1)} min (code ${exited.code}, signal ${exited.signal})`
          : 'yes',
      },
      {
        name: 'RSS at the end within 25% of the first minute',
        pass: !exited && rssRatio <= 1.25,
        detail: `${lastRss.toFixed(0)} MB in the last minute${exited ? ' before the server exited' : ''} vs ${firstRss.toFixed(0)} MB in the first = ${rssRatio.toFixed(2)}× (peak ${peakRss.toFixed(0)} MB)`,
      },
      {
        name: 'ack p99 steady',
        pass: !exited && (p99Last <= 1.5 * p99First || p99Last <= p99First + 10),
        detail: `median per-minute p99 ${ms(p99First)} ms in the first third, ${ms(p99Last)} ms in the last (${(p99Last / p99First).toFixed(2)}×; steady means ≤ 1.5× or within 10 ms)`,
      },
      {
        name: 'no failed requests',
        pass: totalFailures === 0,
        detail: `${totalFailures} of ${totalSent}${failureKinds.size ? ` (${[...failureKinds].map(([k, v]) => `${v} × ${k}`).join(', ')})` : ''}`,
      },
    ];
    const out: string[] = [''];
    out.push(`duban soak — ${date.toISOString().slice(0, 16).replace('T', ' ')} UTC — ${machine}`);
    out.push(
      `code: source fingerprint ${fingerprint}; 1-min load average ${load.before.toFixed(2)} before, ${load.after.toFixed(2)} after; NODE_OPTIONS=${process.env.NODE_OPTIONS ?? ''}${opts.serverNodeArgs.length ? `; duban node ${opts.serverNodeArgs.join(' ')}` : ''}`,
    );
    out.push(
      `store: ${duban.info.departments} departments, ${duban.info.targets} targets, ${duban.info.projects} projects, ${duban.info.updates} updates (${opts.store})`,
    );
    out.push(
      `traffic: ${opts.rate} requests/s open loop for ${opts.minutes} min: ${[...byKind].map(([k, v]) => `${v} ${k}`).join(', ')}`,
    );
    out.push('');
    out.push(
      'Per minute: ack (signed POST → HTTP 200, from the scheduled send time) and answer (→ reply received by the fake), ms; server RSS and heap (median of the samples), MB;',
    );
    out.push("and the machine's highest 1-minute load average in the minute (this run's own processes included)");
    const figure = (x: number, digits = 0) => (Number.isFinite(x) ? x.toFixed(digits) : '—');
    out.push(
      table(
        [
          'minute',
          'sent',
          'ack p50',
          'ack p99',
          'ack max',
          'failed',
          'delayed',
          'answers',
          'ans p50',
          'ans p99',
          'RSS',
          'heap',
          'load',
        ],
        perMinute
          .slice(0, lastMinuteIndex + 1)
          .map((m) => [
            String(m.minute),
            String(m.sent),
            ms(m.ack.p50),
            ms(m.ack.p99),
            ms(m.ack.max),
            String(m.failures),
            String(m.delayed),
            String(m.answers),
            ms(m.answerP50),
            ms(m.answerP99),
            figure(m.rssMB),
            figure(m.heapUsedMB),
            figure(m.load, 1),
          ]),
      ),
    );
    const lastSample = samples.at(-1);
    out.push('');
    if (lastSample)
      out.push(
        `indexes at the end: ${Object.entries(lastSample.indexes)
          .map(([k, v]) => `${k} ${v}`)
          .join(
            ', ',
          )}; ${lastSample.storeWrites} store transactions; ${lastSample.evaluations} whole-store evaluations; ${lastSample.gcMajor} mark-compacts (${ms(lastSample.gcMajorMs)} ms)`,
      );
    out.push(
      `RSS: first minute ${firstRss.toFixed(0)} MB, last minute ${lastRss.toFixed(0)} MB, ratio ${rssRatio.toFixed(2)}; peak ${peakRss.toFixed(0)} MB`,
    );
    if (exited) out.push(`duban exited during the run; its last output:\n${dubanOutput.slice(-1500)}`);
    out.push('');
    out.push('Targets');
    for (const t of targets) out.push(`${t.pass ? 'PASS' : 'FAIL'}  ${t.name}: ${t.detail}`);
    out.push('');
    process.stdout.write(`${out.join('\n')}\n`);

    const stamp = date.toISOString().replace(/[:.]/g, '-');
    const file = opts.out ?? join(ROOT, 'bench', 'results', `soak-${stamp}.json`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(
      file,
      `${JSON.stringify({ date: date.toISOString(), machine, sourceFingerprint: fingerprint, loadAverage: load, nodeOptions: process.env.NODE_OPTIONS ?? '', options: opts, store: duban.info, byKind: Object.fromEntries(byKind), perMinute, samples, rss: { firstMinuteMB: firstRss, lastMinuteMB: lastRss, ratio: rssRatio, peakMB: peakRss }, p99: { firstThird: p99First, lastThird: p99Last }, exited: exited ?? null, targets, durationSeconds: (Date.now() - started) / 1000 }, null, 2)}\n`,
    );
    log(`results: ${relative(process.cwd(), file)} (run took ${((Date.now() - started) / 1000).toFixed(0)} s)`);
    return opts.check && targets.some((t) => !t.pass) ? 1 : 0;
  } finally {
    await stopAll();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(
      `bench:soak: ${e instanceof UsageError ? `${e.message}\n\n${HELP}` : e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
    );
    process.exit(2);
  },
);
