/**
 * The bench job: a validated plan and one or more variants in, a Results
 * object out. Runs follow the interleaved schedule (plan.schedule.ts); the
 * scenarios of the plan run after the throughput runs, once per variant.
 * The caller (the CLI, the A/B job) writes the file and renders reports.
 *
 * Interruption: when `signal` aborts, the current window closes early, every
 * topology is stopped, and the partial results come back with
 * interrupted = true.
 */
import { findSetup, type SetupDefinition } from '../../infra/setups.data';
import { startTopology } from '../../infra/topology';
import type { RunningTopology, TopologyDescription } from '../../infra/topology.types';
import { estimateRunSeconds, scheduleRuns, type ScheduledRun } from '../plan/plan.schedule';
import {
  RESULTS_SCHEMA_VERSION,
  type Plan,
  type Results,
  type RunResult,
  type ScenarioResult,
  type Summary,
} from '../results/results.schema';
import type { ScenarioContext } from '../scenarios/scenario.types';
import { DEFAULT_VARIANT, variantsAtStoreRtts, type Variant } from '../plan/variant';
import { summarize } from '../stats/summary.stats';
import { describeEnvironment } from './environment.describe';
import { executeRun } from './run.execute';
import { attachProfilerOverhead } from './cpu-profile.capture';
import { runScenarios } from '../scenarios/index';
import { searchThroughputAtSlo } from './slo.search';
import { deriveNotes, deriveWarnings } from '../results/warnings.derive';
import type { ShardRun } from '../plan/shard.start';

export type BenchProgress =
  | { kind: 'run-start'; index: number; total: number; run: ScheduledRun; etaSeconds: number }
  | { kind: 'run-end'; index: number; total: number; result: RunResult; etaSeconds: number }
  | { kind: 'message'; text: string };

export interface BenchOptions {
  plan: Plan;
  /** Default: one variant, "candidate", this checkout's API. */
  variants?: readonly Variant[];
  signal?: AbortSignal;
  onProgress?(event: BenchProgress): void;
  /** Same value in both files of an A/B job. */
  abGroup?: string | null;
  /** plan.cpuProfile: where the profiled runs' .cpuprofile files go until the caller moves them. */
  cpuProfileDir?: string;
  /** This process is one shard of a sharded run (bench --shard): its file is marked for merge. */
  shard?: ShardRun;
}

export async function runBench(options: BenchOptions): Promise<Results> {
  const { plan } = options;
  const variants = options.variants && options.variants.length > 0 ? options.variants : [DEFAULT_VARIANT];
  const signal = options.signal ?? new AbortController().signal;
  const progress = options.onProgress ?? (() => undefined);
  const schedule = scheduleRuns(plan, variants);
  const runs: RunResult[] = [];
  const scenarios: ScenarioResult[] = [];
  const topologies: TopologyDescription[] = [];
  const createdAt = new Date().toISOString();
  const started = performance.now();
  let estimate = estimateRunSeconds(plan);

  for (const [index, run] of schedule.entries()) {
    if (signal.aborted) break;
    const remaining = schedule.length - index;
    progress({ kind: 'run-start', index, total: schedule.length, run, etaSeconds: remaining * estimate });
    let executed: Awaited<ReturnType<typeof executeRun>>;
    try {
      executed = await executeRun(plan, run, {
        signal,
        progress: (text) => progress({ kind: 'message', text }),
        cpuProfileDir: options.cpuProfileDir,
        shard: options.shard,
      });
    } catch (err) {
      // Ctrl-C during start-up or login: the teardown stopped the processes under the run's feet.
      if (signal.aborted) break;
      throw err;
    }
    runs.push(executed.result);
    topologies.push(executed.topology);
    // Measured pace replaces the guess as soon as there is one.
    estimate = (performance.now() - started) / 1000 / runs.length;
    progress({
      kind: 'run-end',
      index,
      total: schedule.length,
      result: executed.result,
      etaSeconds: (remaining - 1) * estimate,
    });
  }

  if (plan.scenarios.length > 0 && !signal.aborted) {
    for (const variant of variants) {
      if (signal.aborted) break;
      scenarios.push(...(await runScenariosFor(plan, variant, signal, progress)));
    }
  }

  attachProfilerOverhead(runs);
  const summaries = summarize(runs);
  if (plan.sloP99Ms !== null) await searchSlos(plan, plan.sloP99Ms, summaries, variants, signal, progress);

  const interrupted = signal.aborted;
  const environment = describeEnvironment(topologies, variants, plan.cpuPerReplica);
  return {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    tool: 'authscale',
    createdAt,
    abGroup: options.abGroup ?? null,
    environment,
    plan,
    runs,
    summaries,
    scenarios,
    warnings: deriveWarnings({ plan, environment, runs, summaries, scenarios, interrupted }),
    notes: deriveNotes({ plan, runs }),
    interrupted,
    ...(options.shard ? { shard: shardInfoOf(options.shard) } : {}),
  };
}

function shardInfoOf(s: ShardRun): NonNullable<Results['shard']> {
  return {
    index: s.shard.index,
    count: s.shard.count,
    runId: s.runId,
    planHash: s.planHash,
    startAt: new Date(s.startAtMs).toISOString(),
  };
}

/** Throughput at SLO for every summarised cell, starting from what the closed model reached there. */
async function searchSlos(
  plan: Plan,
  sloP99Ms: number,
  summaries: Summary[],
  variants: readonly Variant[],
  signal: AbortSignal,
  progress: (e: BenchProgress) => void,
): Promise<void> {
  for (const summary of summaries) {
    if (signal.aborted) return;
    const atRtts = variantsAtStoreRtts(variants, plan.storeRttsMs);
    const variant = atRtts.find((v) => v.name === summary.variant) ?? DEFAULT_VARIANT;
    const startRps =
      plan.model === 'open' && plan.ratePerSecond ? plan.ratePerSecond : summary.metrics.throughputRps.median;
    const label = `${summary.setup} x${summary.replicas}`;
    try {
      summary.throughputAtSlo = await searchThroughputAtSlo(
        plan,
        sloP99Ms,
        { setup: summary.setup, replicas: summary.replicas, variant, startRps },
        signal,
        (text) => progress({ kind: 'message', text: `${label}: ${text}` }),
      );
    } catch (err) {
      if (signal.aborted) return;
      throw err;
    }
    const found = summary.throughputAtSlo;
    progress({
      kind: 'message',
      text: `${label}: throughput at p99 <= ${sloP99Ms} ms: ${found.ratePerSecond} req/s (${found.probes.length} probes)`,
    });
  }
}

async function runScenariosFor(
  plan: Plan,
  variant: Variant,
  signal: AbortSignal,
  progress: (e: BenchProgress) => void,
): Promise<ScenarioResult[]> {
  const started: RunningTopology[] = [];
  const setups = plan.setups.map(findSetup).filter((s): s is SetupDefinition => s !== undefined);
  const ctx: ScenarioContext = {
    plan,
    setups,
    variant,
    signal,
    progress: (text) => progress({ kind: 'message', text: `scenario: ${text}` }),
    async startTopology(options) {
      const topology = await startTopology({
        cpuPerReplica: plan.cpuPerReplica,
        ...options,
        appEnv: { ...variant.appEnv, ...(options.appEnv ?? {}) },
        apiEntry: variant.apiEntry,
        runtime: variant.runtime,
        apiImage: variant.apiImage,
      });
      started.push(topology);
      return topology;
    },
  };
  try {
    return await runScenarios(ctx);
  } finally {
    // stop() is idempotent: scenarios stop their own, this catches what an error left behind.
    await Promise.all(started.map((t) => t.stop()));
  }
}
