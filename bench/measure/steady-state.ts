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
 * over a sliding window: across the last `windowBuckets` buckets, the second
 * half's mean differs from the first half's by less than the trend limit, for
 * throughput and for replica CPU per request both, and no bucket strays far
 * (coefficient of variation below `maxSpread`). The trend limit is `maxTrend`,
 * widened by the buckets' own noise to `trendSigmas` standard errors of the
 * halves' difference, never past `maxTrendCeiling`. The measured window is then
 * checked again, its first half against its second, against a limit that
 * allows for the noise the buckets showed.
 *
 * Pure functions over bucket figures, so the thresholds are tested as tables.
 */

export interface SteadyRule {
  /** Buckets the steadiness test looks back over. */
  windowBuckets: number;
  /** Least limit on the relative change between the halves of the window (the trend). */
  maxTrend: number;
  /** Standard errors of the halves' difference, from the buckets' noise, that the trend limit allows. */
  trendSigmas: number;
  /** Largest trend limit, however noisy the buckets: a change this large is never taken as noise. */
  maxTrendCeiling: number;
  /** Largest coefficient of variation across the window. */
  maxSpread: number;
  /** Least limit on the relative change between the measured window's halves (noise may widen it). */
  maxWindowDrift: number;
}

/**
 * Measured 2026-12-02 on a quiet 2-core VM with /proc schedstat: a replica at
 * its 0.25-CPU quota spends exactly 0.25 s of CPU each second, yet completes
 * 600-1040 requests from one second to the next (garbage collection takes its
 * share of some seconds): one-second buckets of a warm replica spread by
 * 15-20%. A least-squares trend over 5 such buckets is as noisy as the
 * warm-up it should detect, so the test compares the means of two halves of
 * 5 buckets each (warm-up +50% to +100%); the spread limit only catches
 * stalls. A fixed 10% limit on those halves refused a steady window about
 * half the time (2026-12-03: 9 of 14 first windows of a quick run), because
 * 5-bucket means of 15-25%-noisy buckets differ by 0.6-1.3 standard errors
 * at 10%. Two standard errors (about 1 in 20 steady windows refused, at the
 * cost of one more window) let 8 of those 14 stand on replay of their
 * timelines, while the steps of 30% or more that the machine showed between
 * seconds-long levels are still refused.
 * The window's own drift, which flags a run after the fact, keeps three.
 */
export const STEADY_RULE: SteadyRule = {
  windowBuckets: 10,
  maxTrend: 0.1,
  trendSigmas: 2,
  maxTrendCeiling: 0.25,
  maxSpread: 0.3,
  maxWindowDrift: 0.1,
};

export interface BucketFigures {
  requests: number;
  /** Replica CPU seconds in the bucket; null when not measured. */
  replicaCpuSeconds: number | null;
}

export interface TrendFigures {
  /** Relative change between the halves' means. */
  trend: number;
  /** Coefficient of variation across the buckets. */
  spread: number;
  /** The trend limit these buckets were held to (trendLimit). */
  limit: number;
}

export interface Steadiness {
  steady: boolean;
  throughput: TrendFigures;
  /** Replica CPU per request; null when CPU was not measured. */
  cpu: TrendFigures | null;
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** Relative change of the second half's mean against the first half's (an odd count leaves the middle out). */
export function halfChange(values: readonly number[]): number {
  const half = Math.floor(values.length / 2);
  if (half === 0) return 0;
  const first = mean(values.slice(0, half));
  const second = mean(values.slice(values.length - half));
  if (first === 0) return second === 0 ? 0 : Infinity;
  return Math.abs(second / first - 1);
}

/** Sample coefficient of variation; Infinity for a zero mean. */
export function spreadOf(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const m = mean(values);
  if (m === 0) return Infinity;
  const variance = values.reduce((a, v) => a + (v - m) ** 2, 0) / (values.length - 1);
  return Math.sqrt(variance) / Math.abs(m);
}

/** The steadiness test over the last `rule.windowBuckets` buckets; not steady while fewer exist. */
export function steadiness(buckets: readonly BucketFigures[], rule: SteadyRule = STEADY_RULE): Steadiness {
  const recent = buckets.slice(-rule.windowBuckets);
  const requests = recent.map((b) => b.requests);
  const throughput = {
    trend: halfChange(requests),
    spread: spreadOf(requests),
    limit: trendLimit(successiveSpread(requests), recent.length, rule),
  };
  const measured = recent.every((b) => b.replicaCpuSeconds !== null);
  const cpu = measured ? cpuSteadiness(recent, rule) : null;
  const steady =
    recent.length >= rule.windowBuckets &&
    requests.every((r) => r > 0) &&
    throughput.trend <= throughput.limit &&
    throughput.spread <= rule.maxSpread &&
    (!cpu || cpu.trend <= cpu.limit);
  return { steady, throughput, cpu };
}

/** Replica CPU per request per half (sums, not a mean of per-bucket ratios), its per-bucket spread and limit. */
function cpuSteadiness(recent: readonly BucketFigures[], rule: SteadyRule): TrendFigures {
  const perRequest = (bs: readonly BucketFigures[]) =>
    bs.reduce((a, b) => a + (b.replicaCpuSeconds ?? 0), 0) /
    Math.max(
      1,
      bs.reduce((a, b) => a + b.requests, 0),
    );
  const half = Math.floor(recent.length / 2);
  const first = perRequest(recent.slice(0, half));
  const second = perRequest(recent.slice(recent.length - half));
  const trend = first === 0 ? (second === 0 ? 0 : Infinity) : Math.abs(second / first - 1);
  const perBucket = recent.map((b) => perRequest([b]));
  return {
    trend,
    spread: spreadOf(perBucket),
    limit: trendLimit(successiveSpread(perBucket), recent.length, rule),
  };
}

/**
 * The least change between two half-means that `sigmas` standard errors of
 * their difference allow, given buckets of relative noise `noise`, and never
 * below `floor`: each half-mean of n buckets has a standard error of
 * noise/sqrt(n), so their difference has noise*sqrt(2/n).
 */
export function noiseLimit(floor: number, noise: number, bucketsPerHalf: number, sigmas: number): number {
  const n = Math.max(1, bucketsPerHalf);
  return Math.max(floor, sigmas * noise * Math.sqrt(2 / n));
}

/** How far the test's halves may differ: widened by the buckets' noise, capped at `rule.maxTrendCeiling`. */
export function trendLimit(noise: number, buckets: number, rule: SteadyRule = STEADY_RULE): number {
  const limit = noiseLimit(rule.maxTrend, noise, Math.floor(buckets / 2), rule.trendSigmas);
  return Math.min(Math.max(rule.maxTrend, rule.maxTrendCeiling), limit);
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
  limit = rule.maxWindowDrift,
): SteadyVerdict {
  if (!steadyAtOpen) return 'no-steady-state';
  const slower = -drift.throughput > limit || (drift.cpuPerRequest ?? 0) > limit;
  if (slower) return 'slowdown';
  const faster = drift.throughput > limit || -(drift.cpuPerRequest ?? 0) > limit;
  if (faster) return 'no-steady-state';
  return firstCheck ? 'flat' : 'warmup';
}

/**
 * How far the window's halves may differ before the run is flagged: the
 * rule's limit, or three standard errors of a difference of two half-means
 * given the per-bucket spread seen when the window opened, whichever is
 * larger (a 5-bucket window of 15%-noisy buckets cannot resolve 10%).
 */
export function windowDriftLimit(
  bucketSpread: number,
  measuredBuckets: number,
  rule: SteadyRule = STEADY_RULE,
): number {
  return noiseLimit(rule.maxWindowDrift, bucketSpread, Math.floor(measuredBuckets / 2), 3);
}

/**
 * The buckets' noise without the trend: from successive differences (von
 * Neumann's estimator, sqrt(mean of squared differences / 2)) over the mean.
 * The plain spread would count a step or a slope as noise and widen the very
 * limit meant to catch it; a step adds only one difference here.
 */
export function successiveSpread(values: readonly number[]): number {
  if (values.length < 3) return spreadOf(values);
  let squares = 0;
  for (let i = 1; i < values.length; i++) squares += (values[i]! - values[i - 1]!) ** 2;
  const m = mean(values);
  return m === 0 ? Infinity : Math.sqrt(squares / (values.length - 1) / 2) / m;
}

export interface WindowTest {
  /** The steadiness test over the last `rule.windowBuckets` buckets, which end with the window. */
  steadiness: Steadiness;
  drift: WindowDrift;
  /** The drift limit the window was held to (windowDriftLimit). */
  driftLimit: number;
  accepted: boolean;
}

/**
 * Whether the window that just closed (the last `windowBuckets` buckets)
 * stands: the steadiness test passes over the last `rule.windowBuckets`
 * buckets, the window's own last ones among them, and its halves agree within
 * the drift limit. Taking the window into the test, rather than demanding a
 * full steady test before it opens, is how Georges et al. ("Statistically
 * Rigorous Java Performance Evaluation", OOPSLA 2007) find a steady state:
 * the iterations that pass the test are the ones measured. A refused window
 * becomes warm-up (bench/load/load.driver.ts), so opening early costs nothing.
 */
export function testWindow(
  buckets: readonly BucketFigures[],
  windowBuckets: number,
  rule: SteadyRule = STEADY_RULE,
): WindowTest {
  const test = steadiness(buckets, rule);
  const drift = windowDrift(buckets.slice(-windowBuckets));
  const noise = successiveSpread(buckets.slice(-rule.windowBuckets).map((b) => b.requests));
  const driftLimit = windowDriftLimit(noise, windowBuckets, rule);
  const within = (x: number | null) => x === null || Math.abs(x) <= driftLimit;
  const accepted =
    buckets.length >= windowBuckets && test.steady && within(drift.throughput) && within(drift.cpuPerRequest);
  return { steadiness: test, drift, driftLimit, accepted };
}

/** Runs whose figures may enter summaries, rankings and the gate ("unchecked" ones carry a warning). */
export function isSteadyVerdict(verdict: SteadyVerdict): boolean {
  return verdict !== 'slowdown' && verdict !== 'no-steady-state';
}
