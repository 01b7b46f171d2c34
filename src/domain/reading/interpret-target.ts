/**
 * What a text's figures mean for a target: choose the figure by its role (an actual of the right period,
 * not a plan, a subset or a comparison), its unit and the measure it names, convert it to the target's
 * unit, and check it is plausible against the last value and the target before recording it.
 */
import type { ItemProgress } from '../progress.ts';
import type { CumulativeTarget, LevelTarget, Target, Text } from '../schema.ts';
import { fitOf, type MeasureFit } from './measure.ts';
import { canonicalTerms, simplified } from './normalise.ts';
import { roundNice, splitUnit, unitInfo, unitsCompatible } from './numbers.ts';
import {
  ambiguous,
  convert,
  fmt,
  isCountUnit,
  labelAbsolute,
  labelIncrement,
  type Option,
  percentAsFigure,
  unitLabels,
} from './options.ts';
import { TOTAL_SO_FAR } from './roles.ts';
import type { Figure, Interpretation, ParsedProgress, Unrecorded, UnrecordedReason } from './types.ts';

const GROWTH = /增速|增长|增幅|growth/i;
const RATIO =
  /比重|占比|占[^,;。]{0,12}的?\s*$|(?<!增长|增)率\s*(?:为|达|达到|是)?\s*$|\bshare\b|\bratio\b|\brate\b(?! of growth)/;

type Sorted = { usable: Figure[]; unrecorded: Unrecorded[]; otherUnit: Figure[] };

// A figure's fit to an item is asked several times while sorting and choosing: work it out once.
const fits = new WeakMap<Figure, { name: Text; fit: MeasureFit }>();
const fit = (f: Figure, name: Text): MeasureFit => {
  const known = fits.get(f);
  if (known && known.name === name) return known.fit;
  const computed = fitOf(f.measure, f.after, name, f);
  fits.set(f, { name, fit: computed });
  return computed;
};
/** Higher is a better fit: the item's action word (开工, 签约) first, then shared name words. */
const rank = (m: MeasureFit) => m.acts * 100 + m.score;
/** An amount in the item's own kind of unit (亿元 for an investment) outranks a bare count beside it. */
const unitRank = (f: Figure, t: Target) => {
  const item = unitInfo(splitUnit(t.unit.zh).word);
  return item.dim !== 'count' && item.dim !== 'none' && unitInfo(f.number.unit).dim === item.dim ? 1000 : 0;
};

/** "新增" in an item called 新增入驻企业 names the item; it says nothing of the period. */
function withOwnName(f: Figure, name: Text): Figure {
  if (f.mode !== 'increment' || !f.anchor || !/^(?:新增|增加|新)$/.test(f.anchor) || !name.zh.includes(f.anchor))
    return f;
  if (f.frame === 'single') return f;
  // "新增5个" is still 5 more; "新增入驻企业5家" names the item.
  const rest = f.context.slice(f.context.lastIndexOf(f.anchor) + f.anchor.length);
  if ((rest.match(/\p{Script=Han}/gu) ?? []).length < 2) return f;
  return { ...f, mode: f.frame === 'ytd' ? 'absolute' : 'unknown', signed: false };
}

/** Cues that say a figure is the running total, not what one event added. */
const RUNNING_TOTAL =
  /^(?:累计|累积|截至|截止|至今|迄今|目前|当前|现有|so far|to date|cumulative|cumulatively|year to date|ytd|as of|\d.*月)/;

const SIZE_WORD = /总投资|概算|total (?:planned )?investment/;

/** "计划总投资215亿元" for an item called 签约项目计划总投资: the plan words are the item's own name. */
function namedByPlanWords(f: Figure, t: Target): boolean {
  const names = `${simplified(t.name.zh)} ${(t.name.en ?? '').toLowerCase()}`;
  // Only a project's size names an item (计划总投资, total investment); 计划 or 目标 alone is any plan.
  return !!f.planWords?.some((w) => SIZE_WORD.test(w)) && f.planWords.every((w) => names.includes(w));
}

function otherCurrency(a: string | undefined, b: string | undefined): boolean {
  const x = unitInfo(a);
  const y = unitInfo(b);
  return x.dim === 'money' && y.dim === 'money' && x.canon !== y.canon;
}

/** Sorts a text's figures into those that may be the item's value and those that cannot, with why. */
function sortFigures(figs: readonly Figure[], t: Target, opts: { level: boolean }): Sorted {
  const word = splitUnit(t.unit.zh).word;
  const usable: Figure[] = [];
  const subsets: Figure[] = [];
  const unrecorded: Unrecorded[] = [];
  const otherUnit: Figure[] = [];
  const skip = (f: Figure, reason: UnrecordedReason) => unrecorded.push({ raw: f.number.raw, reason });
  const counted = /新增|净增|新签|\bnew\b/i.test(t.name.zh + (t.name.en ?? ''));
  for (const f of figs) {
    if (f.sinceYearStart && !counted) skip(f, 'comparison');
    else if (f.role === 'plan' && !namedByPlanWords(f, t)) skip(f, 'plan');
    else if (f.role === 'comparison') skip(f, 'comparison');
    else if (f.role === 'scope') skip(f, 'other_measure');
    // "since 2019", "2019-2024年": several years' figure, never this year's value.
    else if (f.frame === 'years') skip(f, 'period');
    // 38439万美元 for an item in 亿元: another currency cannot be converted without a rate, so it is not asked.
    else if (otherCurrency(f.number.unit, word)) skip(f, 'unit');
    else if (!unitsCompatible(f.number.unit, word)) otherUnit.push(f);
    else if (opts.level && (f.frame === 'single' || f.frame === 'mom')) skip(f, 'period');
    // A share (比重为24.5%) or a ratio (产销率, 开工率) is not a growth rate.
    else if (opts.level && GROWTH.test(t.name.zh) && RATIO.test(`${f.measure} ${f.context}`)) skip(f, 'other_measure');
    else if (f.role === 'subset' && f.ofWhole) skip(f, 'subset');
    else if (f.role === 'subset') subsets.push(f);
    else if (fit(f, t.name).other) skip(f, 'other_measure');
    else usable.push(f);
  }
  // "累计开工项目31个，其中城市更新项目12个" for 城市更新项目开工数: the part that names the item is its value.
  const best = (list: Figure[]) => Math.max(0, ...list.map((f) => rank(fit(f, t.name))));
  // Only when a whole was given, or nothing of the item's own measure was left out for its period or plan.
  const skippedOwn = unrecorded.some((u) => u.reason === 'period' || u.reason === 'plan');
  const namedSubsets =
    usable.length > 0 || !skippedOwn
      ? subsets.filter((f) => !fit(f, t.name).other && rank(fit(f, t.name)) > best(usable))
      : [];
  if (namedSubsets.length > 0) {
    for (const f of usable) skip(f, 'other_measure');
    for (const f of subsets.filter((x) => !namedSubsets.includes(x))) skip(f, 'subset');
    return { usable: namedSubsets, unrecorded, otherUnit };
  }
  for (const f of subsets) skip(f, 'subset');
  return { usable, unrecorded, otherUnit };
}

/** Narrows several usable figures: the one naming the item best, then the one with an explicit unit. */
/** `all`: every figure of the text, for the siblings of a list's entries that are not usable themselves. */
function choose(
  figs: readonly Figure[],
  t: Target,
  all: readonly Figure[] = figs,
): { picked?: Figure; ranked: Figure[]; breakdown?: true; ownEntry?: true } {
  const name = t.name;
  const own = ownEntry(all, t);
  if (own && figs.includes(own))
    return { picked: own, ranked: [own, ...figs.filter((f) => f !== own)], ownEntry: true };
  if (figs.length <= 1) return { ...(figs[0] ? { picked: figs[0] } : {}), ranked: [...figs] };
  // An item counting what is new this year (新增市场主体) takes "较上年末净增11152户", not the stock beside it.
  const counted = /新增|净增|新签|\bnew\b/i.test(`${name.zh} ${name.en ?? ''}`);
  const sinceYearStart = (f: Figure) => (counted && f.sinceYearStart ? 500 : 0);
  const scored = figs
    .map((f, i) => ({ f, i, score: rank(fit(f, name)) + unitRank(f, t) + sinceYearStart(f) }))
    .sort((a, b) => b.score - a.score || a.i - b.i);
  const ranked = scored.map((x) => x.f);
  if (scored[0]!.score > scored[1]!.score) return { picked: scored[0]!.f, ranked };
  const top = scored.filter((x) => x.score === scored[0]!.score).map((x) => x.f);
  // "续建项目完成投资191.1亿元…；新开工项目完成投资19.78亿元…；竣工投产项目…": one figure a sentence, none naming
  // the item better than the others, is a breakdown by kind, and none of its parts is the item's figure.
  if (
    top.length === figs.length &&
    new Set(top.map((f) => f.sentence)).size === top.length &&
    top.every((f) => f.sentence !== undefined)
  ) {
    return { ranked, breakdown: true };
  }
  // A year-to-date figure beside figures of no stated period is the one a year's target tracks.
  const ytd = top.filter((f) => f.frame === 'ytd');
  if (ytd.length === 1 && top.every((f) => f === ytd[0] || f.frame === undefined)) return { picked: ytd[0]!, ranked };
  const explicit = top.filter((f) => f.number.unit !== undefined || f.number.magnitude !== 1);
  if (explicit.length === 1) return { picked: explicit[0]!, ranked };
  return { ranked };
}

/**
 * "全市…新签约项目344个,分别为:霍邱县52个、…、市开发区39个、叶集区19个" for 市开发区…新签约项目: of a list's entries,
 * the one whose own name (a place, a kind) is part of the item's name, the others' not, is the item's figure.
 */
function ownEntry(figs: readonly Figure[], t: Target): Figure | undefined {
  const entries = figs.filter((f) => f.entry);
  if (entries.length < 2) return undefined;
  const name = canonicalTerms(simplified(t.name.zh));
  const named = entries.filter((f) => {
    const own = canonicalTerms((f.measure.match(/\p{Script=Han}+/gu) ?? []).join(''));
    // A name of its own (市开发区, 新能源项目), not a bare kind every item has (项目, 企业).
    return own.replace(/项目|企业|工程|单位/g, '').length >= 2 && name.includes(own);
  });
  return named.length === 1 ? named[0] : undefined;
}

/** The subject a text first names in full that ends in `short` ("全市规模以上高新技术产业增加值" for 增加值). */
function antecedentOf(short: string, note: string): string | undefined {
  const text = simplified(note);
  for (let i = text.indexOf(short); i > 0; i = text.indexOf(short, i + 1)) {
    const before = /\p{Script=Han}{2,20}$/u.exec(text.slice(Math.max(0, i - 20), i));
    if (before) return before[0] + short;
  }
  return undefined;
}

function withUnrecorded(i: Interpretation, unrecorded: readonly Unrecorded[]): Interpretation {
  const seen = new Set<string>();
  const list = unrecorded.filter((u) => {
    const k = `${u.raw}|${u.reason}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  return list.length > 0 ? { ...i, unrecorded: list.slice(0, 8) } : i;
}

function confirmOption(v: number, t: CumulativeTarget): Option {
  const u = unitLabels(t.unit);
  return {
    label: {
      zh: `累计 ${fmt(v)}/${fmt(t.target)} ${u.zh}，确认`,
      en: `${fmt(v)}/${fmt(t.target)} ${u.en} in total, confirm`,
    },
    update: { value: v },
  };
}

/** Off from the item's scale by a factor of about 10⁴ or more (万元 written for 亿元, or the reverse). */
function offByMagnitude(v: number, scale: number): number | undefined {
  if (v === 0 || scale <= 0) return undefined;
  const r = Math.abs(v) / scale;
  if (r >= 1000) return roundNice(v / 1e4);
  if (r <= 1e-3) return roundNice(v * 1e4);
  return undefined;
}

export function interpretCumulative(
  parsed: ParsedProgress,
  t: CumulativeTarget,
  current: ItemProgress,
  links: string[],
): Interpretation {
  const note = parsed.note;
  const unit = t.unit;
  const { magnitude: unitMagnitude, word } = splitUnit(unit.zh);
  const isPercentUnit = word === '%';
  const base = current.value ?? t.baseline;
  const decreasing = t.target < t.baseline;
  const scale = Math.max(Math.abs(t.target), Math.abs(t.baseline), Math.abs(base), 1);
  // Counts are whole in their own unit: 4.98万个 stays 4.98 when the unit is 万个.
  const round = (v: number) => (isCountUnit(unit) && unitMagnitude === 1 ? Math.round(v) : roundNice(v));
  const span = t.target - t.baseline;
  const shareOf = (v: number) => (span === 0 ? 0 : (v - t.baseline) / span);
  // Far past the target when the last value was not: "本月新开工31项" on 30/40 makes 61/40.
  const overshoots = (v: number) => span !== 0 && shareOf(v) > 1.5 && shareOf(base) <= 1.2;

  // "新增产值282.8亿元" for an item called 新增产值 is not an increment another total absorbs.
  const ownNamed = parsed.superseded.map((f) => withOwnName(f, t.name)).filter((f) => f.mode !== 'increment');
  const figures = [...parsed.figures, ...ownNamed].map((f) =>
    f.sinceYearStart ? { ...f, mode: 'absolute' as const } : f,
  );
  const pool = (
    isPercentUnit ? [...figures, ...parsed.percents.filter((p) => !p.ofPlan).map(percentAsFigure)] : figures
  ).map((f) => withOwnName(f, t.name));
  const sorted = sortFigures(pool, t, { level: false });
  const unrecorded = [...sorted.unrecorded];
  const done = (i: Interpretation) => withUnrecorded(i, unrecorded);

  const readings = (f: Figure): Option[] => {
    const c = convert(f.number, unit, scale);
    // A bare number off the item's scale ("32000" for 亿元): the reading nearest the item's scale first (32000万元 = 3.2亿元).
    const nearScale = (v: number) => Math.abs(Math.log10(Math.max(Math.abs(v), 1e-12) / scale));
    const amounts = c.implausible
      ? [c.value, c.implausible.asBase, ...(c.implausible.asWan !== undefined ? [c.implausible.asWan] : [])].sort(
          (a, b) => nearScale(a) - nearScale(b),
        )
      : [c.value];
    const opts: Option[] = [];
    for (const v of amounts) {
      const delta = decreasing && !f.signed ? -Math.abs(v) : v;
      const total: Option = { label: labelAbsolute(round(v), unit), update: { value: round(v) } };
      const added: Option = {
        label: labelIncrement(delta, round(base + delta), unit),
        update: { value: round(base + delta) },
      };
      // A figure below the last value cannot be a growing total: the increment is the likelier reading.
      const incrementFirst =
        f.mode === 'increment' || (!decreasing && current.value !== undefined && v < current.value);
      if (f.mode === 'absolute') opts.push(total);
      else if (f.mode === 'increment') opts.push(added);
      else opts.push(...(incrementFirst ? [added, total] : [total, added]));
      if (decreasing && f.mode === 'absolute' && TOTAL_SO_FAR.test(f.anchor ?? '')) {
        const fromBaseline = roundNice(t.baseline - Math.abs(v));
        opts.push({
          label: {
            zh: `累计减少 ${fmt(Math.abs(v))} ${unit.zh} → 剩余 ${fmt(fromBaseline)} ${unit.zh}`,
            en: `${fmt(Math.abs(v))} fewer since the baseline → ${fmt(fromBaseline)} ${unit.en ?? unit.zh}`,
          },
          update: { value: fromBaseline },
        });
      }
    }
    return opts;
  };

  // "完成投资640.9亿元，完成年度目标任务的49.3%": a share of the plan that agrees with the target confirms the total.
  const confirmed = isPercentUnit ? undefined : confirmedByShare(parsed, pool, sorted, t, scale);
  if (confirmed) {
    const kept = unrecorded.filter((u) => u.raw !== confirmed.number.raw);
    unrecorded.length = 0;
    unrecorded.push(...kept);
  }
  if (sorted.usable.length === 0 && !confirmed) {
    if (sorted.otherUnit.length > 0 && unrecorded.length === 0)
      return done(ambiguous('unit_mismatch', sorted.otherUnit.flatMap(readings), note, links));
    for (const f of sorted.otherUnit) unrecorded.push({ raw: f.number.raw, reason: 'unit' });
    if (!isPercentUnit && parsed.percents.length > 0) return done(percentShare(parsed, t, note, links, pool));
    return done(stateOnly(parsed, note, links, unrecorded));
  }
  for (const f of sorted.otherUnit) unrecorded.push({ raw: f.number.raw, reason: 'unit' });

  const { picked, ranked, breakdown } = confirmed
    ? { picked: { ...confirmed, mode: 'absolute' as const }, ranked: [confirmed], breakdown: undefined }
    : choose(sorted.usable, t, pool);
  if (breakdown) {
    for (const f of ranked) unrecorded.push({ raw: f.number.raw, reason: 'subset' });
    return done(stateOnly(parsed, note, links, unrecorded));
  }
  if (!picked) return done(ambiguous('several_figures', ranked.flatMap(readings), note, links));
  for (const f of sorted.usable)
    if (f !== picked && f.number !== picked.number) unrecorded.push({ raw: f.number.raw, reason: 'other_measure' });
  if (parsed.state === 'blocked' || parsed.state === 'delayed' || parsed.state === 'done')
    unrecorded.push({ raw: parsed.state, reason: 'state' });

  const c = convert(picked.number, unit, scale);
  if (c.implausible) return done(ambiguous('unit_mismatch', readings(picked), note, links));
  // Only a value that stands for the total can be off the item's scale: "本月新增1" of 5,000 is a small increment.
  const factor = picked.mode === 'increment' ? undefined : offByMagnitude(c.value, scale);
  if (factor !== undefined) {
    const options: Option[] = [
      { label: labelAbsolute(round(factor), unit), update: { value: round(factor) } },
      { label: labelAbsolute(round(c.value), unit), update: { value: round(c.value) } },
    ];
    return done(ambiguous('implausible', options, note, links));
  }

  if (picked.mode === 'absolute') {
    const v = round(c.value);
    // On a shrinking target "累计盘活8万平方米" may be what was removed, not what remains.
    if (decreasing && TOTAL_SO_FAR.test(picked.anchor ?? ''))
      return done(ambiguous('increment_or_total', readings(picked), note, links));
    // A total and its increment must agree with the last value: 31 = 26 + 5.
    if (current.value !== undefined) {
      const increments = parsed.superseded.filter(
        (f) =>
          unitsCompatible(f.number.unit, word) && f.role !== 'plan' && !ownNamed.some((o) => o.number === f.number),
      );
      const sums = increments.map((f) => round(current.value! + convert(f.number, unit, scale).value));
      if (sums.length > 0 && !sums.some((s) => Math.abs(s - v) < 1e-9)) {
        const options = [
          { label: labelAbsolute(v, unit), update: { value: v } },
          ...sums.map((s, i) => ({ label: labelIncrement(s - current.value!, s, unit), update: { value: s }, i })),
        ];
        return done(ambiguous('inconsistent', options, note, links));
      }
      if (!decreasing && span > 0 && v < current.value) {
        const added = round(current.value + v);
        const options = [
          { label: labelAbsolute(v, unit), update: { value: v } },
          { label: labelIncrement(v, added, unit), update: { value: added } },
        ];
        // A growing total cannot fall: unless the text says it is the running total (累计, so far), the figure is what was added.
        return done(
          ambiguous('implausible', RUNNING_TOTAL.test(picked.anchor ?? '') ? options : options.reverse(), note, links),
        );
      }
    }
    if (overshoots(v)) return done(ambiguous('implausible', [confirmOption(v, t)], note, links));
    const inc = parsed.superseded.find((f) => unitsCompatible(f.number.unit, word));
    return done({
      kind: 'update',
      value: v,
      note,
      links,
      ...(inc && current.value !== undefined ? { increment: round(v - current.value) } : {}),
    });
  }

  const delta = decreasing && !picked.signed ? -Math.abs(c.value) : c.value;
  const added = round(base + delta);
  if (picked.mode === 'increment') {
    if (!decreasing && span > 0 && delta < 0) return done(ambiguous('implausible', readings(picked), note, links));
    if (overshoots(added)) {
      const asTotal = round(c.value);
      const options = [
        confirmOption(added, t),
        ...(asTotal !== added && !overshoots(asTotal)
          ? [{ label: labelAbsolute(asTotal, unit), update: { value: asTotal } }]
          : []),
      ];
      return done(ambiguous('implausible', options, note, links));
    }
    return done({ kind: 'update', value: added, note, links, increment: round(delta) });
  }
  // unknown: a figure that fits as the total so far, but would overshoot the target as an increment, is the total.
  const total = round(c.value);
  if (!decreasing && span > 0 && total >= base && shareOf(total) <= 1.3 && shareOf(added) > 1.3)
    return done({ kind: 'update', value: total, note, links });
  // If adding and replacing agree (nothing reported yet, baseline 0), there is nothing to ask.
  if (added === total) {
    if (overshoots(added)) return done(ambiguous('implausible', [confirmOption(added, t)], note, links));
    return done({ kind: 'update', value: added, note, links });
  }
  return done(ambiguous('increment_or_total', readings(picked), note, links));
}

/**
 * The one figure whose share of the target a percentage in its sentence states ("完成投资103.11亿元，完成年度
 * 投资计划的90.32%" with a target of 114): that percentage confirms the figure is the item's total so far.
 * Only actual figures of the item's kind of unit are confirmed, and only when exactly one agrees.
 */
function confirmedByShare(
  parsed: ParsedProgress,
  pool: readonly Figure[],
  sorted: Sorted,
  t: CumulativeTarget,
  scale: number,
): Figure | undefined {
  const span = t.target - t.baseline;
  if (span <= 0 || t.target <= 0) return undefined;
  const word = splitUnit(t.unit.zh).word;
  const shares = parsed.percents.filter(
    (p) => p.kind !== 'rate' && p.role === 'actual' && p.value > 0 && p.value <= 200 && p.at !== undefined,
  );
  if (shares.length === 0) return undefined;
  const skippedOther = new Set(sorted.unrecorded.filter((u) => u.reason === 'other_measure').map((u) => u.raw));
  const candidates = pool.filter(
    (f) =>
      (sorted.usable.includes(f) || skippedOther.has(f.number.raw)) &&
      f.role === 'actual' &&
      f.mode !== 'increment' &&
      f.number.unit !== undefined &&
      unitsCompatible(f.number.unit, word),
  );
  const agrees = (f: Figure) => {
    const v = convert(f.number, t.unit, scale).value;
    const ratios = [(100 * v) / t.target, (100 * (v - t.baseline)) / span];
    // The share follows the figure in its sentence, with no other figure of the item's unit between them.
    return shares.some(
      (p) =>
        p.period === f.period &&
        p.at! > f.at! &&
        !candidates.some((g) => g.at! > f.at! && g.at! < p.at!) &&
        ratios.some((r) => Math.abs(r - p.value) <= Math.max(0.1, 0.01 * p.value)),
    );
  };
  const found = candidates.filter(agrees);
  const values = new Set(found.map((f) => convert(f.number, t.unit, scale).value));
  return values.size === 1 ? found[0] : undefined;
}

/** A share of the way to the target (完成年度计划的80% → 32 of 40), recorded only when the text says so. */
function percentShare(
  parsed: ParsedProgress,
  t: CumulativeTarget,
  note: string,
  links: string[],
  pool: readonly Figure[],
): Interpretation {
  const unit = t.unit;
  const candidates = parsed.percents.filter(
    (p) =>
      p.role === 'actual' &&
      p.kind !== 'rate' &&
      p.value >= 0 &&
      p.value <= 1000 &&
      !fitOf(p.measure, p.after, t.name).other,
  );
  if (candidates.length === 0) return stateOnly(parsed, note, links, []);
  const share = (p: number) => {
    const v = t.baseline + (p / 100) * (t.target - t.baseline);
    return isCountUnit(unit) ? Math.round(v) : Math.round(v * 100) / 100;
  };
  const options = candidates.map((p) => ({
    label: {
      zh: `完成 ${fmt(p.value)}%（累计 ${fmt(share(p.value))} ${unit.zh}）`,
      en: `${fmt(p.value)}% done (${fmt(share(p.value))} ${unit.en ?? unit.zh})`,
    },
    update: { value: share(p.value) },
  }));
  const completion = candidates.filter((p) => p.kind === 'completion');
  // A share of "the year's plan" is of the text's own plan: it is this target's only if no other figure is about.
  if (candidates.length === 1 && completion.length === 1 && pool.length === 0)
    return { kind: 'update', value: share(completion[0]!.value), note, links };
  return ambiguous(candidates.length > 1 ? 'several_figures' : 'unit_mismatch', options, note, links);
}

/** No figure for the item: a blocked or delayed target records its state; anything else is a note. */
function stateOnly(parsed: ParsedProgress, note: string, links: string[], unrecorded: Unrecorded[]): Interpretation {
  if (parsed.state === 'blocked' || parsed.state === 'delayed')
    return { kind: 'update', state: parsed.state, note: parsed.blocker ?? note, links };
  if (parsed.state === 'done') unrecorded.push({ raw: 'done', reason: 'state' });
  return { kind: 'note', note, links };
}

export function interpretLevel(
  parsed: ParsedProgress,
  t: LevelTarget,
  current: ItemProgress,
  links: string[],
): Interpretation {
  const note = parsed.note;
  const unit = t.unit;
  const isPercentUnit = splitUnit(unit.zh).word === '%';
  const scale = Math.max(Math.abs(t.target), Math.abs(current.value ?? 0), 1);
  // A rate target reads its percentages, and bare numbers ("增速7.2") as percentages too.
  const pool = isPercentUnit
    ? [
        ...parsed.percents.filter((p) => !p.ofPlan).map(percentAsFigure),
        ...parsed.figures.filter((f) => !f.number.unit && f.number.magnitude === 1),
      ]
    : parsed.figures;
  const u = unitLabels(unit);
  const levelOption = (v: number): Option => ({
    label: { zh: `${fmt(v)}${u.zh}`, en: `${fmt(v)} ${u.en}` },
    update: { value: v },
  });
  const sorted = sortFigures(pool, t, { level: true });
  const unrecorded = [...sorted.unrecorded];
  const done = (i: Interpretation) => withUnrecorded(i, unrecorded);
  const valueOfFig = (f: Figure) => convert(f.number, unit, scale).value;
  if (sorted.usable.length === 0) {
    if (sorted.otherUnit.length > 0 && unrecorded.length === 0)
      return done(
        ambiguous(
          'unit_mismatch',
          sorted.otherUnit.map((f) => levelOption(valueOfFig(f))),
          note,
          links,
        ),
      );
    for (const f of sorted.otherUnit) unrecorded.push({ raw: f.number.raw, reason: 'unit' });
    return done(stateOnly(parsed, note, links, unrecorded));
  }
  for (const f of sorted.otherUnit) unrecorded.push({ raw: f.number.raw, reason: 'unit' });
  const { picked, ranked, ownEntry: entryNamed } = choose(sorted.usable, t, pool);
  if (!picked)
    return done(
      ambiguous(
        'several_figures',
        ranked.map((f) => levelOption(valueOfFig(f))),
        note,
        links,
      ),
    );
  for (const f of sorted.usable) if (f !== picked) unrecorded.push({ raw: f.number.raw, reason: 'other_measure' });
  const c = convert(picked.number, unit, scale);
  if (c.implausible)
    return done(ambiguous('unit_mismatch', [levelOption(c.value), levelOption(c.implausible.asBase)], note, links));
  // "同比名义增长17%（扣除价格因素实际增长11.4%）": nominal or real, the office must say which it tracks.
  // "增加值同比增长8.5%" in a text about 高新技术产业增加值: a short subject beside other measures may be theirs.
  const key = t.name.zh.replace(/(?:增速|增长率|增幅|增长)$/, '');
  const short = ((picked.measure.match(/\p{Script=Han}+/gu) ?? []).at(-1) ?? '').replace(
    /(?:同比|名义|实际)?(?:增长|增速|增幅|下降)$/,
    '',
  );
  if (
    !entryNamed &&
    short.length >= 2 &&
    short.length < key.length - 2 &&
    key.includes(short) &&
    unrecorded.some((u) => u.reason === 'other_measure')
  ) {
    // The short subject stands for the one the text named in full first: 高新技术产业增加值 is a segment's, not the item's.
    const topic = antecedentOf(short, note);
    if (topic && fitOf(topic, '', t.name).other) {
      unrecorded.push({ raw: picked.number.raw, reason: 'other_measure' });
      return done(stateOnly(parsed, note, links, unrecorded));
    }
    if (!topic || !canonicalTerms(topic).includes(canonicalTerms(simplified(key))))
      return done(ambiguous('several_figures', [levelOption(c.value)], note, links));
  }
  const real = parsed.percents.find(
    (p) =>
      p.value !== picked.number.amount &&
      /扣除价格因素|实际增长|可比价|\breal terms\b/.test(`${p.context} ${p.measure}`),
  );
  if (real && isPercentUnit)
    return done(ambiguous('several_figures', [levelOption(c.value), levelOption(real.value)], note, links));
  if (picked.mode === 'increment' && current.value !== undefined) {
    const sum = roundNice(current.value + c.value);
    return done(
      ambiguous(
        'increment_or_total',
        [
          levelOption(c.value),
          {
            ...levelOption(sum),
            label: {
              zh: `${fmt(current.value)} + ${fmt(c.value)} = ${fmt(sum)}${u.zh}`,
              en: `${fmt(current.value)} + ${fmt(c.value)} = ${fmt(sum)} ${u.en}`,
            },
          },
        ],
        note,
        links,
      ),
    );
  }
  return done({ kind: 'update', value: c.value, note, links });
}
