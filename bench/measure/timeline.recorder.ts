/**
 * A run's timeline: from its first warm-up request to its end, in buckets of
 * equal length. Each bucket holds what completed in it (requests, non-2xx,
 * errors, timeouts, p50/p99 from a histogram of its own), the CPU seconds of
 * each tier and of each replica read from /proc at the bucket's edges, each
 * replica's requests, and the load generator's own event-loop lag. The
 * measured window opens and closes on bucket edges, so the window's figures
 * are the sum of its buckets and the CPU snapshots at its edges are the
 * buckets' own.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { Tier, TimelineBucket } from '../results/results.schema';
import { cpuOverWindow, type CpuSnapshot } from './cpu.sampler';
import { createLatencyHistogram, recordMicros, type Histogram } from './histogram.util';

export type TimelinePhase = TimelineBucket['phase'];

interface OpenBucket {
  requests: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  replicaRequests: Record<string, number>;
  histogram: Histogram;
}

function openBucket(): OpenBucket {
  return {
    requests: 0,
    ok: 0,
    non2xx: 0,
    errors: 0,
    timeouts: 0,
    replicaRequests: {},
    histogram: createLatencyHistogram(),
  };
}

function cpuDelta(prev: CpuSnapshot | null, next: CpuSnapshot | null) {
  if (!prev || !next) return { cpuSeconds: null, replicaCpuSeconds: {} };
  const cpu = cpuOverWindow(prev, next, 0);
  const replicaCpuSeconds: Record<string, number> = {};
  for (const p of cpu.perProcess) if (p.role === 'replica') replicaCpuSeconds[p.label] = p.cpuSeconds;
  return { cpuSeconds: cpu.secondsByTier as Record<Tier, number>, replicaCpuSeconds };
}

export class TimelineRecorder {
  readonly buckets: TimelineBucket[] = [];
  /** The CPU snapshot taken when the last bucket closed (the window's edges are such moments). */
  lastSnapshot: CpuSnapshot | null;
  phase: TimelinePhase = 'warmup';
  private current = openBucket();
  private readonly lag: IntervalHistogram;

  constructor(
    readonly bucketSeconds: number,
    private readonly sampleCpu: () => CpuSnapshot | null,
  ) {
    this.lastSnapshot = sampleCpu();
    this.lag = monitorEventLoopDelay({ resolution: 10 });
    this.lag.enable();
  }

  response(status: number, micros: number, replica: string): void {
    const b = this.current;
    b.requests++;
    if (status >= 200 && status < 300) b.ok++;
    else b.non2xx++;
    b.replicaRequests[replica] = (b.replicaRequests[replica] ?? 0) + 1;
    recordMicros(b.histogram, micros);
  }

  error(): void {
    this.current.errors++;
  }

  timeout(): void {
    this.current.timeouts++;
  }

  /** Ends the current bucket (at a bucket edge) and starts the next; returns the closed one. */
  close(): TimelineBucket {
    const b = this.current;
    this.current = openBucket();
    const snapshot = this.sampleCpu();
    const cpu = cpuDelta(this.lastSnapshot, snapshot);
    this.lastSnapshot = snapshot;
    const empty = b.histogram.totalCount === 0;
    const bucket: TimelineBucket = {
      t: Number(((this.buckets.length + 1) * this.bucketSeconds).toFixed(3)),
      phase: this.phase,
      requests: b.requests,
      ok: b.ok,
      non2xx: b.non2xx,
      errors: b.errors,
      timeouts: b.timeouts,
      p50Us: empty ? null : b.histogram.getValueAtPercentile(50),
      p99Us: empty ? null : b.histogram.getValueAtPercentile(99),
      ...cpu,
      replicaRequests: b.replicaRequests,
      lagMs: this.lag.max / 1e6,
    };
    b.histogram.destroy();
    this.lag.reset();
    this.buckets.push(bucket);
    return bucket;
  }

  /** Stops the lag monitor; the open bucket's partial figures are dropped (they span less than a bucket). */
  stop(): void {
    this.lag.disable();
    this.current.histogram.destroy();
  }
}
