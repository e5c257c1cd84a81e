/**
 * Per (variant, setup, replicas): the median of each metric over the valid
 * repetitions with a distribution-free 95% interval (the sign-test interval
 * of bench/stats, shared with the gate so both views agree), the coefficient of
 * variation, merged histograms (counts added, never percentiles averaged)
 * and scaling efficiency against the 1-replica cell.
 */
import { medianInterval } from './median-interval.stats';
import { mergeHistograms } from '../measure/histogram.util';
import { SUMMARY_METRICS } from '../results/metrics.registry';
import {
  tierNames,
  type MetricCi,
  type RunResult,
  type Summary,
  type SummaryMetricName,
  type Tier,
} from '../results/results.schema';

export function metricCi(values: readonly number[]): MetricCi {
  if (values.length === 0) return { median: 0, ciLow: 0, ciHigh: 0, n: 0, cv: null };
  const { value, low, high } = medianInterval(values);
  return { median: value, ciLow: low, ciHigh: high, n: values.length, cv: coefficientOfVariation(values) };
}

export function coefficientOfVariation(values: readonly number[]): number | null {
  if (values.length < 2) return null;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  if (mean === 0) return null;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1);
  return Math.sqrt(variance) / Math.abs(mean);
}

function median(values: readonly number[]): number {
  return medianInterval(values).value;
}

const cellKey = (variant: string, setup: string, replicas: number) =>
  `${variant}\u0000${setup}\u0000${replicas}`;

/** Runs grouped by (variant, setup, replicas), in the order of each cell's first run. */
function cellsOf(runs: readonly RunResult[]): RunResult[][] {
  const cells = new Map<string, RunResult[]>();
  for (const run of runs) {
    const key = cellKey(run.variant, run.setup, run.replicas);
    cells.set(key, [...(cells.get(key) ?? []), run]);
  }
  return [...cells.values()];
}

/** Median CPU per request of each tier over the runs that measured CPU; null when none did. */
function cpuByTier(valid: readonly RunResult[]): Record<Tier, number> | null {
  const withCpu = valid.filter((r) => r.cpu !== null);
  if (withCpu.length === 0) return null;
  return Object.fromEntries(
    tierNames.map((t) => [t, median(withCpu.map((r) => r.cpu?.usPerRequestByTier[t] ?? 0))]),
  ) as Record<Tier, number>;
}

/** Requests per replica, added over the runs. */
function shareOf(valid: readonly RunResult[]): Record<string, number> {
  const share: Record<string, number> = {};
  for (const run of valid)
    for (const [replica, n] of Object.entries(run.replicaShare)) share[replica] = (share[replica] ?? 0) + n;
  return share;
}

/** One cell's summary without its scaling efficiency; null when none of its runs is valid. */
function summaryOf(cellRuns: readonly RunResult[]): Summary | null {
  const first = cellRuns[0];
  const valid = cellRuns.filter((r) => r.valid);
  if (!first || valid.length === 0) return null;
  const metrics = {} as Record<SummaryMetricName, MetricCi>;
  for (const m of SUMMARY_METRICS)
    metrics[m.summaryName] = metricCi(valid.map(m.read).filter((v): v is number => v !== null));
  return {
    variant: first.variant,
    setup: first.setup,
    replicas: first.replicas,
    runIds: cellRuns.map((r) => r.id),
    validRuns: valid.length,
    metrics,
    cpuUsPerRequestByTier: cpuByTier(valid),
    replicaShare: shareOf(valid),
    mergedHistogram: mergeHistograms(valid.map((r) => r.histogram)),
    scalingEfficiency: null,
  };
}

/**
 * Cells appear in the order of their first run; cells whose runs are all
 * invalid get no summary (a warning says so). Profiled runs measure the
 * profiler too and are left out (bench --cpu-profile).
 */
export function summarize(runs: readonly RunResult[]): Summary[] {
  const summaries = cellsOf(runs.filter((r) => !r.profiled))
    .map(summaryOf)
    .filter((s): s is Summary => s !== null);
  for (const summary of summaries) {
    const single = summaries.find(
      (s) => s.variant === summary.variant && s.setup === summary.setup && s.replicas === 1,
    );
    const base = single?.metrics.throughputRps.median ?? 0;
    summary.scalingEfficiency =
      base > 0 ? summary.metrics.throughputRps.median / (summary.replicas * base) : null;
  }
  return summaries;
}
