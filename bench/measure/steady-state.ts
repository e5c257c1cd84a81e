/**
 * When a run has reached a steady state, judged from its timeline.
 *
 * Replicas start cold (interpreter, JIT tiers, GC sizing), and under a CPU
 * quota warming takes many seconds. Barrett et al. ("Virtual Machine Warmup
 * Blows Hot and Cold", OOPSLA 2017) classify benchmark timelines with
 * changepoint analysis into flat, warmup, slowdown and no steady state. Their
 * changepoint search runs offline over thousands of in-process iterations;
 * here the decision is online, once a second, over a few dozen one-second
 * buckets. What fits that is the test their steady segment must pass, taken
 * over a sliding window: the last `windowBuckets` buckets show no trend (a
 * least-squares line across them moves less than `maxTrend` of the mean) and
 * little spread (coefficient of variation below `maxSpread`), for throughput
 * and for replica CPU per request both. The measured window is then checked
 * again, its first half against its second.
 *
 * Pure functions over bucket figures, so the thresholds are tested as tables.
 */

export interface SteadyRule {
  /** Buckets the steadiness test looks back over. */
  windowBuckets: number;
  /** Largest change across the window of a least-squares line, relative to the mean. */
  maxTrend: number;
  /** Largest coefficient of variation across the window. */
  maxSpread: number;
  /** Largest relative change between the measured window's halves. */
  maxWindowDrift: number;
}

/**
 * One-second buckets of a 0.25-CPU replica carry ~25 scheduler ticks of CPU
 * (10 ms each) and a few hundred requests: about 4% quantisation noise per
 * bucket, hence a spread limit of 8% and a trend limit of 6% over 5 buckets.
 */
export const STEADY_RULE: SteadyRule = {
  windowBuckets: 5,
  maxTrend: 0.06,
  maxSpread: 0.08,
  maxWindowDrift: 0.08,
};

export interface BucketFigures {
  requests: number;
  /** Replica CPU seconds in the bucket; null when not measured. */
  replicaCpuSeconds: number | null;
}

export interface Steadiness {
  steady: boolean;
  throughput: { trend: number; spread: number };
  /** Replica CPU per request; null when CPU was not measured. */
  cpu: { trend: number; spread: number } | null;
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** |slope| x (n - 1) / mean of a least-squares line through the values at x = 0..n-1. */
export function relativeTrend(values: readonly number[]): number {
  const n = values.length;
  const m = mean(values);
  if (n < 2 || m === 0) return n < 2 ? 0 : Infinity;
  const xMean = (n - 1) / 2;
  let num = 0;
  let den = 0;
  values.forEach((v, x) => {
    num += (x - xMean) * (v - m);
    den += (x - xMean) ** 2;
  });
  return Math.abs((num / den) * (n - 1)) / Math.abs(m);
}

/** Sample coefficient of variation; Infinity for a zero mean. */
export function spreadOf(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const m = mean(values);
  if (m === 0) return Infinity;
  const variance = values.reduce((a, v) => a + (v - m) ** 2, 0) / (values.length - 1);
  return Math.sqrt(variance) / Math.abs(m);
}

const cpuPerRequest = (b: BucketFigures) => (b.replicaCpuSeconds ?? 0) / Math.max(1, b.requests);

/** The steadiness test over the last `rule.windowBuckets` buckets; not steady while fewer exist. */
export function steadiness(buckets: readonly BucketFigures[], rule: SteadyRule = STEADY_RULE): Steadiness {
  const recent = buckets.slice(-rule.windowBuckets);
  const requests = recent.map((b) => b.requests);
  const throughput = { trend: relativeTrend(requests), spread: spreadOf(requests) };
  const measured = recent.every((b) => b.replicaCpuSeconds !== null);
  const cpuValues = recent.map(cpuPerRequest);
  const cpu = measured ? { trend: relativeTrend(cpuValues), spread: spreadOf(cpuValues) } : null;
  const within = (x: { trend: number; spread: number }) =>
    x.trend <= rule.maxTrend && x.spread <= rule.maxSpread;
  const steady =
    recent.length >= rule.windowBuckets &&
    requests.every((r) => r > 0) &&
    within(throughput) &&
    (!cpu || within(cpu));
  return { steady, throughput, cpu };
}

export interface WindowDrift {
  /** Second half against first half, relative: +0.1 = 10% more in the second half. */
  throughput: number;
  cpuPerRequest: number | null;
}

/** How the measured window's second half differs from its first (an odd bucket count leaves the middle one out). */
export function windowDrift(measured: readonly BucketFigures[]): WindowDrift {
  const half = Math.floor(measured.length / 2);
  const first = measured.slice(0, half);
  const second = measured.slice(measured.length - half);
  const sum = (bs: readonly BucketFigures[], f: (b: BucketFigures) => number) =>
    bs.reduce((a, b) => a + f(b), 0);
  const change = (a: number, b: number) => (a === 0 ? (b === 0 ? 0 : Infinity) : b / a - 1);
  const requests = (b: BucketFigures) => b.requests;
  const cpu = (b: BucketFigures) => b.replicaCpuSeconds ?? 0;
  const cpuMeasured = measured.every((b) => b.replicaCpuSeconds !== null);
  return {
    throughput: change(sum(first, requests), sum(second, requests)),
    cpuPerRequest: cpuMeasured
      ? change(
          sum(first, cpu) / Math.max(1, sum(first, requests)),
          sum(second, cpu) / Math.max(1, sum(second, requests)),
        )
      : null,
  };
}

/** The classification of Barrett et al., as far as a seconds-long run can tell it. */
export type SteadyVerdict = 'flat' | 'warmup' | 'slowdown' | 'no-steady-state' | 'unchecked';

/**
 * flat: steady at the first check; warmup: steady after a longer warm-up;
 * slowdown: steady when the window opened but worse by its end (throughput
 * down or CPU per request up beyond the drift limit); no-steady-state: the
 * warm-up limit passed without a steady window, or the window itself moved
 * in the improving direction (it was still warming).
 */
export function classifyRun(
  steadyAtOpen: boolean,
  firstCheck: boolean,
  drift: WindowDrift,
  rule: SteadyRule = STEADY_RULE,
): SteadyVerdict {
  if (!steadyAtOpen) return 'no-steady-state';
  const slower = -drift.throughput > rule.maxWindowDrift || (drift.cpuPerRequest ?? 0) > rule.maxWindowDrift;
  if (slower) return 'slowdown';
  const faster = drift.throughput > rule.maxWindowDrift || -(drift.cpuPerRequest ?? 0) > rule.maxWindowDrift;
  if (faster) return 'no-steady-state';
  return firstCheck ? 'flat' : 'warmup';
}

/** Runs whose figures may enter summaries, rankings and the gate ("unchecked" ones carry a warning). */
export function isSteadyVerdict(verdict: SteadyVerdict): boolean {
  return verdict !== 'slowdown' && verdict !== 'no-steady-state';
}
