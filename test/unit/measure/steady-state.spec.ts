/**
 * The steady-state rule (bench/measure/steady-state.ts) as tables: trend and
 * spread of bucket series, the test over the last buckets, the window's drift,
 * and the classification of a run.
 */
import {
  classifyRun,
  isSteadyVerdict,
  halfChange,
  spreadOf,
  STEADY_RULE,
  steadiness,
  successiveSpread,
  testWindow,
  trendLimit,
  windowDrift,
  windowDriftLimit,
  type BucketFigures,
} from '../../../bench/measure/steady-state';

const buckets = (requests: number[], usPerRequest: number | number[] | null = 400): BucketFigures[] =>
  requests.map((n, i) => ({
    requests: n,
    replicaCpuSeconds:
      usPerRequest === null
        ? null
        : ((Array.isArray(usPerRequest) ? usPerRequest[i]! : usPerRequest) * n) / 1e6,
  }));

describe('trend and spread', () => {
  it.each([
    [[100, 100, 100, 100], 0],
    [[100, 100, 110, 110], 0.1],
    [[110, 110, 100, 100], 1 / 11],
    [[100, 999, 100], 0],
    [[100], 0],
  ])('the change between the halves of %j is %f', (values, expected) => {
    expect(halfChange(values)).toBeCloseTo(expected, 6);
  });

  it.each([
    [[100, 100, 100], 0],
    [[90, 110], Math.sqrt(200) / 100],
    [[0, 0, 0], Infinity],
  ])('the spread of %j is %f', (values, expected) => {
    expect(spreadOf(values)).toBeCloseTo(expected, 6);
  });
});

describe('the steadiness test over the last buckets', () => {
  const warm = [600, 610, 595, 605, 600, 590, 615, 600, 605, 600];
  it.each([
    ['flat throughput and CPU', buckets(warm), true],
    [
      'GC-noisy but level buckets (15% spread)',
      buckets([600, 700, 520, 640, 560, 680, 540, 620, 600, 580]),
      true,
    ],
    ['fewer buckets than the window', buckets(warm.slice(1)), false],
    [
      'throughput still climbing (JIT warming)',
      buckets([400, 420, 450, 470, 500, 520, 550, 570, 600, 620]),
      false,
    ],
    [
      'throughput flat but CPU per request still falling',
      buckets(warm, [600, 600, 580, 560, 540, 480, 460, 440, 420, 400]),
      false,
    ],
    ['a stall in the window (spread)', buckets([600, 600, 600, 600, 10, 600, 600, 600, 600, 600]), false],
    ['an empty bucket', buckets([600, 600, 600, 600, 0, 600, 600, 600, 600, 600]), false],
    ['flat, CPU not measured', buckets(warm, null), true],
    ['only the last ten count', buckets([100, 200, ...warm]), true],
  ])('%s: steady %s', (_name, series, steady) => {
    expect(steadiness(series).steady).toBe(steady);
  });

  it('reports the figures it judged', () => {
    const s = steadiness(buckets([400, 400, 400, 400, 400, 600, 600, 600, 600, 600]));
    expect(s.throughput.trend).toBeCloseTo(0.5, 6);
    expect(s.cpu!.trend).toBeCloseTo(0, 9);
    expect(s.cpu!.spread).toBeCloseTo(0, 9);
  });
});

describe('the trend limit, widened by the buckets noise', () => {
  it.each([
    ['noiseless buckets keep the least limit', 0, 10, STEADY_RULE.maxTrend],
    ['15% noise over 5+5 buckets: two standard errors', 0.15, 10, 2 * 0.15 * Math.sqrt(2 / 5)],
    ['very noisy buckets stop at the ceiling', 0.5, 10, STEADY_RULE.maxTrendCeiling],
  ])('%s', (_name, noise, n, limit) => {
    expect(trendLimit(noise, n)).toBeCloseTo(limit, 9);
  });

  // Buckets 13% noisy: the halves differ by 14%, under two standard errors (17%) of that noise.
  const noisyLevel = [560, 680, 520, 640, 600, 700, 600, 750, 640, 730];
  it('a level that noisy buckets cannot resolve from a trend is steady', () => {
    const s = steadiness(buckets(noisyLevel));
    expect(s.throughput.trend).toBeGreaterThan(STEADY_RULE.maxTrend);
    expect(s.throughput.trend).toBeLessThanOrEqual(s.throughput.limit);
    expect(s.steady).toBe(true);
  });

  it('a 30% step stays refused however noisy the buckets are', () => {
    const step = [500, 400, 600, 350, 550, 650, 520, 780, 600, 700];
    const s = steadiness(buckets(step));
    expect(s.throughput.limit).toBe(STEADY_RULE.maxTrendCeiling);
    expect(s.steady).toBe(false);
  });
});

describe('the drift limit of the measured window', () => {
  it.each([
    [0, 10, 0.1],
    [0.15, 5, 3 * 0.15 * Math.sqrt(1)],
    [0.15, 10, 3 * 0.15 * Math.sqrt(2 / 5)],
  ])('with %f bucket spread over %i buckets it is %f', (spread, n, limit) => {
    expect(windowDriftLimit(spread, n)).toBeCloseTo(limit, 6);
  });
});

describe("the measured window's drift, second half against first", () => {
  it.each([
    [[600, 600, 600, 600], 0, 0],
    [[600, 600, 660, 660], 0.1, 0],
    [[600, 600, 9999, 600, 600], 0, 0],
  ])('%j drifts by %f in throughput', (requests, throughput, cpu) => {
    const d = windowDrift(buckets(requests));
    expect(d.throughput).toBeCloseTo(throughput, 6);
    expect(d.cpuPerRequest).toBeCloseTo(cpu, 6);
  });

  it('sees CPU per request rise while throughput holds', () => {
    expect(windowDrift(buckets([600, 600, 600, 600], [400, 400, 480, 480])).cpuPerRequest).toBeCloseTo(
      0.2,
      6,
    );
  });
});

describe('the verdict of a run', () => {
  const none = { throughput: 0, cpuPerRequest: 0 };
  it.each([
    [true, true, none, 'flat'],
    [true, false, none, 'warmup'],
    [false, false, none, 'no-steady-state'],
    [true, true, { throughput: -0.2, cpuPerRequest: 0 }, 'slowdown'],
    [true, true, { throughput: 0, cpuPerRequest: 0.2 }, 'slowdown'],
    [true, false, { throughput: 0.2, cpuPerRequest: 0 }, 'no-steady-state'],
    [true, false, { throughput: 0.05, cpuPerRequest: -0.05 }, 'warmup'],
  ] as const)('steady at open %s, at the first check %s, drift %j: %s', (atOpen, first, drift, verdict) => {
    expect(classifyRun(atOpen, first, drift, STEADY_RULE)).toBe(verdict);
  });

  it.each([
    ['flat', true],
    ['warmup', true],
    ['unchecked', true],
    ['slowdown', false],
    ['no-steady-state', false],
  ] as const)('a %s run enters summaries: %s', (verdict, enters) => {
    expect(isSteadyVerdict(verdict)).toBe(enters);
  });
});

describe('whether a closed window stands (its buckets are the last of the test)', () => {
  const steady = [600, 620, 580, 610, 590];
  it.each([
    ['steady before and inside', [...steady, ...steady], 400, true],
    ['the window 30% above the buckets before it', [...steady, ...steady.map((n) => n * 1.3)], 400, false],
    [
      'throughput holds but CPU per request fell by a third',
      [...steady, ...steady],
      [...Array(5).fill(600), ...Array(5).fill(400)],
      false,
    ],
    ['the window slows in its second half', [...steady, 600, 600, 600, 420, 420], 400, false],
    ['fewer buckets than the test needs', [600, 600, 600, 600, 600], 400, false],
  ] as const)('%s: %s', (_name, requests, us, accepted) => {
    const t = testWindow(
      buckets([...requests], Array.isArray(us) ? [...us] : (us as number)),
      5,
      STEADY_RULE,
    );
    expect(t.accepted).toBe(accepted);
  });

  it('holds the window to the wider drift limit its noise allows', () => {
    const noisy = [600, 400, 800, 500, 700, 650, 450, 750, 550, 640];
    const t = testWindow(buckets(noisy), 5, STEADY_RULE);
    expect(t.driftLimit).toBeCloseTo(windowDriftLimit(successiveSpread(noisy), 5), 9);
    expect(t.driftLimit).toBeGreaterThan(STEADY_RULE.maxWindowDrift);
  });
});

describe('the noise of the buckets, without their trend', () => {
  it.each([
    ['a constant', [500, 500, 500, 500], 0],
    [
      'one step is one difference, not noise',
      [400, 400, 400, 400, 300, 300, 300, 300],
      Math.sqrt(10000 / 7 / 2) / 350,
    ],
    ['alternating by 100 around 500', [450, 550, 450, 550, 450], Math.sqrt(10000 / 2) / 490],
  ])('%s', (_name, values, expected) => {
    expect(successiveSpread(values)).toBeCloseTo(expected, 9);
  });
});
