/**
 * The verdict of one row, and of a whole comparison. Pure functions over
 * numbers already computed, so the boundaries can be tested as a table.
 *
 * FAIL         significant after Holm AND the estimate is worse than the floor
 * PASS         the worse end of the interval stays inside the floor
 * INCONCLUSIVE neither: the data cannot tell a real change of floor size from noise
 * INVALID      the row cannot be judged (too few runs, too noisy, unlike sides)
 */
import type { Verdict } from './compare.types';

export interface RowEvidence {
  better: 'higher' | 'lower';
  floor: number;
  alpha: number;
  minRuns: number;
  maxVariation: number;
  n: { base: number; candidate: number };
  variation: { base: number | null; candidate: number | null };
  /** Problems that make every row of the comparison invalid (budgets differ, ...). */
  blockers: string[];
  /** Relative change, candidate vs base; null when not computed. */
  change: { value: number; low: number; high: number } | null;
  pAdjusted: number | null;
}

/** Reasons the row cannot be judged at all; empty when it can. */
export function invalidReasons(
  e: Omit<RowEvidence, 'change' | 'pAdjusted' | 'alpha' | 'floor' | 'better'>,
): string[] {
  const reasons = [...e.blockers];
  const fewest = Math.min(e.n.base, e.n.candidate);
  if (fewest < e.minRuns) {
    reasons.push(
      `too few valid runs: ${e.n.base} base / ${e.n.candidate} candidate, at least ${e.minRuns} per side needed (raise --runs / repetitions)`,
    );
  }
  for (const side of ['base', 'candidate'] as const) {
    const v = e.variation[side];
    if (v !== null && v > e.maxVariation) {
      reasons.push(
        `run-to-run variation too high on the ${side} side: ${(v * 100).toFixed(1)}% (limit ${(e.maxVariation * 100).toFixed(0)}%); quieten the machine or run longer`,
      );
    }
  }
  return reasons;
}

/** How much worse the candidate is, as a positive fraction (negative = better). */
function worsening(better: 'higher' | 'lower', change: number): number {
  return better === 'lower' ? change : -change;
}

export function rowVerdict(e: RowEvidence): { verdict: Verdict; reasons: string[] } {
  const invalid = invalidReasons(e);
  if (invalid.length > 0) return { verdict: 'INVALID', reasons: invalid };
  if (e.change === null || e.pAdjusted === null)
    return { verdict: 'INVALID', reasons: ['no values to compare'] };
  const estimateWorse = worsening(e.better, e.change.value);
  // The interval end that is worst for the candidate.
  const worstEnd = Math.max(worsening(e.better, e.change.low), worsening(e.better, e.change.high));
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  if (e.pAdjusted < e.alpha && estimateWorse > e.floor) {
    return {
      verdict: 'FAIL',
      reasons: [
        `${pct(estimateWorse)} worse (floor ${pct(e.floor)}), p ${e.pAdjusted.toPrecision(2)} after Holm < ${e.alpha}`,
      ],
    };
  }
  if (worstEnd < e.floor) {
    const better = estimateWorse < 0 && e.pAdjusted < e.alpha ? ' (significantly better)' : '';
    return {
      verdict: 'PASS',
      reasons: [`at worst ${pct(worstEnd)} worse, inside the ${pct(e.floor)} floor${better}`],
    };
  }
  const why =
    estimateWorse > e.floor
      ? `estimate ${pct(estimateWorse)} worse but not significant (p ${e.pAdjusted.toPrecision(2)} after Holm)`
      : `interval reaches ${pct(worstEnd)} worse, past the ${pct(e.floor)} floor`;
  return { verdict: 'INCONCLUSIVE', reasons: [`${why}: more runs would tell`] };
}

/** A regression anywhere wins; then anything unjudgeable; then doubt; else pass. */
export function overallVerdict(rows: readonly { verdict: Verdict }[]): Verdict {
  for (const v of ['FAIL', 'INVALID', 'INCONCLUSIVE'] as const)
    if (rows.some((r) => r.verdict === v)) return v;
  return rows.length === 0 ? 'INVALID' : 'PASS';
}
