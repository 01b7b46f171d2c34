/** Targets on course to miss (预计完不成): those whose status carries the forecast's own reason. */
import type { ItemStatus } from '../../src/domain/status.ts';

/** The items whose reasons include a forecast miss (src/domain/forecast.ts), in the order given. */
export function forecastMisses(statuses: readonly ItemStatus[]): ItemStatus[] {
  return statuses.filter((s) => s.reasons.some((r) => r.code === 'forecast_miss'));
}
