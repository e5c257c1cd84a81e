/**
 * How numbers look in every view (HTML and markdown share these), so a figure
 * reads the same wherever it appears. Formatting only: no arithmetic beyond
 * unit conversion.
 */
import type { MetricCi } from './results.schema';

export const NOT_MEASURED = 'not measured';

const grouped = (digits: number) =>
  new Intl.NumberFormat('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export function fmtNumber(x: number, digits = 0): string {
  return grouped(digits).format(x);
}

/** Microseconds as milliseconds with three significant digits (0.412 ms, 41.2 ms, 412 ms). */
export function fmtMs(us: number): string {
  const ms = us / 1000;
  if (ms === 0) return '0 ms';
  const digits = ms >= 100 ? 0 : ms >= 10 ? 1 : ms >= 1 ? 2 : 3;
  return `${fmtNumber(ms, digits)} ms`;
}

export function fmtUs(us: number): string {
  return `${fmtNumber(us, us >= 100 ? 0 : 1)} µs`;
}

export function fmtRps(rps: number): string {
  return `${fmtNumber(rps, 0)} req/s`;
}

export function fmtPercent(fraction: number, digits = 0): string {
  return `${fmtNumber(fraction * 100, digits)}%`;
}

export function fmtBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${fmtNumber(value, unit === 0 || value >= 100 ? 0 : 1)} ${units[unit]}`;
}

/** "1,234 req/s [1,200–1,260]": median with its interval (ciLow–ciHigh) in the same unit. */
export function fmtCi(metric: MetricCi | undefined, format: (x: number) => string): string {
  if (!metric || metric.n === 0) return NOT_MEASURED;
  const strip = (s: string) => s.replace(/\s*(req\/s|ms|µs)$/, '');
  if (metric.n === 1) return `${format(metric.median)} (1 run)`;
  return `${format(metric.median)} [${strip(format(metric.ciLow))}–${strip(format(metric.ciHigh))}]`;
}

export function fmtDurationMs(ms: number): string {
  if (ms === 0) return '0 ms';
  if (ms < 1000) return `${fmtNumber(ms, ms < 10 ? 1 : 0)} ms`;
  return `${fmtNumber(ms / 1000, ms < 10_000 ? 2 : 1)} s`;
}

/** A relative change with its sign: "+12.3%", "-4.0%", "0.0%". */
export function fmtSignedPercent(fraction: number): string {
  const text = `${(fraction * 100).toFixed(1)}%`;
  return fraction > 0 ? `+${text}` : text;
}

/** A raw value with about three significant digits, no unit and no grouping (the gate's cells). */
export function fmtPlain(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const abs = Math.abs(v);
  if (abs >= 100) return v.toFixed(0);
  if (abs >= 10) return v.toFixed(1);
  return v.toFixed(2);
}

/** Whole seconds as "42s" or "3m05s" (progress ETAs). */
export function fmtDurationS(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const m = Math.floor(s / 60);
  return m > 0 ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}
