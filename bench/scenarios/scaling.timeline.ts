/**
 * What the scaling scenarios read from their samples: per second and per
 * replica (served, 401s, re-logins, p99), whether a second's load is "even"
 * across the replicas, when it first stays even, and throughput over a window.
 * Pure functions of the recorder's samples, so they are tested on their own.
 */
import type { ReplicaSecond } from '../results/results.schema';
import { isOk, percentileOrNull, type Sample, type TimelinePoint } from './driver/recorder';

/** The user traffic groups of the scaling scenarios: users logged in before the change, and after it. */
export const USER_GROUPS: readonly string[] = ['load', 'new'];

export type ReplicaSeconds = Map<number, Record<string, ReplicaSecond>>;

function secondOf(s: Sample): number {
  return Math.max(0, Math.floor(s.atMs / 1000));
}

/** Per second of request start, per replica that answered: users' responses, their 401s, re-logins made there. */
export function replicaSeconds(samples: readonly Sample[]): ReplicaSeconds {
  const latencies = new Map<string, number[]>();
  const seconds: ReplicaSeconds = new Map();
  for (const s of samples) {
    if (s.replica === null) continue;
    const user = USER_GROUPS.includes(s.group);
    if (!user && s.group !== 'relogin') continue;
    const t = secondOf(s);
    const row = seconds.get(t) ?? {};
    seconds.set(t, row);
    const cell = (row[s.replica] ??= { served: 0, status401: 0, relogins: 0, p99Us: null });
    if (!user) {
      cell.relogins++;
      continue;
    }
    cell.served++;
    if (s.status === 401) cell.status401++;
    const key = `${t}|${s.replica}`;
    latencies.set(key, [...(latencies.get(key) ?? []), s.latencyUs]);
  }
  for (const [t, row] of seconds)
    for (const [replica, cell] of Object.entries(row))
      cell.p99Us = percentileOrNull(latencies.get(`${t}|${replica}`) ?? [], 99);
  return seconds;
}

/** The scenario timeline with each second's per-replica figures added. */
export function withReplicas(points: readonly TimelinePoint[], seconds: ReplicaSeconds): TimelinePoint[] {
  return points.map((p) => ({ ...p, byReplica: seconds.get(p.t) ?? {} }));
}

/** Every replica's share of the second's responses within ±tolerance (a fraction) of 1/N. */
export function isEven(
  row: Readonly<Record<string, ReplicaSecond>> | undefined,
  replicaIds: readonly string[],
  tolerance: number,
): boolean {
  if (!row || replicaIds.length === 0) return false;
  const total = replicaIds.reduce((a, id) => a + (row[id]?.served ?? 0), 0);
  if (total === 0) return false;
  const fair = 1 / replicaIds.length;
  return replicaIds.every((id) => Math.abs((row[id]?.served ?? 0) / total - fair) <= tolerance * fair);
}

/**
 * The first whole second from `fromSecond` that starts a run of `runLength`
 * even seconds ending by `lastSecond` (inclusive); null when there is none.
 */
export function firstEvenRun(
  seconds: ReplicaSeconds,
  replicaIds: readonly string[],
  window: { fromSecond: number; lastSecond: number },
  rule: { tolerance: number; runLength: number },
): number | null {
  let runStart: number | null = null;
  for (let t = window.fromSecond; t <= window.lastSecond; t++) {
    if (!isEven(seconds.get(t), replicaIds, rule.tolerance)) {
      runStart = null;
      continue;
    }
    runStart ??= t;
    if (t - runStart + 1 >= rule.runLength) return runStart;
  }
  return null;
}

/** Successful responses of `groups` per second, for requests started in [fromMs, toMs); null for an empty window. */
export function okRate(
  samples: readonly Sample[],
  groups: readonly string[],
  fromMs: number,
  toMs: number,
): number | null {
  if (toMs <= fromMs) return null;
  const ok = samples.filter((s) => groups.includes(s.group) && s.atMs >= fromMs && s.atMs < toMs && isOk(s));
  return (1000 * ok.length) / (toMs - fromMs);
}

/** Percent of `samples` answered by one of `replicaIds`; null when none was answered. */
export function sharePercent(samples: readonly Sample[], replicaIds: readonly string[]): number | null {
  const answered = samples.filter((s) => s.replica !== null);
  if (answered.length === 0) return null;
  return (100 * answered.filter((s) => replicaIds.includes(s.replica!)).length) / answered.length;
}
