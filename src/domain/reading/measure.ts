/**
 * Which measure a figure is about: the words around it (累计开工城市更新项目31个 → 开工, 城市更新项目)
 * against the item's name. Scores shared two-character words in Chinese and shared content words in
 * English, after dropping the words every report uses (累计, 完成, 同比, 全区, total, year …).
 */
import type { Text } from '../schema.ts';
import { canonicalTerms, simplified } from './normalise.ts';

const GENERIC_ZH = new Set([
  '累计',
  '新增',
  '本月',
  '当月',
  '完成',
  '目前',
  '截至',
  '截止',
  '今年',
  '全年',
  '年度',
  '已经',
  '其中',
  '同比',
  '增长',
  '增速',
  '达到',
  '实现',
  '全区',
  '全市',
  '全县',
  '全省',
  '全镇',
  '我区',
  '我市',
  '我县',
  '以来',
  '年初',
  '月底',
  '月末',
  '共计',
  '总计',
  '合计',
  '计划',
  '任务',
  '目标',
  '比上',
  '上年',
  '去年',
  '同期',
  '情况',
  '工作',
  '进度',
  '个百',
  '百分',
  '分点',
  '以上',
  '左右',
  '超过',
  '约为',
  '占比',
  '亿元',
  '万元',
  '一批',
]);
const STOP_EN = new Set([
  'the',
  'a',
  'an',
  'of',
  'in',
  'on',
  'for',
  'to',
  'and',
  'with',
  'by',
  'as',
  'at',
  'from',
  'total',
  'year',
  'month',
  'so',
  'far',
  'date',
  'this',
  'that',
  'its',
  'their',
  'has',
  'have',
  'had',
  'was',
  'were',
  'is',
  'are',
  'been',
  'be',
  'up',
  'more',
  'new',
  'percent',
  'yuan',
  'billion',
  'million',
  'first',
  'last',
  'than',
  'over',
  'about',
  'nearly',
  'around',
  'some',
  'all',
  'city',
  'district',
  'zone',
  'which',
]);

function hanGrams(s: string): Set<string> {
  const out = new Set<string>();
  for (const run of s.match(/\p{Script=Han}+/gu) ?? []) {
    for (let i = 0; i + 1 < run.length; i++) {
      const g = run.slice(i, i + 2);
      if (!GENERIC_ZH.has(g)) out.add(g);
    }
  }
  return out;
}

function stem(w: string): string {
  return w.replace(/(?:ies)$/, 'y').replace(/(?:es|s|ed|ing|e)$/, '');
}

function enWords(s: string): Set<string> {
  const out = new Set<string>();
  for (const w of s.toLowerCase().match(/[a-z]{3,}/g) ?? []) if (!STOP_EN.has(w)) out.add(stem(w));
  return out;
}

/** How many of the item's name words the context shares (0 when it names nothing of the item). */
export function measureScore(context: string, name: Text): number {
  let score = 0;
  const n = hanGrams(name.zh);
  for (const g of hanGrams(context)) if (n.has(g)) score++;
  if (name.en) {
    const e = enWords(name.en);
    for (const w of enWords(context)) if (e.has(w)) score++;
  }
  return score;
}

// ---------------------------------------------------------------------------------------------
// The subject of a figure: the noun phrase it measures
// ---------------------------------------------------------------------------------------------

/** Words that join or qualify acts, never a thing: 已完成和提前完成, 超额完成. */
const FILLER = /和|及|与|或|并|提前|超额|基本|全面|均|都|等|顺利|相继|陆续/g;
const LEAD_WORD =
  /实现|完成|累计|共有|共计|总计|合计|全区|全市|全县|全省|全镇|全国|我区|我市|我县|开发区|示范区|高新区|其中|截至|以来|目前|今年|全年|已经|已|达到|新增|:/;

/** Words after a subject, before its figure: 同比增长, 为, 达到, 分别为. */
const TRAIL =
  /(?:同比|名义|实际|比上年同期|比去年同期|较上年|比上年|分别|累计|共|约|近|超|达|达到|为|是|增长|增速|增幅|增加|下降|提高|回落|完成|实现|总额|总数|数量|个数)+$/;
/** A subject that is only a verb says which act, not which thing: 建成, 开工, 签约. */
const ACT_WORDS =
  /净增|新增|建成|完成|开工|竣工|签约|入驻|引进|盘活|改造|建设|投资|实施|推进|投产|招引|落地|新建|续建|投入|到位|拆除|征收|收储|供应|出让|在建|交付|使用|运营|剩余|还剩|尚余|存量|减少|降至|增加|盘活|腾退|整治|提升|打造|新|已|共|又|再|另|达|超|约|近|仅|累计|全部|实际|当前|目前/g;
const TIME_WORDS =
  /(?:较|比)?(?:上年末|上年底|去年底|去年末|上年同期|去年同期|上年|去年)|(?:较|比)?(?:年初|年末|年底)|本月|当月|单月|本周|本季度|本季|上月|今年|全年|年内|本年|年初|以来|截至|截止|至今|[\d一二三四五六七八九十]+月份?(?:底|末)?|[\d一二三四五六七八九十]+季度|此次|本次|这次|该次|本批|此批|这批|当天|当日|今天|今日|近日|日前/g;

/** The noun phrase a figure measures, from the words before it: "开发区实现规上工业销售产值" → 规上工业销售产值. */
export function subjectOf(measure: string): string {
  return remember(subjects, measure, 4096, () => findSubject(measure));
}
const subjects = new Map<string, string>();

function findSubject(measure: string): string {
  // "新能源、新材料、现代钢铁冶金产业项目" is one subject: a 、-list names its kinds.
  const han = measure
    .replace(TIME_WORDS, ' ')
    .replace(/[^\p{Script=Han}:、]/gu, ' ')
    .replace(/^、+|、+$/g, '')
    .replace(/\s*、\s*/g, '、')
    .trim();
  const runs = han.split(/\s+/).filter(Boolean);
  const last = (runs[runs.length - 1] ?? '').replace(FILLER, '').replace(TRAIL, '');
  // The thing measured is after the last lead word ("开发区实现规上工业销售产值"), or before it ("跟踪在谈项目累计").
  const parts = last
    .split(LEAD_WORD)
    .map((x) => x.replace(TRAIL, ''))
    .filter(Boolean);
  for (let i = parts.length - 1; i >= 0; i--) {
    // A subject that is only an act (建成, 新开工, 新增入驻) says which act, not which thing.
    if (parts[i]!.replace(ACT_WORDS, '').length >= 2) return parts[i]!;
  }
  return '';
}

/** Action words that name what a count counts: an item called 新开工项目数 counts 开工, not 在建. */
const ACTS = [
  '开工',
  '竣工',
  '签约',
  '入驻',
  '投产',
  '完成',
  '建成',
  '开业',
  '引进',
  '落地',
  '招引',
  '改造',
  '拆除',
  '交付',
  '验收',
  '新增',
  '达产',
  'start',
  'complet',
  'sign',
  'open',
];
const ACT_RE = new Map(
  ACTS.map((a) => [
    a,
    /^[a-z]/.test(a) ? new RegExp(`\\b${a === 'sign' ? 'sign(?:ed|ing|s)?\\b' : a}`) : new RegExp(a),
  ]),
);
const hasAct = (text: string, a: string) => ACT_RE.get(a)!.test(text);
/** Other words for the same act: 相继启动 is 开工. */
const ACT_SYNONYMS: Array<[RegExp, string]> = [
  [/启动|动工|开建|破土/g, '开工'],
  [/完工/g, '竣工'],
  [/落地/g, '落地'],
  [/建成/g, '建成'],
];

/** Whether words name an act a count can count (开工, 签约, 引进, started). */
export function namesAnAct(text: string): boolean {
  return ACTS.some((a) => hasAct(text, a)) || ACT_SYNONYMS.some(([re]) => text.search(re) >= 0);
}

export type MeasureFit = { acts: number; score: number; other: boolean };

/** The words of one figure, worked out once however many items it is compared with. */
type FigureSide = {
  han: boolean;
  /** Acts of the figure, in both languages' spellings (开竣工 blanked, synonyms folded). */
  ownActs: string[];
  scoreGrams: Set<string>;
  scoreWords: Set<string>;
  subject: string;
  subjectGrams: string[];
  measureHasHan: boolean;
  measureWords: string[];
  afterHasWords: boolean;
};
/** The words of one item's name. */
type ItemSide = { zh: string; grams: Set<string>; words: Set<string>; key: string; actsZh: string[]; actsEn: string[] };

// A long note has a few hundred figures and a thread a few dozen items: both sides are remembered, boundedly.
const figureSides = new Map<string, FigureSide>();
const itemSides = new Map<string, ItemSide>();
function remember<T>(map: Map<string, T>, key: string, max: number, make: () => T): T {
  const known = map.get(key);
  if (known) return known;
  if (map.size >= max) map.clear();
  const made = make();
  map.set(key, made);
  return made;
}

// 开竣工 names both acts at once: it is neither's figure alone.
function actsOf(text: string): string {
  let out = text.toLowerCase().replace(/开竣工/g, '   ');
  for (const [re, act] of ACT_SYNONYMS) out = out.replace(re, act);
  return out;
}

function figureSide(rawMeasure: string, rawAfter: string, actWords?: { acts: string; wholeActs?: string }): FigureSide {
  const key = `${rawMeasure}\u0001${rawAfter}\u0001${actWords?.acts ?? '\u0002'}\u0001${actWords?.wholeActs ?? ''}`;
  return remember(figureSides, key, 4096, () => {
    const measure = canonicalTerms(rawMeasure);
    const after = canonicalTerms(rawAfter);
    const around = `${measure} ${after}`;
    let aroundActs = actsOf(`${actWords?.acts ?? measure} ${after}`);
    // A part says no act of its own ("其中亿元以上项目23个"): it shares its whole's.
    if (actWords?.wholeActs && !ACTS.some((a) => hasAct(aroundActs, a)))
      aroundActs = actsOf(`${actWords.wholeActs} ${aroundActs}`);
    // A part shares its whole's words: "新签约项目29个，其中亿元以上项目23个" names 新签约亿元以上项目 in full.
    const scored = actWords?.wholeActs ? `${around} ${actWords.wholeActs}` : around;
    const subject = subjectOf(measure);
    const measureHasHan = /\p{Script=Han}/u.test(measure);
    return {
      han: /\p{Script=Han}/u.test(`${measure}${after}`),
      ownActs: ACTS.filter((a) => hasAct(aroundActs, a)),
      scoreGrams: hanGrams(scored),
      scoreWords: enWords(scored),
      subject,
      // Compare things, not acts: 剩余闲置厂房 and 存量闲置厂房面积 are the same thing.
      subjectGrams: subject ? [...hanGrams(subject.replace(ACT_WORDS, ' '))] : [],
      measureHasHan,
      measureWords: measureHasHan ? [] : [...enWords(measure)],
      afterHasWords: enWords(after).size > 0,
    };
  });
}

function itemSide(rawName: Text): ItemSide {
  return remember(itemSides, `${rawName.zh}\u0001${rawName.en ?? ''}`, 512, () => {
    const zh = canonicalTerms(simplified(rawName.zh));
    const actsIn = (text: string) => {
      let t = text.toLowerCase();
      for (const [re, act] of ACT_SYNONYMS) t = t.replace(re, act);
      return ACTS.filter((a) => hasAct(t, a));
    };
    return {
      zh,
      grams: hanGrams(zh),
      words: rawName.en ? enWords(rawName.en) : new Set<string>(),
      // 规上工业企业增加值 is 规上工业增加值; 规上工业销售产值 is not.
      key: zh.replace(/(?:增速|增长率|增幅|增长|数量|个数|数|率)$/, ''),
      actsZh: actsIn(zh),
      actsEn: actsIn(rawName.en ?? zh),
    };
  });
}

/** How well the words around a figure fit the item: shared action words, shared name words, or another measure. */
export function fitOf(
  rawMeasure: string,
  rawAfter: string,
  rawName: Text,
  actWords?: { acts: string; wholeActs?: string },
): MeasureFit {
  const f = figureSide(rawMeasure, rawAfter, actWords);
  const item = itemSide(rawName);
  // Acts are compared in the text's own language: 开工 with 开工, "started" with "start".
  const itemActs = f.han ? item.actsZh : item.actsEn;
  const acts = itemActs.filter((a) => f.ownActs.includes(a)).length;
  let score = 0;
  for (const g of f.scoreGrams) if (item.grams.has(g)) score++;
  if (rawName.en) for (const w of f.scoreWords) if (item.words.has(w)) score++;
  const { subject } = f;
  let other = false;
  if (subject) {
    const foreign = f.subjectGrams.filter((g) => !item.grams.has(g)).length;
    const shared = f.subjectGrams.length - foreign;
    const contains = item.key.includes(subject) || subject.includes(item.key);
    // 工业投资 for 固定资产投资, 产值 for 规上工业增加值: a subject of its own.
    other = !contains && (shared === 0 ? f.subjectGrams.length >= 1 : foreign >= 2 && foreign > shared);
  } else if (!f.measureHasHan && rawName.en) {
    other = f.measureWords.length >= 2 && !f.measureWords.some((w) => item.words.has(w)) && !f.afterHasWords;
  }
  // An act of another kind (基本建成 for a count of 开工, 新落地 for 新签约) is another measure.
  const specific = (a: string) => a !== '新增' && a !== '完成';
  if (itemActs.some(specific) && acts === 0 && f.ownActs.some(specific) && f.measureHasHan) other = true;
  // An item counting an act (入统招商项目动工数) and a figure naming a thing with no act (上报…项目40个).
  if (itemActs.some(specific) && acts === 0 && subject && f.ownActs.length === 0) other = true;
  return { acts, score, other };
}
