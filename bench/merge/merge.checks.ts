/**
 * What makes a set of results files one sharded run, checked before anything
 * is added: every file is a shard's, of the same run, plan and shard count,
 * each shard exactly once, and the same runs (setup, replicas, variant,
 * runtime) in each. Every difference found is named, with the files, at once.
 */
import { UsageError } from '../../infra/errors';
import type { Results, ShardInfo } from '../results/results.schema';

export interface ShardFile {
  /** Where it came from, for messages. */
  source: string;
  results: Results;
}

export type CheckedShard = ShardFile & { shard: ShardInfo };

const label = (s: Pick<ShardInfo, 'index' | 'count'>) => `${s.index + 1}/${s.count}`;

function differing<T>(files: readonly CheckedShard[], what: string, read: (f: CheckedShard) => T): string[] {
  const first = files[0];
  if (!first) return [];
  const expected = JSON.stringify(read(first));
  return files
    .filter((f) => JSON.stringify(read(f)) !== expected)
    .map(
      (f) =>
        `${f.source} has ${what} ${JSON.stringify(read(f))} but ${first.source} has ${expected}: ` +
        'merge only the files of one sharded run (same plan, setups and run id).',
    );
}

const runShape = (f: CheckedShard) =>
  f.results.runs.map((r) => `${r.id} ${r.setup} x${r.replicas} ${r.variant} ${r.runtime ?? 'process'}`);

function coverageProblems(files: readonly CheckedShard[], count: number): string[] {
  const problems: string[] = [];
  const seen = new Map<number, string>();
  for (const f of files) {
    const other = seen.get(f.shard.index);
    if (other !== undefined)
      problems.push(
        `shard ${label(f.shard)} appears twice (${other} and ${f.source}): give each shard's file once.`,
      );
    else seen.set(f.shard.index, f.source);
  }
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !seen.has(i));
  if (missing.length > 0)
    problems.push(
      `shard(s) ${missing.map((i) => label({ index: i, count })).join(', ')} missing: ` +
        `a run of ${count} shards merges only with all ${count} files.`,
    );
  return problems;
}

/** The files as shards of one run, or a UsageError listing every difference. */
export function checkShardFiles(files: readonly ShardFile[]): CheckedShard[] {
  if (files.length === 0)
    throw new UsageError(['merge needs the results files of a sharded run: give them all.']);
  const notShards = files.filter((f) => !f.results.shard);
  if (notShards.length > 0)
    throw new UsageError(
      notShards.map(
        (f) =>
          `${f.source} is not a shard's results (no "shard" in it): merge takes the files of one bench --shard i/N run.`,
      ),
    );
  const shards: CheckedShard[] = files.map((f) => ({ ...f, shard: f.results.shard as ShardInfo }));
  const problems = [
    ...differing(shards, 'run id', (f) => f.shard.runId),
    ...differing(shards, 'plan hash', (f) => f.shard.planHash),
    ...differing(shards, 'shard count', (f) => f.shard.count),
    ...differing(shards, 'setups', (f) => f.results.plan.setups),
    ...differing(shards, 'runs', runShape),
    ...differing(shards, 'calibration', (f) => f.results.environment.calibration),
  ];
  if (problems.length === 0) problems.push(...coverageProblems(shards, shards[0]!.shard.count));
  if (problems.length > 0) throw new UsageError(problems);
  return [...shards].sort((a, b) => a.shard.index - b.shard.index);
}
