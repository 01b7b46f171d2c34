/** The words the ledger and the bulletin write for a target: what a reader of the printed 台账 sees. */
import { describe, expect, it } from 'vitest';
import { CumulativeTarget, LevelTarget } from '../../src/domain/schema.ts';
import { targetText } from '../../src/spreadsheet/words.ts';

const base = { departmentId: 'd1', period: { start: '2026-01-01', end: '2026-12-31' }, reporting: { cadence: 'none' } };
const cumulative = (baseline: number, target: number) =>
  CumulativeTarget.parse({
    ...base,
    id: 't1',
    name: { zh: '存量闲置厂房面积' },
    kind: 'cumulative',
    unit: { zh: '万平方米', en: '10,000 m²' },
    baseline,
    target,
  });
const level = LevelTarget.parse({
  ...base,
  id: 't2',
  name: { zh: '规上工业增加值增速' },
  kind: 'level',
  unit: { zh: '%' },
  target: 7.5,
  comparator: 'atLeast',
});

describe('a target in the ledger', () => {
  it.each([
    ['a count to reach', cumulative(0, 40), 'zh-CN', '40 万平方米'],
    ['a figure to bring down, in Chinese', cumulative(45, 30), 'zh-CN', '降至 30 万平方米'],
    ['a figure to bring down, in English', cumulative(45, 30), 'en', 'down to 30 10,000 m²'],
    ['a level to hold', level, 'zh-CN', '≥7.5%'],
  ] as const)('%s', (_case, t, locale, words) => {
    expect(targetText(t, locale)).toBe(words);
  });
});
