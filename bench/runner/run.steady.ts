/**
 * The steady-state rule of a run, applied: when a window may open (the
 * plan's minimum passed, every replica that takes traffic has served its
 * share of warm-up requests, and enough buckets exist under the budget for
 * the test), whether it stands when it closes (bench/measure/steady-state.ts
 * testWindow: a refused window becomes warm-up and the next one opens), and
 * the run's verdict.
 *
 * Runs that cannot retry a window (a profiled run, whose profiler toggles at
 * the window's edges; a shard, whose window opens at a common time) keep the
 * stricter order: the full steadiness test passes before the window opens.
 */
import {
  classifyRun,
  STEADY_RULE,
  steadiness,
  testWindow,
  type BucketFigures,
} from '../measure/steady-state';
import type { Plan, SteadyState, TimelineBucket } from '../results/results.schema';
import { windowBucketCount, type WarmupControl } from '../load/load.driver';

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

/** The buckets the steadiness test reads: those run under the CPU budget (not the relaxed start). */
const underBudget = (buckets: readonly TimelineBucket[]) => buckets.filter((b) => b.phase !== 'relaxed');

/**
 * Replicas that answered lately must each have served `perReplica` warm-up
 * requests (ip_hash leaves some idle); those of the relaxed start count, as
 * they warm the JIT as much as any (the record's warmupRequestsByReplica counts them too).
 */
function replicasWarm(buckets: readonly TimelineBucket[], perReplica: number): boolean {
  const active = Object.keys(requestsByReplica(buckets.slice(-STEADY_RULE.windowBuckets)));
  const served = requestsByReplica(buckets);
  return active.length > 0 && active.every((r) => (served[r] ?? 0) >= perReplica);
}

export function warmupControl(
  plan: Plan,
  enforceBudget?: () => void,
  options: { retryWindows: boolean } = { retryWindows: false },
): WarmupControl {
  const minSeconds = plan.warmupSeconds;
  const windowBuckets = windowBucketCount(plan.durationSeconds);
  // With retries the window is the test's last part: open once the buckets before it fill the rest.
  const testedBefore = Math.max(0, STEADY_RULE.windowBuckets - windowBuckets);
  const base = {
    minSeconds,
    relaxedSeconds: enforceBudget ? plan.relaxedWarmupSeconds : 0,
    enforceBudget,
    maxSeconds: Math.max(minSeconds, plan.maxWarmupSeconds ?? minSeconds),
  };
  const warm = (buckets: readonly TimelineBucket[]) => replicasWarm(buckets, plan.warmupRequestsPerReplica);
  if (!options.retryWindows)
    return {
      ...base,
      ready: (buckets) => warm(buckets) && steadiness(underBudget(buckets).map(figuresOf)).steady,
    };
  return {
    ...base,
    ready: (buckets) => warm(buckets) && underBudget(buckets).length >= testedBefore,
    accept: (buckets) => testWindow(underBudget(buckets).map(figuresOf), windowBuckets).accepted,
  };
}

/** How the warm-up of a run ended (bench/load/load.driver.ts counts the windows). */
export interface WarmupEnd {
  seconds: number;
  /** The tests, not the limit, ended the warm-up. */
  accepted: boolean;
  /** Times the window's opening was asked about, and windows opened: 1 and 1 mean steady at once. */
  readyChecks: number;
  windowsTried: number;
}

/** The run's steady-state record: how long it warmed, what the test said when the window opened, the verdict. */
export function steadyStateOf(
  timeline: readonly TimelineBucket[],
  warmup: WarmupEnd,
  plan: Plan,
): SteadyState {
  const warm = timeline.filter((b) => b.phase === 'warmup');
  const warming = timeline.filter((b) => b.phase === 'warmup' || b.phase === 'relaxed');
  const measured = timeline.filter((b) => b.phase === 'measured');
  const atOpen = steadiness(warm.map(figuresOf));
  // The test a window must pass at its close (steady-state.ts testWindow), also for runs that could not retry.
  const atClose = testWindow([...warm, ...measured].map(figuresOf), measured.length);
  const { seconds: warmupSeconds, accepted, windowsTried } = warmup;
  // --max-warmup 0 turns the rule off: the figures are kept, and flagged as unchecked.
  const checked = plan.maxWarmupSeconds !== 0;
  return {
    verdict: checked
      ? classifyRun(
          accepted,
          windowsTried === 1 && warmup.readyChecks === 1,
          atClose.drift,
          STEADY_RULE,
          atClose.driftLimit,
        )
      : 'unchecked',
    warmupSeconds,
    warmupRequestsByReplica: requestsByReplica(warming),
    rule: STEADY_RULE,
    windowsTried,
    atOpen: { throughput: atOpen.throughput, cpu: atOpen.cpu },
    atClose: { throughput: atClose.steadiness.throughput, cpu: atClose.steadiness.cpu },
    windowDrift: atClose.drift,
  };
}

/** Why a run's figures cannot be trusted as a steady state, or null. */
export function unsteadyReason(s: SteadyState): string | null {
  const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
  const test = s.atClose ?? s.atOpen;
  if (s.verdict === 'no-steady-state')
    return `no steady state: not settled after ${s.warmupSeconds.toFixed(0)} s of warm-up (throughput trend ${pct(test.throughput.trend)}, spread ${pct(test.throughput.spread)}; window drift ${pct(s.windowDrift.throughput)})`;
  if (s.verdict === 'slowdown')
    return `slowdown inside the window: throughput ${pct(s.windowDrift.throughput)}, replica CPU per request ${s.windowDrift.cpuPerRequest === null ? 'not measured' : pct(s.windowDrift.cpuPerRequest)} from its first half to its second`;
  return null;
}
