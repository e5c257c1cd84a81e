/**
 * One run: start the topology, log the virtual users in, verify, warm up
 * until steady, measure, stop. Everything started here is stopped in
 * `finally`, also when the run fails or is interrupted.
 */
import type { RunningTopology } from '../../infra/topology.types';
import { defaultBucketSeconds, runLoad, type LoadOutcome } from '../load/load.driver';
import { cpuOverWindow, GENERATOR_BOUND_THRESHOLD, takeCpuSnapshot } from '../measure/cpu.sampler';
import { encodeHistogram, summarizeHistogram } from '../measure/histogram.util';
import { rssBytesOf } from '../measure/proc-stat.util';
import { redisOverWindow, type RedisProbe, type RedisSnapshot } from '../measure/redis.stats';
import type { Plan, RunResult } from '../results/results.schema';
import type { ScheduledRun } from '../plan/plan.schedule';
import { connectionsFor, rateFor } from '../plan/plan.connections';
import { prepareTopology, type PreparedTopology } from './topology.prepare';
import { steadyStateOf, unsteadyReason, warmupControl } from './run.steady';
import { CpuProfileCapture } from './cpu-profile.capture';
import type { Variant } from '../plan/variant';
import { rateShareOf, shareOf } from '../plan/shard.plan';
import type { ShardRun } from '../plan/shard.start';
import { warmupUntilStart } from './shard.timing';

export interface ExecutedRun {
  result: RunResult;
  topology: RunningTopology['description'];
}

export interface RunHooks {
  signal?: AbortSignal;
  progress?(message: string): void;
  /** Where profiled runs leave their .cpuprofile files (required when the schedule has profiled runs). */
  cpuProfileDir?: string;
  /** This process is one shard of the run: its part of the load, its users, the common start. */
  shard?: ShardRun;
}

/** The connections, first user and arrival rate this process drives (its shard's part, or all). */
function loadShareOf(plan: Plan, replicas: number, shard: ShardRun | undefined) {
  const connections = connectionsFor(plan, replicas);
  const rate = rateFor(plan, replicas);
  if (!shard) return { connections, firstUser: 0, rate };
  const part = shareOf(connections, shard.shard);
  return {
    connections: part.count,
    firstUser: part.offset,
    rate: rate === null ? null : rateShareOf(rate, shard.shard),
  };
}

export function runId(run: ScheduledRun): string {
  return `${run.variant.name}/${run.setup}/x${run.replicas}/rep${run.repetition}${run.profiled ? '/profiled' : ''}`;
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

function measuresReplicaCpu(prepared: PreparedTopology): boolean {
  return prepared.topology.description.runtime !== 'target' || prepared.topology.replicas.length > 0;
}

async function measure(
  plan: Plan,
  prepared: PreparedTopology,
  hooks: RunHooks,
  share: ReturnType<typeof loadShareOf>,
  capture: CpuProfileCapture | null,
) {
  const { topology, users } = prepared;
  const redis = new RedisWindow(prepared.redisProbe);
  const rss: Record<string, number> = {};
  const bucketSeconds = defaultBucketSeconds(plan.durationSeconds);
  // A profiler toggled at the window's edges, or a window opening at a common time, cannot be retried.
  const retryWindows = !capture && !hooks.shard;
  const own = warmupControl(plan, topology.enforceCpuBudget, { retryWindows });
  const control = hooks.shard
    ? await warmupUntilStart(hooks.shard.startAtMs, bucketSeconds, own, hooks.signal)
    : own;
  hooks.progress?.(
    `warm-up ${plan.warmupSeconds}-${control.maxSeconds}s until steady, then measuring ${plan.durationSeconds}s`,
  );
  const load = await runLoad({
    url: topology.url,
    model: plan.model,
    connections: share.connections,
    ratePerSecond: share.rate,
    warmup: control,
    bucketSeconds,
    durationSeconds: plan.durationSeconds,
    mix: plan.mix,
    headersFor: (i) => (users[i % users.length] ?? users[0]!).headers(),
    // A target without --replica-metrics: replica CPU is not measured, and a 0 must not stand for it.
    sampleCpu: () => (measuresReplicaCpu(prepared) ? takeCpuSnapshot(topology.processes()) : null),
    signal: hooks.signal,
    onWindowStart: () => {
      capture?.start(topology.replicas);
      return redis.open();
    },
    onWindowEnd: () => {
      capture?.stop();
      // A remote target's replicas (pid 0) run elsewhere: their RSS is not measured, not zero.
      for (const replica of topology.replicas)
        if (replica.pid > 0) rss[replica.id] = rssBytesOf(replica.pid) ?? 0;
      return redis.close();
    },
  });
  return { load, rss, redisFigures: await redis.result(load.responses) };
}

function profileCapture(run: ScheduledRun, hooks: RunHooks): CpuProfileCapture | null {
  if (!run.profiled) return null;
  if (!hooks.cpuProfileDir) throw new Error('a profiled run needs RunHooks.cpuProfileDir');
  return new CpuProfileCapture(hooks.cpuProfileDir);
}

const withEnv = (variant: Variant, env: Record<string, string>): Variant => ({
  ...variant,
  appEnv: { ...variant.appEnv, ...env },
});

export async function executeRun(plan: Plan, run: ScheduledRun, hooks: RunHooks = {}): Promise<ExecutedRun> {
  const share = loadShareOf(plan, run.replicas, hooks.shard);
  const capture = profileCapture(run, hooks);
  const variant = capture ? withEnv(run.variant, capture.env()) : run.variant;
  const prepared = await prepareTopology(plan, run.setup, run.replicas, variant, hooks.progress, {
    connections: share.connections,
    firstUser: share.firstUser,
  }).catch((err: unknown) => {
    capture?.discard();
    throw err;
  });
  try {
    const startedAt = new Date().toISOString();
    const { load, rss, redisFigures } = await measure(plan, prepared, hooks, share, capture);
    const profile = capture ? { profiled: true, cpuProfile: await capture.collect(run) } : {};
    const { cpuAtOpen, cpuAtClose } = load;
    const cpu =
      cpuAtOpen && cpuAtClose
        ? cpuOverWindow(cpuAtOpen, cpuAtClose, load.responses, prepared.generatorCpus)
        : null;
    const steadyState = steadyStateOf(
      load.timeline,
      {
        seconds: load.warmupSeconds,
        accepted: load.accepted,
        readyChecks: load.readyChecks,
        windowsTried: load.windowsTried,
      },
      plan,
    );
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
      clock: load.clock,
      valid: invalidReasons.length === 0,
      invalidReasons,
      ...profile,
    };
    load.histogram.destroy();
    return { result, topology: prepared.topology.description };
  } finally {
    capture?.discard();
    await prepared.close();
  }
}
