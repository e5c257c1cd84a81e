/**
 * Throughput at a latency objective, through the real stack: the search
 * probes open-model rates against one jwt replica and keeps the highest rate
 * whose p99 met the objective with only 2xx answers. A generous objective
 * must be met at some rate; an impossible one never.
 */
import { buildPlan } from '../../../bench/plan/plan.build';
import { DEFAULT_VARIANT } from '../../../bench/plan/variant';
import { searchThroughputAtSlo, SLO_PROBES } from '../../../bench/runner/slo.search';

const plan = buildPlan({
  setups: 'jwt',
  replicas: '1',
  connections: '4',
  warmup: '0.5',
  maxWarmup: '0',
  duration: '1',
  cpuPerReplica: 'none',
});
const cell = { setup: 'jwt', replicas: 1, variant: DEFAULT_VARIANT, startRps: 100 };
const search = (sloP99Ms: number) =>
  searchThroughputAtSlo(plan, sloP99Ms, cell, new AbortController().signal, () => undefined);

test('a generous objective is met, and the answer is the best rate whose probe met it', async () => {
  const result = await search(500);
  expect(result.probes.length).toBeGreaterThan(0);
  expect(result.probes.length).toBeLessThanOrEqual(SLO_PROBES);
  const met = result.probes.filter((p) => p.met);
  expect(met.length).toBeGreaterThan(0);
  expect(result.ratePerSecond).toBe(Math.max(...met.map((p) => p.ratePerSecond)));
  for (const p of met) {
    expect(p.p99Us).toBeLessThanOrEqual(500_000);
    expect(p.reason).toBeNull();
    expect(p.achievedRps).toBeGreaterThan(0.9 * p.ratePerSecond);
  }
  // The first probe starts just above the closed-model figure it is given.
  expect(result.probes[0]!.ratePerSecond).toBe(120);
});

test('an impossible objective is never met and says why for every probe', async () => {
  const result = await search(0.001);
  expect(result.ratePerSecond).toBe(0);
  expect(result.probes.length).toBeGreaterThan(0);
  for (const p of result.probes) {
    expect(p.met).toBe(false);
    expect(p.reason).toMatch(/^p99 [\d.]+ ms > 0.001 ms$/);
  }
});
