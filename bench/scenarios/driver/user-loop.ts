/**
 * The bounded request loop every virtual user runs: it stops at a deadline,
 * after a maximum number of requests, or when the run is aborted, whichever
 * comes first. A think time between requests keeps the load light: these are
 * fault scenarios on a shared 2-core machine, not throughput runs.
 */
export interface LoopBounds {
  /** Stop starting requests at this time (ms since t0, the recorder's clock). */
  untilMs: number;
  maxRequests: number;
  thinkMs: number;
  signal?: AbortSignal;
}

/**
 * Calls `step` until a bound is hit or `step` returns false ("this user is
 * done"). `now` is the recorder's clock.
 */
export async function boundedLoop(
  bounds: LoopBounds,
  now: () => number,
  step: (i: number) => Promise<boolean | void>,
): Promise<number> {
  let i = 0;
  while (i < bounds.maxRequests && now() < bounds.untilMs && !bounds.signal?.aborted) {
    const keepGoing = await step(i++);
    if (keepGoing === false) break;
    if (bounds.thinkMs > 0) await sleep(Math.min(bounds.thinkMs, Math.max(0, bounds.untilMs - now())));
  }
  return i;
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Waits until the recorder clock reaches `atMs` (or the run is aborted). */
export async function sleepUntil(atMs: number, now: () => number, signal?: AbortSignal): Promise<void> {
  const wait = atMs - now();
  if (wait > 0) await sleep(wait, signal);
}
