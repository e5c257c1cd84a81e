/**
 * Median of one side's runs with a distribution-free confidence interval:
 * order statistics x_(k) and x_(n-k+1) chosen from the Binomial(n, 1/2)
 * distribution (the sign-test interval), so no normality is assumed.
 */
import { median } from './ranks.stats';

/** Robust spread: 1.4826 x median absolute deviation / median (a CV that one outlier run cannot blow up). */
export function robustVariation(values: readonly number[]): number | null {
  if (values.length < 2) return null;
  const m = median(values);
  if (m === 0) return null;
  return (1.4826 * median(values.map((v) => Math.abs(v - m)))) / Math.abs(m);
}

export function medianInterval(
  values: readonly number[],
  confidence = 0.95,
): { value: number; low: number; high: number; confidence: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return { value: Number.NaN, low: Number.NaN, high: Number.NaN, confidence: 0 };
  const alpha = 1 - confidence;
  // P(Binomial(n, 1/2) <= j), accumulated until it would exceed alpha/2.
  let term = 0.5 ** n;
  let cumulative = term;
  let k = 0; // largest 1-based k with P(Bin <= k-1) <= alpha/2; 0 = none reaches the confidence
  for (let j = 0; j < n / 2 && cumulative <= alpha / 2; j += 1) {
    k = j + 1;
    term = (term * (n - j)) / (j + 1);
    cumulative += term;
  }
  // Below six runs no pair of order statistics reaches 95%: the full range is the honest answer.
  const cut = Math.min(Math.max(0, k - 1), Math.floor((n - 1) / 2));
  // Coverage of [x_(cut+1), x_(n-cut)] (1-based): 1 - 2 P(Binomial(n, 1/2) <= cut).
  let lowerTail = 0;
  let pmf = 0.5 ** n;
  for (let j = 0; j <= cut; j += 1) {
    lowerTail += pmf;
    pmf = (pmf * (n - j)) / (j + 1);
  }
  return {
    value: median(sorted),
    low: sorted[cut]!,
    high: sorted[n - 1 - cut]!,
    confidence: Math.max(0, 1 - 2 * lowerTail),
  };
}
