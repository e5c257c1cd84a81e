/**
 * Before a run: can the given number of generators drive the load asked for?
 * One generator's ceiling comes from `authscale generator-capacity` when this
 * machine measured it recently (bench/generator/capacity.record.ts), else
 * from the conservative figure below. Only the open model asks for a rate;
 * a closed model's load is whatever its connections reach, and a generator
 * that saturates there is flagged after the run (generator-bound).
 */
import type { Plan } from '../results/results.schema';
import { rateFor } from './plan.connections';

export interface GeneratorCapacity {
  /** Highest open-model rate one generator process kept (req/s). */
  openRps: number;
  /** Where the figure comes from, for the message. */
  source: string;
}

/**
 * One generator process (one Node thread) on a busy 2-core development machine
 * is assumed to pace this many arrivals per second; deliberately below what
 * generator-capacity measures against a do-nothing server, since a real API
 * response costs the generator more to read than nginx's `return 200`.
 */
export const DEFAULT_GENERATOR_CAPACITY: GeneratorCapacity = {
  openRps: 1500,
  source:
    'the conservative default in bench/plan/shard.capacity.ts (run `authscale generator-capacity` to measure)',
};

/** A measurement older than this no longer speaks for the machine. */
export const CAPACITY_MAX_AGE_MS = 7 * 24 * 3600_000;

/** Warnings (not errors: the run may still be wanted) when a cell asks more than `shards` generators can drive. */
export function capacityWarnings(plan: Plan, shards: number, capacity: GeneratorCapacity): string[] {
  if (plan.model !== 'open') return [];
  const warnings: string[] = [];
  for (const replicas of plan.replicas) {
    const rate = rateFor(plan, replicas) ?? 0;
    const perGenerator = rate / shards;
    if (perGenerator <= capacity.openRps) continue;
    const needed = Math.ceil(rate / capacity.openRps);
    warnings.push(
      `${rate} req/s at ${replicas} replica(s) is ${perGenerator.toFixed(0)} req/s per generator with ${shards} ` +
        `generator(s), above the ${capacity.openRps} req/s one can drive (${capacity.source}): ` +
        `use --shards ${needed} or more, or a lower --rate.`,
    );
  }
  return warnings;
}
