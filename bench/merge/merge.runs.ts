/**
 * One run measured by N shards as one run: requests and statuses summed, HDR
 * histograms added bucket by bucket (percentiles read from the sum, never
 * averaged), throughput over the time any shard's window covered (so a
 * shard's late window lowers it rather than inflating it), CPU and timelines
 * as merge.cpu.ts and merge.timeline.ts say.
 */
import { decodeHistogram, mergeHistograms, summarizeHistogram } from '../measure/histogram.util';
import type { RunResult, SteadyState } from '../results/results.schema';
import { mergeCpu, topologyKey } from './merge.cpu';
import { mergeTimelines } from './merge.timeline';

export interface ShardRunInput {
  shardLabel: string;
  hostname: string;
  run: RunResult;
}

const VERDICT_RANK: Record<SteadyState['verdict'], number> = {
  flat: 0,
  warmup: 1,
  unchecked: 2,
  slowdown: 3,
  'no-steady-state': 4,
};

const sumOf = (runs: readonly RunResult[], read: (r: RunResult) => number) =>
  runs.reduce((a, r) => a + read(r), 0);

function addCounts(records: readonly Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of records) for (const [k, v] of Object.entries(r)) out[k] = (out[k] ?? 0) + v;
  return out;
}

function maxPerKey(records: readonly Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of records) for (const [k, v] of Object.entries(r)) out[k] = Math.max(out[k] ?? 0, v);
  return out;
}

/** The span any shard's window covered and the span all of them did (ms), from the clocks; null without. */
export function windowSpans(runs: readonly RunResult[]) {
  const clocks = runs.map((r) => r.clock);
  if (clocks.some((c) => c === undefined)) return null;
  const starts = clocks.map((c) => c!.windowStartEpochMs);
  const ends = clocks.map((c) => c!.windowEndEpochMs);
  const union = Math.max(...ends) - Math.min(...starts);
  const common = Math.max(0, Math.min(...ends) - Math.max(...starts));
  return { start: Math.min(...starts), end: Math.max(...ends), union, common };
}

function worstSteadyState(runs: readonly RunResult[]): SteadyState | null {
  const states = runs.map((r) => r.steadyState).filter((s): s is SteadyState => s !== null);
  if (states.length === 0) return null;
  return states.reduce((a, s) => (VERDICT_RANK[s.verdict] > VERDICT_RANK[a.verdict] ? s : a));
}

/** Redis commands per request: per distinct topology its commands, over every shard's requests. */
function mergeRedis(inputs: readonly ShardRunInput[], total: number): RunResult['redis'] {
  const withRedis = inputs.filter((i) => i.run.redis !== null);
  if (withRedis.length !== inputs.length || total === 0) return null;
  const byTopology = new Map<string, ShardRunInput>();
  for (const i of withRedis) byTopology.set(i.run.cpu ? topologyKey(i.hostname, i.run.cpu) : i.shardLabel, i);
  const commands = addCounts(
    [...byTopology.values()].map((i) =>
      Object.fromEntries(
        Object.entries(i.run.redis!.commandsPerRequest).map(([c, n]) => [c, n * i.run.requests.total]),
      ),
    ),
  );
  const first = withRedis[0]!.run.redis!;
  return {
    ...first,
    commandsPerRequest: Object.fromEntries(Object.entries(commands).map(([c, n]) => [c, n / total])),
  };
}

export function mergeRun(inputs: readonly ShardRunInput[]): RunResult {
  const runs = inputs.map((i) => i.run);
  const { clock: _clock, ...first } = runs[0]!;
  const merged = mergeHistograms(runs.map((r) => r.histogram))!;
  const histogram = decodeHistogram(merged);
  const latencyUs = summarizeHistogram(histogram);
  histogram.destroy();
  const total = sumOf(runs, (r) => r.requests.total);
  const spans = windowSpans(runs);
  const durationSeconds = spans
    ? Math.max(spans.union / 1000, 1e-3)
    : Math.max(...runs.map((r) => r.durationSeconds));
  const cpu = mergeCpu(
    inputs.map((i) =>
      i.run.cpu ? { shardLabel: i.shardLabel, hostname: i.hostname, cpu: i.run.cpu } : null,
    ),
    total,
    durationSeconds,
  );
  const steadyState = worstSteadyState(runs);
  const invalidReasons = inputs.flatMap((i) =>
    i.run.invalidReasons.map((r) => `shard ${i.shardLabel}: ${r}`),
  );
  return {
    ...first,
    startedAt: runs.map((r) => r.startedAt).sort()[0]!,
    durationSeconds,
    requests: {
      total,
      ok: sumOf(runs, (r) => r.requests.ok),
      non2xx: addCounts(runs.map((r) => r.requests.non2xx)),
      errors: sumOf(runs, (r) => r.requests.errors),
      timeouts: sumOf(runs, (r) => r.requests.timeouts),
    },
    throughputRps: total / durationSeconds,
    latencyUs,
    histogram: merged,
    replicaShare: addCounts(runs.map((r) => r.replicaShare)),
    cpu,
    generatorBound: runs.some((r) => r.generatorBound),
    redis: mergeRedis(inputs, total),
    replicaRssBytes: maxPerKey(runs.map((r) => r.replicaRssBytes)),
    timeline: mergeTimelines(
      inputs.map((i) =>
        i.run.timeline && i.run.clock
          ? {
              timeline: i.run.timeline,
              timelineStartEpochMs: i.run.clock.timelineStartEpochMs,
              topologyKey: i.run.cpu ? topologyKey(i.hostname, i.run.cpu) : i.shardLabel,
            }
          : null,
      ),
    ),
    steadyState,
    ...(spans
      ? {
          clock: {
            timelineStartEpochMs: Math.min(...runs.map((r) => r.clock!.timelineStartEpochMs)),
            windowStartEpochMs: spans.start,
            windowEndEpochMs: spans.end,
          },
        }
      : {}),
    valid: invalidReasons.length === 0,
    invalidReasons,
  };
}
