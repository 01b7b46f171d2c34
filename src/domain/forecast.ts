/**
 * Forecasts (预测): where a cumulative target is heading by its period's end, and when a project's next
 * milestone is likely to be reached, from the item's own reports. Pure functions of the data and
 * `today`; a forecast is given only when the reports can carry one (too few reports → none), and says
 * how sure it is.
 *
 * The types here are the contract the charts (src/charts) and the replies read.
 */

/** Where a cumulative target's recent trend leads by the end of its period. */
export type TargetForecast = {
  itemId: string;
  /** The reports the trend was fitted to: the first and last report date, how many, over how many months. */
  basis: { from: string; to: string; reports: number; months: number };
  /** The trend's slope, in the target's unit per day. */
  ratePerDay: number;
  /** The last reported point, where the dashed forecast line starts. */
  last: { date: string; value: number };
  /** The period's end, where the forecast line ends. */
  end: string;
  /** The value the trend reaches at `end`, and a plausible range given how scattered the reports are. */
  projected: number;
  low: number;
  high: number;
  baseline: number;
  target: number;
  /** `projected` as a share of the way from baseline to target (0..1+). */
  share: number;
  /** How far `projected` falls short of the target (0 when it reaches it), in the target's unit. */
  gap: number;
  /**
   * `miss`: even the range's top falls short; `meet`: even its bottom reaches the target; `uncertain`:
   * the range straddles the target, so no claim either way.
   */
  outlook: 'miss' | 'meet' | 'uncertain';
};

/** When a project's next open milestone is likely to be reached, from the pace of the milestones already done. */
export type MilestoneForecast = {
  itemId: string;
  milestoneId: string;
  /** The milestone's planned date. */
  due: string;
  /** The date the project's pace so far points to. */
  projected: string;
  /** Milestones done that the pace was measured on. */
  basis: { done: number; from: string; to: string };
  /** Days after `due` (negative: before). */
  daysLate: number;
};
