/**
 * CPU accounting over a measured window: one snapshot at the start, one at
 * the end, for every process of the topology and for the load generator
 * (this process: autocannon runs in it). The difference divided by the
 * completed requests gives CPU microseconds per request per tier, which
 * transfers across machines far better than requests per second.
 */
import type { ProcessRef } from '../../infra/topology.types';
import type { RunResult, Tier } from '../results/results.schema';
import { cpus } from 'node:os';
import { cpuSecondsOf, machineBusySeconds } from './proc-stat.util';

export type CpuBreakdown = NonNullable<RunResult['cpu']>;

export interface CpuSnapshot {
  atMs: number;
  byPid: Map<number, { ref: ProcessRef; seconds: number }>;
  generatorSeconds: number;
  machineBusySeconds: number | null;
}

const TIER_OF_ROLE: Record<ProcessRef['role'], Tier> = {
  replica: 'replicas',
  nginx: 'nginx',
  redis: 'redis',
  'store-delay': 'store-delay',
};

/** Above this share of its CPU the generator is measuring itself, not the system. */
export const GENERATOR_BOUND_THRESHOLD = 0.85;

export function generatorCpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

export function takeCpuSnapshot(processes: readonly ProcessRef[]): CpuSnapshot {
  const byPid = new Map<number, { ref: ProcessRef; seconds: number }>();
  for (const ref of processes) {
    const seconds = ref.cpuSeconds?.() ?? cpuSecondsOf(ref.pid);
    if (seconds !== null) byPid.set(ref.pid, { ref, seconds });
  }
  return {
    atMs: performance.now(),
    byPid,
    generatorSeconds: generatorCpuSeconds(),
    machineBusySeconds: machineBusySeconds(),
  };
}

/**
 * `generatorCpus` is how many CPUs the generator may use: autocannon is one
 * JavaScript thread, so 1 unless placement gives it less.
 */
export function cpuOverWindow(
  start: CpuSnapshot,
  end: CpuSnapshot,
  completedRequests: number,
  generatorCpus = 1,
): CpuBreakdown {
  const windowSeconds = Math.max((end.atMs - start.atMs) / 1000, 1e-6);
  const secondsByTier: Record<Tier, number> = {
    replicas: 0,
    nginx: 0,
    redis: 0,
    'store-delay': 0,
    generator: 0,
  };
  const perProcess: CpuBreakdown['perProcess'] = [];
  for (const [pid, last] of end.byPid) {
    // A process that appeared during the window (a restart) counts from its start.
    const first = start.byPid.get(pid)?.seconds ?? 0;
    const used = Math.max(0, last.seconds - first);
    secondsByTier[TIER_OF_ROLE[last.ref.role]] += used;
    // Non-positive keys are replicas of a remote target (bench/measure/replica-metrics.ts): no pid to record.
    perProcess.push({
      role: last.ref.role,
      label: last.ref.label,
      pid: pid > 0 ? pid : null,
      cpuSeconds: used,
    });
  }
  const generatorUsed = Math.max(0, end.generatorSeconds - start.generatorSeconds);
  secondsByTier.generator = generatorUsed;
  perProcess.push({ role: 'generator', label: 'autocannon', pid: process.pid, cpuSeconds: generatorUsed });

  const perRequest = (seconds: number) => (completedRequests > 0 ? (seconds * 1e6) / completedRequests : 0);
  const usPerRequestByTier = Object.fromEntries(
    Object.entries(secondsByTier).map(([tier, seconds]) => [tier, perRequest(seconds)]),
  ) as Record<Tier, number>;
  const accounted = Object.values(secondsByTier).reduce((a, b) => a + b, 0);
  const machineBusy =
    start.machineBusySeconds !== null && end.machineBusySeconds !== null
      ? Math.max(0, end.machineBusySeconds - start.machineBusySeconds)
      : null;
  return {
    windowSeconds,
    secondsByTier,
    usPerRequestByTier,
    usPerRequestTotal: Object.values(usPerRequestByTier).reduce((a, b) => a + b, 0),
    perProcess,
    generatorUtilisation: generatorUsed / (windowSeconds * generatorCpus),
    ...(machineBusy === null
      ? {}
      : {
          machine: {
            cpus: Math.max(1, cpus().length),
            busySeconds: machineBusy,
            otherSeconds: Math.max(0, machineBusy - accounted),
          },
        }),
  };
}
