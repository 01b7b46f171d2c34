/**
 * A target value and its unit, when a segment states exactly one: 7.5%以上, 40项, 3万平方米, 10亿元.
 * Numbers without a unit (“1223”行动, 4+6), years and dates, and ordinals are no target; a segment
 * with two or more figures gets none (which is the target is for the admin to say). Units are
 * checked with the progress reader's unit table.
 */
import { unitInfo } from '../reading/numbers.ts';
import { type Comparator, type Field, type Figure, span } from './types.ts';

const FIGURE =
  /(不低于|不少于|超过|达到|突破|不超过|控制在)?(?<![\d.第])(\d+(?:,\d{3})*(?:\.\d+)?)\s*(万亿|千万|百万|万|亿)?(%|％|个百分点|平方米|平方公里|平米|公里|千米|亩|美元|元|吨|千瓦|项|个(?!工作日|月|小时|星期|年|季度|百分点)|家|处|座|栋|幢|户|套|间|人|名|场|次|件|条|所|台|辆|宗|笔|份|批)(及以上|以上|以内|以下|左右)?/gu;

const AT_LEAST = new Set(['不低于', '不少于', '超过', '达到', '突破', '以上', '及以上']);
const AT_MOST = new Set(['不超过', '控制在', '以内', '以下']);

function comparatorOf(before: string | undefined, after: string | undefined): Comparator | undefined {
  for (const w of [before, after]) {
    if (w && AT_LEAST.has(w)) return 'atLeast';
    if (w && AT_MOST.has(w)) return 'atMost';
  }
  return undefined;
}

export function findFigures(source: string, start: number, end: number): Array<Field<Figure>> {
  const text = source.slice(start, end);
  const out: Array<Field<Figure>> = [];
  FIGURE.lastIndex = 0;
  for (let m = FIGURE.exec(text); m; m = FIGURE.exec(text)) {
    const [, before, digits, magnitude = '', rawUnit, after] = m;
    const word = rawUnit === '％' ? '%' : rawUnit === '平米' ? '平方米' : rawUnit!;
    if (word !== '个百分点' && word !== '吨' && word !== '千瓦' && word !== '公里' && word !== '千米') {
      if (unitInfo(word).dim === 'none') continue;
    }
    if (word === '%' && magnitude) continue;
    const value = Number(digits!.replaceAll(',', ''));
    if (!Number.isFinite(value)) continue;
    const comparator = comparatorOf(before, after);
    const figure: Figure = { value, unit: `${magnitude}${word}`, ...(comparator ? { comparator } : {}) };
    out.push({ value: figure, span: span(source, start + m.index, start + m.index + m[0].length) });
  }
  return out;
}

/** The one figure of a segment, or none. */
export function readFigure(source: string, start: number, end: number): Field<Figure> | undefined {
  const all = findFigures(source, start, end);
  return all.length === 1 ? all[0] : undefined;
}
