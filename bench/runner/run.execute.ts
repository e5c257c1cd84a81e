/**
 * One run: start the topology, log the virtual users in, verify, warm up,
 * measure, stop. Everything started here is stopped in `finally`, also when
 * the run fails or is interrupted.
 */
import { findSetup, type SetupDefinition } from '../../infra/setups.data';
import { startTopology } from '../../infra/topology';
import type { RunningTopology } from '../../infra/topology.types';
import { loginVirtualUsers, LoginError } from '../client/virtual-user';
import { EnvironmentError } from '../cli/errors';
import { runLoad } from '../load/load.driver';
import { cpuOverWindow, GENERATOR_BOUND_THRESHOLD, takeCpuSnapshot, type CpuSnapshot } from '../measure/cpu.sampler';
import { encodeHistogram, summarizeHistogram } from '../measure/histogram.util';
import { rssBytesOf } from '../measure/proc-stat.util';
import { openRedisProbe, redisOverWindow, type RedisProbe, type RedisSnapshot } from '../measure/redis.stats';
import type { Plan, RunResult } from '../results/results.schema';
import type { ScheduledRun } from '../plan/plan.schedule';
import { placeGenerator } from './generator.placement';
import { verifySetup } from './run.verify';

export interface ExecutedRun {
  result: RunResult;
  topology: RunningTopology['description'];
}

export interface RunHooks {
  signal?: AbortSignal;
  /** Lets the bench stop a topology on Ctrl-C even while it is starting up. */
  onTopology?(topology: RunningTopology | null): void;
  progress?(message: string): void;
}

export function runId(run: ScheduledRun): string {
  return `${run.variant.name}/${run.setup}/x${run.replicas}/rep${run.repetition}`;
}

export async function executeRun(plan: Plan, run: ScheduledRun, hooks: RunHooks = {}): Promise<ExecutedRun> {
  const setup = findSetup(run.setup);
  if (!setup) throw new EnvironmentError(`setup ${run.setup} is not defined in infra/setups.data.ts`);
  let failure: Error | null = null;
  const topology = await startTopology({
    setup,
    replicas: run.replicas,
    cpuPerReplica: plan.cpuPerReplica,
    appEnv: run.variant.appEnv,
    apiEntry: run.variant.apiEntry,
    onFailure: (err) => { failure = err; },
  });
  hooks.onTopology?.(topology);
  let probe: RedisProbe | null = null;
  try {
    const placement = placeGenerator(topology);
    if (topology.redis) probe = await openRedisProbe(topology.redis.url);

    hooks.progress?.(`logging in ${plan.connections} virtual users`);
    const users = await loginUsers(topology, setup, plan.connections);
    const first = users[0];
    if (!first) throw new EnvironmentError('no virtual user logged in (connections must be at least 1)');
    await verifySetup(topology, setup, first);

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
    const cpu = cpuStart && cpuEnd ? cpuOverWindow(cpuStart, cpuEnd, load.responses, placement.cpus) : null;
    const [redisFirst, redisLast] = [await redisStart, await redisEnd];
    const redis = probe && redisFirst && redisLast
      ? redisOverWindow(redisFirst, redisLast, load.responses, await probe.bytesPerKey().catch(() => null))
      : null;

    const invalidReasons: string[] = [];
    const non2xx = Object.entries(load.non2xx);
    if (non2xx.length > 0) invalidReasons.push(`non-2xx: ${non2xx.map(([s, n]) => `${s} x ${n}`).join(', ')}`);
    if (load.errors > 0) invalidReasons.push(`connection errors: ${load.errors}`);
    if (load.timeouts > 0) invalidReasons.push(`timeouts: ${load.timeouts}`);
    if (load.responses === 0) invalidReasons.push('no response completed in the measured window');
    if (load.interrupted) invalidReasons.push('interrupted before the window ended');
    const crashed = failure ?? topology.failure();
    if (crashed) invalidReasons.push(`topology failed: ${crashed.message.split('\n')[0]}`);

    const generatorBound = cpu !== null && cpu.generatorUtilisation >= GENERATOR_BOUND_THRESHOLD;
    const windowSeconds = Math.max(load.windowSeconds, 1e-3);
    const result: RunResult = {
      id: runId(run),
      variant: run.variant.name,
      setup: run.setup,
      replicas: run.replicas,
      repetition: run.repetition,
      order: run.order,
      model: plan.model,
      startedAt,
      durationSeconds: windowSeconds,
      requests: { total: load.responses, ok: load.ok, non2xx: load.non2xx, errors: load.errors, timeouts: load.timeouts },
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
    await probe?.close().catch(() => undefined);
    await topology.stop();
    hooks.onTopology?.(null);
  }
}

async function loginUsers(topology: RunningTopology, setup: SetupDefinition, count: number) {
  try {
    return await loginVirtualUsers(topology.url, setup.credential, count);
  } catch (err) {
    if (err instanceof LoginError) {
      throw new EnvironmentError(`setup ${setup.name}: ${err.message}. The setup cannot be measured; check the API's configuration for it.`);
    }
    throw err;
  }
}
