/**
 * Readiness by polling an HTTP endpoint until it answers 200: never a sleep
 * standing in for "probably up by now". Each probe has its own short timeout.
 */
import { request } from 'node:http';

const POLL_INTERVAL_MS = 25;
const PROBE_TIMEOUT_MS = 1000;

export function probeStatus(url: string, timeoutMs = PROBE_TIMEOUT_MS): Promise<number | null> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'GET', agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode ?? null);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(null));
    req.end();
  });
}

/** Resolves when `url` answers 200; rejects after `timeoutMs` with the last status seen. */
export async function waitForHttp(
  url: string,
  timeoutMs: number,
  isCancelled: () => boolean = () => false,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: number | null = null;
  while (Date.now() < deadline && !isCancelled()) {
    last = await probeStatus(url);
    if (last === 200) return;
    await new Promise((r) => setTimeout(r, POLL_INTERVAL_MS));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms (last: ${last ?? 'no answer'})`);
}
