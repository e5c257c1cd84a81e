/**
 * `authscale merge`: the results files of one sharded run (bench --shard i/N)
 * as one results file, which report and compare read like any other. The
 * files are checked first (merge.checks.ts); each run is merged across the
 * shards (merge.runs.ts); summaries, warnings and notes are derived again
 * from the merged runs, plus a warning when the shards' windows overlap too
 * little for their sum to be one load.
 */
import {
  RESULTS_SCHEMA_VERSION,
  type MergedFrom,
  type Results,
  type ResultsWarning,
  type RunResult,
} from '../results/results.schema';
import { deriveNotes, deriveWarnings } from '../results/warnings.derive';
import { summarize } from '../stats/summary.stats';
import { checkShardFiles, type CheckedShard, type ShardFile } from './merge.checks';
import { mergeRun, windowSpans } from './merge.runs';

export type { ShardFile } from './merge.checks';

/** Windows sharing less than this part of the time any of them covered are flagged. */
export const MIN_WINDOW_OVERLAP = 0.9;

const shardLabel = (f: CheckedShard) => `${f.shard.index + 1}/${f.shard.count}`;

function overlapWarnings(shards: readonly CheckedShard[], runs: readonly RunResult[]): ResultsWarning[] {
  const warnings: ResultsWarning[] = [];
  for (const run of runs) {
    const perShard = shards.map((f) => f.results.runs.find((r) => r.id === run.id)!);
    const spans = windowSpans(perShard);
    if (!spans) {
      warnings.push({
        code: 'shard-window-overlap',
        runIds: [run.id],
        message: `run ${run.id}: a shard's file has no window clock, so the shards' overlap cannot be checked.`,
      });
      continue;
    }
    const overlap = spans.union > 0 ? spans.common / spans.union : 1;
    if (overlap >= MIN_WINDOW_OVERLAP) continue;
    const offsets = perShard
      .map(
        (r, i) =>
          `shard ${shardLabel(shards[i]!)} +${((r.clock!.windowStartEpochMs - spans.start) / 1000).toFixed(2)} s`,
      )
      .join(', ');
    warnings.push({
      code: 'shard-window-overlap',
      runIds: [run.id],
      message:
        `run ${run.id}: the shards' measured windows overlap ${(overlap * 100).toFixed(0)}% (< ${MIN_WINDOW_OVERLAP * 100}%; ` +
        `window starts ${offsets}): the merged load never ran all at once. Start every shard before --start-at ` +
        'and check their clocks.',
    });
  }
  return warnings;
}

function mergedFromOf(shards: readonly CheckedShard[], runs: readonly RunResult[]): MergedFrom {
  const spans = windowSpans(shards.map((f) => f.results.runs[0]!).filter(Boolean));
  return {
    runId: shards[0]!.shard.runId,
    planHash: shards[0]!.shard.planHash,
    shards: shards.map((f) => {
      const run = f.results.runs[0];
      return {
        index: f.shard.index,
        hostname: f.results.environment.hostname,
        requests: f.results.runs.reduce((a, r) => a + r.requests.total, 0),
        windowStartEpochMs: run?.clock?.windowStartEpochMs ?? null,
        windowEndEpochMs: run?.clock?.windowEndEpochMs ?? null,
      };
    }),
    windowOverlap: runs.length > 0 && spans && spans.union > 0 ? spans.common / spans.union : null,
  };
}

export function mergeShardResults(files: readonly ShardFile[], createdAt = new Date()): Results {
  const shards = checkShardFiles(files);
  const base = shards[0]!.results;
  const runs = base.runs.map((run) =>
    mergeRun(
      shards.map((f) => ({
        shardLabel: shardLabel(f),
        hostname: f.results.environment.hostname,
        run: f.results.runs.find((r) => r.id === run.id)!,
      })),
    ),
  );
  const hostnames = [...new Set(shards.map((f) => f.results.environment.hostname))];
  const environment = { ...base.environment, hostname: hostnames.join(', ') };
  const summaries = summarize(runs);
  const interrupted = shards.some((f) => f.results.interrupted);
  const derived = { plan: base.plan, environment, runs, summaries, scenarios: [], interrupted };
  return {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    tool: 'authscale',
    createdAt: createdAt.toISOString(),
    abGroup: base.abGroup,
    environment,
    plan: base.plan,
    runs,
    summaries,
    scenarios: [],
    warnings: [...deriveWarnings(derived), ...overlapWarnings(shards, runs)],
    notes: [
      ...deriveNotes({ plan: base.plan, runs }),
      `Merged from ${shards.length} shards of run ${shards[0]!.shard.runId} (generators: ${hostnames.join(', ')}): ` +
        'histograms added, counts summed, throughput over the time any shard measured; timeline percentiles are the highest of the shards\u2019.',
    ],
    interrupted,
    mergedFrom: mergedFromOf(shards, runs),
  };
}
