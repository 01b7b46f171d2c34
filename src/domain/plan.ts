/**
 * The plan (序时进度) of a cumulative target: the share of the way from baseline to target expected by a
 * day, linear over the period or through its checkpoints. Status judges the pace against it and
 * forecasts scale a recent trend by its shape.
 */

import { addDays, daysBetween } from './dates.ts';
import type { CumulativeTarget } from './schema.ts';

/** Expected share (0..1) of a cumulative target by the end of `today`: linear, or through checkpoints. */
export function expectedShare(target: Pick<CumulativeTarget, 'period' | 'checkpoints'>, today: string): number {
  const { start, end } = target.period;
  if (today < start) return 0;
  if (today >= end) return 1;
  const points: Array<{ date: string; share: number }> = [{ date: addDays(start, -1), share: 0 }];
  for (const c of target.checkpoints) points.push(c);
  const last = points[points.length - 1];
  if (!last || last.date < end) points.push({ date: end, share: 1 });
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!;
    const b = points[i]!;
    if (today <= b.date) {
      const span = daysBetween(a.date, b.date);
      const done = daysBetween(a.date, today);
      return span <= 0 ? b.share : a.share + ((b.share - a.share) * done) / span;
    }
  }
  return 1;
}
