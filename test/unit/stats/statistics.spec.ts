/**
 * Known values: R's own help-page examples for wilcox.test (depression scores,
 * Hollander & Wolfe; the x/y permeability example), and for ties, zeros and
 * tiny samples brute-force enumeration of every sign flip / every split
 * (computed independently in Python with scipy's rankdata, see the table).
 */
import { signedRankTest, smallestSignedRankP } from '../../../bench/stats/signed-rank.stats';
import { rankSumTest, smallestRankSumP } from '../../../bench/stats/rank-sum.stats';
import { hodgesLehmannOneSample, hodgesLehmannTwoSample } from '../../../bench/stats/hodges-lehmann.stats';
import { holmAdjust } from '../../../bench/stats/holm.stats';
import { doubledMidranks, normalCdf, normalQuantile } from '../../../bench/stats/ranks.stats';
import { medianInterval, robustVariation } from '../../../bench/stats/median-interval.stats';

const depressionX = [1.83, 0.5, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.3];
const depressionY = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29];
const depressionD = depressionX.map((x, i) => x - depressionY[i]!);
const permX = [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46];
const permY = [1.15, 0.88, 0.9, 0.74, 1.21];

describe('signed-rank test', () => {
  it.each([
    ['R help example (depression, no ties)', depressionD, 40, 0.0390625],
    ['ties get midranks and the exact conditional p', [1, 2, 2, 3, -3, 4, 4, 4], 31.5, 0.0625],
    ['zeros are ranked but carry no sign (Pratt)', [0, 0, 1, -1, 2, 2, 3, -4, 5], 30.5, 0.28125],
    ['seven pairs all one way give the smallest p of 2/128', [-1, -2, -3, -4, -5, -6, -7], 0, 0.015625],
    ['three pairs cannot be significant', [1, 2, 3], 6, 0.25],
    ['a single pair gives p = 1', [0.5], 1, 1],
    ['all zeros give p = 1', [0, 0, 0], 0, 1],
  ])('%s', (_name, d, statistic, p) => {
    const result = signedRankTest(d);
    expect(result.statistic).toBeCloseTo(statistic, 10);
    expect(result.p).toBeCloseTo(p, 10);
    expect(result.method).toBe('exact');
  });

  it('treats differences equal in exact arithmetic as ties despite floating-point noise', () => {
    const d = [Math.log(1010 / 1000), Math.log(2020 / 2000), -Math.log(1.02)];
    expect(doubledMidranks(d.map(Math.abs))).toEqual([3, 3, 6]);
    expect(signedRankTest(d).statistic).toBe(3);
  });

  it('past the exact limit uses the normal approximation, matching scipy (approx, continuity correction)', () => {
    const d = Array.from({ length: 250 }, (_, i) => (i % 3 === 0 ? -1 : 1) * (i + 1));
    const result = signedRankTest(d);
    expect(result.method).toBe('normal');
    expect(result.p / 6.944965592328546e-6).toBeCloseTo(1, 5);
  });

  it('knows the smallest p that n pairs can reach', () => {
    expect(smallestSignedRankP(5)).toBeCloseTo(0.0625, 12);
    expect(smallestSignedRankP(6)).toBeCloseTo(0.03125, 12);
  });
});

describe('rank-sum test', () => {
  it.each([
    ['R help example (no ties): U of y and two-sided p', permX, permY, 15, 0.2544122544122544],
    [
      'ties across samples use the exact conditional distribution',
      [1, 2, 2, 3, 5],
      [2, 3, 3, 6, 7, 7],
      24,
      0.12121212121212122,
    ],
    ['three against three fully separated', [1, 2, 3], [4, 5, 6], 9, 0.1],
    ['four against four fully separated', [1, 2, 3, 4], [5, 6, 7, 8], 16, 0.02857142857142857],
  ])('%s', (_name, x, y, u, p) => {
    const result = rankSumTest(x, y);
    expect(result.statistic).toBeCloseTo(u, 10);
    expect(result.p).toBeCloseTo(p, 10);
  });

  it('is symmetric: swapping the samples keeps p and mirrors U', () => {
    const a = rankSumTest(permX, permY);
    const b = rankSumTest(permY, permX);
    expect(b.p).toBeCloseTo(a.p, 12);
    expect(a.statistic + b.statistic).toBe(permX.length * permY.length);
  });

  it('past the exact limit uses the normal approximation, matching scipy (asymptotic, continuity correction)', () => {
    const x = Array.from({ length: 70 }, (_, i) => i);
    const y = Array.from({ length: 60 }, (_, i) => i + 7.5);
    const result = rankSumTest(x, y);
    expect(result.method).toBe('normal');
    expect(result.p).toBeCloseTo(0.4850604920704531, 6);
  });

  it('knows the smallest p that m and n runs can reach', () => {
    expect(smallestRankSumP(4, 4)).toBeCloseTo(2 / 70, 12);
  });
});

describe('Hodges-Lehmann estimates and intervals', () => {
  it.each([
    ['depression differences', depressionD, 0.46, 0.01, 0.786, 0.9609375],
    ['ties', [1, 2, 2, 3, -3, 4, 4, 4], 2.5, -0.5, 4, 0.9609375],
    ['three values cannot reach 95%: full range, coverage stated', [1, 2, 3], 2, 1, 3, 0.75],
  ])('one sample: %s', (_name, d, estimate, low, high, coverage) => {
    const r = hodgesLehmannOneSample(d);
    expect(r.estimate).toBeCloseTo(estimate, 10);
    expect(r.low).toBeCloseTo(low, 10);
    expect(r.high).toBeCloseTo(high, 10);
    expect(r.achievedConfidence).toBeCloseTo(coverage, 10);
  });

  it.each([
    ['R help example', permX, permY, -0.305, -0.76, 0.15, 0.9600399600399601],
    ['fully separated four against four', [1, 2, 3, 4], [5, 6, 7, 8], 4, 1, 7, 0.9714285714285714],
  ])('two samples: %s', (_name, x, y, estimate, low, high, coverage) => {
    const r = hodgesLehmannTwoSample(x, y);
    expect(r.estimate).toBeCloseTo(estimate, 10);
    expect(r.low).toBeCloseTo(low, 10);
    expect(r.high).toBeCloseTo(high, 10);
    expect(r.achievedConfidence).toBeCloseTo(coverage, 10);
  });

  it('the one-sample interval is exactly the set of shifts the signed-rank test does not reject', () => {
    const d = [0.12, -0.03, 0.07, 0.2, 0.01, 0.15, 0.09, -0.06, 0.11, 0.04];
    const { low, high } = hodgesLehmannOneSample(d);
    const rejected = (shift: number) => signedRankTest(d.map((v) => v - shift)).p <= 0.05;
    expect(rejected(low - 1e-6)).toBe(true);
    expect(rejected(low + 1e-6)).toBe(false);
    expect(rejected(high - 1e-6)).toBe(false);
    expect(rejected(high + 1e-6)).toBe(true);
  });
});

describe('Holm adjustment', () => {
  it.each([
    ['textbook four p values', [0.01, 0.04, 0.03, 0.005], [0.03, 0.06, 0.06, 0.02]],
    ['monotone: a later p never gets a smaller adjusted value', [0.02, 0.021], [0.04, 0.04]],
    ['capped at one', [0.6, 0.7], [1, 1]],
    ['rows not tested stay out of the family', [0.01, Number.NaN, 0.02], [0.02, Number.NaN, 0.02]],
  ])('%s', (_name, p, expected) => {
    const adjusted = holmAdjust(p);
    expect(adjusted).toHaveLength(expected.length);
    adjusted.forEach((a, i) => {
      if (Number.isNaN(expected[i]!)) expect(a).toBeNaN();
      else expect(a).toBeCloseTo(expected[i]!, 12);
    });
  });
});

describe('normal helpers', () => {
  it.each([
    [0, 0.5],
    [1.959963985, 0.975],
    [-2.575829304, 0.005],
  ])('normalCdf(%p) is %p', (z, p) => {
    expect(normalCdf(z)).toBeCloseTo(p, 6);
    expect(normalQuantile(p)).toBeCloseTo(z, 6);
  });
});

describe('median intervals (sign-test order statistics; coverage from the binomial)', () => {
  const runs = (n: number) => Array.from({ length: n }, (_, i) => (i + 1) * 10);
  it.each([
    [20, 60, 150, 0.9586105346679688],
    [10, 20, 90, 0.978515625],
    [6, 10, 60, 0.96875],
    [5, 10, 50, 0.9375],
    [2, 10, 20, 0.5],
  ])('%i runs: [%p, %p] covering %p', (n, low, high, coverage) => {
    const i = medianInterval(runs(n));
    expect([i.low, i.high]).toEqual([low, high]);
    expect(i.confidence).toBeCloseTo(coverage, 12);
  });

  it('robust variation ignores one wild run', () => {
    expect(robustVariation([100, 101, 99, 100, 102, 98, 500])).toBeLessThan(0.03);
  });
});
