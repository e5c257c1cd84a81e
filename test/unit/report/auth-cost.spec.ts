/**
 * "What auth adds per request" (setup.facts.ts, seed-table.section.ts,
 * recommendation.rules.ts) against the SYNTHETIC fixture: each setup minus the
 * baseline at the same replica count, conservative intervals, the row's text
 * without a baseline, and the baseline kept out of every ranking.
 */
import { buildReport } from '../../../bench/report/report.build';
import { renderMarkdown } from '../../../bench/report/markdown.render';
import { authCostOf, deltaOf, setupFacts } from '../../../bench/report/setup.facts';
import { overallAdvice, recommendationFor } from '../../../bench/report/recommendation.rules';
import type { MetricCi, Results } from '../../../bench/results/results.schema';
import { buildSyntheticResults } from '../../fixtures/results/synthetic-results.fixture';

const clean = buildSyntheticResults('clean');
const ROW = '| Cost: what auth adds per request (beyond the baseline, same replica count) |';

const summary = (r: Results, setup: string, replicas: number) =>
  r.summaries.find((s) => s.setup === setup && s.replicas === replicas)!;

/** The results without the baseline setup, as a run without it would write them. */
function withoutBaseline(r: Results): Results {
  const out = structuredClone(r);
  out.plan.setups = out.plan.setups.filter((s) => s !== 'baseline');
  out.runs = out.runs.filter((x) => x.setup !== 'baseline');
  out.summaries = out.summaries.filter((x) => x.setup !== 'baseline');
  return out;
}

function rowCells(r: Results): string[] {
  const line = renderMarkdown(buildReport(r).model)
    .split('\n')
    .find((l) => l.startsWith(ROW));
  if (!line) throw new Error('no auth-cost row');
  return line
    .slice(ROW.length, -2)
    .split(' | ')
    .map((c) => c.trim());
}

const ci = (median: number, ciLow: number, ciHigh: number, n = 3): MetricCi => ({
  median,
  ciLow,
  ciHigh,
  n,
  cv: null,
});

describe('deltaOf: a difference of medians with a conservative interval', () => {
  it.each([
    ['both with intervals', ci(10, 8, 13), ci(4, 3, 6), { median: 6, interval: [2, 10] }],
    [
      'overlapping intervals give one that spans zero',
      ci(5, 4, 7),
      ci(5, 3, 6),
      { median: 0, interval: [-2, 4] },
    ],
    ['a side of one run has no interval', ci(10, 10, 10, 1), ci(4, 3, 6), { median: 6, interval: null }],
  ])('%s', (_name, a, b, expected) => {
    expect(deltaOf(a, b)).toEqual(expected);
  });

  it('is null when either side is missing or empty', () => {
    expect(deltaOf(undefined, ci(1, 1, 1))).toBeNull();
    expect(deltaOf(ci(1, 1, 1, 0), ci(1, 1, 1))).toBeNull();
  });
});

describe('what auth adds, from the synthetic fixture', () => {
  it('subtracts the baseline at the largest shared replica count, tier by tier and metric by metric', () => {
    const cost = authCostOf(clean, 'jwt-denylist')!;
    const a = summary(clean, 'jwt-denylist', 4);
    const b = summary(clean, 'baseline', 4);
    expect(cost.replicas).toBe(4);
    expect(cost.replicaCpuUs!.median).toBeCloseTo(
      a.cpuUsPerRequestByTier!.replicas - b.cpuUsPerRequestByTier!.replicas,
    );
    expect(cost.replicaCpuUs!.interval).toBeNull();
    expect(cost.replicaCpuTotalUs).toBe(a.cpuUsPerRequestByTier!.replicas);
    expect(cost.redisCpuUs).toBe(a.cpuUsPerRequestByTier!.redis);
    expect(cost.p50Us).toEqual({
      median: a.metrics.p50Us!.median - b.metrics.p50Us!.median,
      interval: [
        a.metrics.p50Us!.ciLow - b.metrics.p50Us!.ciHigh,
        a.metrics.p50Us!.ciHigh - b.metrics.p50Us!.ciLow,
      ],
    });
    // The fixture's shapes: the denylist does more work per request than no auth at all.
    expect(cost.replicaCpuUs!.median).toBeGreaterThan(50);
    expect(cost.p50Us!.interval![0]).toBeGreaterThan(0);
  });

  it('has no Redis figure for a setup without Redis, and none at all for the baseline itself', () => {
    expect(authCostOf(clean, 'jwt')!.redisCpuUs).toBeNull();
    expect(authCostOf(clean, 'baseline')).toBeNull();
  });

  it('falls back to a smaller replica count when the baseline ran only there', () => {
    const partial = structuredClone(clean);
    partial.summaries = partial.summaries.filter((s) => s.setup !== 'baseline' || s.replicas === 1);
    expect(authCostOf(partial, 'jwt')!.replicas).toBe(1);
    expect(rowCells(partial)[1]).toMatch(/; at 1 replica$/);
  });

  it('renders a cell per setup: the baseline as the reference, the others with signed figures and intervals', () => {
    const cells = rowCells(clean);
    const jwt = authCostOf(clean, 'jwt')!;
    expect(cells).toHaveLength(7);
    expect(cells[0]).toMatch(/^the reference: \d+ µs replica CPU per request at 4 replicas$/);
    expect(cells[1]).toMatch(
      /^replica CPU \+\d+(\.\d)? µs per request \(of \d+ µs\); no Redis; all tiers \+[\d.]+ µs \[\+[\d.]+ µs, \+[\d.]+ µs\]; p50 \+[\d.]+ ms \[\+[\d.]+ ms, \+[\d.]+ ms\]; at 4 replicas$/,
    );
    expect(cells[1]).toContain(`(of ${Math.round(jwt.replicaCpuTotalUs!)} µs)`);
    expect(cells[2]).toMatch(/; Redis CPU [\d.]+ µs per request;/);
  });

  it('tells a baseline that ran without a valid run from one that never ran', () => {
    const invalid = structuredClone(clean);
    for (const r of invalid.runs) if (r.setup === 'baseline') r.valid = false;
    invalid.summaries = invalid.summaries.filter((s) => s.setup !== 'baseline');
    for (const c of rowCells(invalid))
      expect(c).toBe('not measured (the baseline setup has no valid run: see Warnings)');
  });

  it('says a difference resting on one run has no interval, rather than inventing one', () => {
    const oneRun = structuredClone(clean);
    const base = summary(oneRun, 'baseline', 4);
    for (const m of Object.values(base.metrics)) m.n = 1;
    expect(rowCells(oneRun)[1]).toMatch(
      /; all tiers \+[\d.]+ µs \(1 run: no interval\); p50 \+[\d.]+ ms \(1 run: no interval\);/,
    );
  });

  it('says "not measured (run with the baseline setup)" in every cell when the results have no baseline', () => {
    const none = withoutBaseline(clean);
    const cells = rowCells(none);
    expect(cells).toHaveLength(6);
    for (const c of cells) expect(c).toBe('not measured (run with the baseline setup)');
    expect(overallAdvice(setupFacts(none))).toContain(
      'What auth adds per request is not measured: run with the baseline setup (no auth) beside the others.',
    );
  });
});

describe('the recommendation and the baseline', () => {
  const facts = setupFacts(clean);
  const of = (setup: string) => facts.find((f) => f.setup === setup)!;

  it('says in one sentence how much of the replica CPU per request auth adds', () => {
    const f = of('session-redis');
    const c = f.authCost!;
    const text = recommendationFor(f, facts);
    expect(text).toMatch(
      /\. Auth adds [\d.]+ µs of the [\d.]+ µs of replica CPU per request \(\d+%\) at 4 replicas, plus [\d.]+ µs in Redis\.$/,
    );
    expect(text).toContain(`(${Math.round((100 * c.replicaCpuUs!.median) / c.replicaCpuTotalUs!)}%)`);
    expect(recommendationFor(of('jwt'), facts)).not.toContain('in Redis');
  });

  it('never ranks the baseline, though it has the most throughput and the least CPU', () => {
    const base = of('baseline');
    expect(base.throughput!.median).toBeGreaterThan(of('jwt').throughput!.median);
    expect(recommendationFor(base, facts)).toMatch(/^The reference without auth .* not ranked\.$/);
    expect(recommendationFor(of('jwt'), facts)).toMatch(/#1 of 6 in req\/s/);
    const advice = overallAdvice(facts);
    expect(advice[0]).toMatch(/^Most throughput at 4 replicas: jwt /);
    expect(advice[1]).toMatch(/^Least CPU per request: jwt /);
    expect(advice[2]).toMatch(
      /^Beyond the baseline \(no auth\), auth adds from [\d.]+ µs \(jwt\) to [\d.]+ µs \(session-redis\)/,
    );
  });
});
