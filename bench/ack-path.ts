/**
 * The acknowledging path alone, in process and without HTTP: how long Bolt's processEvent takes for a
 * /targets command in duban's app against a bare Bolt app with one listener. Answers are not run (the
 * measurement ends when every listener has returned, which is before any deferred answer starts).
 * A diagnostic for `npm run bench` when its ack ratio fails.
 *
 *   node bin/run-ts.js bench/ack-path.ts [--events 20000]
 */
import { App, LogLevel } from '@slack/bolt';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/log.ts';
import { createSlackApp } from '../src/slack/app.ts';
import { openStore } from '../src/store/store.ts';
import { startFakeSlack } from '../test/support/fake-slack.ts';
import { BENCH_NOW, BENCH_TIME_ZONE, buildBenchModel } from './generate.ts';
import { BOT_TOKEN, SIGNING_SECRET } from './shared.ts';
import { median, ms, table } from './stats.ts';

const argv = process.argv.slice(2);
const at = argv.indexOf('--events');
const events = at >= 0 ? Math.max(100, Number(argv[at + 1]) || 20_000) : 20_000;

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
const { app: duban } = createSlackApp(config, {
  store,
  clock: () => BENCH_NOW,
  timeZone: BENCH_TIME_ZONE,
  defaultLocale: 'zh-CN',
  logger: createLogger('silent'),
});
const bare = new App({
  token: BOT_TOKEN,
  signingSecret: SIGNING_SECRET,
  logLevel: LogLevel.WARN,
  clientOptions: { slackApiUrl: fake.url },
});
bare.command('/targets', async ({ ack }) => {
  await ack();
});
/** A bare app with as many listeners and global middleware as duban registers, each doing nothing. */
const many = new App({
  token: BOT_TOKEN,
  signingSecret: SIGNING_SECRET,
  logLevel: LogLevel.WARN,
  clientOptions: { slackApiUrl: fake.url },
});
many.use(async ({ next }) => next());
many.use(async ({ next }) => next());
many.event('message', async () => undefined);
many.event('app_mention', async () => undefined);
many.event('app_home_opened', async () => undefined);
many.event('message', async () => undefined);
many.command(/.*/, async ({ ack }) => {
  await ack();
});
many.action(/.*/, async () => undefined);
many.options('a', async () => undefined);
many.options(/.*/, async () => undefined);
for (const id of ['a', 'b', 'c']) many.view(id, async () => undefined);
many.view(/.*/, async () => undefined);
many.shortcut(/.*/, async () => undefined);

/** One listener per kind of payload. */
const perKind = new App({
  token: BOT_TOKEN,
  signingSecret: SIGNING_SECRET,
  logLevel: LogLevel.WARN,
  clientOptions: { slackApiUrl: fake.url },
});
perKind.command(/.*/, async ({ ack }) => {
  await ack();
});
perKind.event(/.*/, async () => undefined);
perKind.action(/.*/, async () => undefined);
perKind.options(/.*/, async () => undefined);
perKind.view(/.*/, async () => undefined);
perKind.shortcut(/.*/, async () => undefined);
/** One global middleware routing every payload. */
const routed = new App({
  token: BOT_TOKEN,
  signingSecret: SIGNING_SECRET,
  logLevel: LogLevel.WARN,
  clientOptions: { slackApiUrl: fake.url },
});
routed.use(async (args) => {
  if ('command' in args) await args.ack();
  else await args.next();
});

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

/**
 * Microseconds per event, over `n` events run one after another in batches of 200. Between batches the
 * loop waits for duban's deferred answers (they start only once it yields) to be answered, untimed.
 */
async function run(app: App, n: number): Promise<number> {
  let total = 0;
  for (let i = 0; i < n; ) {
    const t = performance.now();
    for (const end = Math.min(n, i + 200); i < end; i++)
      await app.processEvent({ body: body(i), ack: async () => undefined });
    total += performance.now() - t;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  return (total / n) * 1000;
}

const rows: string[][] = [];
const samples = {
  duban: [] as number[],
  bare: [] as number[],
  'bare, 14 listeners': [] as number[],
  'bare, one per kind': [] as number[],
  'bare, routed': [] as number[],
};
for (let round = 0; round < 6; round++) {
  for (const [name, app] of [
    ['duban', duban],
    ['bare', bare],
    ['bare, 14 listeners', many],
    ['bare, one per kind', perKind],
    ['bare, routed', routed],
  ] as const)
    samples[name].push(await run(app, events / 6));
}
for (const name of Object.keys(samples) as Array<keyof typeof samples>)
  rows.push([name, ms(median(samples[name])), samples[name].map((x) => x.toFixed(1)).join(' ')]);
console.log(table(['app', 'µs per event (median of 6)', 'rounds'], rows));
console.log(`ratio ${(median(samples.duban) / median(samples.bare)).toFixed(2)}×`);
process.exit(0);
