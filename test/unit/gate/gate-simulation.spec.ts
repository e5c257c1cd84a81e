/**
 * The decision rule under a known noise model (a SIMULATION, not a
 * measurement: docs/regression-gate.md carries the measured figures). Each
 * simulated job has 10 interleaved pairs of jwt x2 with every metric drawn
 * log-normally around its true value (sigma 4% per run, a shared per-pair
 * drift of 3% on top, as a busy machine gives). The rule must keep A/A false
 * alarms at or below alpha and catch a 10% CPU increase at least 90% of the time.
 */
import { compareSides } from '../../../bench/gate/compare.engine';
import { DEFAULT_OPTIONS } from '../../../bench/gate/compare.options';
import { sideFrom } from '../../../bench/gate/compare.sides';
import type { Verdict } from '../../../bench/gate/compare.types';
import { makeResults, prng, type RunValues } from './compare.fixture';

function gaussian(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(Math.max(rand(), 1e-12))) * Math.cos(2 * Math.PI * rand());
}

/** One simulated A/B job; `cpuFactor` is the true change of CPU per request (throughput and latency follow it). */
function job(cpuFactor: number, seed: number): Verdict {
  const rand = prng(seed);
  const base: RunValues[] = [];
  const candidate: RunValues[] = [];
  for (let pair = 0; pair < 10; pair += 1) {
    const drift = Math.exp(0.03 * gaussian(rand));
    const draw = (factor: number): RunValues => {
      const n = () => drift * Math.exp(0.04 * gaussian(rand));
      return {
        throughput: (1800 / factor) * n(),
        p50: 8000 * factor * n(),
        p99: 25000 * factor * n(),
        cpu: 400 * factor * n(),
      };
    };
    base.push(draw(1));
    candidate.push(draw(cpuFactor));
  }
  const results = makeResults([
    { variant: 'base', runs: base },
    { variant: 'candidate', runs: candidate },
  ]);
  return compareSides(
    sideFrom('base', 'sim', results, 'base', 'base'),
    sideFrom('candidate', 'sim', results, 'candidate', 'candidate'),
    DEFAULT_OPTIONS,
  ).verdict;
}

function failRate(cpuFactor: number, jobs: number, seed: number): number {
  let fails = 0;
  for (let i = 0; i < jobs; i += 1) if (job(cpuFactor, seed + i) === 'FAIL') fails += 1;
  return fails / jobs;
}

describe('the gate under simulated noise', () => {
  it('fails at most 5% of A/A jobs (400 jobs)', () => {
    expect(failRate(1, 400, 1000)).toBeLessThanOrEqual(0.05);
  });

  it('fails at least 90% of jobs with 10% more CPU per request (200 jobs)', () => {
    expect(failRate(1.1, 200, 5000)).toBeGreaterThanOrEqual(0.9);
  });

  it('never fails a job with 20% less CPU per request (200 jobs)', () => {
    expect(failRate(0.8, 200, 9000)).toBe(0);
  });
});
