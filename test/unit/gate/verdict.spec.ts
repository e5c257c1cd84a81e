import { overallVerdict, rowVerdict, type RowEvidence } from '../../../bench/gate/verdict.logic';
import { exitCodeForVerdict } from '../../../bench/cli/exit-codes';
import type { Verdict } from '../../../bench/gate/compare.types';

const base: RowEvidence = {
  better: 'lower',
  floor: 0.05,
  alpha: 0.05,
  minRuns: 6,
  maxVariation: 0.25,
  n: { base: 10, candidate: 10 },
  variation: { base: 0.03, candidate: 0.03 },
  blockers: [],
  change: { value: 0, low: -0.02, high: 0.02 },
  pAdjusted: 0.5,
};
const change = (value: number, low: number, high: number) => ({ value, low, high });

describe('row verdicts at their boundaries', () => {
  it.each<[string, Partial<RowEvidence>, Verdict]>([
    ['significant and past the floor fails', { change: change(0.08, 0.06, 0.1), pAdjusted: 0.01 }, 'FAIL'],
    [
      'an estimate just past the floor fails',
      { change: change(0.0501, 0.03, 0.07), pAdjusted: 0.01 },
      'FAIL',
    ],
    [
      'an estimate exactly at the floor does not fail',
      { change: change(0.05, 0.03, 0.07), pAdjusted: 0.01 },
      'INCONCLUSIVE',
    ],
    [
      'p exactly at alpha is not significant',
      { change: change(0.08, 0.06, 0.1), pAdjusted: 0.05 },
      'INCONCLUSIVE',
    ],
    [
      'significant but smaller than the floor passes when the interval stays inside',
      { change: change(0.03, 0.02, 0.045), pAdjusted: 0.001 },
      'PASS',
    ],
    [
      'significant, under the floor, interval reaching past it is inconclusive',
      { change: change(0.04, 0.02, 0.06), pAdjusted: 0.001 },
      'INCONCLUSIVE',
    ],
    [
      'a large but not significant estimate is inconclusive',
      { change: change(0.2, -0.05, 0.4), pAdjusted: 0.2 },
      'INCONCLUSIVE',
    ],
    ['an interval inside the floor passes', { change: change(0.01, -0.02, 0.049), pAdjusted: 0.4 }, 'PASS'],
    ['a significant improvement passes', { change: change(-0.2, -0.25, -0.15), pAdjusted: 0.001 }, 'PASS'],
    [
      'throughput: a significant drop past the floor fails',
      { better: 'higher', change: change(-0.1, -0.12, -0.08), pAdjusted: 0.01 },
      'FAIL',
    ],
    [
      'throughput: a significant rise passes',
      { better: 'higher', change: change(0.1, 0.08, 0.12), pAdjusted: 0.01 },
      'PASS',
    ],
    [
      'throughput: an interval reaching -5% is inconclusive',
      { better: 'higher', change: change(0, -0.05, 0.02), pAdjusted: 0.9 },
      'INCONCLUSIVE',
    ],
    [
      'five runs where six are needed are invalid',
      { n: { base: 5, candidate: 10 }, change: change(0.3, 0.2, 0.4), pAdjusted: 0.001 },
      'INVALID',
    ],
    [
      'exactly the minimum number of runs is judged',
      { n: { base: 6, candidate: 6 }, change: change(0.3, 0.2, 0.4), pAdjusted: 0.03 },
      'FAIL',
    ],
    ['variation above the limit is invalid', { variation: { base: 0.03, candidate: 0.26 } }, 'INVALID'],
    ['variation at the limit is judged', { variation: { base: 0.25, candidate: 0.25 } }, 'PASS'],
    [
      'a blocker (budgets differ) makes even a clear regression invalid',
      { blockers: ['CPU budgets differ'], change: change(0.5, 0.4, 0.6), pAdjusted: 0.001 },
      'INVALID',
    ],
  ])('%s', (_name, overrides, expected) => {
    expect(rowVerdict({ ...base, ...overrides }).verdict).toBe(expected);
  });

  it('says why a row is invalid, with the numbers and the fix', () => {
    const { reasons } = rowVerdict({
      ...base,
      n: { base: 4, candidate: 4 },
      variation: { base: 0.4, candidate: 0.02 },
    });
    expect(reasons.join('\n')).toMatch(/too few valid runs: 4 base \/ 4 candidate, at least 6/);
    expect(reasons.join('\n')).toMatch(/variation too high on the base side: 40.0% \(limit 25%\)/);
  });
});

describe('the overall verdict and its exit code', () => {
  it.each<[Verdict[], Verdict]>([
    [['PASS', 'FAIL', 'INVALID'], 'FAIL'],
    [['PASS', 'INCONCLUSIVE', 'INVALID'], 'INVALID'],
    [['PASS', 'INCONCLUSIVE'], 'INCONCLUSIVE'],
    [['PASS', 'PASS'], 'PASS'],
    [[], 'INVALID'],
  ])('rows %j give %s', (rows, expected) => {
    expect(overallVerdict(rows.map((verdict) => ({ verdict })))).toBe(expected);
  });

  it.each<[Verdict, boolean, number]>([
    ['PASS', false, 0],
    ['PASS', true, 0],
    ['FAIL', false, 1],
    ['FAIL', true, 1],
    ['INCONCLUSIVE', false, 0],
    ['INCONCLUSIVE', true, 3],
    ['INVALID', false, 3],
    ['INVALID', true, 3],
  ])('%s with --fail-on-inconclusive=%s exits %i', (verdict, flag, code) => {
    expect(exitCodeForVerdict(verdict, flag)).toBe(code);
  });
});
