/**
 * CPU of shards added per tier. Each shard reads /proc of the processes it
 * measures: shards that drove one topology (the same host and process ids)
 * each saw the whole topology's CPU, so it is counted once (the shard with the
 * longest window stands for the group); separate topologies add up. Every
 * shard's own generator is a process of its own and always adds.
 */
import { tierNames, type RunResult, type Tier } from '../results/results.schema';

type Cpu = NonNullable<RunResult['cpu']>;
export interface ShardCpu {
  shardLabel: string;
  hostname: string;
  cpu: Cpu;
}

/** Shards measuring the same processes share a key. */
export function topologyKey(hostname: string, cpu: Cpu): string {
  // A remote target's replicas have no pid: their label (the replica id) names them.
  const parts = cpu.perProcess
    .filter((p) => p.role !== 'generator')
    .map((p) => (p.pid === null ? `${p.label}@remote` : String(p.pid)))
    .sort();
  return `${hostname}:${parts.join(',')}`;
}

/** One member per distinct topology: the one with the longest window. */
export function representatives<T>(
  items: readonly T[],
  key: (t: T) => string,
  weight: (t: T) => number,
): T[] {
  const best = new Map<string, T>();
  for (const item of items) {
    const k = key(item);
    const seen = best.get(k);
    if (!seen || weight(item) > weight(seen)) best.set(k, item);
  }
  return [...best.values()];
}

function tierSeconds(reps: readonly ShardCpu[], all: readonly ShardCpu[]): Record<Tier, number> {
  const out = {} as Record<Tier, number>;
  for (const tier of tierNames) {
    const from = tier === 'generator' ? all : reps;
    out[tier] = from.reduce((sum, s) => sum + (s.cpu.secondsByTier[tier] ?? 0), 0);
  }
  return out;
}

function machineOf(reps: readonly ShardCpu[]): Cpu['machine'] {
  if (reps.length !== 1) return undefined;
  return reps[0]!.cpu.machine;
}

/** The shards' CPU as one run's, per request over all shards' requests; null when a shard did not measure it. */
export function mergeCpu(
  shards: readonly (ShardCpu | null)[],
  requests: number,
  windowSeconds: number,
): Cpu | null {
  if (shards.length === 0 || shards.some((s) => s === null)) return null;
  const all = shards as ShardCpu[];
  const reps = representatives(
    all,
    (s) => topologyKey(s.hostname, s.cpu),
    (s) => s.cpu.windowSeconds,
  );
  const secondsByTier = tierSeconds(reps, all);
  const perRequest = (seconds: number) => (requests > 0 ? (seconds * 1e6) / requests : 0);
  const usPerRequestByTier = {} as Record<Tier, number>;
  for (const tier of tierNames) usPerRequestByTier[tier] = perRequest(secondsByTier[tier]);
  const machine = machineOf(reps);
  return {
    windowSeconds,
    secondsByTier,
    usPerRequestByTier,
    usPerRequestTotal: tierNames.reduce((sum, t) => sum + usPerRequestByTier[t], 0),
    perProcess: [
      ...reps.flatMap((s) => s.cpu.perProcess.filter((p) => p.role !== 'generator')),
      ...all.flatMap((s) =>
        s.cpu.perProcess
          .filter((p) => p.role === 'generator')
          .map((p) => ({ ...p, label: `${p.label} (shard ${s.shardLabel})` })),
      ),
    ],
    generatorUtilisation: Math.max(...all.map((s) => s.cpu.generatorUtilisation)),
    ...(machine ? { machine } : {}),
  };
}
