import { PassThrough } from 'node:stream';
import { progressReporter } from '../../../bench/cli/bench.progress';
import { fmtDurationS } from '../../../bench/results/number.format';
import { renderSummaryTable } from '../../../bench/cli/bench.table';
import { nextProbeRate } from '../../../bench/runner/slo.search';
import { resultsSchema, type Results } from '../../../bench/results/results.schema';

function captured(isTTY: boolean) {
  const stream = new PassThrough() as unknown as NodeJS.WriteStream & PassThrough;
  (stream as { isTTY?: boolean }).isTTY = isTTY;
  let text = '';
  stream.on('data', (c: Buffer) => {
    text += c.toString();
  });
  return { stream, text: () => text };
}

const run = {
  order: 0,
  repetition: 0,
  setup: 'jwt',
  replicas: 2,
  variant: { name: 'candidate', appEnv: {} },
};

describe('progress on stderr', () => {
  test('without a terminal, or under CI, progress is plain lines with the ETA and no carriage returns', () => {
    for (const [isTTY, env] of [
      [false, {}],
      [true, { CI: 'true' }],
    ] as const) {
      const out = captured(isTTY);
      const report = progressReporter(out.stream, env);
      report({ kind: 'run-start', index: 0, total: 12, run, etaSeconds: 150 });
      report({ kind: 'message', text: 'logging in 16 virtual users' });
      expect(out.text()).toBe(
        '[....................] run 1/12 jwt x2 rep 1, ETA 2m30s\n  jwt x2 rep 1: logging in 16 virtual users\n',
      );
    }
  });

  test('on a terminal the bar is redrawn in place', () => {
    const out = captured(true);
    progressReporter(out.stream, {})({ kind: 'run-start', index: 6, total: 12, run, etaSeconds: 59.6 });
    expect(out.text()).toBe('\r\x1b[2K[##########..........] run 7/12 jwt x2 rep 1, ETA 1m00s');
  });

  test.each([
    [0, '0s'],
    [59.4, '59s'],
    [61, '1m01s'],
    [1200, '20m00s'],
  ])('%d seconds read as %s', (s, text) => {
    expect(fmtDurationS(s)).toBe(text);
  });
});

describe('the throughput-at-SLO probe sequence', () => {
  test.each([
    [100, Infinity, 200],
    [0, 300, 150],
    [200, 300, 250],
    [250, 251, null],
    [0, 1, null],
  ])('after best pass %d and lowest fail %d the next probe is %p', (best, fail, next) => {
    expect(nextProbeRate(best, fail)).toBe(next);
  });
});

describe('the compact table', () => {
  test('shows each cell with its median, interval, CPU per tier, scaling and warnings', () => {
    const metric = (median: number) => ({
      median,
      ciLow: median * 0.9,
      ciHigh: median * 1.1,
      n: 3,
      cv: 0.05,
    });
    const results = {
      plan: { sloP99Ms: null },
      summaries: [
        {
          variant: 'candidate',
          setup: 'jwt',
          replicas: 2,
          runIds: ['a', 'b', 'c'],
          validRuns: 3,
          metrics: {
            throughputRps: metric(1000),
            p50Us: metric(1500),
            p90Us: metric(2000),
            p99Us: metric(9000),
            p999Us: metric(12000),
            cpuUsPerRequest: metric(700),
          },
          cpuUsPerRequestByTier: { replicas: 500, nginx: 60, redis: 0, 'store-delay': 0, generator: 140 },
          replicaShare: {},
          mergedHistogram: null,
          scalingEfficiency: 0.9,
        },
      ],
      warnings: [{ code: 'generator-bound', message: 'the generator was busy', runIds: [] }],
    } as unknown as Results;
    const table = renderSummaryTable(results);
    expect(table).toContain(
      'candidate  jwt    2         1000 (900-1100)  1.50    9.00    500                 700               500/60/0/0/140',
    );
    expect(table).toContain('replicas/nginx/redis/delay/gen us');
    expect(table).toContain('0.90     3/3');
    expect(table).toContain('warning (generator-bound): the generator was busy');
  });

  test('the results schema accepts summaries without the optional throughput-at-SLO field (older files)', () => {
    const shape = resultsSchema.shape.summaries.element;
    expect(shape.shape.throughputAtSlo.safeParse(undefined).success).toBe(true);
    expect(
      shape.shape.throughputAtSlo.safeParse({ sloP99Ms: 50, ratePerSecond: 0, probes: [] }).success,
    ).toBe(true);
  });
});
