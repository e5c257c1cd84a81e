/**
 * Sharded load generation: one run split between N generator processes
 * (`bench --shard i/N`, possibly on different machines). Shard i drives its
 * share of the connections and of the open-model rate, with its own block of
 * virtual users, so the shards together offer exactly the load asked for and
 * no user is logged in twice. The shard defaults from JOB_COMPLETION_INDEX
 * and --shards N, so a Kubernetes Indexed Job runs the same command in every pod.
 */
import { createHash } from 'node:crypto';
import type { Plan } from '../results/results.schema';
import { readNumber, wholeFrom } from './flag.values';

export interface ShardSpec {
  /** 0-based. */
  index: number;
  count: number;
}

export interface ShardFlags {
  shard?: string;
  shards?: string;
}

/** The environment variable a Kubernetes Indexed Job sets in each pod (0-based). */
export const JOB_INDEX_ENV = 'JOB_COMPLETION_INDEX';
const MAX_SHARDS = 1000;

function fromIndexVar(raw: string, count: number | undefined, problems: string[]): ShardSpec | null {
  if (count === undefined) return null;
  const index = readNumber(
    `${JOB_INDEX_ENV}`,
    raw,
    {
      check: wholeFrom(0, count - 1),
      allowed: `use a whole number from 0 to ${count - 1} (--shards ${count})`,
    },
    problems,
  );
  return index === undefined ? null : { index, count };
}

/** The shard this process is, from --shard i/N, or JOB_COMPLETION_INDEX with --shards N; null: not sharded. */
export function readShard(flags: ShardFlags, env: NodeJS.ProcessEnv, problems: string[]): ShardSpec | null {
  const count = readNumber(
    '--shards',
    flags.shards,
    {
      check: wholeFrom(1, MAX_SHARDS),
      allowed: `use a whole number from 1 to ${MAX_SHARDS}, e.g. --shards 3`,
    },
    problems,
  );
  if (flags.shard === undefined) {
    const indexVar = env[JOB_INDEX_ENV];
    if (indexVar !== undefined && count !== undefined) return fromIndexVar(indexVar, count, problems);
    if (count !== undefined)
      problems.push(`--shards ${count} needs the shard too: add --shard i/${count} or set ${JOB_INDEX_ENV}.`);
    return null;
  }
  const m = /^(\d+)\/(\d+)$/.exec(flags.shard.trim());
  const index = m ? Number(m[1]) : NaN;
  const total = m ? Number(m[2]) : NaN;
  if (!m || total < 1 || total > MAX_SHARDS || index < 1 || index > total) {
    problems.push(
      `--shard "${flags.shard}" is invalid: use i/N with 1 <= i <= N <= ${MAX_SHARDS}, e.g. --shard 2/3 (the second of three).`,
    );
    return null;
  }
  if (count !== undefined && count !== total)
    problems.push(`--shard ${flags.shard} and --shards ${count} disagree: give one of them, or the same N.`);
  return { index: index - 1, count: total };
}

/** "2/3" for the second shard of three (1-based, as the flag takes it). */
export const shardLabel = (s: ShardSpec) => `${s.index + 1}/${s.count}`;

/** Shard i's part of `total` whole units: floor(total/N), plus one for the first total mod N shards. */
export function shareOf(total: number, shard: ShardSpec): { count: number; offset: number } {
  const base = Math.floor(total / shard.count);
  const rest = total - base * shard.count;
  const count = base + (shard.index < rest ? 1 : 0);
  const offset = shard.index * base + Math.min(shard.index, rest);
  return { count, offset };
}

/** Shard i's part of an arrival rate: whole arrivals per second shared like connections, the fraction to shard 1. */
export function rateShareOf(rate: number, shard: ShardSpec): number {
  const whole = Math.floor(rate);
  const part = shareOf(whole, shard).count;
  return shard.index === 0 ? part + (rate - whole) : part;
}

/** What a sharded plan cannot be: more than one run (the shards meet once, at --start-at), or too few connections. */
export function shardPlanProblems(plan: Plan, shard: ShardSpec, connections: number): string[] {
  const problems: string[] = [];
  const runs = plan.setups.length * plan.replicas.length * plan.repetitions;
  if (runs !== 1)
    problems.push(
      `--shard runs one measured run and this plan has ${runs} (setups x replicas x repetitions): ` +
        'give one setup, one replica count and --repetitions 1.',
    );
  if (plan.scenarios.length > 0) problems.push('--shard does not run scenarios: add --scenarios none.');
  if (plan.sloP99Ms !== null) problems.push('--shard does not search throughput at SLO: drop --slo-p99-ms.');
  if (connections < shard.count)
    problems.push(
      `${connections} connection(s) cannot be split among ${shard.count} shards: use --connections ${shard.count} or more.`,
    );
  return problems;
}

/** The plan's identity: every shard of one run must carry the same one (merge checks it). */
export function planHash(plan: Plan): string {
  return createHash('sha256').update(canonicalJson(plan)).digest('hex').slice(0, 16);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
