/**
 * `--store-rtt` values, one reading for every command: "0", "500us", "0.5ms",
 * "1ms" (a unit is required above zero, so "1" cannot mean a second by
 * mistake). Above MAX_STORE_RTT_MS is not a network any deployment would
 * keep its session store on: refused, like a negative or unreadable value.
 */
export const MAX_STORE_RTT_MS = 1000;

const UNITS: Readonly<Record<string, number>> = { ms: 1, us: 0.001, µs: 0.001 };
const PATTERN = /^([0-9]*\.?[0-9]+)(ms|us|µs)?$/;
const ALLOWED = `use a round trip such as 0, 500us, 0.5ms or 2ms (at most ${MAX_STORE_RTT_MS}ms)`;

/** Milliseconds, or a problem worded like every other flag's (bench/plan/flag.values.ts). */
export function parseStoreRtt(flag: string, raw: string): { ms: number } | { problem: string } {
  const text = raw.trim().toLowerCase();
  const match = PATTERN.exec(text);
  const value = match ? Number(match[1]) : NaN;
  const unit = match?.[2];
  if (!match || !Number.isFinite(value) || (unit === undefined && value !== 0))
    return { problem: `${flag} "${raw}" is invalid: ${ALLOWED}.` };
  const ms = value * (UNITS[unit ?? 'ms'] ?? 1);
  if (ms > MAX_STORE_RTT_MS)
    return { problem: `${flag} "${raw}" is too large: ${ALLOWED}; a second-long store hop is an outage.` };
  return { ms };
}

/** "0.5 ms", "2 ms", "250 us": for labels and messages. */
export function formatStoreRtt(ms: number): string {
  return ms < 1 && ms > 0 ? `${Math.round(ms * 1000)}us` : `${Number(ms.toFixed(3))}ms`;
}
