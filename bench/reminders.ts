/**
 * A reminder run for 300 departments against the fake Web API enforcing one chat.postMessage a
 * second per channel (answering 429 with Retry-After beyond that). Two scenarios, side by side:
 *  A. every department has its own channel: the ideal is the same run against the fake with no
 *     rate limit (measured in the same process, first);
 *  B. ten departments share each channel (30 channels): the ideal is (10 − 1) × 1 s per channel.
 * Target: total within 1.2× of the ideal, no duplicate, no failure, no 429.
 *
 *   node bin/run-ts.js bench/reminders.ts [--departments 300]
 */
import { webApi } from '@slack/bolt';
import { Database, FORMAT_VERSION } from '../src/domain/schema.ts';
import { stateFromDatabase } from '../src/domain/state.ts';
import { createLogger } from '../src/log.ts';
import { chineseCalendarData } from '../src/scheduler/holidays.ts';
import { runReminders } from '../src/scheduler/jobs.ts';
import { createMessenger } from '../src/slack/messenger.ts';
import { openStore } from '../src/store/store.ts';
import { type ApiCall, startFakeSlack } from '../test/support/fake-slack.ts';

const argDepartments = process.argv.indexOf('--departments');
const DEPARTMENTS = argDepartments > 0 ? Number(process.argv[argDepartments + 1]) : 300;
const NOW = new Date('2026-11-30T09:00:00+08:00');
const TZ = 'Asia/Shanghai';

function dataset(channelOf: (i: number) => string) {
  const period = { start: '2026-01-01', end: '2026-12-31' };
  return Database.parse({
    version: FORMAT_VERSION,
    departments: Array.from({ length: DEPARTMENTS }, (_, i) => ({
      id: `d-${i}`,
      name: { zh: `部门${i}` },
      channelId: channelOf(i),
    })),
    // One target per department, 30 points behind plan: every department is reminded.
    targets: Array.from({ length: DEPARTMENTS }, (_, i) => ({
      id: `t-${i}`,
      departmentId: `d-${i}`,
      name: { zh: `指标${i}` },
      kind: 'cumulative',
      unit: { zh: '项' },
      target: 100,
      period,
      reporting: { cadence: 'none' },
    })),
    updates: Array.from({ length: DEPARTMENTS }, (_, i) => ({
      id: `u-${i}`,
      itemId: `t-${i}`,
      at: '2026-10-31T10:00:00+08:00',
      by: 'seed',
      value: 50,
      source: 'seed',
    })),
  });
}

async function run(label: string, channelOf: (i: number) => string, rateLimited: boolean) {
  const fake = await startFakeSlack(rateLimited ? { perChannelRateLimit: { perSecond: 1 } } : {});
  const store = await openStore('(bench)', {
    timeZone: TZ,
    memory: { initial: stateFromDatabase(dataset(channelOf), TZ) },
    clock: () => NOW,
  });
  const client = new webApi.WebClient('xoxb-bench', {
    slackApiUrl: fake.url,
    retryConfig: { retries: 5, factor: 1.5, minTimeout: 100, maxTimeout: 2000 },
  });
  const started = performance.now();
  const outcome = await runReminders('reminders@bench', {
    store,
    messenger: createMessenger(client, rateLimited ? {} : { intervalMs: 0 }),
    clock: () => NOW,
    timeZone: TZ,
    locale: 'zh-CN',
    logger: createLogger('silent'),
    calendarData: chineseCalendarData(),
    admins: async () => [],
    concurrency: 32,
  });
  const seconds = (performance.now() - started) / 1000;
  const posts = fake.callsTo('chat.postMessage') as ApiCall[];
  const ok = posts.filter((c) => c.ok);
  const limited = posts.filter((c) => c.status === 429).length;
  const byDepartment = new Map<string, number>();
  for (const c of ok) {
    const text = JSON.stringify(c.args.blocks ?? c.args.text);
    const dept = /部门(\d+)/.exec(text)?.[1] ?? '?';
    byDepartment.set(dept, (byDepartment.get(dept) ?? 0) + 1);
  }
  const duplicates = [...byDepartment.values()].filter((n) => n > 1).length;
  const failures = Object.values(outcome).filter((o) => o !== 'sent').length;
  await store.close();
  await fake.close();
  return { label, seconds, sent: ok.length, departments: byDepartment.size, duplicates, failures, limited };
}

const ownChannel = (i: number) => `C${String(i).padStart(8, '0')}`;
const sharedChannel = (i: number) => `C${String(i % 30).padStart(8, '0')}`;

console.log(`reminder run for ${DEPARTMENTS} departments; node ${process.version}; fake Web API on loopback`);
const ideal = await run('A. own channels, no rate limit (ideal)', ownChannel, false);
const limitedOwn = await run('A. own channels, 1 msg/s per channel', ownChannel, true);
const perChannel = Math.ceil(DEPARTMENTS / 30);
const shared = await run(`B. ${perChannel} departments per channel, 1 msg/s per channel`, sharedChannel, true);
const idealShared = (perChannel - 1) * 1.0;

const rows = [ideal, limitedOwn, shared];
console.log('\nscenario                                          seconds  sent  depts  dup  fail  429');
for (const r of rows)
  console.log(
    `${r.label.padEnd(48)}  ${r.seconds.toFixed(2).padStart(7)}  ${String(r.sent).padStart(4)}  ${String(r.departments).padStart(5)}  ${String(r.duplicates).padStart(3)}  ${String(r.failures).padStart(4)}  ${String(r.limited).padStart(3)}`,
  );
const ratioA = limitedOwn.seconds / Math.max(ideal.seconds, 0.001);
const ratioB = shared.seconds / idealShared;
const clean = (r: (typeof rows)[number]) => r.duplicates === 0 && r.failures === 0 && r.sent === DEPARTMENTS;
console.log(
  `\n${ratioA <= 1.2 && clean(limitedOwn) ? 'PASS' : 'FAIL'}  A: ${limitedOwn.seconds.toFixed(2)} s vs ideal ${ideal.seconds.toFixed(2)} s = ${ratioA.toFixed(2)}× (≤ 1.2×), ${limitedOwn.duplicates} duplicates, ${limitedOwn.failures} failures`,
);
console.log(
  `${ratioB <= 1.2 && clean(shared) ? 'PASS' : 'FAIL'}  B: ${shared.seconds.toFixed(2)} s vs ideal ${idealShared.toFixed(2)} s = ${ratioB.toFixed(2)}× (≤ 1.2×), ${shared.duplicates} duplicates, ${shared.failures} failures, ${shared.limited} answered 429`,
);
