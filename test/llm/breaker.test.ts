import { describe, expect, it } from 'vitest';
import { createBreaker } from '../../src/llm/breaker.ts';

function clockAt(start = 0) {
  let now = start;
  return { clock: () => new Date(now), advance: (ms: number) => (now += ms) };
}

describe('the circuit breaker', () => {
  it.each([
    [1, 'closed'],
    [2, 'closed'],
    [3, 'open'],
  ] as const)('after %i failure(s) in a row it is %s', (failures, state) => {
    const { clock } = clockAt();
    const b = createBreaker(clock, { threshold: 3, cooldownMs: 1000 });
    for (let i = 0; i < failures; i++) {
      expect(b.tryAcquire()).toBe(true);
      b.failure();
    }
    expect(b.status().state).toBe(state);
    expect(b.tryAcquire()).toBe(state === 'closed');
  });

  it('forgets failures after a success', () => {
    const { clock } = clockAt();
    const b = createBreaker(clock, { threshold: 3 });
    b.failure();
    b.failure();
    b.success();
    b.failure();
    expect(b.status()).toEqual({ state: 'closed', failures: 1 });
  });

  it.each([
    [999, 'open', false],
    [1000, 'half-open', true],
    [5000, 'half-open', true],
  ] as const)('%i ms after opening (cooldown 1000) it is %s', (elapsed, state, allowed) => {
    const { clock, advance } = clockAt();
    const b = createBreaker(clock, { threshold: 1, cooldownMs: 1000 });
    b.failure();
    expect(b.status().openUntil?.getTime()).toBe(1000);
    advance(elapsed);
    expect(b.status().state).toBe(state);
    expect(b.tryAcquire()).toBe(allowed);
  });

  it('lets one trial through when half-open; a success closes it', () => {
    const { clock, advance } = clockAt();
    const b = createBreaker(clock, { threshold: 1, cooldownMs: 1000 });
    b.failure();
    advance(1000);
    expect(b.tryAcquire()).toBe(true);
    expect(b.tryAcquire()).toBe(false);
    b.success();
    expect(b.status().state).toBe('closed');
    expect(b.tryAcquire()).toBe(true);
  });

  it('opens again for a whole cooldown when the trial fails', () => {
    const { clock, advance } = clockAt();
    const b = createBreaker(clock, { threshold: 3, cooldownMs: 1000 });
    for (let i = 0; i < 3; i++) b.failure();
    advance(1500);
    expect(b.tryAcquire()).toBe(true);
    b.failure();
    expect(b.status().state).toBe('open');
    expect(b.status().openUntil?.getTime()).toBe(2500);
  });
});
