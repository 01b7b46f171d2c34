/** Targets on course to miss (预计完不成): those whose status carries the forecast's own reason. */
import type { ItemStatus } from '../../src/domain/status.ts';

/** The forecast's reason code (src/domain/forecast.ts adds it to the status reasons). */
export const FORECAST_MISS = 'forecast_miss';

/**
 * The items whose reasons include a forecast miss, in the order given (worst first when the list is).
 * Compared as a string so this reads the reason whether or not this build's Reason type names it yet.
 */
export function forecastMisses(statuses: readonly ItemStatus[]): ItemStatus[] {
  return statuses.filter((s) => s.reasons.some((r) => (r.code as string) === FORECAST_MISS));
}
