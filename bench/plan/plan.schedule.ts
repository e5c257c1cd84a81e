/**
 * The order runs happen in. Repetitions are interleaved across cells
 * (A B C A B C ...) so that slow drift of the machine (thermal, other
 * tenants) spreads over every setup instead of landing on one. With two
 * variants (an A/B job) each cell runs both back to back, alternating which
 * goes first on every repetition (A B, B A, ...: ABBA), so neither side always
 * gets the warmer slot. With --cpu-profile, each cell's first repetition is
 * followed at once by a profiled twin, so the profiler's overhead is read
 * against the neighbouring unprofiled run of the same cell.
 */
import type { Plan } from '../results/results.schema';
import { findSetup } from '../../infra/setups.data';
import { variantsAtStoreRtts, type Variant } from './variant';

export interface ScheduledRun {
  /** Global position, 0-based. */
  order: number;
  repetition: number;
  setup: string;
  replicas: number;
  variant: Variant;
  /** CPU profiles over the window; such a run stays out of summaries and the gate. */
  profiled?: boolean;
}

type SchedulePlan = Pick<Plan, 'setups' | 'replicas' | 'repetitions' | 'cpuProfile'> &
  Partial<Pick<Plan, 'storeRttsMs' | 'storeRttReplicas'>>;

/**
 * A delayed Redis hop only where there is one (setups without a store run at 0
 * only), and only at the plan's storeRttReplicas when it names some.
 */
const runsAt = (plan: SchedulePlan, setup: string, replicas: number, variant: Variant) =>
  (variant.storeRttMs ?? 0) === 0 ||
  (findSetup(setup)?.needsRedis === true && (plan.storeRttReplicas ?? plan.replicas).includes(replicas));

export function scheduleRuns(plan: SchedulePlan, baseVariants: readonly Variant[]): ScheduledRun[] {
  const variants = variantsAtStoreRtts(baseVariants, plan.storeRttsMs ?? [0]);
  const runs: ScheduledRun[] = [];
  for (let repetition = 0; repetition < plan.repetitions; repetition++) {
    for (const setup of plan.setups) {
      for (const replicas of plan.replicas) {
        const ordered = repetition % 2 === 0 ? variants : [...variants].reverse();
        for (const variant of ordered.filter((v) => runsAt(plan, setup, replicas, v))) {
          runs.push({ order: runs.length, repetition, setup, replicas, variant });
          if (plan.cpuProfile && repetition === 0)
            runs.push({ order: runs.length, repetition, setup, replicas, variant, profiled: true });
        }
      }
    }
  }
  return runs;
}

/** Rough wall time of one run for the ETA before any run has finished (start, logins, warm-up, window, stop). */
export function estimateRunSeconds(
  plan: Pick<Plan, 'warmupSeconds' | 'durationSeconds' | 'connections'>,
): number {
  const startAndStop = 3;
  const logins = Math.min(10, plan.connections * 0.1);
  return startAndStop + logins + plan.warmupSeconds + plan.durationSeconds;
}
