/**
 * Hodges-Lehmann estimates of a shift, with the distribution-free confidence
 * intervals that come from inverting the matching rank test:
 * - one sample (paired log ratios): the median of the Walsh averages
 *   (d_i + d_j) / 2, i <= j; interval between two of their order statistics;
 * - two samples: the median of all differences y_j - x_i; interval likewise.
 * The order statistics are picked from the exact null distribution of the
 * untied statistic (as R's wilcox.test(conf.int = TRUE) does when it can);
 * with ties the stated confidence is approximate.
 */
import { median, normalQuantile } from './ranks.stats';
import { signFlipDistribution } from './signed-rank.stats';
import { subsetSumDistribution } from './rank-sum.stats';

export interface ShiftEstimate {
  estimate: number;
  low: number;
  high: number;
  /** Coverage the chosen order statistics really give (discrete tests cannot hit 95% exactly). */
  achievedConfidence: number;
}

const EXACT_ONE_SAMPLE = 200;
const EXACT_TWO_SAMPLE = 120;

/**
 * Largest c with P(S <= c) <= alpha/2 for a statistic S whose null
 * distribution is `dist` (index = value), or -1 when even P(S <= 0) is larger.
 */
function lowerCritical(dist: ArrayLike<number>, alpha: number): { c: number; tail: number } {
  let cumulative = 0;
  let c = -1;
  let tail = 0;
  for (let s = 0; s < dist.length; s += 1) {
    cumulative += dist[s]!;
    if (cumulative > alpha / 2 + 1e-12) break;
    c = s;
    tail = cumulative;
  }
  return { c, tail };
}

/**
 * Turns a critical value into the CI's order-statistic indices (0-based) among
 * `count` sorted values; when no order statistic reaches the asked coverage
 * (tiny samples) the interval is the full range and says what it covers.
 */
function intervalFromCritical(
  sorted: readonly number[],
  critical: { c: number; tail: number },
  zeroTail: number,
): Omit<ShiftEstimate, 'estimate'> {
  const count = sorted.length;
  if (critical.c < 0) {
    return { low: sorted[0]!, high: sorted[count - 1]!, achievedConfidence: Math.max(0, 1 - 2 * zeroTail) };
  }
  const k = critical.c; // CI = [W_(c+1), W_(M-c)] in 1-based order statistics
  return { low: sorted[k]!, high: sorted[count - 1 - k]!, achievedConfidence: 1 - 2 * critical.tail };
}

export function hodgesLehmannOneSample(d: readonly number[], confidence = 0.95): ShiftEstimate {
  const n = d.length;
  if (n === 0) return { estimate: Number.NaN, low: Number.NaN, high: Number.NaN, achievedConfidence: 0 };
  const walsh: number[] = [];
  for (let i = 0; i < n; i += 1) for (let j = i; j < n; j += 1) walsh.push((d[i]! + d[j]!) / 2);
  walsh.sort((a, b) => a - b);
  const alpha = 1 - confidence;
  let critical: { c: number; tail: number };
  let zeroTail: number;
  if (n <= EXACT_ONE_SAMPLE) {
    // Null distribution of V with untied ranks 1..n (weights 1..n).
    const dist = signFlipDistribution(Array.from({ length: n }, (_, i) => i + 1));
    critical = lowerCritical(dist, alpha);
    zeroTail = dist[0]!;
  } else {
    const mean = (n * (n + 1)) / 4;
    const sd = Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24);
    const c = Math.floor(mean + normalQuantile(alpha / 2) * sd - 0.5);
    critical = { c, tail: alpha / 2 };
    zeroTail = 0;
  }
  return { estimate: median(walsh), ...intervalFromCritical(walsh, critical, zeroTail) };
}

/** Shift of `y` relative to `x` (y - x). */
export function hodgesLehmannTwoSample(
  x: readonly number[],
  y: readonly number[],
  confidence = 0.95,
): ShiftEstimate {
  const m = x.length;
  const n = y.length;
  if (m === 0 || n === 0)
    return { estimate: Number.NaN, low: Number.NaN, high: Number.NaN, achievedConfidence: 0 };
  const diffs: number[] = [];
  for (const yj of y) for (const xi of x) diffs.push(yj - xi);
  diffs.sort((a, b) => a - b);
  const alpha = 1 - confidence;
  let critical: { c: number; tail: number };
  let zeroTail: number;
  if (m + n <= EXACT_TWO_SAMPLE) {
    // Null distribution of U = W - n(n+1)/2 with untied ranks: the sum of n of
    // the scores 0..m+n-1 shifted so that the smallest sum is 0.
    const sums = subsetSumDistribution(
      Array.from({ length: m + n }, (_, i) => i + 1),
      n,
    );
    const offset = (n * (n + 1)) / 2;
    const dist = Array.from(sums.subarray(offset));
    critical = lowerCritical(dist, alpha);
    zeroTail = dist[0]!;
  } else {
    const sd = Math.sqrt((m * n * (m + n + 1)) / 12);
    const c = Math.floor((m * n) / 2 + normalQuantile(alpha / 2) * sd - 0.5);
    critical = { c, tail: alpha / 2 };
    zeroTail = 0;
  }
  return { estimate: median(diffs), ...intervalFromCritical(diffs, critical, zeroTail) };
}
