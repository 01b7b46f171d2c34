/** The readings duban offers as buttons, and the conversions behind them. */
import type { Text } from '../schema.ts';
import { roundNice, splitUnit, unitInfo } from './numbers.ts';
import type { AmbiguityReason, Figure, Interpretation, ParsedNumber, ParsedPercent, UpdateFields } from './types.ts';

export type Option = { label: { zh: string; en: string }; update: UpdateFields };

export function fmt(n: number): string {
  return String(Number(n.toFixed(4)));
}

export function unitLabels(unit: Text): { zh: string; en: string } {
  return { zh: unit.zh, en: unit.en ?? unit.zh };
}

export function isCountUnit(unit: Text): boolean {
  return unitInfo(splitUnit(unit.zh).word).dim === 'count';
}

type Converted = { value: number; implausible?: { asBase: number; asWan?: number } };

/** A figure in the item's unit: 32000万元 → 3.2 (亿元); a bare number is taken as already in the item's unit. */
export function convert(n: ParsedNumber, unit: Text, scale: number): Converted {
  const target = splitUnit(unit.zh);
  if (!n.unit && n.magnitude === 1) {
    const value = n.amount;
    if (target.magnitude > 1 && Math.abs(value) > 100 * scale) {
      const implausible: Converted['implausible'] = { asBase: roundNice(value / target.magnitude) };
      if (target.magnitude === 1e8) implausible.asWan = roundNice((value * 1e4) / 1e8);
      return { value, implausible };
    }
    return { value };
  }
  return { value: roundNice((n.amount * n.magnitude) / target.magnitude) };
}

export function labelAbsolute(v: number, unit: Text): Option['label'] {
  const u = unitLabels(unit);
  return { zh: `累计 ${fmt(v)} ${u.zh}`, en: `${fmt(v)} ${u.en} in total` };
}

export function labelIncrement(delta: number, total: number, unit: Text): Option['label'] {
  const u = unitLabels(unit);
  return delta >= 0
    ? {
        zh: `新增 ${fmt(delta)} ${u.zh} → 累计 ${fmt(total)} ${u.zh}`,
        en: `${fmt(delta)} more → ${fmt(total)} ${u.en} in total`,
      }
    : {
        zh: `减少 ${fmt(-delta)} ${u.zh} → 剩余 ${fmt(total)} ${u.zh}`,
        en: `${fmt(-delta)} fewer → ${fmt(total)} ${u.en}`,
      };
}

export function ambiguous(reason: AmbiguityReason, options: Option[], note: string, links: string[]): Interpretation {
  const unique: Option[] = [];
  for (const o of options) {
    if (!unique.some((u) => JSON.stringify(u.update) === JSON.stringify(o.update))) unique.push(o);
  }
  return { kind: 'ambiguous', reason, options: unique.slice(0, 6), note, links };
}

// The same percentage is read for every item of a thread: one figure for it, so its fit is worked out once.
const asFigures = new WeakMap<ParsedPercent, Figure>();

export function percentAsFigure(p: ParsedPercent): Figure {
  const known = asFigures.get(p);
  if (known) return known;
  // A percentage on a %-unit item is a level, never an increment: a change of rate is written "N个百分点".
  const { value, kind: _kind, mode: _mode, raw, ofPlan: _ofPlan, ...words } = p;
  const figure: Figure = { ...words, mode: 'absolute', number: { amount: value, magnitude: 1, unit: '%', raw } };
  asFigures.set(p, figure);
  return figure;
}
