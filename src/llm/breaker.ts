/**
 * A circuit breaker for the model: after `threshold` failures in a row it stops calling for
 * `cooldownMs`, then lets one trial call through (half-open); a success closes it, a failure opens it
 * again. Time comes from the injected clock.
 */
export type BreakerState = 'closed' | 'open' | 'half-open';

export type BreakerStatus = { state: BreakerState; failures: number; openUntil?: Date };

export type Breaker = {
  /** Whether a call may be made now; in half-open, only one trial at a time. */
  tryAcquire(): boolean;
  success(): void;
  failure(): void;
  status(): BreakerStatus;
};

export const BREAKER_DEFAULTS = { threshold: 3, cooldownMs: 60_000 } as const;

export function createBreaker(clock: () => Date, options: { threshold?: number; cooldownMs?: number } = {}): Breaker {
  const threshold = options.threshold ?? BREAKER_DEFAULTS.threshold;
  const cooldownMs = options.cooldownMs ?? BREAKER_DEFAULTS.cooldownMs;
  let failures = 0;
  let openedAt: number | undefined;
  let trialInFlight = false;

  const state = (): BreakerState => {
    if (openedAt === undefined) return 'closed';
    return clock().getTime() - openedAt >= cooldownMs ? 'half-open' : 'open';
  };

  return {
    tryAcquire() {
      const s = state();
      if (s === 'closed') return true;
      if (s === 'open' || trialInFlight) return false;
      trialInFlight = true;
      return true;
    },
    success() {
      failures = 0;
      openedAt = undefined;
      trialInFlight = false;
    },
    failure() {
      failures += 1;
      const wasTrial = trialInFlight;
      trialInFlight = false;
      if (wasTrial || failures >= threshold) openedAt = clock().getTime();
    },
    status() {
      const s = state();
      return {
        state: s,
        failures,
        ...(openedAt !== undefined && s === 'open' ? { openUntil: new Date(openedAt + cooldownMs) } : {}),
      };
    },
  };
}
