import type { Magnitude } from './types.ts';

// ---------------------------------------------------------------------------------------------

const CN_DIGIT: Record<string, number> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};
const CN_SMALL: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

/** A section below 万: 三千二百零五, 十二, 两千五 (colloquial 2500). */
function parseSection(s: string): number | undefined {
  if (s === '') return 0;
  let total = 0;
  let digit: number | undefined;
  let lastUnit = Infinity;
  let afterZero = false;
  for (const ch of s) {
    if (ch in CN_DIGIT) {
      const d = CN_DIGIT[ch]!;
      if (d === 0) {
        if (digit !== undefined) return undefined;
        afterZero = true;
        continue;
      }
      if (digit !== undefined) return undefined; // 十五五: two digits in a row
      digit = d;
    } else if (ch in CN_SMALL) {
      const unit = CN_SMALL[ch]!;
      if (unit >= lastUnit) return undefined;
      if (digit === undefined) {
        if (unit === 10 && total === 0 && !afterZero)
          digit = 1; // 十二 = 12
        else return undefined;
      }
      total += digit * unit;
      digit = undefined;
      lastUnit = unit;
      afterZero = false;
    } else {
      return undefined;
    }
  }
  if (digit !== undefined) {
    // 两千五 = 2500, but 一百零五 = 105 and 三十一 = 31.
    total += !afterZero && lastUnit >= 100 && lastUnit !== Infinity ? (digit * lastUnit) / 10 : digit;
  }
  return total;
}

/** The value of a Chinese numeral (三十一, 两千, 一百零五, 三万二千, 一点五, 二〇二六), or undefined. */
export function parseChineseNumeral(input: string): number | undefined {
  const s = input.trim();
  if (!s) return undefined;
  if (s === '百') return 100; // 百分之百
  const [intPart = '', frac, extra] = s.split('点');
  if (extra !== undefined) return undefined;
  let fraction = 0;
  if (frac !== undefined) {
    if (!frac || ![...frac].every((c) => c in CN_DIGIT)) return undefined;
    fraction = Number(`0.${[...frac].map((c) => CN_DIGIT[c]).join('')}`);
  }
  // Digit-by-digit form (二〇二六, 一〇五): no unit characters at all. Two digits (三五) mean "a few".
  if (
    [...intPart].every((c) => c in CN_DIGIT) &&
    (intPart.length > 2 || (intPart.length === 2 && /[零〇]/.test(intPart)))
  ) {
    return Number([...intPart].map((c) => CN_DIGIT[c]).join('')) + fraction;
  }
  let rest = intPart;
  let total = 0;
  const yi = rest.split('亿');
  if (yi.length > 2) return undefined;
  if (yi.length === 2) {
    const head = parseWan(yi[0]!);
    if (head === undefined || head === 0) return undefined;
    total += head * 1e8;
    rest = yi[1]!;
  }
  const tail = parseWan(rest);
  if (tail === undefined) return undefined;
  if (frac !== undefined && /[万亿]/.test(intPart)) return undefined; // 一万点五 is not a numeral
  return total + tail + fraction;
}

function parseWan(s: string): number | undefined {
  const parts = s.split('万');
  if (parts.length > 2) return undefined;
  if (parts.length === 1) return parseSection(s);
  const high = parseSection(parts[0]!);
  if (high === undefined || high === 0) return undefined;
  let lowText = parts[1]!;
  let low: number | undefined;
  // 一万五 = 15000
  if (lowText.length === 1 && lowText in CN_DIGIT && CN_DIGIT[lowText] !== 0) low = CN_DIGIT[lowText]! * 1000;
  else {
    if (lowText.startsWith('零')) lowText = lowText.slice(1);
    low = parseSection(lowText);
  }
  return low === undefined ? undefined : high * 1e4 + low;
}

export function roundNice(n: number): number {
  return Number(n.toPrecision(12));
}

// ---------------------------------------------------------------------------------------------
// Units
// ---------------------------------------------------------------------------------------------

type Dimension = 'none' | 'count' | 'money' | 'area' | 'percent' | 'other';
type UnitInfo = { dim: Dimension; canon: string; generic: boolean };

const COUNT_ZH = new Set([
  '项',
  '个',
  '家',
  '处',
  '座',
  '栋',
  '幢',
  '户',
  '套',
  '间',
  '人',
  '名',
  '场',
  '次',
  '件',
  '条',
  '所',
  '台',
  '辆',
  '宗',
  '笔',
  '份',
]);
export const COUNT_EN =
  /^(projects?|items?|firms?|compan(?:y|ies)|enterprises?|venues?|stations?|sites?|units?|households?|people|persons?)$/i;

const NO_UNIT: UnitInfo = { dim: 'none', canon: '', generic: true };
const units = new Map<string, UnitInfo>();

/** What a unit word measures; remembered, as the same few words are asked about for every figure. */
export function unitInfo(word: string | undefined): UnitInfo {
  if (!word) return NO_UNIT;
  let info = units.get(word);
  if (!info) {
    if (units.size >= 1024) units.clear();
    info = readUnit(word);
    units.set(word, info);
  }
  return info;
}

function readUnit(word: string): UnitInfo {
  const w = word.trim().toLowerCase();
  if (w === '%') return { dim: 'percent', canon: '%', generic: false };
  if (/^(元|人民币|yuan|rmb|cny)$/.test(w)) return { dim: 'money', canon: '元', generic: false };
  if (/^(美元|美金|usd|dollars?)$/.test(w)) return { dim: 'money', canon: '美元', generic: false };
  if (/^(平方米|平米|平方|sqm|sq\.?\s?m|m2|m²|square met(?:er|re)s?)$/.test(w))
    return { dim: 'area', canon: '平方米', generic: false };
  if (w === '亩' || w === 'mu') return { dim: 'other', canon: '亩', generic: false };
  if (COUNT_ZH.has(w)) return { dim: 'count', canon: w, generic: w === '个' };
  if (COUNT_EN.test(w)) return { dim: 'count', canon: w, generic: true };
  return { dim: 'other', canon: w, generic: false };
}

export function unitsCompatible(a: string | undefined, b: string | undefined): boolean {
  const x = unitInfo(a);
  const y = unitInfo(b);
  if (x.dim === 'none' || y.dim === 'none') return true;
  if (x.dim !== y.dim) return false;
  if (x.dim === 'count') return x.canon === y.canon || x.generic || y.generic;
  return x.canon === y.canon;
}

const MAGNITUDE_PREFIX: Array<[string, number]> = [
  ['万亿', 1e12],
  ['千万', 1e7],
  ['百万', 1e6],
  ['十万', 1e5],
  ['万', 1e4],
  ['亿', 1e8],
];

/** An item's unit such as 亿元 / 万平方米 / 项 / %, split into its magnitude and unit word. */
export function splitUnit(unit: string): { magnitude: number; word?: string } {
  const u = unit.trim();
  for (const [prefix, magnitude] of MAGNITUDE_PREFIX) {
    if (u.startsWith(prefix)) {
      const word = u.slice(prefix.length);
      return word ? { magnitude, word } : { magnitude };
    }
  }
  return u ? { magnitude: 1, word: u } : { magnitude: 1 };
}

/** Re-expresses a value × factor as amount × Magnitude (3.2 million → 320 × 万). */
export function toMagnitude(amount: number, factor: number): { amount: number; magnitude: Magnitude } {
  if (factor === 1) return { amount, magnitude: 1 };
  if (factor >= 1e8) return { amount: roundNice((amount * factor) / 1e8), magnitude: 1e8 };
  if (factor >= 1e4) return { amount: roundNice((amount * factor) / 1e4), magnitude: 1e4 };
  return { amount: roundNice(amount * factor), magnitude: 1 };
}

// ---------------------------------------------------------------------------------------------
// Scanning helpers
// ---------------------------------------------------------------------------------------------
