/** The result of one comparison: what `compare --json` prints and every view renders from. */
import type { CompareOptions } from './compare.options';
import type { GateMetricKey } from '../results/metrics.registry';

export const verdicts = ['FAIL', 'INVALID', 'INCONCLUSIVE', 'PASS'] as const;
export type Verdict = (typeof verdicts)[number];

export interface Interval {
  value: number;
  low: number;
  high: number;
}

export interface ComparisonRow {
  setup: string;
  replicas: number;
  metric: GateMetricKey;
  label: string;
  unit: string;
  better: 'higher' | 'lower';
  /** Signed-rank on paired log ratios (true) or rank-sum on log values (false). */
  paired: boolean;
  /** Runs used per side (pairs when paired). */
  n: { base: number; candidate: number };
  /** Median of the runs with a distribution-free interval and its achieved coverage; null when no run measured it. */
  base: (Interval & { confidence: number }) | null;
  candidate: (Interval & { confidence: number }) | null;
  /** Relative change candidate vs base (0.1 = +10%): Hodges-Lehmann estimate and interval. */
  change: (Interval & { confidence: number }) | null;
  /** Raw two-sided p, and after Holm across every tested row; null when the row was not tested. */
  p: number | null;
  pAdjusted: number | null;
  /** Relative change past which the row can fail (always a positive fraction). */
  floor: number;
  /** Robust run-to-run variation per side. */
  variation: { base: number | null; candidate: number | null };
  verdict: Verdict;
  /** Why this verdict, in words (shown in annotations and the JSON). */
  reasons: string[];
}

export interface Statement {
  level: 'error' | 'warning' | 'notice';
  message: string;
}

export interface SideDescription {
  label: string;
  file: string;
  variant: string | null;
  revision: string | null;
  machine: string;
  runs: number;
}

export interface Comparison {
  verdict: Verdict;
  paired: boolean;
  base: SideDescription;
  candidate: SideDescription;
  options: CompareOptions;
  /** What could and could not be compared, said once for the whole comparison. */
  statements: Statement[];
  rows: ComparisonRow[];
}
