/**
 * Drives autocannon against one URL: a warm-up that lasts until the run is
 * steady (or a limit), then a measured window, all in one autocannon run so
 * the window starts on warm connections. A window the caller's test refuses
 * at its close becomes warm-up, and the next one opens at once. Everything is
 * recorded with our own instruments: a timeline of equal buckets from the first warm-up request
 * (bench/measure/timeline.recorder.ts) and, for the window, a microsecond HDR
 * histogram, status counts, errors, timeouts and the x-replica of every
 * response. autocannon's own summary (1 ms resolution, wrong rate-mode
 * correction) is not used.
 *
 * The window opens and closes on bucket edges, decided by us (autocannon's
 * duration timer stops up to a second late), exactly where the CPU and Redis
 * snapshots are taken.
 */
import autocannon from 'autocannon';
import type { CpuSnapshot } from '../measure/cpu.sampler';
import { createLatencyHistogram, recordMicros, type Histogram } from '../measure/histogram.util';
import { TimelineRecorder } from '../measure/timeline.recorder';
import type { TimelineBucket } from '../results/results.schema';
import { setUpConnection } from './load.connection';
import type { Pacer } from './open-pacing';
import { mixCycle, type MixEntry } from './request-mix.util';

export interface WarmupControl {
  /** The warm-up lasts at least this long... */
  minSeconds: number;
  /** ...and at most this long; the window then opens anyway (the caller flags the run). */
  maxSeconds: number;
  /**
   * Asked at each bucket edge past minSeconds, with every bucket so far (each
   * marked with its phase: 'relaxed' ones ran without the budget): true opens the window.
   */
  ready(buckets: readonly TimelineBucket[]): boolean;
  /**
   * Asked when a window closes, with every bucket so far (the window's
   * last): false turns the window into warm-up and opens another,
   * while the warm-up so far is within maxSeconds. Absent: every window stands.
   */
  accept?(buckets: readonly TimelineBucket[]): boolean;
  /**
   * The first seconds of warm-up run with the replicas' CPU quota lifted
   * (JIT and GC warm four times faster at 1 CPU than at 0.25); at the first
   * bucket edge past them `enforceBudget` applies it. Default 0: the budget
   * applies throughout.
   */
  relaxedSeconds?: number;
  enforceBudget?(): void;
}

export interface LoadOptions {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  model: 'closed' | 'open';
  connections: number;
  /** Open model: arrivals per second across all connections. */
  ratePerSecond: number | null;
  warmup: WarmupControl;
  durationSeconds: number;
  /** Timeline bucket length; the window is a whole number of buckets. Default 1 s (shorter for windows under 4 s). */
  bucketSeconds?: number;
  mix: readonly MixEntry[];
  /** Headers of connection i (its virtual user's cookie or bearer token). */
  headersFor(connectionIndex: number): Record<string, string>;
  /** A CPU snapshot of the processes under test, taken at every bucket edge (null: not measured). */
  sampleCpu?(): CpuSnapshot | null;
  timeoutSeconds?: number;
  signal?: AbortSignal;
  /** Called synchronously when the window opens and closes (take snapshots here); awaited before returning. */
  onWindowStart?(): Promise<unknown> | void;
  onWindowEnd?(): Promise<unknown> | void;
}

export interface LoadOutcome {
  /** Latency in microseconds of every response completed inside the window. */
  histogram: Histogram;
  windowSeconds: number;
  responses: number;
  ok: number;
  non2xx: Record<string, number>;
  errors: number;
  timeouts: number;
  replicaShare: Record<string, number>;
  /** The window was cut short by the abort signal. */
  interrupted: boolean;
  bucketSeconds: number;
  /** Every bucket from the first warm-up request on. */
  timeline: TimelineBucket[];
  /** How long the warm-up lasted (to the window that stood), and whether the tests (not the limit) ended it. */
  warmupSeconds: number;
  accepted: boolean;
  /** Times `ready` was asked before the first window opened. */
  readyChecks: number;
  /** Windows opened: 1 means the first window stood; each one `accept` refused became warm-up. */
  windowsTried: number;
  /** Snapshots at the window's edges (the buckets' own). */
  cpuAtOpen: CpuSnapshot | null;
  cpuAtClose: CpuSnapshot | null;
  /** The timeline's start and the window's edges by the wall clock (epoch ms), to align shards' runs. */
  clock: { timelineStartEpochMs: number; windowStartEpochMs: number; windowEndEpochMs: number };
}

type Phase = 'warmup' | 'measuring' | 'draining' | 'done';

export function defaultBucketSeconds(durationSeconds: number): number {
  return durationSeconds >= 4 ? 1 : durationSeconds / 4;
}

/** Whole buckets in a measured window of `durationSeconds`. */
export function windowBucketCount(
  durationSeconds: number,
  bucketSeconds = defaultBucketSeconds(durationSeconds),
): number {
  return Math.max(1, Math.round(durationSeconds / bucketSeconds));
}

function emptyOutcome(bucketSeconds: number): LoadOutcome {
  return {
    histogram: createLatencyHistogram(),
    windowSeconds: 0,
    responses: 0,
    ok: 0,
    non2xx: {},
    errors: 0,
    timeouts: 0,
    replicaShare: {},
    interrupted: false,
    bucketSeconds,
    timeline: [],
    warmupSeconds: 0,
    accepted: false,
    readyChecks: 0,
    windowsTried: 0,
    cpuAtOpen: null,
    cpuAtClose: null,
    clock: { timelineStartEpochMs: 0, windowStartEpochMs: 0, windowEndEpochMs: 0 },
  };
}

const epochOf = (perfMs: number) => performance.timeOrigin + perfMs;

/** One load run's state: phases, the window's counts, the timeline, and the connections. */
class LoadRun {
  phase: Phase = 'warmup';
  readonly outcome: LoadOutcome;
  readonly recorder: TimelineRecorder;
  readonly clients: autocannon.Client[] = [];
  readonly pacers: Pacer[] = [];
  readonly pending: Promise<unknown>[] = [];
  readonly startMs = performance.now();
  windowStartMs = 0;
  windowEndMs = Number.POSITIVE_INFINITY;
  measuredBuckets = 0;
  private stopped: () => void = () => undefined;
  readonly done = new Promise<void>((resolve) => (this.stopped = resolve));

  constructor(readonly options: LoadOptions) {
    const bucketSeconds = options.bucketSeconds ?? defaultBucketSeconds(options.durationSeconds);
    this.outcome = emptyOutcome(bucketSeconds);
    this.recorder = new TimelineRecorder(bucketSeconds, options.sampleCpu ?? (() => null));
    if ((options.warmup.relaxedSeconds ?? 0) > 0) this.recorder.phase = 'relaxed';
  }

  get windowBuckets(): number {
    return windowBucketCount(this.options.durationSeconds, this.outcome.bucketSeconds);
  }

  /** Closed: what completes inside the window. Open: every arrival intended inside it, however late. */
  private counts(start: number | undefined): boolean {
    if (start === undefined) return this.phase === 'measuring';
    const open = this.phase === 'measuring' || this.phase === 'draining';
    return open && start >= this.windowStartMs && start < this.windowEndMs;
  }

  private inWindow(): boolean {
    return this.phase === 'measuring' || this.phase === 'draining';
  }

  response(status: number, micros: (start: number | undefined) => number, replica: string, start?: number) {
    if (this.phase === 'done') return;
    const latency = micros(start);
    this.recorder.response(status, latency, replica);
    if (!this.counts(start)) return;
    const o = this.outcome;
    recordMicros(o.histogram, latency);
    o.responses++;
    if (status >= 200 && status < 300) o.ok++;
    else o.non2xx[String(status)] = (o.non2xx[String(status)] ?? 0) + 1;
    o.replicaShare[replica] = (o.replicaShare[replica] ?? 0) + 1;
  }

  timeout() {
    this.recorder.timeout();
    if (this.inWindow()) this.outcome.timeouts++;
  }

  error() {
    this.recorder.error();
    if (this.inWindow()) this.outcome.errors++;
  }

  openWindow(steady: boolean) {
    this.phase = 'measuring';
    this.recorder.phase = 'measured';
    this.windowStartMs = performance.now();
    this.outcome.warmupSeconds = (this.windowStartMs - this.startMs) / 1000;
    this.outcome.accepted = steady;
    this.outcome.windowsTried++;
    this.outcome.cpuAtOpen = this.recorder.lastSnapshot;
    const hook = this.options.onWindowStart?.();
    if (hook) this.pending.push(hook);
  }

  stopTraffic() {
    if (this.phase === 'done') return;
    this.phase = 'done';
    // autocannon itself only notices stop() on its next one-second tick: end the connections now.
    for (const client of this.clients) (client as unknown as { destroy(): void }).destroy();
    this.stopped();
  }

  closeWindow() {
    if (this.phase !== 'measuring') {
      // Before the window (nothing to close), or a second call while draining (abort): stop now.
      this.stopTraffic();
      return;
    }
    this.windowEndMs = performance.now();
    this.outcome.windowSeconds = (this.windowEndMs - this.windowStartMs) / 1000;
    this.outcome.cpuAtClose = this.recorder.lastSnapshot;
    this.recorder.phase = 'drain';
    const hook = this.options.onWindowEnd?.();
    if (hook) this.pending.push(hook);
    if (this.outcome.interrupted || this.pacers.length === 0) this.stopTraffic();
    else this.drain();
  }

  /** Open model: let the requests due inside the window go out and complete, bounded by the timeout. */
  private drain() {
    this.phase = 'draining';
    let busy = this.pacers.length;
    const bound = setTimeout(() => this.stopTraffic(), (this.options.timeoutSeconds ?? 10) * 1000);
    for (const pacer of this.pacers) {
      pacer.stopAt(this.windowEndMs, () => {
        if (--busy > 0) return;
        clearTimeout(bound);
        this.stopTraffic();
      });
    }
  }

  /**
   * At a window's last bucket edge: when `accept` refuses the window and the
   * warm-up may still grow, its buckets become warm-up, its counts are
   * dropped, and a new window opens on the same connections.
   */
  private retryWindow(elapsed: number): boolean {
    const { accept, maxSeconds } = this.options.warmup;
    if (!accept || this.outcome.interrupted) return false;
    if (accept(this.recorder.buckets)) return false;
    // The same bucket clock, and the same limit, as the first window's opening in tick().
    if (elapsed > maxSeconds + 1e-9) {
      this.outcome.accepted = false;
      return false;
    }
    for (const bucket of this.recorder.buckets) if (bucket.phase === 'measured') bucket.phase = 'warmup';
    this.discardWindowCounts();
    this.openWindow(true);
    return true;
  }

  private discardWindowCounts() {
    const o = this.outcome;
    o.histogram.reset();
    o.responses = o.ok = o.errors = o.timeouts = 0;
    o.non2xx = {};
    o.replicaShare = {};
    this.measuredBuckets = 0;
  }

  private endRelaxed(elapsed: number) {
    if (elapsed + 1e-9 < (this.options.warmup.relaxedSeconds ?? 0)) return;
    this.options.warmup.enforceBudget?.();
    this.recorder.phase = 'warmup';
  }

  /** At every bucket edge: close the bucket, then open or close the window when it is time. */
  tick() {
    if (this.phase === 'done') return;
    const bucket = this.recorder.close();
    if (this.phase === 'warmup') {
      const elapsed = bucket.t;
      const { minSeconds, maxSeconds, ready } = this.options.warmup;
      if (this.recorder.phase === 'relaxed') return this.endRelaxed(elapsed);
      if (elapsed + 1e-9 < minSeconds) return;
      this.outcome.readyChecks++;
      const steady = ready(this.recorder.buckets);
      if (steady || elapsed + 1e-9 >= maxSeconds) this.openWindow(steady);
    } else if (this.phase === 'measuring' && ++this.measuredBuckets >= this.windowBuckets) {
      if (!this.retryWindow(bucket.t)) this.closeWindow();
    }
  }
}

function startAutocannon(run: LoadRun, finish: (err: Error | null) => void) {
  const o = run.options;
  const timeoutSeconds = o.timeoutSeconds ?? 10;
  const cycle = mixCycle(o.mix);
  const pacing =
    o.model === 'open' && o.ratePerSecond
      ? {
          connections: o.connections,
          ratePerSecond: o.ratePerSecond,
          startMs: run.startMs,
          timeoutMs: timeoutSeconds * 1000,
        }
      : null;
  const setupClient = (client: autocannon.Client) => {
    const index = run.clients.length;
    run.clients.push(client);
    const pacer = setUpConnection(client, { index, headers: o.headersFor(index), paths: cycle, pacing }, run);
    if (pacer) run.pacers.push(pacer);
  };
  // The callback form returns the instance (with stop()); its summary is ignored, we keep our own.
  return autocannon(
    {
      url: o.url,
      connections: o.connections,
      pipelining: 1,
      // Upper bound only: we stop it ourselves when the window closes.
      duration: o.warmup.maxSeconds + o.durationSeconds + timeoutSeconds + 5,
      timeout: timeoutSeconds,
      setupClient,
      // No connectionRate/overallRate: pacing is ours (open-pacing.ts), so autocannon's correction never applies.
      skipAggregateResult: true,
    },
    (err) => finish(err ?? null),
  );
}

export async function runLoad(options: LoadOptions): Promise<LoadOutcome> {
  if (options.model === 'open' && !(options.ratePerSecond && options.ratePerSecond > 0)) {
    throw new Error('open model needs a positive ratePerSecond');
  }
  const run = new LoadRun(options);
  let finish: (err: Error | null) => void = () => undefined;
  const finished = new Promise<void>((resolve, reject) => {
    finish = (err) => (err ? reject(err) : resolve());
  });
  const instance = startAutocannon(run, finish);
  if (options.warmup.maxSeconds <= 0 && !(options.warmup.relaxedSeconds ?? 0)) run.openWindow(true);
  const ticker = setInterval(() => run.tick(), run.outcome.bucketSeconds * 1000);
  const onAbort = () => {
    run.outcome.interrupted = true;
    run.closeWindow();
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();
  try {
    // A run that fails to start (bad URL) ends `finished` before the window closes.
    await Promise.race([run.done, finished]);
  } finally {
    run.closeWindow();
    clearInterval(ticker);
    run.recorder.stop();
    options.signal?.removeEventListener('abort', onAbort);
    // On an option error autocannon returns a bare emitter without stop().
    if (typeof (instance as { stop?: unknown }).stop === 'function') instance.stop();
    await finished;
    await Promise.all(run.pending);
  }
  run.outcome.timeline = run.recorder.buckets;
  const windowEnd = Number.isFinite(run.windowEndMs) ? run.windowEndMs : run.windowStartMs;
  run.outcome.clock = {
    timelineStartEpochMs: epochOf(run.startMs),
    windowStartEpochMs: epochOf(run.windowStartMs || run.startMs),
    windowEndEpochMs: epochOf(windowEnd || run.startMs),
  };
  return run.outcome;
}
