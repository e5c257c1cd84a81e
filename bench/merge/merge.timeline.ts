/**
 * Shards' timelines laid on one time axis: a shard's bucket ends at its
 * timeline's start (epoch ms) plus its `t`; buckets ending within half a
 * bucket of each other are one merged bucket. Counts add; CPU adds like the
 * run's (merge.cpu.ts: a topology the shards shared counts once). A bucket
 * keeps only p50/p99, not its histogram, so the merged bucket's percentiles
 * are the highest of the shards' (an upper bound; the window's own
 * percentiles come from the merged histogram and are exact).
 */
import { tierNames, type Tier, type Timeline, type TimelineBucket } from '../results/results.schema';

export interface ShardTimeline {
  timeline: Timeline;
  timelineStartEpochMs: number;
  /** Shards driving one topology share a key (merge.cpu.ts topologyKey). */
  topologyKey: string;
}

const PHASE_RANK: Record<TimelineBucket['phase'], number> = { relaxed: 0, warmup: 1, drain: 2, measured: 3 };

const addInto = (into: Record<string, number>, from: Record<string, number>) => {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
};
const maxOf = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));

/** CPU of one merged bucket: per topology the highest reading, summed over topologies; generators add. */
function bucketCpu(items: readonly { b: TimelineBucket; key: string }[]) {
  if (items.some((i) => i.b.cpuSeconds === null)) return { cpuSeconds: null, replicaCpuSeconds: {} };
  const byKey = new Map<string, TimelineBucket[]>();
  for (const i of items) byKey.set(i.key, [...(byKey.get(i.key) ?? []), i.b]);
  const cpuSeconds = Object.fromEntries(tierNames.map((t) => [t, 0])) as Record<Tier, number>;
  const replicaCpuSeconds: Record<string, number> = {};
  for (const group of byKey.values()) {
    for (const tier of tierNames) {
      const values = group.map((b) => b.cpuSeconds![tier] ?? 0);
      cpuSeconds[tier] += tier === 'generator' ? values.reduce((a, v) => a + v, 0) : Math.max(...values);
    }
    const top = group.reduce((a, b) => (b.cpuSeconds!.replicas > a.cpuSeconds!.replicas ? b : a));
    addInto(replicaCpuSeconds, top.replicaCpuSeconds);
  }
  return { cpuSeconds, replicaCpuSeconds };
}

function mergeBucket(t: number, items: readonly { b: TimelineBucket; key: string }[]): TimelineBucket {
  const sum = (read: (b: TimelineBucket) => number) => items.reduce((a, i) => a + read(i.b), 0);
  const replicaRequests: Record<string, number> = {};
  for (const i of items) addInto(replicaRequests, i.b.replicaRequests);
  const phase = items.reduce(
    (p, i) => (PHASE_RANK[i.b.phase] > PHASE_RANK[p] ? i.b.phase : p),
    items[0]!.b.phase,
  );
  return {
    t,
    phase,
    requests: sum((b) => b.requests),
    ok: sum((b) => b.ok),
    non2xx: sum((b) => b.non2xx),
    errors: sum((b) => b.errors),
    timeouts: sum((b) => b.timeouts),
    p50Us: items.reduce<number | null>((a, i) => maxOf(a, i.b.p50Us), null),
    p99Us: items.reduce<number | null>((a, i) => maxOf(a, i.b.p99Us), null),
    ...bucketCpu(items),
    replicaRequests,
    lagMs: Math.max(...items.map((i) => i.b.lagMs)),
  };
}

/** One timeline on a common axis; null when any shard lacks one (or the bucket lengths differ). */
export function mergeTimelines(shards: readonly (ShardTimeline | null)[]): Timeline | null {
  if (shards.length === 0 || shards.some((s) => s === null)) return null;
  const all = shards as ShardTimeline[];
  const bucketSeconds = all[0]!.timeline.bucketSeconds;
  if (all.some((s) => s.timeline.bucketSeconds !== bucketSeconds)) return null;
  const bucketMs = bucketSeconds * 1000;
  const origin = Math.min(...all.map((s) => s.timelineStartEpochMs));
  const slots = new Map<number, { b: TimelineBucket; key: string }[]>();
  for (const s of all) {
    for (const b of s.timeline.buckets) {
      const slot = Math.round((s.timelineStartEpochMs + b.t * 1000 - origin) / bucketMs);
      slots.set(slot, [...(slots.get(slot) ?? []), { b, key: s.topologyKey }]);
    }
  }
  const buckets = [...slots.entries()]
    .sort(([a], [b]) => a - b)
    .map(([slot, items]) => mergeBucket(Number((Math.max(slot, 1) * bucketSeconds).toFixed(3)), items));
  return { bucketSeconds, buckets };
}
