import type { ItemProgress } from '../progress.ts';
import type { Commitment, CumulativeTarget, LevelTarget, Milestone, Project, Target, Text } from '../schema.ts';
import { normalize } from '../match.ts';
import { roundNice, unitInfo, unitsCompatible, splitUnit } from './numbers.ts';
import { TOTAL_SO_FAR } from './roles.ts';
import { type ParsedNumber, type Figure, type ParsedPercent, type ParsedProgress, type UpdateFields, type AmbiguityReason, type Interpretation } from './types.ts';
// interpretFor
// ---------------------------------------------------------------------------------------------

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

export function measureOverlap(context: string, name: string): boolean {
  const generic = new Set(['累计', '新增', '本月', '完成', '项目', '目前', '截至', '今年', '全年', '已经', '其中', '同比', '当月']);
  const grams = (s: string) => {
    const cjk = s.replace(/[^\p{Script=Han}]/gu, '');
    const out = new Set<string>();
    for (let i = 0; i + 1 < cjk.length; i++) {
      const g = cjk.slice(i, i + 2);
      if (!generic.has(g)) out.add(g);
    }
    return out;
  };
  const n = grams(name);
  for (const g of grams(context)) if (n.has(g)) return true;
  return false;
}

/** Keeps the one candidate whose context names the item's measure (累计开工31项，其中竣工12项 → 开工), if exactly one does. */
export function pickByMeasure<T extends { context: string }>(candidates: readonly T[], name: Text): T | undefined {
  const hits = candidates.filter((c) => measureOverlap(c.context, name.zh));
  return hits.length === 1 ? hits[0] : undefined;
}

export type Converted = { value: number; implausible?: { asBase: number; asWan?: number } };

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
    ? { zh: `新增 ${fmt(delta)} ${u.zh} → 累计 ${fmt(total)} ${u.zh}`, en: `${fmt(delta)} more → ${fmt(total)} ${u.en} in total` }
    : { zh: `减少 ${fmt(-delta)} ${u.zh} → 剩余 ${fmt(total)} ${u.zh}`, en: `${fmt(-delta)} fewer → ${fmt(total)} ${u.en}` };
}

export function ambiguous(reason: AmbiguityReason, options: Option[], note: string, links: string[]): Interpretation {
  const unique: Option[] = [];
  for (const o of options) {
    if (!unique.some((u) => JSON.stringify(u.update) === JSON.stringify(o.update))) unique.push(o);
  }
  return { kind: 'ambiguous', reason, options: unique.slice(0, 6), note, links };
}

export function isTargetItem(item: Target | Project | Commitment): item is Target {
  return 'kind' in item && (item.kind === 'cumulative' || item.kind === 'level');
}

/** What the parsed text means for one item, in that item's unit — or that a person must choose. */
export function interpretFor(parsed: ParsedProgress, item: Target | Project | Commitment, current: ItemProgress): Interpretation {
  const links = parsed.links;
  if (isTargetItem(item)) {
    return item.kind === 'cumulative' ? interpretCumulative(parsed, item, current, links) : interpretLevel(parsed, item, current, links);
  }
  return interpretWithMilestones(parsed, item, current, links);
}

export function percentAsFigure(p: ParsedPercent): Figure {
  // A percentage on a %-unit item is a level, never an increment: a change of rate is written "N个百分点".
  return { mode: 'absolute', number: { amount: p.value, magnitude: 1, unit: '%', raw: p.raw }, context: p.context };
}

/** Narrows several figures: keep those in a compatible unit, then the one naming the item's measure. */
export function narrow(figs: readonly Figure[], unit: Text, name: Text): { picked?: Figure; candidates: Figure[]; mismatch: Figure[] } {
  const targetWord = splitUnit(unit.zh).word;
  const compatible = figs.filter((f) => unitsCompatible(f.number.unit, targetWord));
  const mismatch = figs.filter((f) => !compatible.includes(f));
  if (compatible.length === 1) return { picked: compatible[0]!, candidates: compatible, mismatch };
  if (compatible.length > 1) {
    const explicit = compatible.filter((f) => f.number.unit !== undefined || f.number.magnitude !== 1);
    if (explicit.length === 1) return { picked: explicit[0]!, candidates: compatible, mismatch };
    const byName = pickByMeasure(compatible, name);
    if (byName) return { picked: byName, candidates: compatible, mismatch };
  }
  return { candidates: compatible, mismatch };
}

export function interpretCumulative(parsed: ParsedProgress, t: CumulativeTarget, current: ItemProgress, links: string[]): Interpretation {
  const note = parsed.note;
  const unit = t.unit;
  const isPercentUnit = splitUnit(unit.zh).word === '%';
  const base = current.value ?? t.baseline;
  const decreasing = t.target < t.baseline;
  const scale = Math.max(Math.abs(t.target), Math.abs(t.baseline), Math.abs(base), 1);
  const round = (v: number) => (isCountUnit(unit) ? Math.round(v) : roundNice(v));

  const figs = isPercentUnit ? [...parsed.figures, ...parsed.percents.map(percentAsFigure)] : parsed.figures;
  if (figs.length === 0) {
    if (!isPercentUnit && parsed.percents.length > 0) return percentShare(parsed, t, note, links);
    return { kind: 'note', note, links };
  }

  const { picked, candidates, mismatch } = narrow(figs, unit, t.name);
  const readings = (f: Figure): Option[] => {
    const c = convert(f.number, unit, scale);
    const amounts = c.implausible ? [c.value, c.implausible.asBase, ...(c.implausible.asWan !== undefined ? [c.implausible.asWan] : [])] : [c.value];
    const opts: Option[] = [];
    for (const v of amounts) {
      const delta = decreasing && !f.signed ? -Math.abs(v) : v;
      if (f.mode !== 'increment') opts.push({ label: labelAbsolute(v, unit), update: { value: v } });
      if (f.mode !== 'absolute') opts.push({ label: labelIncrement(delta, roundNice(base + delta), unit), update: { value: roundNice(base + delta) } });
      if (decreasing && f.mode === 'absolute' && TOTAL_SO_FAR.test(f.anchor ?? '')) {
        const fromBaseline = roundNice(t.baseline - Math.abs(v));
        opts.push({ label: { zh: `累计减少 ${fmt(Math.abs(v))} ${unit.zh} → 剩余 ${fmt(fromBaseline)} ${unit.zh}`, en: `${fmt(Math.abs(v))} fewer since the baseline → ${fmt(fromBaseline)} ${unit.en ?? unit.zh}` }, update: { value: fromBaseline } });
      }
    }
    return opts;
  };

  if (!picked) {
    if (candidates.length === 0) return ambiguous('unit_mismatch', mismatch.flatMap(readings), note, links);
    return ambiguous('several_figures', candidates.flatMap(readings), note, links);
  }

  const c = convert(picked.number, unit, scale);
  if (c.implausible) return ambiguous('unit_mismatch', readings(picked), note, links);
  if (picked.mode === 'absolute') {
    // On a shrinking target "累计盘活8万平方米" may be what was removed, not what remains.
    if (decreasing && TOTAL_SO_FAR.test(picked.anchor ?? '')) return ambiguous('increment_or_total', readings(picked), note, links);
    return { kind: 'update', value: round(c.value), note, links };
  }
  const delta = decreasing && !picked.signed ? -Math.abs(c.value) : c.value;
  const added = roundNice(base + delta);
  if (picked.mode === 'increment') return { kind: 'update', value: round(added), note, links };
  // unknown: if adding and replacing agree (nothing reported yet, baseline 0), there is nothing to ask.
  if (added === c.value) return { kind: 'update', value: round(c.value), note, links };
  return ambiguous('increment_or_total', readings(picked), note, links);
}

export function percentShare(parsed: ParsedProgress, t: CumulativeTarget, note: string, links: string[]): Interpretation {
  const unit = t.unit;
  const candidates = parsed.percents.filter((p) => p.kind !== 'rate' && p.value >= 0 && p.value <= 100);
  if (candidates.length === 0) return { kind: 'note', note, links };
  const share = (p: number) => {
    const v = t.baseline + (p / 100) * (t.target - t.baseline);
    return isCountUnit(unit) ? Math.round(v) : Math.round(v * 100) / 100;
  };
  const options = candidates.map((p) => ({
    label: { zh: `完成 ${fmt(p.value)}%（累计 ${fmt(share(p.value))} ${unit.zh}）`, en: `${fmt(p.value)}% done (${fmt(share(p.value))} ${unit.en ?? unit.zh})` },
    update: { value: share(p.value) },
  }));
  const completion = candidates.filter((p) => p.kind === 'completion');
  if (candidates.length === 1 && completion.length === 1) return { kind: 'update', value: share(completion[0]!.value), note, links };
  return ambiguous(candidates.length > 1 ? 'several_figures' : 'unit_mismatch', options, note, links);
}

export function interpretLevel(parsed: ParsedProgress, t: LevelTarget, current: ItemProgress, links: string[]): Interpretation {
  const note = parsed.note;
  const unit = t.unit;
  const isPercentUnit = splitUnit(unit.zh).word === '%';
  const scale = Math.max(Math.abs(t.target), Math.abs(current.value ?? 0), 1);
  // A rate target reads its percentages, and bare numbers ("增速7.2") as percentages too.
  const figs = isPercentUnit
    ? [...parsed.percents.map(percentAsFigure), ...parsed.figures.filter((f) => !f.number.unit && f.number.magnitude === 1)]
    : parsed.figures;
  const u = unitLabels(unit);
  const levelOption = (v: number): Option => ({ label: { zh: `${fmt(v)}${u.zh}`, en: `${fmt(v)} ${u.en}` }, update: { value: v } });
  if (figs.length === 0) return { kind: 'note', note, links };
  const { picked, candidates, mismatch } = narrow(figs, unit, t.name);
  const valueOfFig = (f: Figure) => convert(f.number, unit, scale).value;
  if (!picked) {
    if (candidates.length === 0) return ambiguous('unit_mismatch', mismatch.map((f) => levelOption(valueOfFig(f))), note, links);
    return ambiguous('several_figures', candidates.map((f) => levelOption(valueOfFig(f))), note, links);
  }
  const c = convert(picked.number, unit, scale);
  if (c.implausible) return ambiguous('unit_mismatch', [levelOption(c.value), levelOption(c.implausible.asBase)], note, links);
  if (picked.mode === 'increment' && current.value !== undefined) {
    const sum = roundNice(current.value + c.value);
    return ambiguous('increment_or_total', [levelOption(c.value), { ...levelOption(sum), label: { zh: `${fmt(current.value)} + ${fmt(c.value)} = ${fmt(sum)}${u.zh}`, en: `${fmt(current.value)} + ${fmt(c.value)} = ${fmt(sum)} ${u.en}` } }], note, links);
  }
  return { kind: 'update', value: c.value, note, links };
}

export type MilestoneMatch = { milestones: Milestone[]; nameMatch: boolean };

export function matchMilestones(words: readonly string[], item: Project | Commitment): MilestoneMatch {
  const found = new Map<string, Milestone>();
  let nameMatch = false;
  const itemNames = [item.name.zh, item.name.en].filter((n): n is string => !!n).map(normalize);
  for (const word of words) {
    const w = normalize(word);
    if (w.length < 2) continue;
    const names = item.milestones.map((m) => ({ m, names: [m.name.zh, m.name.en].filter((n): n is string => !!n).map(normalize).filter((n) => n.length >= 2) }));
    const exact = names.filter((x) => x.names.includes(w)).map((x) => x.m);
    let hits = exact;
    if (hits.length === 0) {
      // The phrase holds a milestone name (项目正式开工 → 开工); drop names inside a longer matched name.
      const inside = names.filter((x) => x.names.some((n) => w.includes(n)));
      hits = inside
        .filter((x) => !inside.some((y) => y !== x && y.names.some((yn) => x.names.some((xn) => yn !== xn && yn.includes(xn) && w.includes(yn)))))
        .map((x) => x.m);
    }
    if (hits.length === 0 && w.length >= 2 && (/\p{Script=Han}/u.test(w) || w.length >= 4)) {
      hits = names.filter((x) => x.names.some((n) => n.includes(w))).map((x) => x.m);
    }
    if (hits.length === 0 && itemNames.some((n) => n.includes(w) || w.includes(n))) nameMatch = true;
    for (const m of hits) found.set(m.id, m);
  }
  return { milestones: [...found.values()], nameMatch };
}

export function interpretWithMilestones(parsed: ParsedProgress, item: Project | Commitment, current: ItemProgress, links: string[]): Interpretation {
  let note = parsed.note;
  const fields: UpdateFields = {};

  const inRange = parsed.percents.filter((p) => p.kind !== 'rate' && p.value >= 0 && p.value <= 100);
  if (inRange.length > 1) {
    const options = inRange.map((p) => ({ label: { zh: `进度 ${fmt(p.value)}%`, en: `${fmt(p.value)}% done` }, update: { percent: p.value } }));
    return ambiguous('several_figures', options, note, links);
  }
  if (inRange.length === 1) fields.percent = inRange[0]!.value;

  let state = parsed.state;
  if (state === 'done' && parsed.negated) state = undefined;
  const matched = state === 'done' ? { milestones: [], nameMatch: false } : matchMilestones(parsed.milestoneWords, item);
  const { nameMatch } = matched;
  const reached = (m: Milestone) => current.milestonesDone[m.id] !== undefined;
  // "已开工，主体完工了" when 开工 was reported last month: the milestone not yet reached is the news.
  const fresh = matched.milestones.filter((m) => !reached(m));
  const milestones = matched.milestones.length > 1 && fresh.length >= 1 ? fresh : matched.milestones;
  // "星湖花园老旧小区改造已全部完成": the qualifier is the item's own name, so it is the whole item.
  if (!state && parsed.partialDone && nameMatch && milestones.length === 0) state = 'done';

  if (state === 'blocked' || state === 'delayed') {
    if (parsed.blocker) note = parsed.blocker;
    if (milestones.length > 0) {
      const stateLabel = state === 'blocked' ? { zh: '标记为受阻', en: 'Mark as blocked' } : { zh: '标记为滞后', en: 'Mark as delayed' };
      const options: Option[] = [
        ...milestones.map((m) => ({ label: { zh: `${m.name.zh} 已完成`, en: `${m.name.en ?? m.name.zh} reached` }, update: { ...fields, milestoneId: m.id, state: 'done' as const } })),
        { label: stateLabel, update: { ...fields, state } },
      ];
      return ambiguous('milestone_or_state', options, note, links);
    }
  }

  if (state === 'done') return { kind: 'update', ...fields, state: 'done', note, links };
  if (milestones.length > 1) {
    const options = milestones.map((m) => ({ label: { zh: `${m.name.zh} 已完成`, en: `${m.name.en ?? m.name.zh} reached` }, update: { ...fields, milestoneId: m.id, state: 'done' as const } }));
    return ambiguous('milestone_unclear', options, note, links);
  }
  if (milestones.length === 1) return { kind: 'update', ...fields, milestoneId: milestones[0]!.id, state: 'done', note, links };
  if (parsed.partialDone && !state) {
    // Something was completed, but it names no milestone: which one, or the whole item?
    const options: Option[] = [
      ...item.milestones
        .filter((m) => !reached(m))
        .slice(0, 5)
        .map((m) => ({ label: { zh: `${m.name.zh} 已完成`, en: `${m.name.en ?? m.name.zh} reached` }, update: { ...fields, milestoneId: m.id, state: 'done' as const } })),
      { label: { zh: '整体完成', en: 'The whole item is done' }, update: { ...fields, state: 'done' } },
    ];
    return ambiguous('milestone_unclear', options, note, links);
  }
  if (state) fields.state = state;
  if (fields.percent === undefined && fields.state === undefined) return { kind: 'note', note, links };
  return { kind: 'update', ...fields, note, links };
}
