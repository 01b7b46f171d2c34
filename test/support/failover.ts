/**
 * One failover, for test/scheduler/leadership.test.ts and bench/failover.ts: a leader in a child process
 * (test/support/leader-child.ts) starts the Monday reminder run on a fresh Postgres database against the
 * fake Slack, which stops answering after the k-th chat.postMessage (the later ones posted but unanswered,
 * or with `drop` never arriving); a second instance is waiting as a follower; the leader is killed with
 * SIGKILL; the follower takes over and finishes the run. Says how long the takeover took and what reached
 * Slack: each reminder's messages by the key it carries.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { own } from '../../src/domain/lookup.ts';
import { type FakeSlack, startFakeSlack } from './fake-slack.ts';
import { type Instance, MONDAY_9, seedDatabase, startInstance } from './scheduler-instance.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export type FailoverOptions = {
  url: string;
  /** Posts Slack answers before it stalls: fewer than the run's messages (see baselineRun). */
  afterPosts: number;
  /** The stalled posts never reach Slack (else they are posted, their answers lost). */
  drop?: boolean;
  campaignMs: number;
  tickMs?: number;
  /** false: neither instance looks messages up in Slack (the behaviour before; see bench/failover.ts). */
  lookup?: boolean;
  /** Extra wait after the stall before the kill (ms), so more of the run is in flight. */
  settleMs?: number;
};

export type FailoverResult = {
  departments: string[];
  /** From SIGKILL to the follower leading. */
  takeoverMs: number;
  /** From SIGKILL to the run recorded done. */
  completedMs: number;
  /** Posts before the kill that Slack acted on. */
  postedBeforeKill: number;
  /** conversations.history calls: deliveries found in flight, looked for in Slack. */
  lookups: number;
  /** Messages in Slack per reminder key (only the reminders of this run). */
  messagesPerKey: Map<string, number>;
  /** The run as recorded, and how many reminder events each department has. */
  run: { slot: string; status: string; attempts: number; outcome: Record<string, string> } | undefined;
  reminderEvents: Map<string, number>;
  /** The child's stderr, for a failing test's message. */
  childErr: string;
};

export const REMINDER_KEY = /^reminder:([^:]+):(reminders@.+)$/;

function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs: number, err: () => string): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`child did not print ${pattern}: ${err()}`)), timeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += String(chunk);
      if (pattern.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`child exited (${code}) before ${pattern}: ${err()}`));
    });
  });
}

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Messages that carry a reminder delivery's key (message metadata), counted per key. */
export function reminderMessages(fake: FakeSlack): Map<string, number> {
  const counts = new Map<string, number>();
  for (const call of fake.callsTo('chat.postMessage')) {
    if (!call.ok) continue;
    const key = (call.args.metadata as { event_payload?: { key?: string } } | undefined)?.event_payload?.key;
    if (key && REMINDER_KEY.test(key)) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** The reminder run of the seeded Monday, uninterrupted: what a failover must end with. */
export async function baselineRun(url: string): Promise<Map<string, number>> {
  const fake = await startFakeSlack({ tsBaseSeconds: Math.floor(MONDAY_9.getTime() / 1000) });
  await seedDatabase(url, MONDAY_9);
  const one = await startInstance({
    url,
    slackUrl: fake.url,
    now: MONDAY_9.toISOString(),
    instance: 'baseline',
    campaignMs: 100,
    tickMs: 20,
  });
  try {
    await until(() => runOf(one)?.status === 'done', 30_000, 'the baseline run');
    return reminderMessages(fake);
  } finally {
    await one.stop();
    await fake.close();
  }
}

function runOf(instance: Instance) {
  const runs = instance.store.model().db.runs;
  const slot = Object.keys(runs).find((s) => s.startsWith('reminders@'));
  return slot ? { slot, ...own(runs, slot)! } : undefined;
}

export async function failoverOnce(o: FailoverOptions): Promise<FailoverResult> {
  const fake = await startFakeSlack({ tsBaseSeconds: Math.floor(MONDAY_9.getTime() / 1000) });
  const { departments } = await seedDatabase(o.url, MONDAY_9);
  const stall = fake.stall('chat.postMessage', { after: o.afterPosts, drop: o.drop ?? false });
  const common = {
    url: o.url,
    slackUrl: fake.url,
    now: MONDAY_9.toISOString(),
    campaignMs: o.campaignMs,
    ...(o.lookup === false ? { lookup: false } : {}),
  };
  const tickMs = o.tickMs ?? 50;
  let childErr = '';
  const child = spawn(
    process.execPath,
    ['bin/run-ts.js', 'test/support/leader-child.ts', JSON.stringify({ ...common, instance: 'child', tickMs })],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stderr?.on('data', (chunk: Buffer) => {
    childErr = (childErr + String(chunk)).slice(-4000);
  });
  let follower: Instance | undefined;
  try {
    await waitForLine(child, /"leader":true/, 60_000, () => childErr);
    follower = await startInstance({ ...common, instance: 'follower', tickMs });
    if (follower.leadership.isLeader()) throw new Error('the follower leads while the child is alive');
    // The child's run reaches the stall (`afterPosts` is fewer than the run's messages).
    await until(() => stall.held() > 0, 30_000, 'the stall');
    if (o.settleMs) await new Promise((r) => setTimeout(r, o.settleMs));
    const postedBeforeKill = fake.callsTo('chat.postMessage').length;
    fake.stall('chat.postMessage', { after: Number.POSITIVE_INFINITY });
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    const killedAt = performance.now();
    await exited;
    const f = follower;
    await until(() => f.leadership.isLeader(), 30_000, 'the follower to lead');
    const takeoverMs = performance.now() - killedAt;
    await until(() => runOf(f)?.status === 'done', 30_000, 'the run to be done');
    const completedMs = performance.now() - killedAt;
    const history = await f.store.history();
    const reminderEvents = new Map<string, number>();
    for (const e of history)
      if (e.type === 'reminder') reminderEvents.set(e.departmentId, (reminderEvents.get(e.departmentId) ?? 0) + 1);
    const run = runOf(f);
    return {
      departments,
      takeoverMs,
      completedMs,
      postedBeforeKill,
      lookups: fake.callsTo('conversations.history').length,
      messagesPerKey: reminderMessages(fake),
      run: run && {
        slot: run.slot,
        status: run.status,
        attempts: run.attempts,
        outcome: { ...run.outcome },
      },
      reminderEvents,
      childErr,
    };
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await follower?.stop();
    await fake.close();
  }
}
