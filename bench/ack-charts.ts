/**
 * Ack latency while charts are drawn: duban's acknowledging path (Bolt's processEvent for a /targets
 * command, in process, as bench/ack-path.ts measures it) timed event by event, in alternating segments
 * without and with charts being rendered continuously in the background through the app's own ChartPort
 * (the sample zone's ranking, trend and projects charts, one after another, as fast as the worker draws
 * them). Reports the p50/p99 ack time of each and their ratio; the bar (issue 14): p99 with charts within
 * 10% of p99 without.
 *
 *   npm run bench:ack-charts
 *   npm run bench:ack-charts -- --events 6000 --rounds 6
 */
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/log.ts';
import { createSlackApp } from '../src/slack/app.ts';
import { openStore } from '../src/store/store.ts';
import { startFakeSlack } from '../test/support/fake-slack.ts';
import { sampleSpecs } from './charts.ts';
import { BENCH_NOW, BENCH_TIME_ZONE, buildBenchModel } from './generate.ts';
import { BOT_TOKEN, SIGNING_SECRET } from './shared.ts';
import { ms, percentile, table } from './stats.ts';

const BAR_RATIO = 1.1;

function flag(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const n = at >= 0 ? Number(process.argv[at + 1]) : Number.NaN;
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : fallback;
}
const events = flag('events', 6000);
const rounds = flag('rounds', 6);

const fake = await startFakeSlack();
const { model } = buildBenchModel({ targets: 50, projects: 50, departments: 10 });
const store = await openStore('(bench)', {
  timeZone: BENCH_TIME_ZONE,
  memory: { initial: model.db as never },
  clock: () => BENCH_NOW,
});
const config = loadConfig({
  SLACK_BOT_TOKEN: BOT_TOKEN,
  SLACK_SIGNING_SECRET: SIGNING_SECRET,
  SLACK_API_URL: fake.url,
  DATA_FILE: '(memory)',
  LOG_LEVEL: 'silent',
  SCHEDULER: 'off',
});
const { app, charts } = createSlackApp(config, {
  store,
  clock: () => BENCH_NOW,
  timeZone: BENCH_TIME_ZONE,
  defaultLocale: 'zh-CN',
  logger: createLogger('silent'),
});
const specs = Object.values(await sampleSpecs());

const body = (i: number) => ({
  token: 'x',
  team_id: 'T0BENCH',
  team_domain: 'bench',
  channel_id: `CB${i}`,
  channel_name: 'bench',
  user_id: 'U0BENCH001',
  user_name: 'bench',
  command: '/targets',
  text: '',
  api_app_id: 'A0BENCH',
  is_enterprise_install: 'false',
  response_url: `http://127.0.0.1:9/response/${i}`,
  trigger_id: `${i}.1.x`,
});

/** Draws the sample charts one after another until stopped; answers how many were drawn. */
function background(): { stop: () => Promise<number> } {
  let on = true;
  let drawn = 0;
  const loop = (async () => {
    for (let i = 0; on; i++) {
      await charts.render(specs[i % specs.length]!);
      drawn++;
    }
  })();
  return {
    async stop() {
      on = false;
      await loop;
      return drawn;
    },
  };
}

/** Ack time of each of `n` events (ms), in batches of 100 with a pause for the deferred answers, untimed. */
async function segment(n: number, seq: { i: number }): Promise<number[]> {
  const out: number[] = [];
  while (out.length < n) {
    for (let k = 0; k < 100 && out.length < n; k++) {
      const t = performance.now();
      await app.processEvent({ body: body(seq.i++), ack: async () => undefined });
      out.push(performance.now() - t);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return out;
}

const seq = { i: 0 };
// Warm-up: the app's JIT and the chart worker (ECharts and the font loaded), neither measured.
await segment(1000, seq);
for (const spec of specs) await charts.render(spec);

const samples = { without: [] as number[], with: [] as number[] };
let drawn = 0;
const perSegment = Math.ceil(events / rounds);
for (let round = 0; round < rounds; round++) {
  for (const mode of round % 2 === 0 ? (['without', 'with'] as const) : (['with', 'without'] as const)) {
    if (mode === 'without') samples.without.push(...(await segment(perSegment, seq)));
    else {
      const bg = background();
      samples.with.push(...(await segment(perSegment, seq)));
      drawn += await bg.stop();
    }
  }
}
await charts.close();

const rows = (['without', 'with'] as const).map((mode) => {
  const sorted = Float64Array.from(samples[mode]).sort();
  return [
    mode === 'with' ? 'charts rendering' : 'no charts',
    String(sorted.length),
    ms(percentile(sorted, 50)),
    ms(percentile(sorted, 99)),
    ms(sorted[sorted.length - 1]!),
  ];
});
const p99 = (xs: number[]) => percentile(Float64Array.from(xs).sort(), 99);
const ratio = p99(samples.with) / p99(samples.without);
console.log(
  `ack with charts: /targets through processEvent, ${rounds} alternating segments; ${drawn} charts drawn meanwhile`,
);
console.log(table(['background', 'n', 'p50 ms', 'p99 ms', 'max ms'], rows));
console.log(`p99 ratio ${ratio.toFixed(2)}× — bar ≤ ${BAR_RATIO}×: ${ratio <= BAR_RATIO ? 'met' : 'NOT met'}`);
await fake.close();
process.exit(ratio <= BAR_RATIO ? 0 : 1);
