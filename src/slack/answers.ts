/**
 * Answers wait their turn behind acknowledgements. A listener acks at once and defers its answer
 * here. While requests keep arriving (a burst), answers start one at a time and only once the
 * intake has been quiet for a moment or an answer has waited `maxDelayMs`; when things are calm they
 * start at once, a few at a time. So a burst is acknowledged first and answered right after, and no
 * answer waits long. The queue is bounded.
 */
export type AnswerQueue = {
  defer(task: () => Promise<void>, onError: (error: unknown) => Promise<void>): void;
  /** Called for every incoming request, before it is acknowledged. */
  noteArrival(): void;
  /** Resolves when nothing is queued or running (tests, shutdown). */
  idle(): Promise<void>;
  size(): number;
};

export class AnswerQueueFullError extends Error {
  constructor(readonly limit: number) {
    super(`more than ${limit} answers are waiting; this one was not computed`);
  }
}

export type AnswerQueueOptions = {
  concurrency?: number;
  limit?: number;
  quietMs?: number;
  maxDelayMs?: number;
  now?: () => number;
};

export function createAnswerQueue(options: AnswerQueueOptions = {}): AnswerQueue {
  const concurrency = options.concurrency ?? 4;
  const limit = options.limit ?? 5_000;
  const quietMs = options.quietMs ?? 3;
  const maxDelayMs = options.maxDelayMs ?? 250;
  const now = options.now ?? (() => performance.now());
  const queue: Array<{ task: () => Promise<void>; onError: (error: unknown) => Promise<void>; at: number }> = [];
  let running = 0;
  let lastArrival = -Infinity;
  let _timer: ReturnType<typeof setTimeout> | undefined;
  let waiters: Array<() => void> = [];
  const settle = () => {
    if (running === 0 && queue.length === 0) {
      const w = waiters;
      waiters = [];
      for (const resolve of w) resolve();
    }
  };
  const start = () => {
    const next = queue.shift()!;
    running++;
    setImmediate(() => {
      next
        .task()
        .catch((e: unknown) => next.onError(e).catch(() => undefined))
        .finally(() => {
          running--;
          pump();
          settle();
        });
    });
  };
  const pump = () => {
    while (queue.length > 0) {
      const t = now();
      const busy = t - lastArrival < quietMs;
      const overdue = t - queue[0]!.at >= maxDelayMs;
      if (!busy && running < concurrency) start();
      else if (busy && overdue && running === 0) start();
      else {
        // Look again when the intake may have gone quiet (or the oldest answer becomes overdue).
        _timer ??= setTimeout(
          () => {
            _timer = undefined;
            pump();
          },
          Math.max(1, busy ? quietMs : 1),
        );
        return;
      }
    }
  };
  return {
    defer(task, onError) {
      if (queue.length >= limit) {
        void onError(new AnswerQueueFullError(limit)).catch(() => undefined);
        return;
      }
      queue.push({ task, onError, at: now() });
      pump();
    },
    noteArrival() {
      lastArrival = now();
    },
    idle() {
      if (running === 0 && queue.length === 0) return Promise.resolve();
      return new Promise<void>((resolve) => waiters.push(resolve));
    },
    size: () => queue.length + running,
  };
}
