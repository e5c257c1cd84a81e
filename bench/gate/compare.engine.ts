/**
 * Turns two sides (base, candidate) into a Comparison: one row per
 * (setup, replicas, metric), one value per run as the sample.
 * Paired (same A/B job): signed-rank test and Hodges-Lehmann on the per-pair
 * log ratios ln(candidate / base). Unpaired: rank-sum and two-sample
 * Hodges-Lehmann on log values. Holm across every row that was tested.
 */
import { UsageError } from '../../infra/errors';
import type { RunResult } from '../results/results.schema';
import {
  checkComparability,
  machineOf,
  type Comparability,
  type ComparisonSide,
} from './comparability.check';
import { confidenceOf, type CompareOptions } from './compare.options';
import { GATE_METRICS, type MetricDefinition } from '../results/metrics.registry';
import type { Comparison, ComparisonRow, SideDescription } from './compare.types';
import { hodgesLehmannOneSample, hodgesLehmannTwoSample } from '../stats/hodges-lehmann.stats';
import { holmAdjust } from '../stats/holm.stats';
import { medianInterval, robustVariation } from '../stats/median-interval.stats';
import { rankSumTest } from '../stats/rank-sum.stats';
import { signedRankTest, smallestSignedRankP } from '../stats/signed-rank.stats';
import { smallestRankSumP } from '../stats/rank-sum.stats';
import { invalidReasons, overallVerdict, rowVerdict } from './verdict.logic';

/** Why a run is left out of every row: errors or a saturated load generator. */
export function exclusionReason(run: RunResult): string | null {
  if (!run.valid) return `invalid (${run.invalidReasons.join('; ') || 'no reason recorded'})`;
  if (run.generatorBound) return 'load generator saturated';
  return null;
}

interface Samples {
  base: number[];
  candidate: number[];
  /** ln(candidate / base) per pair, when paired. */
  logRatios: number[] | null;
}

function samplesFor(
  metric: MetricDefinition,
  base: RunResult[],
  candidate: RunResult[],
  paired: boolean,
): Samples {
  const usable = (r: RunResult) => {
    const v = metric.read(r);
    return exclusionReason(r) === null && v !== null && v > 0 ? v : null;
  };
  if (!paired) {
    const pick = (runs: RunResult[]) => runs.map(usable).filter((v): v is number => v !== null);
    return { base: pick(base), candidate: pick(candidate), logRatios: null };
  }
  const byRepetition = new Map(candidate.map((r) => [r.repetition, r]));
  const out: Samples = { base: [], candidate: [], logRatios: [] };
  for (const b of [...base].sort((x, y) => x.repetition - y.repetition)) {
    const c = byRepetition.get(b.repetition);
    const bv = usable(b);
    const cv = c ? usable(c) : null;
    if (bv === null || cv === null) continue; // a pair needs both halves
    out.base.push(bv);
    out.candidate.push(cv);
    out.logRatios!.push(Math.log(cv / bv));
  }
  return out;
}

function exclusionNotes(label: string, runs: RunResult[]): string[] {
  const notes = runs.map((r) => [r, exclusionReason(r)] as const).filter(([, why]) => why !== null);
  return notes.length === 0
    ? []
    : [
        `${notes.length} ${label} run(s) left out: ${notes.map(([r, why]) => `#${r.repetition} ${why}`).join(', ')}`,
      ];
}

function describe(side: ComparisonSide): SideDescription {
  return {
    label: side.label,
    file: side.file,
    variant: side.variant,
    revision: side.results.environment.git.revision,
    machine: machineOf(side.results),
    runs: side.runs.length,
  };
}

/** The paired or unpaired test and Hodges-Lehmann shift of one row, as a relative change. */
function testedChange(s: Samples, confidence: number): Pick<ComparisonRow, 'p' | 'change'> {
  const logBase = s.base.map(Math.log);
  const logCandidate = s.candidate.map(Math.log);
  const test = s.logRatios ? signedRankTest(s.logRatios) : rankSumTest(logBase, logCandidate);
  const hl = s.logRatios
    ? hodgesLehmannOneSample(s.logRatios, confidence)
    : hodgesLehmannTwoSample(logBase, logCandidate, confidence);
  return {
    p: test.p,
    change: {
      value: Math.expm1(hl.estimate),
      low: Math.expm1(hl.low),
      high: Math.expm1(hl.high),
      confidence: hl.achievedConfidence,
    },
  };
}

type GateMetric = (typeof GATE_METRICS)[number];

interface CellRuns {
  setup: string;
  replicas: number;
  base: RunResult[];
  candidate: RunResult[];
  /** Which runs were left out, and why. */
  notes: string[];
}

/** One row before Holm: verdict INVALID until the adjusted p is known. */
function rowFor(
  metric: GateMetric,
  cell: CellRuns,
  check: Comparability,
  options: CompareOptions,
): ComparisonRow {
  const confidence = confidenceOf(options);
  const s = samplesFor(metric, cell.base, cell.candidate, check.paired);
  const n = { base: s.base.length, candidate: s.candidate.length };
  const variation = { base: robustVariation(s.base), candidate: robustVariation(s.candidate) };
  const unjudgeable = invalidReasons({
    blockers: check.blockers,
    minRuns: options.minRuns,
    maxVariation: options.maxVariation[metric.key],
    n,
    variation,
  });
  const { p, change } = unjudgeable.length === 0 ? testedChange(s, confidence) : { p: null, change: null };
  return {
    setup: cell.setup,
    replicas: cell.replicas,
    metric: metric.key,
    label: metric.label,
    unit: metric.unit,
    better: metric.better,
    paired: check.paired,
    n,
    base: n.base > 0 ? medianInterval(s.base, confidence) : null,
    candidate: n.candidate > 0 ? medianInterval(s.candidate, confidence) : null,
    change,
    p,
    pAdjusted: null,
    floor: options.floors[metric.key],
    variation,
    verdict: 'INVALID',
    reasons: cell.notes,
  };
}

function cellRuns(
  cell: { setup: string; replicas: number },
  base: ComparisonSide,
  candidate: ComparisonSide,
): CellRuns {
  const of = (side: ComparisonSide) =>
    side.runs.filter((r) => r.setup === cell.setup && r.replicas === cell.replicas);
  const baseRuns = of(base);
  const candidateRuns = of(candidate);
  return {
    ...cell,
    base: baseRuns,
    candidate: candidateRuns,
    notes: [...exclusionNotes('base', baseRuns), ...exclusionNotes('candidate', candidateRuns)],
  };
}

/** Holm across every tested row, then each row's verdict from its adjusted p. */
function judgeRows(rows: ComparisonRow[], blockers: string[], options: CompareOptions): void {
  const adjusted = holmAdjust(rows.map((r) => r.p ?? Number.NaN));
  rows.forEach((row, i) => {
    row.pAdjusted = Number.isNaN(adjusted[i]!) ? null : adjusted[i]!;
    const { verdict, reasons } = rowVerdict({
      better: row.better,
      floor: row.floor,
      alpha: options.alpha,
      minRuns: options.minRuns,
      maxVariation: options.maxVariation[row.metric],
      n: row.n,
      variation: row.variation,
      blockers,
      change: row.change,
      pAdjusted: row.pAdjusted,
    });
    row.verdict = verdict;
    row.reasons = [...reasons, ...row.reasons];
  });
}

export function compareSides(
  base: ComparisonSide,
  candidate: ComparisonSide,
  options: CompareOptions,
): Comparison {
  const check = checkComparability(base, candidate, options);
  if (check.refusals.length > 0) throw new UsageError(check.refusals.map((r) => `cannot compare: ${r}`));
  const metrics = GATE_METRICS.filter((m) => options.metrics.includes(m.key));
  const rows = check.common.flatMap((c) => {
    const cell = cellRuns(c, base, candidate);
    return metrics.map((metric) => rowFor(metric, cell, check, options));
  });
  judgeRows(rows, check.blockers, options);
  const reach = reachability(rows, options.alpha);
  if (reach) check.statements.push({ level: 'warning', message: reach });
  return {
    verdict: overallVerdict(rows),
    paired: check.paired,
    base: describe(base),
    candidate: describe(candidate),
    options,
    statements: check.statements,
    rows,
  };
}

/**
 * Holm multiplies the smallest p by the number of rows tested; with few runs
 * the exact tests cannot get low enough for any row to FAIL. Say so rather
 * than let a PASS look like evidence of no regression.
 */
function reachability(rows: readonly ComparisonRow[], alpha: number): string | null {
  const tested = rows.filter((r) => r.p !== null);
  if (tested.length === 0) return null;
  const best = Math.min(
    ...tested.map((r) =>
      r.paired ? smallestSignedRankP(r.n.base) : smallestRankSumP(r.n.base, r.n.candidate),
    ),
  );
  if (best * tested.length < alpha) return null;
  let needed = tested[0]!.n.base;
  const smallest = (k: number) => (tested[0]!.paired ? smallestSignedRankP(k) : smallestRankSumP(k, k));
  while (smallest(needed) * tested.length >= alpha) needed += 1;
  return `with these runs and ${tested.length} rows no row can reach significance (the smallest possible p, ${best.toPrecision(2)}, times ${tested.length} rows for Holm is not below alpha ${alpha}): a regression could not FAIL. Use at least ${needed} paired runs, or gate fewer setups/metrics (--metrics).`;
}
