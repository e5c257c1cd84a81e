/**
 * One run: start the topology, log the virtual users in, verify, warm up,
 * measure, stop. Everything started here is stopped in `finally`, also when
 * the run fails or is interrupted.
 */
import type { RunningTopology } from '../../infra/topology.types';
import { runLoad } from '../load/load.driver';
import {
  cpuOverWindow,
  GENERATOR_BOUND_THRESHOLD,
  takeCpuSnapshot,
  type CpuSnapshot,
} from '../measure/cpu.sampler';
import { encodeHistogram, summarizeHistogram } from '../measure/histogram.util';
import { rssBytesOf } from '../measure/proc-stat.util';
import { redisOverWindow, type RedisSnapshot } from '../measure/redis.stats';
import type { Plan, RunResult } from '../results/results.schema';
import type { ScheduledRun } from '../plan/plan.schedule';
import { prepareTopology } from './topology.prepare';

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

export async function executeRun(plan: Plan, run: ScheduledRun, hooks: RunHooks = {}): Promise<ExecutedRun> {
  const prepared = await prepareTopology(plan, run.setup, run.replicas, run.variant, hooks.progress);
  const { topology, users, redisProbe: probe } = prepared;
  const first = users[0]!;
  try {
    let cpuStart: CpuSnapshot | null = null;
    let cpuEnd: CpuSnapshot | null = null;
    let redisStart: Promise<RedisSnapshot | null> | null = null;
    let redisEnd: Promise<RedisSnapshot | null> | null = null;
    // A store that went away (Ctrl-C teardown, a crash) costs the Redis figures, not the run.
    const snapshotRedis = () => probe?.snapshot().catch(() => null) ?? null;
    const rss: Record<string, number> = {};
    const startedAt = new Date(Date.now() + plan.warmupSeconds * 1000).toISOString();
    hooks.progress?.(`warm-up ${plan.warmupSeconds}s, then measuring ${plan.durationSeconds}s`);
    const load = await runLoad({
      url: topology.url,
      model: plan.model,
      connections: plan.connections,
      ratePerSecond: plan.ratePerSecond,
      warmupSeconds: plan.warmupSeconds,
      durationSeconds: plan.durationSeconds,
      mix: plan.mix,
      headersFor: (i) => (users[i % users.length] ?? first).headers(),
      signal: hooks.signal,
      onWindowStart: () => {
        cpuStart = takeCpuSnapshot(topology.processes());
        redisStart = snapshotRedis();
        return redisStart ?? undefined;
      },
      onWindowEnd: () => {
        cpuEnd = takeCpuSnapshot(topology.processes());
        for (const replica of topology.replicas) rss[replica.id] = rssBytesOf(replica.pid) ?? 0;
        redisEnd = snapshotRedis();
        return redisEnd ?? undefined;
      },
    });

    const histogram = encodeHistogram(load.histogram);
    const latencyUs = summarizeHistogram(load.histogram);
    load.histogram.destroy();
    const cpu =
      cpuStart && cpuEnd ? cpuOverWindow(cpuStart, cpuEnd, load.responses, prepared.generatorCpus) : null;
    const [redisFirst, redisLast] = [await redisStart, await redisEnd];
    const redis =
      probe && redisFirst && redisLast
        ? redisOverWindow(redisFirst, redisLast, load.responses, await probe.bytesPerKey().catch(() => null))
        : null;

    const invalidReasons: string[] = [];
    const non2xx = Object.entries(load.non2xx);
    if (non2xx.length > 0)
      invalidReasons.push(`non-2xx: ${non2xx.map(([s, n]) => `${s} x ${n}`).join(', ')}`);
    if (load.errors > 0) invalidReasons.push(`connection errors: ${load.errors}`);
    if (load.timeouts > 0) invalidReasons.push(`timeouts: ${load.timeouts}`);
    if (load.responses === 0) invalidReasons.push('no response completed in the measured window');
    if (load.interrupted) invalidReasons.push('interrupted before the window ended');
    const crashed = prepared.failure();
    if (crashed) invalidReasons.push(`topology failed: ${crashed.message.split('\n')[0]}`);

    const generatorBound = cpu !== null && cpu.generatorUtilisation >= GENERATOR_BOUND_THRESHOLD;
    const windowSeconds = Math.max(load.windowSeconds, 1e-3);
    const result: RunResult = {
      id: runId(run),
      variant: run.variant.name,
      runtime: topology.description.runtime,
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
      latencyUs,
      histogram,
      replicaShare: load.replicaShare,
      cpu,
      generatorBound,
      redis,
      replicaRssBytes: rss,
      valid: invalidReasons.length === 0,
      invalidReasons,
    };
    return { result, topology: topology.description };
  } finally {
    await prepared.close();
  }
}
