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

export type Figure = {
  mode: FigureMode;
  number: ParsedNumber;
  /** The cue that decided the mode (累计, 本月, more, 截至 …), when there was one. */
  anchor?: string;
  /** true when the text gave a direction (新增, 减少, +, -, more, fewer); false for a bare period cue (本月). */
  signed?: boolean;
  /** Up to 12 characters of the clause before the number: which measure it is about (累计开工, 增速). */
  context: string;
};

export type ParsedPercent = {
  /** Signed (同比下降3.2% → -3.2). */
  value: number;
  /** completion: 完成/进度/done; rate: 增速/同比/growth; unknown: neither said. */
  kind: 'completion' | 'rate' | 'unknown';
  mode: FigureMode;
  raw: string;
  context: string;
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
  | 'several_figures'
  | 'unit_mismatch'
  | 'milestone_unclear'
  /** A milestone was reported reached in the same breath as blocked/delayed: one update cannot say both. */
  | 'milestone_or_state';

export type Interpretation =
  | ({ kind: 'update'; note: string; links: string[] } & UpdateFields)
  | {
      kind: 'ambiguous';
      reason: AmbiguityReason;
      options: Array<{ label: { zh: string; en: string }; update: UpdateFields }>;
      note: string;
      links: string[];
    }
  | { kind: 'note'; note: string; links: string[] };
