/**
 * Start-up benchmark (issue 15): the TypeScript sources through tsx against the compiled JavaScript
 * in dist/, side by side in one run, each measured in a fresh process:
 *
 *   npm run bench:startup                  # 5 runs of each, alternating
 *   npm run bench:startup -- --runs 9
 *
 * - floor: an empty process that reports its RSS, plain Node against Node with tsx registered (what
 *   bin/duban.js does before it loads anything of duban's);
 * - console: `node bin/duban.js demo --now 2026-11-28` with one command on stdin (`/targets 经发局`),
 *   as a user types it: the time from spawn to the answer's first line on stdout, the time to exit,
 *   and the process's peak RSS;
 * - server: `node bin/duban.js start` in HTTP mode (fake tokens, the fake Slack Web API of
 *   test/support/fake-slack.ts, a data file imported from the bundled sample in a temporary
 *   directory): the time from spawn to `/healthz` answering 200, the RSS then, and the peak RSS once
 *   stopped with SIGTERM.
 *
 * tsx is `DUBAN_TSX=1`; compiled is bin/duban.js on a fresh dist/ (built first when stale, and the
 * build's time reported). Peak RSS is the process's own getrusage maximum, written on exit by a
 * preloaded module, with the process's CPU time (user and system), which a busy machine inflates far
 * less than wall time. It also times bin/duban.js's freshness check. Results: docs/benchmarks.md.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { staleness } from '../bin/build-stamp.js';
import { startFakeSlack } from '../test/support/fake-slack.ts';
import { parseFlags, UsageError } from './shared.ts';
import { median, table } from './stats.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'duban.js');

/** Preloaded into every measured process: writes its peak and current RSS to $PROBE_OUT on exit. */
const PROBE = `data:text/javascript,${encodeURIComponent(
  "import { writeFileSync } from 'node:fs';" +
    'process.on("exit", () => writeFileSync(process.env.PROBE_OUT, JSON.stringify({ ' +
    'maxRss: process.resourceUsage().maxRSS * 1024, rss: process.memoryUsage().rss, ' +
    'cpuMs: (process.resourceUsage().userCPUTime + process.resourceUsage().systemCPUTime) / 1000 })));',
)}`;

type Variant = 'tsx' | 'compiled';
type Probe = { maxRss: number; rss: number; cpuMs: number };

const scratch = mkdtempSync(join(tmpdir(), 'duban-startup-'));
let probes = 0;

function probeFile(): string {
  return join(scratch, `probe-${++probes}.json`);
}
const readProbe = (file: string): Probe => JSON.parse(readFileSync(file, 'utf8')) as Probe;
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const bare = (shown: string) => shown.replace(/ (s|MB)$/, '');

function envFor(variant: Variant, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '', ...extra };
  if (variant === 'tsx') env.DUBAN_TSX = '1';
  return env;
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.on('close', resolve));
}

/** An empty process: plain Node, or Node with tsx registered as bin/duban.js registers it. */
async function floor(variant: Variant): Promise<Probe & { ms: number }> {
  const out = probeFile();
  const code = variant === 'tsx' ? "const { register } = await import('tsx/esm/api'); register();" : '';
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', PROBE, '--input-type=module', '-e', code], {
    cwd: ROOT,
    env: { ...envFor('compiled'), PROBE_OUT: out },
    stdio: 'ignore',
  });
  await exited(child);
  return { ...readProbe(out), ms: performance.now() - started };
}

/** The console answering one command typed on stdin. */
async function consoleRun(
  variant: Variant,
): Promise<{ answerMs: number; exitMs: number; maxRss: number; cpuMs: number }> {
  const out = probeFile();
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', PROBE, BIN, 'demo', '--now', '2026-11-28'], {
    cwd: ROOT,
    env: { ...envFor(variant), PROBE_OUT: out },
  });
  let stdout = '';
  let stderr = '';
  let answerMs = Number.NaN;
  child.stdout!.on('data', (d) => {
    stdout += d;
    if (Number.isNaN(answerMs) && stdout.includes('经发局 · 目标')) answerMs = performance.now() - started;
  });
  child.stderr!.on('data', (d) => (stderr += d));
  child.stdin!.end('/targets 经发局\n');
  const code = await exited(child);
  const exitMs = performance.now() - started;
  if (code !== 0 || Number.isNaN(answerMs) || stderr !== '')
    throw new Error(`console (${variant}) exited ${code} without a clean answer: ${stderr}`);
  return { answerMs, exitMs, ...readProbe(out) };
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function rssOf(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB$/m);
  return line ? Number(line[1]) * 1024 : Number.NaN;
}

/** `duban start` until /healthz answers, then SIGTERM. */
async function serverRun(
  variant: Variant,
  apiUrl: string,
  dataFile: string,
): Promise<{ readyMs: number; rss: number; maxRss: number; cpuMs: number }> {
  const out = probeFile();
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', PROBE, BIN, 'start'], {
    cwd: ROOT,
    env: envFor(variant, {
      PROBE_OUT: out,
      SLACK_BOT_TOKEN: 'xoxb-bench-startup',
      SLACK_SIGNING_SECRET: 'benchStartupSigningSecret0123',
      SLACK_API_URL: apiUrl,
      PORT: String(port),
      DATA_FILE: dataFile,
      LOG_LEVEL: 'warn',
      SCHEDULER: 'off',
    }),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const done = exited(child);
  let readyMs = Number.NaN;
  let rss = Number.NaN;
  try {
    for (let i = 0; i < 3000 && Number.isNaN(readyMs); i++) {
      const health = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined);
      if (health?.status === 200) {
        readyMs = performance.now() - started;
        rss = rssOf(child.pid!);
      } else await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    child.kill('SIGTERM');
  }
  const code = await done;
  if (Number.isNaN(readyMs) || code !== 0) throw new Error(`server (${variant}) never answered /healthz: ${stderr}`);
  const probe = readProbe(out);
  return { readyMs, rss, maxRss: probe.maxRss, cpuMs: probe.cpuMs };
}

const HELP = `Usage: npm run bench:startup -- [--runs N]

  --runs N   processes of each kind and variant, alternating tsx and compiled (default 5)`;

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2), ['help']);
  if (flags.has('help')) {
    console.log(HELP);
    return;
  }
  const runs = Number(flags.get('runs') ?? 5);
  if (!Number.isInteger(runs) || runs < 1) throw new UsageError(`--runs: expected a positive whole number`);

  console.log(
    `Start-up benchmark · node ${process.version} · ${cpus().length} CPUs · load ${loadavg()[0]!.toFixed(1)}`,
  );
  const why = staleness(ROOT);
  let buildMs: number | undefined;
  if (why !== undefined) {
    console.log(`dist/ is stale (${why}); building it first`);
    const t = performance.now();
    const built = spawnSync(process.execPath, [join(ROOT, 'bin', 'build.js')], { stdio: 'inherit' });
    if (built.status !== 0) throw new Error('npm run build failed');
    buildMs = performance.now() - t;
  }
  const checks: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t = performance.now();
    staleness(ROOT);
    checks.push(performance.now() - t);
  }

  const fake = await startFakeSlack();
  const dataFile = join(scratch, 'db.json');
  const imported = spawnSync(process.execPath, [BIN, 'import', join(ROOT, 'data', 'seed', 'nantong-2026.json')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', DATA_FILE: dataFile },
  });
  if (imported.status !== 0) throw new Error(`import failed: ${imported.stderr}`);

  const variants: Variant[] = ['tsx', 'compiled'];
  const results = {
    floor: { tsx: [] as Array<Probe & { ms: number }>, compiled: [] as Array<Probe & { ms: number }> },
    console: {
      tsx: [] as Array<Awaited<ReturnType<typeof consoleRun>>>,
      compiled: [] as Array<Awaited<ReturnType<typeof consoleRun>>>,
    },
    server: {
      tsx: [] as Array<Awaited<ReturnType<typeof serverRun>>>,
      compiled: [] as Array<Awaited<ReturnType<typeof serverRun>>>,
    },
  };
  const loads: number[] = [];
  for (let i = 0; i < runs; i++) {
    for (const v of i % 2 === 0 ? variants : [...variants].reverse()) {
      results.floor[v].push(await floor(v));
      results.console[v].push(await consoleRun(v));
      results.server[v].push(await serverRun(v, fake.url, dataFile));
      loads.push(loadavg()[0]!);
    }
    process.stdout.write(`run ${i + 1}/${runs} done\n`);
  }
  await fake.close();
  rmSync(scratch, { recursive: true, force: true });

  const m = <T>(xs: T[], f: (x: T) => number) => median(xs.map(f));
  const range = <T>(xs: T[], f: (x: T) => number, show: (n: number) => string) =>
    `${show(m(xs, f))} (${bare(show(Math.min(...xs.map(f))))}–${bare(show(Math.max(...xs.map(f))))})`;
  const row = (what: string, f: (v: Variant) => string) => [what, f('tsx'), f('compiled')];
  console.log(
    `\nMedians of ${runs} processes each (min–max); load average ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}\n`,
  );
  console.log(
    table(
      ['', 'tsx (DUBAN_TSX=1)', 'compiled (dist/)'],
      [
        row('empty process: RSS at exit', (v) => range(results.floor[v], (r) => r.rss, mb)),
        row('empty process: peak RSS', (v) => range(results.floor[v], (r) => r.maxRss, mb)),
        row('empty process: spawn to exit', (v) => range(results.floor[v], (r) => r.ms, sec)),
        row('empty process: CPU time', (v) => range(results.floor[v], (r) => r.cpuMs, sec)),
        row('console: spawn to first answer', (v) => range(results.console[v], (r) => r.answerMs, sec)),
        row('console: spawn to exit', (v) => range(results.console[v], (r) => r.exitMs, sec)),
        row('console: CPU time', (v) => range(results.console[v], (r) => r.cpuMs, sec)),
        row('console: peak RSS', (v) => range(results.console[v], (r) => r.maxRss, mb)),
        row('server: spawn to /healthz 200', (v) => range(results.server[v], (r) => r.readyMs, sec)),
        row('server: RSS when ready', (v) => range(results.server[v], (r) => r.rss, mb)),
        row('server: CPU time, start to SIGTERM', (v) => range(results.server[v], (r) => r.cpuMs, sec)),
        row('server: peak RSS', (v) => range(results.server[v], (r) => r.maxRss, mb)),
      ],
    ),
  );
  console.log(
    `\nbin/duban.js freshness check: median ${median(checks).toFixed(1)} ms` +
      (buildMs === undefined ? '' : ` · npm run build: ${sec(buildMs)}`),
  );
}

main().catch((error) => {
  rmSync(scratch, { recursive: true, force: true });
  console.error(error instanceof UsageError ? `bench:startup: ${error.message}\n\n${HELP}` : error);
  process.exitCode = error instanceof UsageError ? 2 : 1;
});
