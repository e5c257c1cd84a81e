import { createLatencyHistogram, encodeHistogram, recordMicros } from '../../../bench/measure/histogram.util';
import type { RunResult } from '../../../bench/results/results.schema';
import { coefficientOfVariation, metricCi, summarize } from '../../../bench/stats/summary.stats';

function run(setup: string, replicas: number, repetition: number, rps: number, valid = true): RunResult {
  const h = createLatencyHistogram();
  recordMicros(h, 1000 + repetition);
  return {
    id: `candidate/${setup}/x${replicas}/rep${repetition}`,
    variant: 'candidate',
    setup,
    replicas,
    repetition,
    order: 0,
    model: 'closed',
    startedAt: '2026-01-01T00:00:00Z',
    durationSeconds: 1,
    requests: { total: 1, ok: valid ? 1 : 0, non2xx: valid ? {} : { 401: 1 }, errors: 0, timeouts: 0 },
    throughputRps: rps,
    latencyUs: { min: 1000, mean: 1000, p50: 1000, p90: 1000, p99: 1000, p999: 1000, max: 1000 },
    histogram: encodeHistogram(h),
    replicaShare: { r0: 1 },
    cpu: {
      windowSeconds: 1,
      secondsByTier: { replicas: 1, nginx: 0, redis: 0, 'store-delay': 0, generator: 0 },
      usPerRequestByTier: { replicas: 100, nginx: 10, redis: 0, 'store-delay': 0, generator: 50 },
      usPerRequestTotal: 160,
      perProcess: [],
      generatorUtilisation: 0.5,
    },
    generatorBound: false,
    redis: null,
    replicaRssBytes: {},
    valid,
    timeline: null,
    steadyState: null,
    invalidReasons: valid ? [] : ['non-2xx: 401 x 1'],
  };
}

describe('summaries across repetitions', () => {
  test.each([
    [[5], 5, 5, 5],
    [[3, 1, 2], 2, 1, 3],
    // Below six values no pair of order statistics reaches 95%: the range is reported.
    [[10, 11, 12, 13, 14], 12, 10, 14],
    // Ten values: the sign-test interval is the 2nd and 9th order statistics.
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 5.5, 2, 9],
  ])('values %j give median %d with a 95%% interval from %d to %d', (values, median, low, high) => {
    expect(metricCi(values)).toMatchObject({ median, ciLow: low, ciHigh: high, n: values.length });
  });

  test('the coefficient of variation is the sample standard deviation over the mean, and absent for one value', () => {
    expect(coefficientOfVariation([10])).toBeNull();
    expect(coefficientOfVariation([9, 11])).toBeCloseTo(Math.SQRT2 / 10, 10);
  });

  test('scaling efficiency compares N replicas with N times the one-replica median', () => {
    const summaries = summarize([
      run('jwt', 1, 0, 100),
      run('jwt', 2, 0, 180),
      run('jwt', 1, 1, 100),
      run('jwt', 2, 1, 160),
    ]);
    const two = summaries.find((s) => s.replicas === 2);
    expect(two?.metrics.throughputRps.median).toBe(170);
    expect(two?.scalingEfficiency).toBeCloseTo(0.85, 10);
    expect(summaries.find((s) => s.replicas === 1)?.scalingEfficiency).toBe(1);
    expect(two?.cpuUsPerRequestByTier).toEqual({
      replicas: 100,
      nginx: 10,
      redis: 0,
      'store-delay': 0,
      generator: 50,
    });
  });

  test('profiled runs (bench --cpu-profile) are left out of the medians and the scaling efficiency', () => {
    const profiled = { ...run('jwt', 1, 0, 10), id: 'candidate/jwt/x1/rep0/profiled', profiled: true };
    const [one] = summarize([run('jwt', 1, 0, 100), profiled]);
    expect(one?.runIds).toEqual(['candidate/jwt/x1/rep0']);
    expect(one?.metrics.throughputRps.median).toBe(100);
    expect(summarize([profiled])).toEqual([]);
  });

  test('invalid runs are left out of the medians and a cell with no valid run gets no summary', () => {
    const summaries = summarize([
      run('jwt', 1, 0, 100),
      run('jwt', 1, 1, 1, false),
      run('hybrid', 1, 0, 50, false),
    ]);
    expect(summaries).toHaveLength(1);
    expect(summaries[0]).toMatchObject({
      setup: 'jwt',
      validRuns: 1,
      runIds: ['candidate/jwt/x1/rep0', 'candidate/jwt/x1/rep1'],
    });
    expect(summaries[0]?.metrics.throughputRps.median).toBe(100);
  });
});
