/** What bench/run.ts and its server processes (bench/server.ts) share: credentials, the IPC protocol, the clock. */
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SIGNING_SECRET = 'benchsigningsecret0123456789abcd';
export const BOT_TOKEN = 'xoxb-bench-0000-duban';

/** duban; a bare Bolt app that only acks; the same that also answers through respond(); the fake Slack API. */
export type ServerKind = 'duban' | 'bare' | 'respond' | 'fake';

/** Messages from a server process to the parent. */
export type ServerMessage =
  | { type: 'ready'; kind: ServerKind; port: number; pid: number; info: Record<string, number | string> }
  | { type: 'arrivals'; arrivals: Array<[id: string, at: number, status: number]> }
  | { type: 'pong'; t: number; child: number }
  | {
      type: 'usage';
      cpuMicros: number;
      rssBytes: number;
      heapUsedBytes: number;
      heapTotalBytes?: number;
      externalBytes?: number;
      /** Garbage-collection pauses of the main thread so far: scavenges (minor) and mark-compacts (major), ms and count. */
      gc: { minorMs: number; minor: number; majorMs: number; major: number };
      /** duban only: store transactions and whole-store evaluations so far, and the time they took. */
      storeWritesStarted?: number;
      storeWrites?: number;
      storeWriteMs?: number;
      evaluations?: number;
      evaluateMs?: number;
      /** duban only: entries in the store's bookkeeping indexes (threads, seen deliveries, pending choices) and journal events. */
      indexes?: Record<string, number>;
    }
  | { type: 'error'; message: string };

/** Messages from the parent to a server process. */
export type ParentMessage = { type: 'arrivals' } | { type: 'ping'; t: number } | { type: 'usage' } | { type: 'stop' };

/** Wall-clock milliseconds with sub-millisecond resolution, comparable across processes on one machine. */
export const clockMs = (): number => performance.timeOrigin + performance.now();

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * A short hash of the code under test (every file under src/ and commands/, and package-lock.json), so
 * that figures can be tied to the code they were measured on, committed or not.
 */
export function sourceFingerprint(): string {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.push(path);
    }
  };
  walk(join(ROOT, 'src'));
  walk(join(ROOT, 'commands'));
  files.push(join(ROOT, 'package-lock.json'));
  const hash = createHash('sha256');
  for (const file of files.map((f) => relative(ROOT, f)).sort()) hash.update(`${file}\0`).update(readFileSync(join(ROOT, file))).update('\0');
  return hash.digest('hex').slice(0, 12);
}

/** Asks a server process to stop (an IPC `{ type: 'stop' }`) and resolves once it has exited, killing it after 10 s. */
export function stopChild(proc: ChildProcess): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      resolve();
    }, 10_000);
    proc.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    proc.send({ type: 'stop' });
  });
}

/** A mistake in a benchmark's options: printed with its help, never as a stack. */
export class UsageError extends Error {}

/** Reads --name value, --name=value and the given boolean --flags into a map. */
export function parseFlags(argv: readonly string[], booleans: readonly string[]): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument "${arg}"`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq >= 0 ? eq : undefined);
    if (eq >= 0) flags.set(name, arg.slice(eq + 1));
    else if (booleans.includes(name)) flags.set(name, 'true');
    else {
      const value = argv[i + 1];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      flags.set(name, value);
      i++;
    }
  }
  return flags;
}
