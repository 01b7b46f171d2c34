/** What bench/run.ts and its server processes (bench/server.ts) share: credentials, the IPC protocol, the clock. */
import { type ChildProcess, fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
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

/** A short hash of these files and every file under these folders (paths from the root, sorted). */
export function filesFingerprint(folders: readonly string[], files: readonly string[], length: number): string {
  const all = files.map((f) => join(ROOT, f));
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else all.push(path);
    }
  };
  for (const folder of folders) walk(join(ROOT, folder));
  const hash = createHash('sha256');
  for (const file of all.map((f) => relative(ROOT, f)).sort())
    hash
      .update(`${file}\0`)
      .update(readFileSync(join(ROOT, file)))
      .update('\0');
  return hash.digest('hex').slice(0, length);
}

/**
 * A short hash of the code under test (every file under src/ and commands/, and package-lock.json), so
 * that figures can be tied to the code they were measured on, committed or not.
 */
export function sourceFingerprint(): string {
  return filesFingerprint(['src', 'commands'], ['package-lock.json'], 12);
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

/** A server process of the benchmarks (bench/server.ts), once it is ready. */
export type ServerChild = {
  kind: ServerKind;
  proc: ChildProcess;
  port: number;
  info: Record<string, number | string>;
  /** Set once the process has exited: its code or signal. */
  exited: { code: number | null; signal: NodeJS.Signals | null; at: number } | undefined;
  /** Sends a message and resolves with the next message of `type` from the child. */
  ask<T extends ServerMessage['type']>(
    message: ParentMessage,
    type: T,
    timeoutMs?: number,
  ): Promise<Extract<ServerMessage, { type: T }>>;
  stop(): Promise<void>;
  /** The last few kB of its output, for when it dies. */
  output(): string;
};

/** Starts bench/server.ts as `kind` in its own process and resolves once it is listening. */
export function startServerProcess(kind: ServerKind, args: string[], execArgv: string[] = []): Promise<ServerChild> {
  const proc = fork(join(ROOT, 'bin', 'run-ts.js'), [join(ROOT, 'bench', 'server.ts'), '--kind', kind, ...args], {
    cwd: ROOT,
    execArgv,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  const waiting = new Map<string, Array<(m: ServerMessage) => void>>();
  return new Promise<ServerChild>((resolve, reject) => {
    let child: ServerChild | undefined;
    proc.on('message', (raw) => {
      const m = raw as ServerMessage;
      if (m.type === 'ready') {
        child = {
          kind,
          proc,
          port: m.port,
          info: m.info,
          exited: undefined,
          ask(message, type, timeoutMs = 30_000) {
            return new Promise((res, rej) => {
              if (child?.exited) return rej(new Error(`${kind} server has exited`));
              const timer = setTimeout(
                () => rej(new Error(`${kind} server did not answer ${message.type} within ${timeoutMs} ms`)),
                timeoutMs,
              );
              const queue = waiting.get(type) ?? [];
              queue.push((answer) => {
                clearTimeout(timer);
                res(answer as never);
              });
              waiting.set(type, queue);
              proc.send(message);
            });
          },
          stop: () => (child?.exited ? Promise.resolve() : stopChild(proc)),
          output: () => output,
        };
        resolve(child);
      } else if (m.type === 'error') reject(new Error(`${kind} server failed to start:\n${m.message}`));
      else waiting.get(m.type)?.shift()?.(m);
    });
    proc.on('exit', (code, signal) => {
      if (child) child.exited = { code, signal, at: clockMs() };
      if (code !== 0 && signal === null)
        process.stderr.write(`\n${kind} server exited with code ${code}; its last output:\n${output}\n`);
      reject(new Error(`${kind} server exited (code ${code}, signal ${signal}):\n${output}`));
    });
  });
}
