import { normalize } from '../match.ts';
import type { ItemProgress } from '../progress.ts';
import type { Commitment, Milestone, Project, Target } from '../schema.ts';
import { interpretCumulative, interpretLevel } from './interpret-target.ts';
import { measureScore } from './measure.ts';
import { simplified } from './normalise.ts';
import { ambiguous, fmt, type Option } from './options.ts';
import type { Interpretation, ParsedProgress, Unrecorded, UpdateFields } from './types.ts';

function isTargetItem(item: Target | Project | Commitment): item is Target {
  return 'kind' in item && (item.kind === 'cumulative' || item.kind === 'level');
}

/** What the parsed text means for one item, in that item's unit — or that a person must choose. */
export function interpretFor(
  parsed: ParsedProgress,
  item: Target | Project | Commitment,
  current: ItemProgress,
): Interpretation {
  const links = parsed.links;
  if (isTargetItem(item)) {
    return item.kind === 'cumulative'
      ? interpretCumulative(parsed, item, current, links)
      : interpretLevel(parsed, item, current, links);
  }
  return interpretWithMilestones(parsed, item, current, links);
}

/** Words for the same milestone act. */
const ACT_GROUPS: Array<[string, RegExp]> = [
  ['start', /开工|动工|开建|进场施工|开始建设|破土|start/],
  ['topping', /封顶|topping/],
  ['complete', /竣工|完工|建成|complet|finish/],
  ['open', /通车|opened to traffic/],
  ['production', /投产|生产|试产|达产|production/],
  ['use', /投入使用|投用|启用|交付使用|运营|开业|开园|使用|in use|operation/],
  ['sign', /签约|签订|sign/],
];

/** A year said with an act (2019年底开工, 自2014年7月开工): it happened then, not now. */
const DATED = /(?:19|20)\d{2}\s*年|去年|上年|前年|\bin (?:19|20)\d{2}\b/;
/** Words that name a part of the works: 主体工程已完工 is not the whole road 建成通车. */
const PART_OF_WORKS = /主体|基础|地基|桩基|部分|一期|二期|三期|主线|土建|\b(?:foundation|piling|phase)\b/g;
const PART_OF_WORKS_EN = /\b(?:foundation|piling|phase)\b/g;

function actsIn(s: string): Set<string> {
  return new Set(ACT_GROUPS.filter(([, re]) => re.test(s)).map(([g]) => g));
}

/** `dated`: every phrase that named a milestone dates it years back (2019年底开工). */
type MilestoneMatch = { milestones: Milestone[]; nameMatch: boolean; dated: boolean };

function matchMilestones(words: readonly string[], item: Project | Commitment): MilestoneMatch {
  const found = new Map<string, Milestone>();
  const hitWords: string[] = [];
  let nameMatch = false;
  const itemNames = [item.name.zh, item.name.en].filter((n): n is string => !!n).map(normalize);
  for (const word of words) {
    const w = normalize(word);
    if (w.length < 2) continue;
    const names = item.milestones.map((m) => ({
      m,
      names: [m.name.zh, m.name.en]
        .filter((n): n is string => !!n)
        .map(normalize)
        .filter((n) => n.length >= 2),
    }));
    const exact = names.filter((x) => x.names.includes(w)).map((x) => x.m);
    let hits = exact;
    if (hits.length === 0) {
      // The phrase holds a milestone name (项目正式开工 → 开工); drop names inside a longer matched name.
      const inside = names.filter((x) => x.names.some((n) => w.includes(n)));
      hits = inside
        .filter(
          (x) =>
            !inside.some(
              (y) =>
                y !== x && y.names.some((yn) => x.names.some((xn) => yn !== xn && yn.includes(xn) && w.includes(yn))),
            ),
        )
        .map((x) => x.m);
    }
    if (hits.length === 0 && w.length >= 2 && (/\p{Script=Han}/u.test(w) || w.length >= 4)) {
      hits = names.filter((x) => x.names.some((n) => n.includes(w))).map((x) => x.m);
    }
    if (hits.length === 0) {
      // 已生产 for 投产, 竣工通车 for 建成通车, 投用 for 投入使用: the same act in other words.
      const groups = actsIn(w);
      // A part of the works named in the phrase must be named by the milestone too.
      // English parts are words ("completed piling works"): looked for in the phrase as written, not run together.
      const parts = [
        ...(itemNames.reduce((rest, n) => rest.split(n).join(' '), w).match(PART_OF_WORKS) ?? []),
        ...(word.toLowerCase().match(PART_OF_WORKS_EN) ?? []),
      ];
      const namesParts = (n: string) => parts.every((p) => n.includes(p));
      if (groups.size > 0) {
        const found = names.filter((x) =>
          x.names.some((n) => namesParts(n) && [...actsIn(n)].some((g) => groups.has(g))),
        );
        // The milestone sharing most words with the phrase first ("completed the foundation" → foundation complete).
        hits = found
          .map((x, i) => ({ x, i, score: measureScore(word, x.m.name) }))
          .sort((a, b) => b.score - a.score || a.i - b.i)
          .map(({ x }) => x.m);
      }
      // Several acts in one phrase (竣工通车): the milestone naming the most specific one.
      if (hits.length > 1) {
        const specific = hits.filter((m) =>
          [...actsIn(normalize(m.name.zh))].some((g) => g !== 'complete' && groups.has(g)),
        );
        if (specific.length >= 1) hits = specific;
      }
    }
    if (hits.length === 0 && itemNames.some((n) => n.includes(w) || w.includes(n))) nameMatch = true;
    for (const m of hits) found.set(m.id, m);
    if (hits.length > 0) hitWords.push(word);
  }
  return {
    milestones: [...found.values()],
    nameMatch,
    dated: hitWords.length > 0 && hitWords.every((w) => DATED.test(w)),
  };
}

function interpretWithMilestones(
  parsed: ParsedProgress,
  item: Project | Commitment,
  current: ItemProgress,
  links: string[],
): Interpretation {
  let note = parsed.note;
  const fields: UpdateFields = {};

  // A project's percent done: not a share of a plan (占年度投资计划的34%), a ratio (开工率) or a rate.
  const parts: Unrecorded[] = [];
  const inRange = parsed.percents.filter((p) => {
    if (
      p.kind === 'rate' ||
      p.ofPlan ||
      p.role !== 'actual' ||
      /率\s*(?:为|达|达到)?\s*$/.test(p.context) ||
      p.value < 0 ||
      p.value > 100
    )
      return false;
    // "三亚路雨污水管道排水已建设完成60%" for 三亚路: a part of the project, not the project.
    if (namesAPart(p.measure, item.name.zh)) {
      parts.push({ raw: p.raw, reason: 'other_measure' });
      return false;
    }
    return true;
  });
  if (inRange.length > 1) {
    const options = inRange.map((p) => ({
      label: { zh: `进度 ${fmt(p.value)}%`, en: `${fmt(p.value)}% done` },
      update: { percent: p.value },
    }));
    return ambiguous('several_figures', options, note, links);
  }
  if (inRange.length === 1) fields.percent = inRange[0]!.value;

  let state = parsed.state;
  if (state === 'done' && parsed.negated) state = undefined;
  const matched =
    state === 'done'
      ? { milestones: [], nameMatch: false, dated: false }
      : matchMilestones(parsed.milestoneWords, item);
  const { nameMatch } = matched;
  // Object.hasOwn: a milestone called constructor is not reached because every object has one.
  const reached = (m: Milestone) => Object.hasOwn(current.milestonesDone, m.id);
  // "已开工，主体完工了" when 开工 was reported last month: the milestone not yet reached is the news.
  const fresh = matched.milestones.filter((m) => !reached(m));
  const milestones = matched.milestones.length > 1 && fresh.length >= 1 ? fresh : matched.milestones;
  // "星湖花园老旧小区改造已全部完成": the qualifier is the item's own name, so it is the whole item.
  if (!state && parsed.partialDone && nameMatch && milestones.length === 0) state = 'done';

  if (state === 'blocked' || state === 'delayed') {
    if (parsed.blocker) note = parsed.blocker;
    // "开工后因征地问题停工" when 开工 was recorded long ago: the stoppage is the news, not the start.
    const pending = milestones.filter((m) => !reached(m));
    if (pending.length === 0 && milestones.length > 0) {
      return { kind: 'update', ...fields, state, note, links };
    }
    if (milestones.length > 0) {
      const stateLabel =
        state === 'blocked' ? { zh: '标记为受阻', en: 'Mark as blocked' } : { zh: '标记为滞后', en: 'Mark as delayed' };
      const reachedOptions = milestones.map((m) => ({
        label: { zh: `${m.name.zh} 已完成`, en: `${m.name.en ?? m.name.zh} reached` },
        update: { ...fields, milestoneId: m.id, state: 'done' as const },
      }));
      const stateOption = { label: stateLabel, update: { ...fields, state } };
      // "自2014年7月开工建设，…而停滞": a milestone dated years back is history; the stoppage is the news.
      const options: Option[] = matched.dated ? [stateOption, ...reachedOptions] : [...reachedOptions, stateOption];
      return ambiguous('milestone_or_state', options, note, links);
    }
  }

  if (state === 'done') {
    // "已竣工" of a project whose last step is 竣工 names that milestone; "已全部完成" claims the whole item,
    // which goes to review (复核) before it counts.
    const finish = item.milestones.filter((m) => !reached(m) && actsIn(normalize(m.name.zh)).has('complete'));
    const namesAct = /竣工|完工|建成/.test(parsed.note);
    if (namesAct && finish.length === 1 && item.milestones.indexOf(finish[0]!) >= item.milestones.length - 2) {
      return { kind: 'update', ...fields, milestoneId: finish[0]!.id, state: 'done', note, links };
    }
    return { kind: 'update', ...fields, state: 'done', note, links };
  }
  if (milestones.length > 1) {
    const options = milestones.map((m) => ({
      label: { zh: `${m.name.zh} 已完成`, en: `${m.name.en ?? m.name.zh} reached` },
      update: { ...fields, milestoneId: m.id, state: 'done' as const },
    }));
    return ambiguous('milestone_unclear', options, note, links);
  }
  if (milestones.length === 1)
    return { kind: 'update', ...fields, milestoneId: milestones[0]!.id, state: 'done', note, links };
  // "Construction is 99% complete, all of the stations are done": parts done beside the whole's percentage are
  // how it got there; the percentage is the news, and a whole below 100% is not done.
  if (parsed.partialDone && !state && fields.percent !== undefined && fields.percent < 100) {
    return { kind: 'update', ...fields, note, links, unrecorded: [...parts, { raw: 'done', reason: 'state' }] };
  }
  if (parsed.partialDone && !state) {
    // Something was completed, but it names no milestone: which one, or the whole item?
    const options: Option[] = [
      // The milestone the text shares most words with first ("completed the foundation" → foundation complete).
      ...item.milestones
        .filter((m) => !reached(m))
        .map((m, i) => ({ m, i, score: measureScore(parsed.note, m.name) }))
        .sort((a, b) => b.score - a.score || a.i - b.i)
        .map(({ m }) => m)
        .slice(0, 5)
        .map((m) => ({
          label: { zh: `${m.name.zh} 已完成`, en: `${m.name.en ?? m.name.zh} reached` },
          update: { ...fields, milestoneId: m.id, state: 'done' as const },
        })),
      { label: { zh: '整体完成', en: 'The whole item is done' }, update: { ...fields, state: 'done' } },
    ];
    return ambiguous('milestone_unclear', options, note, links);
  }
  // "in progress" beside a percentage says nothing the percentage does not.
  if (state && !(state === 'in_progress' && fields.percent !== undefined)) fields.state = state;
  const unrecorded = parts.length > 0 ? { unrecorded: parts } : {};
  if (fields.percent === undefined && fields.state === undefined) return { kind: 'note', note, links, ...unrecorded };
  return { kind: 'update', ...fields, note, links, ...unrecorded };
}

/** Words of a project's progress that are the whole project's: 形象进度, 总工程量, 主体. */
const WHOLE_PROGRESS =
  /工程形象进度|形象进度|总工程量|工程量|总体进度|整体进度|工程进度|进度|项目|工程|总体|整体|主体/g;
const PROGRESS_VERBS =
  /已经|已|建设|施工|完成|达到|累计|目前|约|为|达|共|实现|推进中|施工中|进行中|建设中|在建|正在|顺利|按计划|稳步推进|有序推进|\d+、|[一二三四五六七八九十]+是/g;

function namesAPart(measure: string, name: string): boolean {
  const own = simplified(name).toLowerCase();
  const bare = own.replace(/(?:建设|改造|提升)?(?:项目|工程)$/, '');
  // Only the words right before the figure's verb name what is done ("推进中，完成35%" names nothing).
  const clause = measure.split(/[,;:，；：]/).at(-1) ?? '';
  const rest = clause
    .replace(own, ' ')
    .replace(bare.length >= 2 ? bare : own, ' ')
    .replace(WHOLE_PROGRESS, ' ')
    .replace(PROGRESS_VERBS, ' ');
  const runs = rest.match(/\p{Script=Han}{3,}/gu) ?? [];
  return runs.some((r) => ![...r].some((ch) => own.includes(ch)));
}
