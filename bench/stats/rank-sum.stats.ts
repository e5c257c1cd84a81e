/**
 * Wilcoxon rank-sum (Mann-Whitney) test for two independent samples, used
 * when the runs of the two sides are not pairs (different jobs).
 *
 * Exact for up to EXACT_LIMIT values in all: the distribution of the rank sum
 * of `y` over every way of choosing |y| of the observed (doubled) midranks,
 * which stays exact with ties (R and scipy fall back to a normal approximation
 * there).
 */
import { doubledMidranks, normalCdf, tieGroupSizes, twoSidedFromTails, cleanForRanking } from './ranks.stats';

export const EXACT_LIMIT = 120;

export interface RankSumResult {
  /** Mann-Whitney U of `y`: the rank sum of y minus n(n+1)/2 (R's W for wilcox.test(y, x)). */
  statistic: number;
  p: number;
  method: 'exact' | 'normal';
}

/**
 * P(sum of k items chosen uniformly from `scores` = s), for every s.
 * Dynamic programme over items and subset sizes. Counts are doubles: C(120, 60)
 * is about 1e35, far inside their range, and 16 digits are plenty for a p value.
 */
export function subsetSumDistribution(scores: readonly number[], k: number): Float64Array {
  const total = scores.reduce((a, s) => a + s, 0);
  // ways[j][s]: weight of subsets of size j with sum s among the items seen so far.
  const ways: Float64Array[] = Array.from({ length: k + 1 }, () => new Float64Array(total + 1));
  ways[0]![0] = 1;
  scores.forEach((score, index) => {
    // Sizes in descending order, so each item is counted at most once (0/1 knapsack).
    for (let j = Math.min(k, index + 1); j >= 1; j -= 1) {
      const from = ways[j - 1]!;
      const to = ways[j]!;
      for (let s = total - score; s >= 0; s -= 1)
        if (from[s]! !== 0) to[s + score] = to[s + score]! + from[s]!;
    }
  });
  const row = ways[k]!;
  const sum = row.reduce((a, v) => a + v, 0);
  return row.map((v) => v / sum);
}

export function rankSumTest(x: readonly number[], y: readonly number[]): RankSumResult {
  const all = [...x, ...y].map(cleanForRanking);
  const ranks2 = doubledMidranks(all);
  const m = x.length;
  const n = y.length;
  const yRanks2 = ranks2.slice(m);
  const sumY2 = yRanks2.reduce((a, r) => a + r, 0);
  const u = sumY2 / 2 - (n * (n + 1)) / 2;
  if (m === 0 || n === 0) return { statistic: u, p: 1, method: 'exact' };
  if (m + n <= EXACT_LIMIT) {
    const dist = subsetSumDistribution(ranks2, n);
    let lower = 0;
    let upper = 0;
    for (let s = 0; s < dist.length; s += 1) {
      if (s <= sumY2) lower += dist[s]!;
      if (s >= sumY2) upper += dist[s]!;
    }
    return { statistic: u, p: twoSidedFromTails(lower, upper), method: 'exact' };
  }
  const total = m + n;
  const tieTerm = tieGroupSizes(all).reduce((a, t) => a + t ** 3 - t, 0);
  const variance = ((m * n) / 12) * (total + 1 - tieTerm / (total * (total - 1)));
  const z = (Math.abs(u - (m * n) / 2) - 0.5) / Math.sqrt(variance);
  return { statistic: u, p: Math.min(1, 2 * (1 - normalCdf(Math.max(0, z)))), method: 'normal' };
}

/** The smallest two-sided p a rank-sum test with m and n untied values can reach: 2 / C(m+n, n). */
export function smallestRankSumP(m: number, n: number): number {
  let combinations = 1;
  for (let i = 1; i <= n; i += 1) combinations = (combinations * (m + i)) / i;
  return Math.min(1, 2 / combinations);
}
