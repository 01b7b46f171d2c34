/**
 * Reading a spreadsheet outside the thread that answers Slack: `readSpreadsheet` runs in a worker
 * thread with its own heap limit, under a wall-clock limit. The limits of limits.ts refuse what can
 * be seen coming; anything they miss can at worst exhaust the worker, which is then stopped, and the
 * uploader is told the file is too large or too slow to read. The process, and every other answer,
 * carries on. The result comes back as plain data.
 *
 * Starting a worker costs about a second (tsx, exceljs, the schema), so one that finished a file
 * waits a little for the next (an admin fixing and re-sending a file) and then stops, so a bot that
 * is not importing carries no worker. A worker reads one file at a time; a stopped worker is replaced.
 */
import { basename } from 'node:path';
import { Worker } from 'node:worker_threads';
import { worded } from './limits.ts';
import type { Bilingual } from './problems.ts';
import type { ReadOptions, ReadResult } from './read.ts';
import type { ReadAnswer, ReadJob } from './read-worker.ts';

export type Isolation = {
  /** The worker's old-generation heap, MB (the 5,000-row benchmark needs about 60). */
  maxHeapMb: number;
  /** How long reading one file may take, starting a worker included, ms. */
  timeoutMs: number;
};

export const ISOLATION: Readonly<Isolation> = Object.freeze({ maxHeapMb: 256, timeoutMs: 60_000 });

/** Workers at once in one process; more files wait their turn, so large uploads cannot add up. */
const MAX_WORKERS = 2;
/** How long a worker that finished a file waits for another before it stops. */
const IDLE_MS = 30_000;

/**
 * The worker's young generation, MB. V8's default for a worker is several times larger and, for the
 * 5,000-row benchmark, costs about 30 MB more RSS for no measurable gain in time.
 */
const YOUNG_GENERATION_MB = 16;

const ENTRY = new URL('./read-worker.mjs', import.meta.url);

function refused(fileName: string, message: Bilingual): ReadResult {
  return { ok: false, problems: [{ sheet: basename(fileName) || fileName, message }], warnings: [] };
}

type Job = { resolve: (result: ReadResult) => void; reject: (error: Error) => void; fileName: string };

class Reader {
  readonly worker: Worker;
  busy = true;
  gone = false;
  job: Job | undefined;
  #idle: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly maxHeapMb: number,
    private readonly onGone: (reader: Reader) => void,
  ) {
    this.worker = new Worker(ENTRY, {
      resourceLimits: { maxOldGenerationSizeMb: maxHeapMb, maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
    });
    this.worker.on('message', (answer: ReadAnswer) => {
      const job = this.#take();
      if (!job) return;
      if (answer.ok) job.resolve(answer.result);
      else job.reject(new Error(`reading ${job.fileName} failed in its worker: ${answer.error}`));
    });
    this.worker.on('error', (error: NodeJS.ErrnoException) => {
      const job = this.#take();
      this.#stop();
      if (!job) return;
      if (error.code === 'ERR_WORKER_OUT_OF_MEMORY')
        job.resolve(
          refused(
            job.fileName,
            worded((w, n) => w.outOfMemory(n(this.maxHeapMb))),
          ),
        );
      else job.reject(error);
    });
    this.worker.on('exit', (code) => {
      const job = this.#take();
      this.#stop();
      job?.reject(new Error(`the worker reading ${job.fileName} stopped (exit code ${code}) without an answer`));
    });
  }

  #take(): Job | undefined {
    const job = this.job;
    this.job = undefined;
    return job;
  }

  #stop(): void {
    if (this.gone) return;
    this.gone = true;
    clearTimeout(this.#idle);
    void this.worker.terminate();
    this.onGone(this);
  }

  read(job: ReadJob, timeoutMs: number): Promise<ReadResult> {
    clearTimeout(this.#idle);
    this.worker.ref();
    return new Promise<ReadResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        const pending = this.#take();
        this.#stop();
        const seconds = Math.round(timeoutMs / 100) / 10;
        pending?.resolve(
          refused(
            job.fileName,
            worded((w, n) => w.timedOut(n(seconds, 1))),
          ),
        );
      }, timeoutMs);
      const done =
        <T>(settle: (value: T) => void) =>
        (value: T) => {
          clearTimeout(timer);
          settle(value);
        };
      this.job = { resolve: done(resolve), reject: done(reject), fileName: job.fileName };
      try {
        this.worker.postMessage(job);
      } catch (e) {
        // Options that cannot be copied to the worker: a mistake of the caller, not of the file.
        this.#take()?.reject(e as Error);
      }
    });
  }

  /** Waits for another file without keeping the process alive, then stops. */
  rest(): void {
    if (this.gone) return;
    this.worker.unref();
    this.#idle = setTimeout(() => this.#stop(), IDLE_MS);
    this.#idle.unref();
  }

  retire(): void {
    this.#stop();
  }
}

const readers: Reader[] = [];
const waiting: Array<() => void> = [];

function gone(reader: Reader): void {
  const i = readers.indexOf(reader);
  if (i >= 0) readers.splice(i, 1);
  waiting.shift()?.();
}

async function acquire(maxHeapMb: number): Promise<Reader> {
  for (;;) {
    const idle = readers.find((r) => !r.busy && r.maxHeapMb === maxHeapMb);
    if (idle) {
      idle.busy = true;
      return idle;
    }
    if (readers.length < MAX_WORKERS) {
      const reader = new Reader(maxHeapMb, gone);
      readers.push(reader);
      return reader;
    }
    const other = readers.find((r) => !r.busy);
    if (other) other.retire();
    else await new Promise<void>((resolve) => waiting.push(resolve));
  }
}

function release(reader: Reader): void {
  reader.busy = false;
  reader.rest();
  waiting.shift()?.();
}

/**
 * `readSpreadsheet` in a worker thread with `isolation`'s limits (default ISOLATION). A file that
 * exhausts the worker's heap or time is refused like any other bad file; an error of the reader
 * itself is thrown, as it would be in process.
 */
export async function readSpreadsheetIsolated(
  bytes: Uint8Array,
  fileName: string,
  options: ReadOptions = {},
  isolation: Partial<Isolation> = {},
): Promise<ReadResult> {
  const limits = { ...ISOLATION, ...isolation };
  const reader = await acquire(limits.maxHeapMb);
  try {
    return await reader.read({ bytes, fileName, options }, limits.timeoutMs);
  } finally {
    release(reader);
  }
}

/** Stops every idle worker now (tests, shutdown); a busy one stops when its file is done. */
export function stopIdleReaders(): void {
  for (const r of [...readers]) if (!r.busy) r.retire();
}
