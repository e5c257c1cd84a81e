/**
 * What the calibration injections are fractions of, and how much the knob
 * really adds. Measured on this machine, CALIBRATION_CPU_US = x raised the
 * API CPU per request by about 2x (nominal 24/48/97 us gave +10/+26/+45% of
 * ~430 us): throttling and the busy loop's own overhead cost more than the
 * spun microseconds. So the knob's response is measured first (knob off vs a
 * probe value, interleaved pairs) and every injection is divided by it, so
 * that "+10%" means 10% more measured CPU per request, not 10% of knob.
 */
import type { Plan, Results } from '../results/results.schema';
import { runBench } from '../runner/bench.runner';
import { EnvironmentError } from '../../infra/errors';
import { metric } from '../results/metrics.registry';
import { median } from '../stats/ranks.stats';

/** About 45% of the API's CPU per request here: large against run-to-run noise, still in the knob's linear range. */
export const PROBE_US = 200;
export const PROBE_PAIRS = 5;

export interface KnobResponse {
  /** Median API CPU per request with the knob off, microseconds. */
  costUs: number;
  /** Measured CPU microseconds added per microsecond of knob (1 = the knob is exact). */
  knobEfficiency: number;
  probeUs: number;
  pairs: number;
}

const cpu = metric('cpu');

/** From a job with variants "off" and "on" (the knob at probeUs), paired by repetition. */
export function knobResponseOf(results: Results, probeUs: number): KnobResponse {
  const usable = (variant: string) =>
    new Map(
      results.runs
        .filter((r) => r.variant === variant && r.valid && !r.generatorBound)
        .map((r) => [r.repetition, cpu.read(r)] as const)
        .filter((e): e is readonly [number, number] => e[1] !== null && e[1] > 0),
    );
  const off = usable('off');
  const on = usable('on');
  const added = [...off].filter(([rep]) => on.has(rep)).map(([rep, v]) => on.get(rep)! - v);
  if (added.length === 0) {
    throw new EnvironmentError(
      'the knob calibration produced no valid pair of runs measuring CPU: check the setup with `authscale bench` first.',
    );
  }
  const efficiency = median(added) / probeUs;
  if (!(efficiency > 0)) {
    throw new EnvironmentError(
      `the knob at ${probeUs} us added no measurable CPU per request (median ${median(added).toFixed(0)} us): the API may not honour CALIBRATION_CPU_US.`,
    );
  }
  return { costUs: median([...off.values()]), knobEfficiency: efficiency, probeUs, pairs: added.length };
}

export async function measureKnobResponse(plan: Plan, signal: AbortSignal): Promise<KnobResponse> {
  const results = await runBench({
    plan: { ...plan, repetitions: PROBE_PAIRS },
    variants: [
      { name: 'off', appEnv: {} },
      { name: 'on', appEnv: { CALIBRATION_CPU_US: String(PROBE_US) } },
    ],
    signal,
  });
  return knobResponseOf(results, PROBE_US);
}
