import { binomialCdf, clopperPearson } from '../../../bench/stats/binomial.stats';

describe('Clopper-Pearson intervals (values from scipy beta.ppf)', () => {
  it.each([
    [0, 20, 0, 0.1684334709830853],
    [1, 20, 0.0012650894979498038, 0.24873276277202777],
    [19, 20, 0.7512672372279722, 0.9987349105020502],
    [10, 10, 0.6915028921812392, 1],
    [3, 50, 0.01254858783533406, 0.16548194660377288],
    [5, 10, 0.18708602844739855, 0.8129139715526015],
  ])('%i of %i', (k, n, low, high) => {
    const ci = clopperPearson(k, n);
    expect(ci.low).toBeCloseTo(low, 9);
    expect(ci.high).toBeCloseTo(high, 9);
  });

  it.each([
    ['no trials: the interval says nothing', 0, 0, 0, 1],
    ['one trial, no success', 0, 1, 0, 0.975],
    ['one trial, one success', 1, 1, 0.025, 1],
  ])('%s', (_name, k, n, low, high) => {
    const ci = clopperPearson(k, n);
    expect(ci.low).toBeCloseTo(low, 9);
    expect(ci.high).toBeCloseTo(high, 9);
  });

  it('a wider confidence gives a wider interval around the same count', () => {
    const narrow = clopperPearson(3, 20, 0.8);
    const wide = clopperPearson(3, 20, 0.99);
    expect(wide.low).toBeLessThan(narrow.low);
    expect(wide.high).toBeGreaterThan(narrow.high);
  });
});

describe('the binomial CDF', () => {
  it.each([
    ['a hand sum', 1, 4, 0.5, 5 / 16],
    ['all outcomes', 4, 4, 0.3, 1],
    ['fewer than none', -1, 4, 0.3, 0],
    ['p = 0: no success ever', 0, 10, 0, 1],
    ['p = 1: every trial succeeds', 9, 10, 1, 0],
    ['P(X = 0) = (1 - p)^n', 0, 10, 0.2, 0.8 ** 10],
    ['1 - P(X = n) = 1 - p^n', 9, 10, 0.7, 1 - 0.7 ** 10],
  ])('%s: P(X <= %i | n = %i, p = %d)', (_name, k, n, p, expected) => {
    expect(binomialCdf(k, n, p)).toBeCloseTo(expected, 12);
  });

  it('stays accurate for thousands of trials (the median of Binomial(5000, 0.05) is 250)', () => {
    expect(binomialCdf(249, 5000, 0.05)).toBeLessThan(0.5);
    expect(binomialCdf(250, 5000, 0.05)).toBeGreaterThan(0.5);
  });
});
