/**
 * One run: start the topology, log the virtual users in, verify, warm up
 * until steady, measure, stop. Everything started here is stopped in
 * `finally`, also when the run fails or is interrupted.
 */
import type { RunningTopology } from '../../infra/topology.types';
import { runLoad, type LoadOutcome } from '../load/load.driver';
import { cpuOverWindow, GENERATOR_BOUND_THRESHOLD, takeCpuSnapshot } from '../measure/cpu.sampler';
import { encodeHistogram, summarizeHistogram } from '../measure/histogram.util';
import { rssBytesOf } from '../measure/proc-stat.util';
import { redisOverWindow, type RedisProbe, type RedisSnapshot } from '../measure/redis.stats';
import type { Plan, RunResult } from '../results/results.schema';
import type { ScheduledRun } from '../plan/plan.schedule';
import { connectionsFor, rateFor } from '../plan/plan.connections';
import { prepareTopology, type PreparedTopology } from './topology.prepare';
import { steadyStateOf, unsteadyReason, warmupControl } from './run.steady';

export interface ExecutedRun {
  result: RunResult;
  topology: RunningTopology['description'];
}

export interface RunHooks {
  signal?: AbortSignal;
  progress?(message: string): void;
}

export function runId(run: ScheduledRun): string {
  return `${run.variant.name}/${run.setup}/x${run.replicas}/rep${run.repetition}`;
}

/** Redis INFO at the window's edges; a store that went away costs the Redis figures, not the run. */
class RedisWindow {
  start: Promise<RedisSnapshot | null> | null = null;
  end: Promise<RedisSnapshot | null> | null = null;
  constructor(private readonly probe: RedisProbe | null) {}
  private snapshot = () => this.probe?.snapshot().catch(() => null) ?? null;
  open = () => (this.start = this.snapshot()) ?? undefined;
  close = () => (this.end = this.snapshot()) ?? undefined;
  async result(responses: number): Promise<RunResult['redis']> {
    const [first, last] = [await this.start, await this.end];
    if (!this.probe || !first || !last) return null;
    return redisOverWindow(first, last, responses, await this.probe.bytesPerKey().catch(() => null));
  }
}

function invalidReasonsOf(load: LoadOutcome, crashed: Error | null): string[] {
  const reasons: string[] = [];
  const non2xx = Object.entries(load.non2xx);
  if (non2xx.length > 0) reasons.push(`non-2xx: ${non2xx.map(([s, n]) => `${s} x ${n}`).join(', ')}`);
  if (load.errors > 0) reasons.push(`connection errors: ${load.errors}`);
  if (load.timeouts > 0) reasons.push(`timeouts: ${load.timeouts}`);
  if (load.responses === 0) reasons.push('no response completed in the measured window');
  if (load.interrupted) reasons.push('interrupted before the window ended');
  if (crashed) reasons.push(`topology failed: ${crashed.message.split('\n')[0]}`);
  return reasons;
}

async function measure(plan: Plan, prepared: PreparedTopology, hooks: RunHooks, connections: number) {
  const { topology, users } = prepared;
  const redis = new RedisWindow(prepared.redisProbe);
  const rss: Record<string, number> = {};
  const control = warmupControl(plan);
  hooks.progress?.(
    `warm-up ${plan.warmupSeconds}-${control.maxSeconds}s until steady, then measuring ${plan.durationSeconds}s`,
  );
  const load = await runLoad({
    url: topology.url,
    model: plan.model,
    connections,
    ratePerSecond: rateFor(plan, prepared.topology.replicas.length),
    warmup: control,
    durationSeconds: plan.durationSeconds,
    mix: plan.mix,
    headersFor: (i) => (users[i % users.length] ?? users[0]!).headers(),
    sampleCpu: () => takeCpuSnapshot(topology.processes()),
    signal: hooks.signal,
    onWindowStart: redis.open,
    onWindowEnd: () => {
      for (const replica of topology.replicas) rss[replica.id] = rssBytesOf(replica.pid) ?? 0;
      return redis.close();
    },
  });
  return { load, rss, redisFigures: await redis.result(load.responses) };
}

export async function executeRun(plan: Plan, run: ScheduledRun, hooks: RunHooks = {}): Promise<ExecutedRun> {
  const connections = connectionsFor(plan, run.replicas);
  const prepared = await prepareTopology(
    plan,
    run.setup,
    run.replicas,
    run.variant,
    hooks.progress,
    connections,
  );
  try {
    const startedAt = new Date().toISOString();
    const { load, rss, redisFigures } = await measure(plan, prepared, hooks, connections);
    const { cpuAtOpen, cpuAtClose } = load;
    const cpu =
      cpuAtOpen && cpuAtClose
        ? cpuOverWindow(cpuAtOpen, cpuAtClose, load.responses, prepared.generatorCpus)
        : null;
    const steadyState = steadyStateOf(load.timeline, load.warmupSeconds, load.openedSteady, plan);
    const invalidReasons = invalidReasonsOf(load, prepared.failure());
    const unsteady = load.interrupted ? null : unsteadyReason(steadyState);
    if (unsteady) invalidReasons.push(unsteady);
    const windowSeconds = Math.max(load.windowSeconds, 1e-3);
    const result: RunResult = {
      id: runId(run),
      variant: run.variant.name,
      runtime: prepared.topology.description.runtime,
      storeHop: prepared.topology.description.storeHop,
      setup: run.setup,
      replicas: run.replicas,
      repetition: run.repetition,
      order: run.order,
      model: plan.model,
      startedAt,
      durationSeconds: windowSeconds,
      requests: {
        total: load.responses,
        ok: load.ok,
        non2xx: load.non2xx,
        errors: load.errors,
        timeouts: load.timeouts,
      },
      throughputRps: load.responses / windowSeconds,
      latencyUs: summarizeHistogram(load.histogram),
      histogram: encodeHistogram(load.histogram),
      replicaShare: load.replicaShare,
      cpu,
      generatorBound: cpu !== null && cpu.generatorUtilisation >= GENERATOR_BOUND_THRESHOLD,
      redis: redisFigures,
      replicaRssBytes: rss,
      timeline: { bucketSeconds: load.bucketSeconds, buckets: load.timeline },
      steadyState,
      valid: invalidReasons.length === 0,
      invalidReasons,
    };
    load.histogram.destroy();
    return { result, topology: prepared.topology.description };
  } finally {
    await prepared.close();
  }
}
