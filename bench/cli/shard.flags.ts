/**
 * The bench's shard flags (--shard i/N or JOB_COMPLETION_INDEX with --shards N,
 * --start-at, --run-id) read into a ShardRun, every problem listed at once,
 * and the capacity warnings the plan gets before any run.
 */
import type { Plan } from '../results/results.schema';
import { readShard, shardPlanProblems, type ShardFlags } from '../plan/shard.plan';
import { readStartAt, shardRunOf, startAtProblem, type ShardRun } from '../plan/shard.start';
import { connectionsFor } from '../plan/plan.connections';
import { capacityWarnings, DEFAULT_GENERATOR_CAPACITY } from '../plan/shard.capacity';
import { readCapacityRecord } from '../generator/capacity.record';

export interface ShardCliFlags extends ShardFlags {
  startAt?: string;
  runId?: string;
}

/** The shard run, or null when not sharded; problems are added to `problems`. */
export function readShardRun(
  flags: ShardCliFlags,
  plan: Plan | null,
  problems: string[],
  env: NodeJS.ProcessEnv = process.env,
  now = Date.now(),
): ShardRun | null {
  const shard = readShard(flags, env, problems);
  const startAtMs = readStartAt(flags.startAt, problems);
  if (!shard) {
    const asked = flags.shard !== undefined || flags.shards !== undefined;
    if (!asked && (flags.startAt !== undefined || flags.runId !== undefined))
      problems.push('--start-at and --run-id belong to a sharded run: add --shard i/N (or --shards N).');
    return null;
  }
  if (flags.startAt === undefined)
    problems.push(
      '--shard needs --start-at: the same ISO time or epoch ms for every shard, e.g. --start-at 2026-12-02T18:00:00Z.',
    );
  if (flags.runId !== undefined && !/^[\w.@:-]{1,100}$/.test(flags.runId))
    problems.push(`--run-id "${flags.runId}" is invalid: use up to 100 letters, digits and . _ - @ :.`);
  if (startAtMs !== undefined) {
    const late = startAtProblem(startAtMs, now);
    if (late) problems.push(late);
  }
  if (!plan) return null;
  const connections = Math.min(...plan.replicas.map((r) => connectionsFor(plan, r)));
  problems.push(...shardPlanProblems(plan, shard, connections));
  if (startAtMs === undefined) return null;
  return shardRunOf(plan, shard, startAtMs, flags.runId);
}

/** Warnings for a plan whose asked-for rate exceeds what `shards` generators drive. */
export function generatorCapacityWarnings(plan: Plan, shards: number, outDir: string): string[] {
  const capacity = readCapacityRecord(outDir) ?? DEFAULT_GENERATOR_CAPACITY;
  return capacityWarnings(plan, shards, capacity);
}
