/**
 * Replica CPU of a deployment the bench did not start, read over HTTP from
 * each replica's `/metrics` (prom-client's `process_cpu_seconds_total`, see
 * docs/api-contract.md): the API computes it from process.cpuUsage() when
 * scraped, so every reading is that process's CPU time at that moment.
 *
 * The CPU sampler is synchronous (it runs at every timeline bucket edge), so
 * a poller scrapes each replica every POLL_INTERVAL_MS and the sampler takes
 * the latest reading: a window edge is off by at most one interval plus the
 * scrape's round trip, which the results say (target.cpu in results.json).
 */
import type { ProcessRef } from '../../infra/topology.types';

/** Scrapes per second per replica = 1000 / this; each scrape costs the replica a little CPU (bench/README.md). */
export const POLL_INTERVAL_MS = 100;
const SCRAPE_TIMEOUT_MS = 2_000;
const CPU_METRIC = 'process_cpu_seconds_total';

export interface CpuReading {
  /** CPU seconds of the replica process (user + system). */
  seconds: number;
  /** The `replica` label of the sample: the id the replica puts in x-replica. */
  replica: string | null;
}

/**
 * One sample of the text exposition format: `name{a="b",...} value`. Written
 * here rather than pulled from a parser package: one counter with simple
 * labels is all the bench reads, and the npm parsers of this format are
 * unmaintained.
 */
export function parseCpuReading(text: string): CpuReading | null {
  for (const line of text.split('\n')) {
    if (!line.startsWith(CPU_METRIC)) continue;
    const match = /^process_cpu_seconds_total(?:\{([^}]*)\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const seconds = Number(match[2]);
    if (!Number.isFinite(seconds) || seconds < 0) return null;
    const replica = /(?:^|,)\s*replica="((?:[^"\\]|\\.)*)"/.exec(match[1] ?? '')?.[1] ?? null;
    return { seconds, replica };
  }
  return null;
}

export class MetricsScrapeError extends Error {}

export async function scrapeCpu(url: string, timeoutMs = SCRAPE_TIMEOUT_MS): Promise<CpuReading> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    throw new MetricsScrapeError(`GET ${url} got no response (${(err as Error).message})`);
  }
  const text = await response.text();
  if (response.status !== 200) throw new MetricsScrapeError(`GET ${url} answered HTTP ${response.status}`);
  const reading = parseCpuReading(text);
  if (!reading) throw new MetricsScrapeError(`GET ${url} has no ${CPU_METRIC} sample`);
  return reading;
}

interface Latest {
  seconds: number | null;
  failures: number;
  lastError: string | null;
}

/** Keeps the latest CPU reading of every replica; bounded by stop() (the run's end). */
export class ReplicaCpuPoller {
  private readonly latest = new Map<string, Latest>();
  private timer: NodeJS.Timeout | null = null;
  private inFlight = false;

  constructor(
    private readonly urls: readonly string[],
    private readonly intervalMs = POLL_INTERVAL_MS,
  ) {
    for (const url of urls) this.latest.set(url, { seconds: null, failures: 0, lastError: null });
  }

  /** First reading of every replica, then polling; rejects when a replica does not answer. */
  async start(): Promise<void> {
    await Promise.all(this.urls.map((url) => this.read(url, true)));
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Latest CPU seconds of the replica at `url`; null before the first reading. */
  secondsOf(url: string): number | null {
    return this.latest.get(url)?.seconds ?? null;
  }

  /** Scrapes that failed after the first reading, per URL (a replica that went away). */
  failures(): Record<string, { count: number; lastError: string | null }> {
    const out: Record<string, { count: number; lastError: string | null }> = {};
    for (const [url, l] of this.latest)
      if (l.failures > 0) out[url] = { count: l.failures, lastError: l.lastError };
    return out;
  }

  /** One ProcessRef per replica, its CPU from the latest reading (no pid: it runs elsewhere). */
  processRefs(labels: readonly string[]): ProcessRef[] {
    return this.urls.map((url, i) => ({
      role: 'replica',
      label: labels[i] ?? `replica-${i}`,
      pid: -(i + 1),
      cpuSeconds: () => this.secondsOf(url),
    }));
  }

  private async tick(): Promise<void> {
    // A slow replica must not pile up scrapes: skip a tick rather than queue one.
    if (this.inFlight) return;
    this.inFlight = true;
    try {
      await Promise.all(this.urls.map((url) => this.read(url, false)));
    } finally {
      this.inFlight = false;
    }
  }

  private async read(url: string, first: boolean): Promise<void> {
    const entry = this.latest.get(url)!;
    try {
      entry.seconds = (await scrapeCpu(url)).seconds;
    } catch (err) {
      if (first) throw err;
      entry.failures++;
      entry.lastError = (err as Error).message;
    }
  }
}
