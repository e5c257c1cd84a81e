/**
 * The common start of a sharded run (`--start-at`): every shard opens its
 * measured window at this moment by its own clock, so the shards' windows
 * coincide as far as the clocks agree. A start already past by more than the
 * tolerance, or further away than the limit, is refused (exit 2) with what to
 * give instead; merge flags windows that still overlap too little.
 */
import type { ShardSpec } from './shard.plan';
import { planHash } from './shard.plan';
import type { Plan } from '../results/results.schema';

export const SHARD_TIMING = {
  /** A shard this late (its clock past the start) still runs: its window opens at once, shifted. */
  lateToleranceMs: 5_000,
  /** Further away than this is a typo, not a plan (10 min). */
  maxAheadMs: 10 * 60_000,
} as const;

/** The shard, the common start and the run all shards share (one results file per shard). */
export interface ShardRun {
  shard: ShardSpec;
  startAtMs: number;
  runId: string;
  planHash: string;
}

/** ISO 8601 with a zone ("2026-12-02T18:00:00Z") or epoch milliseconds; undefined after adding a problem. */
export function readStartAt(raw: string | undefined, problems: string[]): number | undefined {
  if (raw === undefined) return undefined;
  const text = raw.trim();
  const ms = /^\d{10,}$/.test(text)
    ? Number(text)
    : /\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:?\d{2})$/.test(text)
      ? Date.parse(text)
      : NaN;
  if (!Number.isFinite(ms)) {
    problems.push(
      `--start-at "${raw}" is invalid: use an ISO time with a zone (e.g. 2026-12-02T18:00:00Z) or epoch milliseconds.`,
    );
    return undefined;
  }
  return ms;
}

/** Why this start cannot be used now, or null. `stage` says when it was checked (launch, after logins). */
export function startAtProblem(startAtMs: number, nowMs: number, stage = 'at launch'): string | null {
  const late = nowMs - startAtMs;
  const iso = new Date(startAtMs).toISOString();
  if (late > SHARD_TIMING.lateToleranceMs)
    return (
      `--start-at ${iso} is ${(late / 1000).toFixed(1)} s in the past ${stage} (this shard's clock), more than the ` +
      `${SHARD_TIMING.lateToleranceMs / 1000} s tolerated: give every shard a later start, leaving time for the logins, ` +
      'and check that the generators\u2019 clocks agree (NTP).'
    );
  if (-late > SHARD_TIMING.maxAheadMs)
    return `--start-at ${iso} is ${(-late / 60_000).toFixed(1)} min away, more than ${SHARD_TIMING.maxAheadMs / 60_000} min: give a nearer start.`;
  return null;
}

/** Default run id: the plan's hash and the start, the same in every shard given the same flags. */
export function shardRunOf(plan: Plan, shard: ShardSpec, startAtMs: number, runId?: string): ShardRun {
  const hash = planHash(plan);
  return { shard, startAtMs, planHash: hash, runId: runId ?? `${hash}@${startAtMs}` };
}
