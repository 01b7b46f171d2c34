import { describe, expect, it } from 'vitest';
import { readWaiveValue, waiveValue } from '../../commands/evidence.ts';

describe("the waive button's value", () => {
  it.each([
    { name: 'a short claim', note: '已全部完成' },
    { name: 'a long claim', note: '已全部完成'.repeat(400) },
    { name: 'a claim full of quotes and backslashes', note: '"\\'.repeat(1000) },
  ])('keeps $name within 2,000 characters and reads back', ({ note }) => {
    const value = waiveValue({ i: 'c1', n: note, u: 'U1' });
    expect(value.length).toBeLessThanOrEqual(2000);
    const back = readWaiveValue(value);
    expect(back?.i).toBe('c1');
    expect(note.startsWith(back?.n ?? '')).toBe(true);
  });
  it('reads nothing from a value that is not ours', () => {
    expect(readWaiveValue('not json')).toBeUndefined();
    expect(readWaiveValue('{"i":1}')).toBeUndefined();
  });
});
