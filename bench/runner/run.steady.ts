/**
 * The steady-state rule of a run, applied: when the warm-up may end (the
 * plan's minimum passed, every replica that takes traffic has served its
 * share of warm-up requests, and the last buckets pass the steadiness test of
 * bench/measure/steady-state.ts), and the run's verdict once the window closed.
 */
import {
  classifyRun,
  STEADY_RULE,
  steadiness,
  windowDrift,
  windowDriftLimit,
  type BucketFigures,
} from '../measure/steady-state';
import type { Plan, SteadyState, TimelineBucket } from '../results/results.schema';
import type { WarmupControl } from '../load/load.driver';

/** A timeline bucket as the steadiness test reads it. */
export const figuresOf = (b: TimelineBucket): BucketFigures => ({
  requests: b.requests,
  replicaCpuSeconds: b.cpuSeconds ? b.cpuSeconds.replicas : null,
});

function requestsByReplica(buckets: readonly TimelineBucket[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const b of buckets) for (const [r, n] of Object.entries(b.replicaRequests)) out[r] = (out[r] ?? 0) + n;
  return out;
}

/** Replicas that answered lately must each have served `perReplica` warm-up requests (ip_hash leaves some idle). */
function replicasWarm(buckets: readonly TimelineBucket[], perReplica: number): boolean {
  const active = Object.keys(requestsByReplica(buckets.slice(-STEADY_RULE.windowBuckets)));
  const served = requestsByReplica(buckets);
  return active.length > 0 && active.every((r) => (served[r] ?? 0) >= perReplica);
}

export function warmupControl(plan: Plan, enforceBudget?: () => void): WarmupControl {
  const minSeconds = plan.warmupSeconds;
  return {
    minSeconds,
    relaxedSeconds: enforceBudget ? plan.relaxedWarmupSeconds : 0,
    enforceBudget,
    maxSeconds: Math.max(minSeconds, plan.maxWarmupSeconds ?? minSeconds),
    ready: (buckets) =>
      replicasWarm(buckets, plan.warmupRequestsPerReplica) && steadiness(buckets.map(figuresOf)).steady,
  };
}

/** How the warm-up of a run ended (bench/load/load.driver.ts counts the checks). */
export interface WarmupEnd {
  seconds: number;
  /** The steadiness test, not the limit, opened the window. */
  openedSteady: boolean;
  /** Times the test was asked; 1 means the run was steady at the first check. */
  readyChecks: number;
}

/** The run's steady-state record: how long it warmed, what the test said when the window opened, the verdict. */
export function steadyStateOf(
  timeline: readonly TimelineBucket[],
  warmup: WarmupEnd,
  plan: Plan,
): SteadyState {
  const warm = timeline.filter((b) => b.phase === 'warmup');
  const warming = timeline.filter((b) => b.phase === 'warmup' || b.phase === 'relaxed');
  const measured = timeline.filter((b) => b.phase === 'measured').map(figuresOf);
  const atOpen = steadiness(warm.map(figuresOf));
  const drift = windowDrift(measured);
  const { seconds: warmupSeconds, openedSteady } = warmup;
  const firstCheck = warmup.readyChecks === 1;
  // --max-warmup 0 turns the rule off: the figures are kept, and flagged as unchecked.
  const checked = plan.maxWarmupSeconds !== 0;
  return {
    verdict: checked
      ? classifyRun(
          openedSteady,
          firstCheck,
          drift,
          STEADY_RULE,
          windowDriftLimit(atOpen.throughput.spread, measured.length),
        )
      : 'unchecked',
    warmupSeconds,
    warmupRequestsByReplica: requestsByReplica(warming),
    rule: STEADY_RULE,
    atOpen: { throughput: atOpen.throughput, cpu: atOpen.cpu },
    windowDrift: drift,
  };
}

/** Why a run's figures cannot be trusted as a steady state, or null. */
export function unsteadyReason(s: SteadyState): string | null {
  const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
  if (s.verdict === 'no-steady-state')
    return `no steady state: not settled after ${s.warmupSeconds.toFixed(0)} s of warm-up (throughput trend ${pct(s.atOpen.throughput.trend)}, spread ${pct(s.atOpen.throughput.spread)}; window drift ${pct(s.windowDrift.throughput)})`;
  if (s.verdict === 'slowdown')
    return `slowdown inside the window: throughput ${pct(s.windowDrift.throughput)}, replica CPU per request ${s.windowDrift.cpuPerRequest === null ? 'not measured' : pct(s.windowDrift.cpuPerRequest)} from its first half to its second`;
  return null;
}
