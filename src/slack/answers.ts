/**
 * Answers wait their turn behind acknowledgements. A listener acks at once and defers its answer
 * here; deferred answers start from setImmediate, after the event loop has taken in (and acked)
 * every request already waiting, so a burst of commands is acknowledged first and answered after.
 * A few answers run at once (they wait on the Web API); the queue is bounded.
 */
export type AnswerQueue = {
  defer(task: () => Promise<void>, onError: (error: unknown) => Promise<void>): void;
  /** Resolves when nothing is queued or running (tests, shutdown). */
  idle(): Promise<void>;
  size(): number;
};

export class AnswerQueueFullError extends Error {
  constructor(readonly limit: number) {
    super(`more than ${limit} answers are waiting; this one was not computed`);
  }
}

export function createAnswerQueue(concurrency = 4, limit = 5_000): AnswerQueue {
  const queue: Array<{ task: () => Promise<void>; onError: (error: unknown) => Promise<void> }> = [];
  let running = 0;
  let waiters: Array<() => void> = [];
  const settle = () => {
    if (running === 0 && queue.length === 0) {
      const w = waiters;
      waiters = [];
      for (const resolve of w) resolve();
    }
  };
  const pump = () => {
    while (running < concurrency && queue.length > 0) {
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
    }
  };
  return {
    defer(task, onError) {
      if (queue.length >= limit) {
        void onError(new AnswerQueueFullError(limit)).catch(() => undefined);
        return;
      }
      queue.push({ task, onError });
      pump();
    },
    idle() {
      if (running === 0 && queue.length === 0) return Promise.resolve();
      return new Promise<void>((resolve) => waiters.push(resolve));
    },
    size: () => queue.length + running,
  };
}
