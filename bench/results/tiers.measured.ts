/**
 * Which CPU tiers a results file measured. A remote target (bench --target)
 * records the tiers it could not see in environment.target.notMeasured; their
 * zeros in the per-tier records are placeholders, and every view says
 * "not measured" for them instead.
 */
import type { Environment, Tier } from './results.schema';

/** `environment` may be absent in hand-built Results (tests, partial files): then every tier was measured. */
export function tierMeasured(environment: Environment | undefined, tier: Tier): boolean {
  return !(tier in (environment?.target?.notMeasured ?? {}));
}
