import type { ProjectState } from '../schema.ts';
export type Magnitude = 1 | 1e4 | 1e8;

export type ParsedNumber = {
  /** Signed: negative when the text says so (减少2万平方米, -3.2%). */
  amount: number;
  magnitude: Magnitude;
  /** Unit word as written, without 万/亿: 项, 个, 元, 平方米, %, projects … */
  unit?: string;
  raw: string;
};

export type FigureMode = 'absolute' | 'increment' | 'unknown';

/**
 * What a figure is in the text: what was achieved (actual), what was planned, set or forecast (plan), a
 * part of another figure (subset, 其中…), a difference from another period (comparison, 比上年增加5个), or the
 * size of the group the next figure counts in (scope: the 170 of "170个新开项目已开工145个").
 */
export type FigureRole = 'actual' | 'plan' | 'subset' | 'comparison' | 'scope';
export type { FrameKind } from './frames.ts';

import type { FrameKind } from './frames.ts';

/** What the words around a figure or a percentage say of it: what it measures, its role and period. */
export type FigureWords = {
  /** Up to 12 characters of the clause before the number: which measure it is about (累计开工, 增速). */
  context: string;
  /** A few characters after the number, up to the next figure (English puts the measure there). */
  after: string;
  /** The words the figure measures: back to the figure before it in its sentence (累计开工城市更新项目). */
  measure: string;
  /** The words where the act is said (签约, 开工): the clause-chain before the figure, a list's introduction. */
  acts: string;
  /** For a part (其中…), the whole's act words. */
  wholeActs?: string;
  role: FigureRole;
  /** The period the figure covers, when the text says: year to date (1-10月), one period (10月份, 当月), or on the period before (环比). */
  frame?: FrameKind;
  /** One entry of a list after ":" or "、" ("分别为:霍邱县52个、…、市开发区39个"): its measure is the entry's own name. */
  entry?: true;
  /** A part said as a share of a larger whole ("accounting for 17.70% of the city's total"). */
  ofWhole?: true;
  /** For a plan, the words that made it one (计划, 总投资): an item named by them takes the figure as its own. */
  planWords?: string[];
  /** Where the figure is in the scanned text, where its sentence (to ;。!?) starts and where its period (to 。!?) starts. */
  at?: number;
  sentence?: number;
  period?: number;
};

export type Figure = FigureWords & {
  mode: FigureMode;
  number: ParsedNumber;
  /** The cue that decided the mode (累计, 本月, more, 截至 …), when there was one. */
  anchor?: string;
  /** true when the text gave a direction (新增, 减少, +, -, more, fewer); false for a bare period cue (本月). */
  signed?: boolean;
  /** Said as new since the year began (较上年末净增11152户). */
  sinceYearStart?: boolean;
};

export type ParsedPercent = FigureWords & {
  /** Signed (同比下降3.2% → -3.2). */
  value: number;
  /** completion: 完成/进度/done; rate: 增速/同比/growth; unknown: neither said. */
  kind: 'completion' | 'rate' | 'unknown';
  mode: FigureMode;
  raw: string;
  /** A share of the year's plan or target (完成年度计划的109.93%, 占年度目标的80%). */
  ofPlan: boolean;
};

export type ParsedProgress = {
  /** The one figure found (not a percentage); absent when there are none or several. */
  figure?: Figure;
  /** Every distinct figure left after an absolute absorbed its increments, in order (>1 is ambiguous). */
  figures: Figure[];
  /** Increments dropped because an absolute of the same measure was given (本月新增5项，累计31项). */
  superseded: Figure[];
  /** The completion percentage 0..100, when one is given (or the only percentage given is in range). */
  percent?: number;
  /** Every distinct percentage, signed, in order. */
  percents: ParsedPercent[];
  state?: 'done' | 'blocked' | 'delayed' | 'in_progress';
  /** A qualified completion was reported (主体完工, works start done): a milestone, not the whole item. */
  partialDone: boolean;
  blocker?: string;
  /** Phrases that may name a reached milestone; the caller matches them against milestone names. */
  milestoneWords: string[];
  links: string[];
  /** The text with Slack markup resolved, trimmed, at most 4000 characters. */
  note: string;
  /** A completion or start word was negated (尚未完成, 未开工, not done); `state` is then never done. */
  negated: boolean;
};

export type UpdateFields = { value?: number; percent?: number; state?: ProjectState; milestoneId?: string };

export type AmbiguityReason =
  | 'increment_or_total'
  /** The figure is off from the item's scale by a factor such as 10⁴ (万元 for 亿元), or past the target. */
  | 'implausible'
  /** A total and an increment in one text disagree with the last value (31 ≠ 20 + 5). */
  | 'inconsistent'
  | 'several_figures'
  | 'unit_mismatch'
  | 'milestone_unclear'
  /** A milestone was reported reached in the same breath as blocked/delayed: one update cannot say both. */
  | 'milestone_or_state';

/** Why a figure or state in the text was not recorded for the item. */
export type UnrecordedReason =
  /** planned, set, assigned or forecast: 计划, 任务, 目标, 下达, 预计, 力争, expected */
  | 'plan'
  /** a part of another figure: 其中… */
  | 'subset'
  /** a difference from another period: 比上年增加5个 */
  | 'comparison'
  /** a rate of another period than the item tracks: 10月份增长9.1%, 环比 */
  | 'period'
  /** about another measure or item: 固定资产投资 for 规上工业增加值增速 */
  | 'other_measure'
  /** a unit the item cannot take: 3.2亿元 for a count of projects */
  | 'unit'
  /** a state this kind of item does not record, or a state beside a figure */
  | 'state';

export type Unrecorded = { raw: string; reason: UnrecordedReason };

/** What a text means for one item: record it, ask which reading, or keep it as a note. */
export type Interpretation = (
  | ({ kind: 'update'; note: string; links: string[]; increment?: number } & UpdateFields)
  | {
      kind: 'ambiguous';
      reason: AmbiguityReason;
      options: Array<{ label: { zh: string; en: string }; update: UpdateFields }>;
      note: string;
      links: string[];
    }
  | { kind: 'note'; note: string; links: string[] }
) & {
  /** Figures and states in the text that were not recorded, and why: the reply says so. */
  unrecorded?: Unrecorded[];
};
