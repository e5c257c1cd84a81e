/**
 * The gate's proof, as data and arithmetic: which A/B jobs to run (A/A,
 * injected regressions of 5/10/20% of the measured CPU per request, an
 * injected improvement), in what order, and how their verdicts add up to a
 * false-alarm rate and detection rates with exact 95% intervals.
 * calibrate.ts runs the jobs; this file never touches a process.
 */
import { clopperPearson } from '../stats/binomial.stats';
import type { Verdict } from '../gate/compare.types';
import { fmtSignedPercent } from '../results/number.format';
import { median } from '../stats/ranks.stats';

export type TrialKind = 'aa' | 'regression' | 'improvement';

export interface TrialSpec {
  kind: TrialKind;
  /** Injected CPU per request as a fraction of the measured replica cost (0 for A/A). */
  fraction: number;
}

export interface TrialCounts {
  aa: number;
  /** Regression trials per injected fraction. */
  regression: Record<string, number>;
  improvement: number;
}

export const DEFAULT_FRACTIONS = [0.05, 0.1, 0.2] as const;
/** The improvement trial removes this much: the base carries the knob, the candidate does not. */
export const IMPROVEMENT_FRACTION = 0.2;

/**
 * Round-robin over the kinds (A/A, +5%, +10%, +20%, improvement, A/A, ...),
 * so slow drift of a shared machine lands on every kind alike instead of on
 * whichever ran last.
 */
export function scheduleTrials(counts: TrialCounts): TrialSpec[] {
  const queues: TrialSpec[][] = [
    Array.from({ length: counts.aa }, () => ({ kind: 'aa' as const, fraction: 0 })),
    ...Object.entries(counts.regression).map(([fraction, n]) =>
      Array.from({ length: n }, () => ({ kind: 'regression' as const, fraction: Number(fraction) })),
    ),
    Array.from({ length: counts.improvement }, () => ({
      kind: 'improvement' as const,
      fraction: IMPROVEMENT_FRACTION,
    })),
  ];
  const out: TrialSpec[] = [];
  while (queues.some((q) => q.length > 0))
    for (const q of queues) {
      const t = q.shift();
      if (t) out.push(t);
    }
  return out;
}

/**
 * What is still to run when an output directory already holds outcomes: the
 * asked counts minus those done, per kind and size. Lets a proof be extended
 * (say from 20 to 40 A/A comparisons) by running the command again.
 */
export function remainingCounts(
  asked: TrialCounts,
  done: readonly Pick<TrialOutcome, 'kind' | 'fraction'>[],
): TrialCounts {
  const count = (kind: TrialKind, fraction?: number) =>
    done.filter((o) => o.kind === kind && (fraction === undefined || o.fraction === fraction)).length;
  return {
    aa: Math.max(0, asked.aa - count('aa')),
    regression: Object.fromEntries(
      Object.entries(asked.regression).map(([f, n]) => [f, Math.max(0, n - count('regression', Number(f)))]),
    ),
    improvement: Math.max(0, asked.improvement - count('improvement')),
  };
}

/**
 * The knob values of one trial: CPU microseconds per request for each side.
 * `efficiency` is the measured CPU added per knob microsecond
 * (calibration.cost.ts), so the injection is a fraction of measured CPU.
 */
export function knobsFor(
  trial: TrialSpec,
  costUs: number,
  efficiency = 1,
): { base: number; candidate: number } {
  const injected = Math.round((trial.fraction * costUs) / efficiency);
  if (trial.kind === 'regression') return { base: 0, candidate: injected };
  if (trial.kind === 'improvement') return { base: injected, candidate: 0 };
  return { base: 0, candidate: 0 };
}

/** One finished trial, one line of outcomes.jsonl. */
export interface TrialOutcome {
  index: number;
  kind: TrialKind;
  fraction: number;
  knobs: { base: number; candidate: number };
  verdict: Verdict;
  /** Verdict of the API-CPU row of the gated setup, and its measured change. */
  cpuVerdict: Verdict | null;
  cpuChange: number | null;
  seconds: number;
  resultsFile: string;
}

export interface Rate {
  label: string;
  /** What counts: FAIL verdicts. */
  fails: number;
  n: number;
  rate: number | null;
  ci: { low: number; high: number };
  /** Other verdicts, for honesty about what the non-FAILs were. */
  verdicts: Record<Verdict, number>;
  /**
   * The measured API CPU change: the knob's real effect, which the nominal
   * fraction only aims at. Median with smallest and largest, because the same
   * knob lands differently in each job ("+10%" trials measured +8% to +24%),
   * and a reader needs the spread to know what size a detection rate is about.
   * Null when no trial measured CPU.
   */
  cpuChange: { median: number; low: number; high: number } | null;
}

function rateOf(label: string, outcomes: readonly TrialOutcome[]): Rate {
  const verdicts: Record<Verdict, number> = { FAIL: 0, INVALID: 0, INCONCLUSIVE: 0, PASS: 0 };
  for (const o of outcomes) verdicts[o.verdict] += 1;
  const n = outcomes.length;
  const changes = outcomes.map((o) => o.cpuChange).filter((c): c is number => c !== null);
  return {
    label,
    fails: verdicts.FAIL,
    n,
    rate: n > 0 ? verdicts.FAIL / n : null,
    ci: clopperPearson(verdicts.FAIL, n),
    verdicts,
    cpuChange:
      changes.length > 0
        ? { median: median(changes), low: Math.min(...changes), high: Math.max(...changes) }
        : null,
  };
}

export function summarise(outcomes: readonly TrialOutcome[]): Rate[] {
  const rates = [
    rateOf(
      'A/A (false alarms)',
      outcomes.filter((o) => o.kind === 'aa'),
    ),
  ];
  const fractions = [...new Set(outcomes.filter((o) => o.kind === 'regression').map((o) => o.fraction))].sort(
    (a, b) => a - b,
  );
  for (const f of fractions)
    rates.push(
      rateOf(
        `+${Math.round(f * 100)}% CPU per request (detection)`,
        outcomes.filter((o) => o.kind === 'regression' && o.fraction === f),
      ),
    );
  const improvements = outcomes.filter((o) => o.kind === 'improvement');
  if (improvements.length > 0)
    rates.push(
      rateOf(
        `-${Math.round(IMPROVEMENT_FRACTION * 100)}% CPU per request (improvement, must never FAIL)`,
        improvements,
      ),
    );
  return rates;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export function renderSummary(rates: readonly Rate[], context: string): string {
  const lines = [
    context,
    '',
    '| trials | FAIL | n | FAIL rate [95% CI, Clopper-Pearson] | PASS | INCONCLUSIVE | INVALID | measured API CPU change: median (min to max) |',
    '|---|---:|---:|---|---:|---:|---:|---:|',
  ];
  for (const r of rates) {
    const rate = r.rate === null ? 'n/a' : `${pct(r.rate)} [${pct(r.ci.low)}, ${pct(r.ci.high)}]`;
    const c = r.cpuChange;
    const change =
      c === null
        ? 'n/a'
        : `${fmtSignedPercent(c.median)} (${fmtSignedPercent(c.low)} to ${fmtSignedPercent(c.high)})`;
    lines.push(
      `| ${r.label} | ${r.fails} | ${r.n} | ${rate} | ${r.verdicts.PASS} | ${r.verdicts.INCONCLUSIVE} | ${r.verdicts.INVALID} | ${change} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}
