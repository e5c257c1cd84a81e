/**
 * Collects every request a scenario sends (who, when, what came back) and
 * turns them into the per-second timeline of results.json. Times are
 * milliseconds since the scenario's measured window began (t0), so faults and
 * requests share one clock.
 */
import type { ScenarioResult } from '../../results/results.schema';
import type { HttpResult } from './http.client';

export interface Sample {
  /** Virtual user index, or -1 for probes that belong to no user. */
  user: number;
  /** What the request stands for: "load", "revoked", "login", "anonymous"... */
  group: string;
  /** Request start, ms since t0. */
  atMs: number;
  /** Response (or failure) time, ms since t0. */
  endMs: number;
  latencyUs: number;
  status: number | null;
  error: string | null;
  replica: string | null;
  /** "nginx" or a replica id when the request bypassed the balancer. */
  via: string;
}

export type TimelinePoint = ScenarioResult['timeline'][number];

export class Recorder {
  readonly samples: Sample[] = [];
  private readonly t0 = performance.now();
  private readonly wallT0 = Date.now();

  /** ms since t0. */
  now(): number {
    return performance.now() - this.t0;
  }

  /** Wall-clock time (ms since the epoch) of a recorder time, to compare with token `exp` claims. */
  wallClock(atMs: number): number {
    return this.wallT0 + atMs;
  }

  record(user: number, group: string, via: string, atMs: number, result: HttpResult): Sample {
    const sample: Sample = {
      user,
      group,
      via,
      atMs,
      endMs: this.now(),
      latencyUs: result.latencyUs,
      status: result.status,
      error: result.error,
      replica: result.replica,
    };
    this.samples.push(sample);
    return sample;
  }

  select(predicate: (s: Sample) => boolean): Sample[] {
    return this.samples.filter(predicate);
  }
}

export function isOk(sample: Pick<Sample, 'status'>): boolean {
  return sample.status !== null && sample.status >= 200 && sample.status < 300;
}

/** One point per second of request start time, from 0 to the last second seen. */
export function buildTimeline(samples: readonly Sample[]): TimelinePoint[] {
  const buckets = new Map<number, Sample[]>();
  let last = -1;
  for (const s of samples) {
    const second = Math.max(0, Math.floor(s.atMs / 1000));
    last = Math.max(last, second);
    const bucket = buckets.get(second);
    if (bucket) bucket.push(s);
    else buckets.set(second, [s]);
  }
  const points: TimelinePoint[] = [];
  for (let t = 0; t <= last; t++) {
    const bucket = buckets.get(t) ?? [];
    const byStatus: Record<string, number> = {};
    let ok = 0;
    let errors = 0;
    for (const s of bucket) {
      if (s.status === null) errors++;
      else byStatus[String(s.status)] = (byStatus[String(s.status)] ?? 0) + 1;
      if (isOk(s)) ok++;
    }
    const answered = bucket.filter((s) => s.status !== null).map((s) => s.latencyUs);
    points.push({ t, ok, byStatus, errors, p99Us: answered.length ? percentile(answered, 99) : null });
  }
  return points;
}

/** Nearest-rank percentile (exact: scenario samples are few enough to sort). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] as number;
}

/** percentile() that returns null for an empty set, for measurements. */
export function percentileOrNull(values: readonly number[], p: number): number | null {
  return values.length === 0 ? null : percentile(values, p);
}

/** Counts samples by status ("timeout"/"ECONNREFUSED" for failures). */
export function countByOutcome(samples: readonly Sample[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const s of samples) {
    const key = s.status === null ? (s.error ?? 'error') : String(s.status);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}
