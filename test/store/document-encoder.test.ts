import { describe, expect, it } from 'vitest';
import { emptyState, type StoreState } from '../../src/domain/state.ts';
import { DocumentEncoder } from '../../src/store/store.ts';

const text = (parts: Buffer[]) => Buffer.concat(parts).toString('utf8');

describe('DocumentEncoder', () => {
  it('writes exactly what JSON.stringify writes, through a run of changes', () => {
    const encoder = new DocumentEncoder();
    const s0 = emptyState();
    const s1: StoreState = { ...s0, threads: { 'C1:1.0': { about: { itemIds: ['t-1'] }, until: 9 } } as never };
    const s2: StoreState = { ...s1, progress: { 't-1': { note: '“三个一线”攻坚 <!channel> 🚧' } } as never };
    const s3 = { ...s2, settings: undefined } as unknown as StoreState;
    const reordered = Object.fromEntries(Object.entries(s2).reverse()) as unknown as StoreState;
    for (const [name, state] of [
      ['empty', s0],
      ['threads', s1],
      ['progress', s2],
      ['a part left out', s3],
      ['parts in another order', reordered],
      ['back again', s2],
    ] as const) {
      expect({ name, text: text(encoder.encode(state)) }).toEqual({ name, text: `${JSON.stringify(state)}\n` });
    }
    expect(text(new DocumentEncoder().encode({} as StoreState))).toBe('{}\n');
  });

  it('encodes again only the parts that are new objects', () => {
    const encoder = new DocumentEncoder();
    const s0 = emptyState();
    const first = encoder.encode(s0);
    const s1: StoreState = { ...s0, threads: { x: { about: { itemIds: [] }, until: 1 } } as never };
    const second = encoder.encode(s1);
    const keys = Object.keys(s0);
    const changed = keys.filter((_, i) => first[i] !== second[i]);
    expect(changed).toEqual(['threads']);
  });
});
