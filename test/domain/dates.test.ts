import { describe, expect, it } from 'vitest';
import { isCalendarDate } from '../../src/domain/dates.ts';

describe('isCalendarDate', () => {
  it.each(['2026-01-01', '2026-02-28', '2028-02-29', '2000-02-29', '2026-04-30', '2026-12-31'])(
    'takes %s, a day that exists',
    (d) => {
      expect(isCalendarDate(d)).toBe(true);
    },
  );
  it.each([
    '2026-02-29',
    '2027-02-30',
    '1900-02-29',
    '2026-04-31',
    '2026-13-01',
    '2026-00-10',
    '2026-01-00',
    '2026-1-1',
    '2026/01/01',
    '0099-01-01',
    ' 2026-01-01',
    '',
  ])('refuses %j', (d) => {
    expect(isCalendarDate(d)).toBe(false);
  });
});
