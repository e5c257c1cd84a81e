/**
 * Drives autocannon against one URL for warm-up + a measured window and
 * records what happened inside the window with our own instruments: a
 * microsecond HDR histogram fed from each response, status counts, errors,
 * timeouts and the x-replica of every response. autocannon's own summary
 * (1 ms resolution, wrong rate-mode correction) is not used.
 *
 * One autocannon run covers both phases so the measured window starts on warm
 * connections; the window is cut by us (not by autocannon's duration timer,
 * which stops up to a second late), exactly where the CPU and Redis snapshots
 * are taken.
 */
import autocannon from 'autocannon';
import { createLatencyHistogram, recordMicros, type Histogram } from '../measure/histogram.util';
import { paceClient, type Pacer } from './open-pacing';
import { mixCycle, type MixEntry } from './request-mix.util';

export interface LoadOptions {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  model: 'closed' | 'open';
  connections: number;
  /** Open model: arrivals per second across all connections. */
  ratePerSecond: number | null;
  warmupSeconds: number;
  durationSeconds: number;
  mix: readonly MixEntry[];
  /** Headers of connection i (its virtual user's cookie or bearer token). */
  headersFor(connectionIndex: number): Record<string, string>;
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
}

interface ConnectionState {
  pacer: Pacer | null;
  replica: string | null;
}

export async function runLoad(options: LoadOptions): Promise<LoadOutcome> {
  if (options.model === 'open' && !(options.ratePerSecond && options.ratePerSecond > 0)) {
    throw new Error('open model needs a positive ratePerSecond');
  }
  const timeoutSeconds = options.timeoutSeconds ?? 10;
  const cycle = mixCycle(options.mix);
  const histogram = createLatencyHistogram();
  const outcome: LoadOutcome = {
    histogram,
    windowSeconds: 0,
    responses: 0,
    ok: 0,
    non2xx: {},
    errors: 0,
    timeouts: 0,
    replicaShare: {},
    interrupted: false,
  };
  // warmup -> measuring -> (open model: draining the window's backlog) -> done
  let phase: 'warmup' | 'measuring' | 'draining' | 'done' = 'warmup';
  let windowStartMs = 0;
  let windowEndMs = Number.POSITIVE_INFINITY;
  const pacers: Pacer[] = [];
  /** Closed: what completes inside the window. Open: every arrival intended inside it, however late it completes. */
  const counts = (start: number | undefined) =>
    start === undefined
      ? phase === 'measuring'
      : (phase === 'measuring' || phase === 'draining') && start >= windowStartMs && start < windowEndMs;
  const inWindow = () => phase === 'measuring' || phase === 'draining';
  let connectionCount = 0;
  const startMs = performance.now();

  const clients: autocannon.Client[] = [];
  const setupClient = (client: autocannon.Client) => {
    clients.push(client);
    const index = connectionCount++;
    const headers = options.headersFor(index);
    client.setRequests(cycle.map((path) => ({ method: 'GET', path, headers })));
    const state: ConnectionState = { pacer: null, replica: null };
    if (options.model === 'open' && options.ratePerSecond) {
      state.pacer = paceClient(client, {
        connectionIndex: index,
        connections: options.connections,
        ratePerSecond: options.ratePerSecond,
        startMs,
        timeoutMs: timeoutSeconds * 1000,
      });
      pacers.push(state.pacer);
    }
    // @types/autocannon types these events more narrowly than lib/httpClient.js emits them.
    const events = client as unknown as NodeJS.EventEmitter;
    events.on('headers', (info: { headers?: string[] }) => {
      state.replica = replicaOf(info.headers);
    });
    events.on('response', (status: number, _bytes: number, durationMs: number) => {
      const now = performance.now();
      const start = state.pacer?.takeStart();
      if (!counts(start)) return;
      // Open model: from the paced start (coordinated omission, see open-pacing.ts); closed: autocannon's send-to-response time.
      const micros = start !== undefined ? (now - start) * 1000 : durationMs * 1000;
      recordMicros(histogram, micros);
      outcome.responses++;
      if (status >= 200 && status < 300) outcome.ok++;
      else outcome.non2xx[String(status)] = (outcome.non2xx[String(status)] ?? 0) + 1;
      const replica = state.replica ?? '(none)';
      outcome.replicaShare[replica] = (outcome.replicaShare[replica] ?? 0) + 1;
    });
    events.on('timeout', () => {
      state.pacer?.reset();
      if (inWindow()) outcome.timeouts++;
    });
    events.on('connError', () => {
      if (inWindow()) outcome.errors++;
    });
  };

  let finish: (err: Error | null) => void = () => undefined;
  const finished = new Promise<void>((resolve, reject) => {
    finish = (err) => (err ? reject(err) : resolve());
  });
  // The callback form returns the instance (with stop()); its summary is ignored, we keep our own.
  const instance = autocannon(
    {
      url: options.url,
      connections: options.connections,
      pipelining: 1,
      // Upper bound only: we stop it ourselves when the window closes.
      duration: options.warmupSeconds + options.durationSeconds + timeoutSeconds + 5,
      timeout: timeoutSeconds,
      setupClient,
      // No connectionRate/overallRate: pacing is ours (open-pacing.ts), so autocannon's correction never applies.
      skipAggregateResult: true,
    },
    (err) => finish(err ?? null),
  );

  const pending: Promise<unknown>[] = [];
  const openWindow = () => {
    phase = 'measuring';
    windowStartMs = performance.now();
    const hook = options.onWindowStart?.();
    if (hook) pending.push(hook);
  };
  let closeWindow: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => {
    const stopTraffic = () => {
      if (phase === 'done') return;
      phase = 'done';
      // autocannon itself only notices stop() on its next one-second tick: end the connections now.
      for (const client of clients) (client as unknown as { destroy(): void }).destroy();
      resolve();
    };
    closeWindow = () => {
      if (phase !== 'measuring') {
        // Before the window (nothing to close), or a second call while draining (abort): stop now.
        stopTraffic();
        return;
      }
      windowEndMs = performance.now();
      outcome.windowSeconds = (windowEndMs - windowStartMs) / 1000;
      const hook = options.onWindowEnd?.();
      if (hook) pending.push(hook);
      if (outcome.interrupted || pacers.length === 0) {
        stopTraffic();
        return;
      }
      // Open model: let the requests due inside the window go out and complete, bounded by the timeout.
      phase = 'draining';
      let busy = pacers.length;
      const bound = setTimeout(stopTraffic, timeoutSeconds * 1000);
      for (const pacer of pacers) {
        pacer.stopAt(windowEndMs, () => {
          if (--busy === 0) {
            clearTimeout(bound);
            stopTraffic();
          }
        });
      }
    };
  });

  const timers: NodeJS.Timeout[] = [];
  timers.push(
    setTimeout(() => {
      openWindow();
      timers.push(setTimeout(closeWindow, options.durationSeconds * 1000));
    }, options.warmupSeconds * 1000),
  );
  const onAbort = () => {
    outcome.interrupted = true;
    closeWindow();
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();

  try {
    // A run that fails to start (bad URL) ends `finished` before the window closes.
    await Promise.race([closed, finished]);
  } finally {
    closeWindow();
    timers.forEach(clearTimeout);
    options.signal?.removeEventListener('abort', onAbort);
    // On an option error autocannon returns a bare emitter without stop().
    if (typeof (instance as { stop?: unknown }).stop === 'function') instance.stop();
    await finished;
    await Promise.all(pending);
  }
  return outcome;
}

function replicaOf(rawHeaders: string[] | undefined): string | null {
  if (!rawHeaders) return null;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i]?.toLowerCase() === 'x-replica') return rawHeaders[i + 1] ?? null;
  }
  return null;
}
