/**
 * Table-driven checks of the small rules every view depends on: number
 * formats, warning collection, the recommendation thresholds, measurement
 * labels and SVG id scoping.
 */
import { scopeIds } from '../../../bench/report/charts.render';
import { prepareCharts } from '../../../bench/report/charts.data';
import { percentileSpectrum } from '../../../bench/report/histogram.spectrum';
import { overallAdvice, recommendationFor, RULES } from '../../../bench/report/recommendation.rules';
import { fmtBytes, fmtCi, fmtMs, fmtRps } from '../../../bench/results/number.format';
import { collectWarnings, verdictOf } from '../../../bench/report/report.warnings';
import { measurementLabel } from '../../../bench/report/scenarios.section';
import type { SetupFacts } from '../../../bench/report/setup.facts';
import type { Results } from '../../../bench/results/results.schema';
import { buildSyntheticResults } from '../../fixtures/results/synthetic-results.fixture';

describe('number formats', () => {
  it.each([
    [fmtMs(412), '0.412 ms'],
    [fmtMs(41_234), '41.2 ms'],
    [fmtMs(412_345), '412 ms'],
    [fmtRps(3647.1), '3,647 req/s'],
    [fmtBytes(236), '236 B'],
    [fmtBytes(236_000_000), '236 MB'],
    [fmtBytes(96_000_000), '96.0 MB'],
    [fmtCi({ median: 1000, ciLow: 950, ciHigh: 1100, n: 5, cv: 0.05 }, fmtRps), '1,000 req/s [950–1,100]'],
    [fmtCi({ median: 1000, ciLow: 1000, ciHigh: 1000, n: 1, cv: null }, fmtRps), '1,000 req/s (1 run)'],
    [fmtCi(undefined, fmtRps), 'not measured'],
  ])('formats to %s', (actual, expected) => {
    expect(actual).toBe(expected);
  });
});

describe('collectWarnings', () => {
  const clean = buildSyntheticResults('clean');
  const variant = (change: (r: Results) => void): Results => {
    const r = structuredClone(clean);
    change(r);
    return r;
  };

  it.each([
    {
      name: 'an invalid run',
      change: (r: Results) => {
        r.runs[3]!.valid = false;
        r.runs[3]!.invalidReasons = ['errors: 3'];
      },
      code: 'invalid-run',
      level: 'problem',
    },
    {
      name: 'a generator-bound run',
      change: (r: Results) => {
        r.runs[0]!.generatorBound = true;
      },
      code: 'generator-bound',
      level: 'problem',
    },
    {
      name: 'budgets not enforced',
      change: (r: Results) => {
        r.environment.budgets.enforced = false;
        r.environment.budgets.reason = 'not root';
      },
      code: 'budgets-not-enforced',
      level: 'caution',
    },
    {
      name: 'an interrupted run',
      change: (r: Results) => {
        r.interrupted = true;
      },
      code: 'interrupted',
      level: 'problem',
    },
    {
      name: 'a failed scenario check',
      change: (r: Results) => {
        r.scenarios[0]!.checks[0]!.passed = false;
      },
      code: 'scenario-check-failed',
      level: 'caution',
    },
  ])('derives a warning from $name even when results.json lists none', ({ change, code, level }) => {
    const warnings = collectWarnings(variant(change));
    expect(warnings.map((w) => [w.code, w.level])).toEqual([[code, level]]);
    expect(verdictOf(warnings).clean).toBe(false);
  });

  it('does not repeat a flag the bench already reported', () => {
    const r = variant((x) => {
      x.runs[3]!.valid = false;
      x.warnings.push({ code: 'invalid-run', message: 'bench says so', runIds: [x.runs[3]!.id] });
    });
    expect(collectWarnings(r).map((w) => w.message)).toEqual(['bench says so']);
  });

  it('calls a file clean only when nothing at all applies', () => {
    expect(collectWarnings(clean)).toEqual([]);
    expect(verdictOf([]).clean).toBe(true);
  });
});

describe('recommendationFor', () => {
  const facts = (over: Partial<SetupFacts>): SetupFacts => ({
    setup: 's',
    isBaseline: false,
    where: '',
    topReplicas: 4,
    efficiency: 0.95,
    storage: null,
    credentialBytes: null,
    revocation: null,
    invalidRuns: 0,
    throughput: { median: 1000, ciLow: 990, ciHigh: 1010, n: 3, cv: 0.01 },
    cpuUs: undefined,
    p99Us: undefined,
    authCost: null,
    ...over,
  });
  it.each([
    {
      name: 'near-linear scaling and instant revocation',
      f: facts({ revocation: { ms: 3, acceptedAfter: 0, tokenTtlSeconds: null, scenario: 'revocation' } }),
      expected: /near-linearly.*revokes in 3\.0 ms: fits when logout must take effect at once/,
    },
    {
      name: 'slow revocation',
      f: facts({
        revocation: { ms: 30_000, acceptedAfter: 10, tokenTtlSeconds: 30, scenario: 'revocation' },
      }),
      expected: /may outlive logout by 30\.0 s/,
    },
    {
      name: 'no revocation measurement',
      f: facts({}),
      expected: /revocation not measured: measure revocation before/,
    },
    {
      name: 'efficiency below the sub-linear threshold',
      f: facts({ efficiency: RULES.sublinear - 0.01 }),
      expected: /does not scale out.*avoid when scaling out/,
    },
    {
      name: 'efficiency between the thresholds',
      f: facts({ efficiency: (RULES.sublinear + RULES.nearLinear) / 2 }),
      expected: /scales sub-linearly/,
    },
    {
      name: 'a single replica count',
      f: facts({ topReplicas: 1, efficiency: 1 }),
      expected: /at 1 replica; scaling not measured \(one replica count\)/,
    },
    { name: 'no valid runs', f: facts({ throughput: undefined, invalidRuns: 3 }), expected: /No valid runs/ },
  ])('words $name from the numbers', ({ f, expected }) => {
    expect(recommendationFor(f, [f])).toMatch(expected);
  });

  it('warns that ranks are indicative when a cell rests on fewer than three runs', () => {
    const one = facts({ throughput: { median: 1000, ciLow: 1000, ciHigh: 1000, n: 1, cv: null } });
    expect(overallAdvice([one]).join(' ')).toMatch(/as few as 1 run\(s\) per cell: treat them as indicative/);
    expect(overallAdvice([facts({})]).join(' ')).not.toMatch(/indicative/);
  });

  it('calls two setups tied when their intervals overlap and ranks them otherwise', () => {
    const a = facts({ setup: 'a', throughput: { median: 1000, ciLow: 950, ciHigh: 1050, n: 3, cv: 0.02 } });
    const b = facts({ setup: 'b', throughput: { median: 990, ciLow: 940, ciHigh: 1040, n: 3, cv: 0.02 } });
    const c = facts({ setup: 'c', throughput: { median: 500, ciLow: 490, ciHigh: 510, n: 3, cv: 0.02 } });
    expect(recommendationFor(a, [a, b, c])).toMatch(/^Tied #1 of 3/);
    expect(recommendationFor(c, [a, b, c])).toMatch(/^#3 of 3/);
  });

  it('never ranks a cell of one run ahead of another: one median cannot tell them apart', () => {
    const one = (setup: string, median: number): SetupFacts =>
      facts({ setup, throughput: { median, ciLow: median, ciHigh: median, n: 1, cv: null } });
    const denylist = one('jwt-denylist', 1459);
    const jwt = one('jwt', 1049);
    const iphash = facts({
      setup: 'session-iphash',
      throughput: { median: 391, ciLow: 380, ciHigh: 400, n: 3, cv: 0.02 },
    });
    expect(recommendationFor(denylist, [denylist, jwt])).toMatch(
      /^Tied #1 of 2 in req\/s at 4 replicas \(one run per cell cannot separate them\)/,
    );
    expect(overallAdvice([denylist, jwt]).join(' ')).toMatch(
      /jwt-denylist \(1,459 req\/s\), not separable from jwt on one run per cell/,
    );
    expect(recommendationFor(iphash, [iphash, facts({ setup: 'x' })])).toMatch(
      /^#2 of 2 in req\/s at 4 replicas;/,
    );
  });
});

describe('chart data and helpers', () => {
  it.each([
    ['revocationTimeMaxMs', 'revocation time max (ms)'],
    ['requestsAcceptedAfterRevokeCount', 'requests accepted after revoke'],
    ['acceptedAfterRevokeVia_nginx_count', 'accepted after revoke via nginx'],
    ['tokenTtlSeconds', 'token ttl (s)'],
    ['bytesPerSession', 'bytes per session'],
    ['redisBytesPerEntryAt10000', 'redis bytes per entry at 10000'],
  ])('labels the measurement %s as "%s"', (name, label) => {
    expect(measurementLabel(name)).toBe(label);
  });

  it('prefixes every id and reference in an SVG so several charts can share one page', () => {
    expect(
      scopeIds('cpu', '<clipPath id="clip1"></clipPath><g clip-path="url(#clip1)"><use href="#clip1"/></g>'),
    ).toBe('<clipPath id="cpu-clip1"></clipPath><g clip-path="url(#cpu-clip1)"><use href="#cpu-clip1"/></g>');
  });

  it('reads the latency spectrum from the stored histogram, agreeing with the stored run percentiles', () => {
    const run = buildSyntheticResults('clean').runs[0]!;
    const points = percentileSpectrum(run.histogram);
    const at = (p: number) => points.find((x) => Math.abs(x.percentile - p) < 1e-9)?.latencyUs;
    expect(at(90)).toBe(run.latencyUs.p90);
    expect(at(99)).toBe(run.latencyUs.p99);
    expect(points[points.length - 1]).toMatchObject({ percentile: 100, latencyUs: run.latencyUs.max });
  });

  it('counts only non-2xx statuses and errors as refused or failed on scenario timelines', () => {
    const r = structuredClone(buildSyntheticResults('clean'));
    const sc = r.scenarios.find((s) => s.scenario === 'revocation' && s.setup === 'session-redis')!;
    sc.timeline = [{ t: 0, ok: 40, byStatus: { '200': 36, '204': 4, '401': 40 }, errors: 2, p99Us: null }];
    const rows = (
      prepareCharts(r).get('timeline-revocation')!.job.spec.data as {
        values: { setup: string; series: string; count?: number }[];
      }
    ).values;
    expect(rows.filter((x) => x.setup === 'session-redis' && x.series !== 'injected')).toEqual([
      { setup: 'session-redis', t: 0, series: 'ok', count: 40 },
      { setup: 'session-redis', t: 0, series: 'refused or failed', count: 42 },
    ]);
  });

  it('leaves invalid-only groups out of the charts and draws the ideal line only where a 1-replica median exists', () => {
    const r = structuredClone(buildSyntheticResults('clean'));
    for (const s of r.summaries) if (s.setup === 'hybrid' && s.replicas === 1) s.validRuns = 0;
    const job = prepareCharts(r).get('throughput')!.job;
    const rows = (job.spec.data as { values: { setup: string; replicas: number; kind: string }[] }).values;
    expect(rows.filter((x) => x.setup === 'hybrid').map((x) => `${x.replicas}:${x.kind}`)).toEqual([
      '2:measured',
      '4:measured',
    ]);
    expect(rows.filter((x) => x.setup === 'jwt' && x.kind === 'ideal linear')).toHaveLength(3);
  });
});
