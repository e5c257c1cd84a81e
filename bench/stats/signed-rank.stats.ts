/**
 * Wilcoxon signed-rank test for paired samples (here: per-pair log ratios).
 *
 * Zeros follow Pratt: they take part in the ranking (so they push the other
 * ranks up, as a zero difference is evidence of "no change") but carry no
 * sign. Ties get midranks. The p value is exact for up to EXACT_LIMIT
 * non-zero differences: the distribution of the positive rank sum over all
 * 2^n sign assignments of the observed (doubled) ranks, which stays exact with
 * ties and zeros, where R's wilcox.test and @stdlib/stats-wilcoxon switch to
 * a normal approximation.
 */
import { cleanForRanking, doubledMidranks, normalCdf, twoSidedFromTails } from './ranks.stats';

export const EXACT_LIMIT = 200;

export interface SignedRankResult {
  /** Sum of the ranks of positive differences (R's V; half ranks when tied). */
  statistic: number;
  /** Two-sided p value. */
  p: number;
  /** Differences that carried a sign (non-zero). */
  nNonZero: number;
  nZeros: number;
  method: 'exact' | 'normal';
}

/**
 * Probability of each sum of a random subset, every item included with
 * probability 1/2: index s holds P(sum of chosen weights = s).
 */
export function signFlipDistribution(weights: readonly number[]): Float64Array {
  const total = weights.reduce((a, w) => a + w, 0);
  let dist = new Float64Array(total + 1);
  dist[0] = 1;
  let reach = 0;
  for (const w of weights) {
    const next = new Float64Array(total + 1);
    for (let s = 0; s <= reach; s += 1) {
      const p = dist[s]!;
      if (p === 0) continue;
      next[s] = next[s]! + p / 2;
      next[s + w] = next[s + w]! + p / 2;
    }
    reach += w;
    dist = next;
  }
  return dist;
}

export function signedRankTest(differences: readonly number[]): SignedRankResult {
  const d = differences.map(cleanForRanking);
  const ranks2 = doubledMidranks(d.map(Math.abs));
  const nonZero: number[] = [];
  let positive2 = 0;
  d.forEach((v, i) => {
    if (v === 0) return;
    nonZero.push(ranks2[i]!);
    if (v > 0) positive2 += ranks2[i]!;
  });
  const nZeros = d.length - nonZero.length;
  if (nonZero.length === 0) {
    return { statistic: 0, p: 1, nNonZero: 0, nZeros, method: 'exact' };
  }
  if (nonZero.length <= EXACT_LIMIT) {
    const dist = signFlipDistribution(nonZero);
    let lower = 0;
    let upper = 0;
    for (let s = 0; s < dist.length; s += 1) {
      if (s <= positive2) lower += dist[s]!;
      if (s >= positive2) upper += dist[s]!;
    }
    return {
      statistic: positive2 / 2,
      p: twoSidedFromTails(lower, upper),
      nNonZero: nonZero.length,
      nZeros,
      method: 'exact',
    };
  }
  // Large samples: normal approximation with the exact null mean and variance
  // of the observed ranks (this covers ties and Pratt zeros) and a continuity correction.
  const ranks = nonZero.map((r) => r / 2);
  const mean = ranks.reduce((a, r) => a + r, 0) / 2;
  const variance = ranks.reduce((a, r) => a + r * r, 0) / 4;
  const v = positive2 / 2;
  const z = (Math.abs(v - mean) - 0.5) / Math.sqrt(variance);
  return {
    statistic: v,
    p: Math.min(1, 2 * (1 - normalCdf(Math.max(0, z)))),
    nNonZero: nonZero.length,
    nZeros,
    method: 'normal',
  };
}

/** The smallest two-sided p a signed-rank test on n untied, non-zero pairs can reach: 2 / 2^n. */
export function smallestSignedRankP(n: number): number {
  return Math.min(1, 2 / 2 ** n);
}
