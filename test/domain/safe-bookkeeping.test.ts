/**
 * safeBookkeeping: what a remember() or bookkeep() change returns is made as safe as withSafeRecords
 * makes a whole state (null-prototype records, so a Slack id such as "__proto__" or "constructor" is a
 * key like any other), without touching the rest of the state.
 */
import { describe, expect, it } from 'vitest';
import { emptyState, type StoreState, safeBookkeeping, withSafeRecords } from '../../src/domain/state.ts';

const proto = (x: object) => Object.getPrototypeOf(x);

describe('safeBookkeeping', () => {
  const plain: Partial<StoreState> = {
    seen: { events: { Ev1: 1 }, messages: { 'C1 1.2': 2 } } as unknown as StoreState['seen'],
    threads: { 'C1 1.2': { itemId: 't', at: 1 } } as unknown as StoreState['threads'],
    choices: {},
    deliveries: { k: { status: 'sent', at: '2026-01-01T00:00:00Z' } } as unknown as StoreState['deliveries'],
    runs: {
      'reminders@2026-01-05': { status: 'done', attempts: 1, caughtUp: false, outcome: { d: 'sent' }, at: 'x' },
    } as unknown as StoreState['runs'],
  };

  it.each(['seen.events', 'seen.messages', 'threads', 'choices', 'deliveries', 'runs', 'runs.outcome'] as const)(
    'gives %s a null prototype, as withSafeRecords does',
    (path) => {
      const safe = safeBookkeeping(plain) as Record<string, Record<string, unknown>>;
      const whole = withSafeRecords({ ...emptyState(), ...plain } as StoreState) as unknown as Record<
        string,
        Record<string, unknown>
      >;
      const at = (o: Record<string, Record<string, unknown>>) => {
        const [a, b] = path.split('.');
        if (a === 'runs' && b) return (o.runs!['reminders@2026-01-05'] as { outcome: object }).outcome;
        return b ? (o[a!]![b] as object) : o[a!]!;
      };
      expect(proto(at(safe))).toBe(null);
      expect(proto(at(whole))).toBe(null);
      expect(JSON.stringify(at(safe))).toBe(JSON.stringify(at(whole)));
    },
  );

  it('returns the same objects when they are safe already, and only the keys it was given', () => {
    const once = safeBookkeeping(plain);
    const twice = safeBookkeeping(once);
    expect(twice.seen).toBe(once.seen);
    expect(twice.threads).toBe(once.threads);
    expect(twice.runs).toBe(once.runs);
    expect(Object.keys(safeBookkeeping({ threads: {} }))).toEqual(['threads']);
  });
});
