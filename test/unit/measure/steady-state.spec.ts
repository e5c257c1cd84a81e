/**
 * The steady-state rule (bench/measure/steady-state.ts) as tables: trend and
 * spread of bucket series, the test over the last buckets, the window's drift,
 * and the classification of a run.
 */
import {
  classifyRun,
  isSteadyVerdict,
  relativeTrend,
  spreadOf,
  STEADY_RULE,
  steadiness,
  windowDrift,
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
    [[100, 100, 100, 100, 100], 0],
    [[100, 110, 120, 130, 140], 40 / 120],
    [[140, 130, 120, 110, 100], 40 / 120],
    [[100], 0],
  ])('the trend of %j is %f of the mean', (values, expected) => {
    expect(relativeTrend(values)).toBeCloseTo(expected, 6);
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
  it.each([
    ['flat throughput and CPU', buckets([600, 610, 595, 605, 600]), true],
    ['fewer buckets than the window', buckets([600, 600, 600, 600]), false],
    ['throughput still climbing (JIT warming)', buckets([400, 450, 500, 550, 600]), false],
    [
      'throughput flat but CPU per request still falling',
      buckets([600, 600, 600, 600, 600], [600, 550, 500, 450, 400]),
      false,
    ],
    ['a stall in the window (spread)', buckets([600, 600, 100, 600, 600]), false],
    ['an empty bucket', buckets([600, 600, 0, 600, 600]), false],
    ['flat, CPU not measured', buckets([600, 600, 600, 600, 600], null), true],
    ['only the last five count', buckets([100, 200, 600, 600, 600, 600, 600]), true],
  ])('%s: steady %s', (_name, series, steady) => {
    expect(steadiness(series).steady).toBe(steady);
  });

  it('reports the figures it judged', () => {
    const s = steadiness(buckets([400, 450, 500, 550, 600]));
    expect(s.throughput.trend).toBeCloseTo(200 / 500, 6);
    expect(s.cpu!.trend).toBeCloseTo(0, 9);
    expect(s.cpu!.spread).toBeCloseTo(0, 9);
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
