/**
 * How strict the gate is: its options and defaults. The metrics it judges,
 * their floors and spread limits are entries of bench/results/metrics.registry.ts
 * (docs/regression-gate.md repeats them).
 */
import {
  GATE_METRICS,
  gateMetricKeys,
  type GateDefaults,
  type GateMetricKey,
} from '../results/metrics.registry';

const gateDefaults = (field: keyof GateDefaults) =>
  Object.fromEntries(GATE_METRICS.map((m) => [m.key, m.gate[field]])) as Record<GateMetricKey, number>;

export interface CompareOptions {
  /** Family-wise error rate across all rows (Holm). */
  alpha: number;
  /** Smallest relative change worth failing a pull request for, per metric (0.05 = 5%). */
  floors: Record<GateMetricKey, number>;
  /** Valid runs (pairs when paired) needed per side before a row is judged. */
  minRuns: number;
  /** Robust run-to-run variation (1.4826 x MAD / median) above which a side is too noisy to judge. */
  maxVariation: Record<GateMetricKey, number>;
  /** Exit 3 (instead of 0 with a warning) when a row is inconclusive. */
  failOnInconclusive: boolean;
  /** Compare results from different machines anyway (rows are judged, with a warning). */
  allowDifferentMachines: boolean;
  /** Metrics to judge; default all. */
  metrics: readonly GateMetricKey[];
}

export const DEFAULT_OPTIONS: CompareOptions = {
  // 0.05 across the whole family, not per row: Holm keeps the chance of any
  // false FAIL in one comparison at or below 5%, which is the false-alarm budget.
  alpha: 0.05,
  // Per metric, with the reasons: bench/results/metrics.registry.ts.
  floors: gateDefaults('floor'),
  // Six is the smallest number of pairs whose exact two-sided signed-rank p
  // can go below 0.05 at all (2/2^6 = 0.031; five pairs bottom out at 0.0625).
  // More rows under Holm need more: the table says so when a row cannot reach it.
  minRuns: 6,
  maxVariation: gateDefaults('maxVariation'),
  failOnInconclusive: false,
  allowDifferentMachines: false,
  metrics: gateMetricKeys,
};

/** Confidence of the reported intervals: 1 - alpha, so PASS and FAIL speak at the same level. */
export function confidenceOf(options: CompareOptions): number {
  return 1 - options.alpha;
}
