/**
 * What the gate compares and how strict it is: the metrics as data, and the
 * defaults with the reasons for them (docs/regression-gate.md repeats these).
 */
import type { RunResult } from '../results/results.schema';

export const metricKeys = ['throughput', 'p50', 'p99', 'cpu'] as const;
export type MetricKey = (typeof metricKeys)[number];

export interface MetricDefinition {
  key: MetricKey;
  label: string;
  unit: string;
  /** Which direction is an improvement. */
  better: 'higher' | 'lower';
  /** One value per run; null when the run did not measure it. */
  read(run: RunResult): number | null;
}

export const METRICS: readonly MetricDefinition[] = [
  { key: 'throughput', label: 'throughput', unit: 'req/s', better: 'higher', read: (r) => r.throughputRps },
  { key: 'p50', label: 'p50 latency', unit: 'us', better: 'lower', read: (r) => r.latencyUs.p50 },
  { key: 'p99', label: 'p99 latency', unit: 'us', better: 'lower', read: (r) => r.latencyUs.p99 },
  // The replicas' CPU only: that is the code a pull request changes. nginx and
  // the load generator run the same code on both sides and would only add noise.
  {
    key: 'cpu',
    label: 'API CPU per request',
    unit: 'us',
    better: 'lower',
    read: (r) => r.cpu?.usPerRequestByTier.replicas ?? null,
  },
];

export interface CompareOptions {
  /** Family-wise error rate across all rows (Holm). */
  alpha: number;
  /** Smallest relative change worth failing a pull request for, per metric (0.05 = 5%). */
  floors: Record<MetricKey, number>;
  /** Valid runs (pairs when paired) needed per side before a row is judged. */
  minRuns: number;
  /** Robust run-to-run variation (1.4826 x MAD / median) above which a side is too noisy to judge. */
  maxVariation: Record<MetricKey, number>;
  /** Exit 3 (instead of 0 with a warning) when a row is inconclusive. */
  failOnInconclusive: boolean;
  /** Compare results from different machines anyway (rows are judged, with a warning). */
  allowDifferentMachines: boolean;
  /** Metrics to judge; default all. */
  metrics: readonly MetricKey[];
}

export const DEFAULT_OPTIONS: CompareOptions = {
  // 0.05 across the whole family, not per row: Holm keeps the chance of any
  // false FAIL in one comparison at or below 5%, which is the false-alarm budget.
  alpha: 0.05,
  // 5% is about twice the run-to-run spread of CPU per request and throughput
  // on a quiet machine, and the smallest change the issue asks us to detect
  // reliably is 10%. Latency is 10%: p99 moves with scheduler noise on a
  // shared 2-core box, and under saturation p50 moves about twice as much as
  // CPU (a +10% CPU change moved it +19..+44%), so at 5% it was the strictest
  // row and both false alarms of the first proof came from it
  // (docs/regression-gate.md). The size floor is what stops a significant but
  // tiny change (plenty of pairs make 1% "significant") from failing a PR.
  floors: { throughput: 0.05, p50: 0.1, p99: 0.1, cpu: 0.05 },
  // Six is the smallest number of pairs whose exact two-sided signed-rank p
  // can go below 0.05 at all (2/2^6 = 0.031; five pairs bottom out at 0.0625).
  // More rows under Holm need more: the table says so when a row cannot reach it.
  minRuns: 6,
  // A side whose runs spread more than this cannot resolve a 5-10% change in a
  // few runs; saying INVALID beats guessing. p99 is allowed more spread.
  maxVariation: { throughput: 0.25, p50: 0.25, p99: 0.5, cpu: 0.25 },
  failOnInconclusive: false,
  allowDifferentMachines: false,
  metrics: metricKeys,
};

/** Confidence of the reported intervals: 1 - alpha, so PASS and FAIL speak at the same level. */
export function confidenceOf(options: CompareOptions): number {
  return 1 - options.alpha;
}
