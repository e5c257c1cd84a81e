/**
 * Warnings a reader must see next to the numbers, derived once from the data
 * of a results file (what makes a run or a summary less trustworthy, with the
 * runs concerned), and notes that only say how to read it. The runner stores
 * both in results.json; the report shows what is stored and adds, with the
 * same wording, anything this derivation finds that a file does not list, so
 * a file with an incomplete list still never renders as clean.
 */
import type { Results, ResultsWarning, RunResult, Summary } from './results.schema';

/** Run-to-run throughput variation above this makes medians shaky. */
export const HIGH_VARIATION_CV = 0.1;
/** Other processes using more than this many CPUs on average during a window make its figures suspect. */
export const NOISY_NEIGHBOUR_CPUS = 0.25;
/** Efficiency above this (100% plus 5% for noise) cannot be real: N replicas cannot beat N times one. */
export const MAX_PLAUSIBLE_EFFICIENCY = 1.05;
/** Replicas of one run whose CPU per request differ by more than this ratio were not doing the same work. */
export const MAX_REPLICA_CPU_RATIO = 1.3;
/** The fewest runs for which the sign-test interval reaches 95%. */
export const MIN_RUNS_FOR_95_CI = 6;

export type WarningCode = ResultsWarning['code'];
export type WarningLevel = 'problem' | 'caution';

/** Problems mean some numbers are wrong or missing; cautions mean they need care when read. */
export const WARNING_LEVELS: Record<WarningCode, WarningLevel> = {
  'invalid-run': 'problem',
  interrupted: 'problem',
  'generator-bound': 'problem',
  'budgets-not-enforced': 'caution',
  'high-variation': 'caution',
  'noisy-neighbours': 'caution',
  'scenario-check-failed': 'caution',
  // A figure beyond its physical bound is a defect to explain, never a finding.
  'super-linear': 'problem',
  'replica-cpu-spread': 'caution',
  'steady-state-unchecked': 'caution',
  // The shards' windows did not coincide: the merged figures never happened at once.
  'shard-window-overlap': 'problem',
  // Older files wrote these; neither is derived any more.
  'few-repetitions': 'caution',
  other: 'caution',
};

export type WarningInput = Pick<
  Results,
  'plan' | 'environment' | 'runs' | 'summaries' | 'scenarios' | 'interrupted'
>;

const cellOf = (r: Pick<RunResult, 'variant' | 'setup' | 'replicas'>) =>
  `${r.variant}/${r.setup}/x${r.replicas}`;

function runWarnings(runs: readonly RunResult[]): ResultsWarning[] {
  const warnings: ResultsWarning[] = [];
  const bound = runs.filter((r) => r.generatorBound);
  if (bound.length > 0) {
    warnings.push({
      code: 'generator-bound',
      runIds: bound.map((r) => r.id),
      message: `the load generator used over 85% of its CPU in ${bound.length} run(s): their throughput measures autocannon, not the setup. Use fewer replicas, a smaller CPU budget or more load generators.`,
    });
  }
  const otherCpus = (r: RunResult) => (r.cpu?.machine ? r.cpu.machine.otherSeconds / r.cpu.windowSeconds : 0);
  const noisy = runs.filter((r) => otherCpus(r) > NOISY_NEIGHBOUR_CPUS);
  if (noisy.length > 0) {
    warnings.push({
      code: 'noisy-neighbours',
      runIds: noisy.map((r) => r.id),
      message: `processes outside the benchmark used up to ${Math.max(...noisy.map(otherCpus)).toFixed(2)} CPUs during ${noisy.length} run(s), competing with the replicas and nginx. Re-run on a quiet machine before trusting scaling figures.`,
    });
  }
  for (const run of runs.filter((r) => !r.valid)) {
    warnings.push({
      code: 'invalid-run',
      runIds: [run.id],
      message: `run ${run.id} is invalid: ${run.invalidReasons.join('; ') || 'no reason recorded'}.`,
    });
  }
  return warnings;
}

/** CPU per request of each replica over the measured window, from the run's timeline. */
export function replicaCpuPerRequest(run: RunResult): Record<string, number> {
  const cpu: Record<string, number> = {};
  const requests: Record<string, number> = {};
  for (const b of run.timeline?.buckets.filter((x) => x.phase === 'measured') ?? []) {
    for (const [r, s] of Object.entries(b.replicaCpuSeconds)) cpu[r] = (cpu[r] ?? 0) + s;
    for (const [r, n] of Object.entries(b.replicaRequests)) requests[r] = (requests[r] ?? 0) + n;
  }
  const out: Record<string, number> = {};
  for (const [r, n] of Object.entries(requests))
    if (n > 0 && cpu[r] !== undefined) out[r] = (cpu[r]! * 1e6) / n;
  return out;
}

function steadinessWarnings(runs: readonly RunResult[]): ResultsWarning[] {
  const warnings: ResultsWarning[] = [];
  const unchecked = runs.filter((r) => r.steadyState?.verdict === 'unchecked');
  if (unchecked.length > 0) {
    warnings.push({
      code: 'steady-state-unchecked',
      runIds: unchecked.map((r) => r.id),
      message: `${unchecked.length} run(s) measured without the steady-state rule (--max-warmup 0): their figures may include cold replicas (JIT, GC sizing), which cost several times the CPU per request of warm ones.`,
    });
  }
  const spread = runs.filter((r) => {
    const values = Object.values(replicaCpuPerRequest(r));
    return values.length > 1 && Math.max(...values) / Math.min(...values) > MAX_REPLICA_CPU_RATIO;
  });
  if (spread.length > 0) {
    warnings.push({
      code: 'replica-cpu-spread',
      runIds: spread.map((r) => r.id),
      message: `in ${spread.length} run(s) the replicas' CPU per request differed by more than ${Math.round((MAX_REPLICA_CPU_RATIO - 1) * 100)}% from one replica to another: one was colder, throttled harder or did other work (an idle replica's own timers). Per-replica figures are in each run's timeline.`,
    });
  }
  return warnings;
}

function scalingWarnings(summaries: readonly Summary[]): ResultsWarning[] {
  return summaries
    .filter((s) => s.scalingEfficiency !== null && s.scalingEfficiency > MAX_PLAUSIBLE_EFFICIENCY)
    .map((s) => ({
      code: 'super-linear' as const,
      runIds: s.runIds,
      message: `${cellOf(s)}: ${Math.round(s.scalingEfficiency! * 100)}% of linear scaling is beyond what ${s.replicas} replicas can do. Likely causes: the 1-replica cell was colder or more throttled (compare the runs' steady-state verdicts and timelines), a fixed total of connections queued more per replica at 1 than at ${s.replicas} (use connections per replica), or other processes took CPU during the 1-replica runs. Not a finding: left out of the recommendation.`,
    }));
}

function summaryWarnings(runs: readonly RunResult[], summaries: readonly Summary[]): ResultsWarning[] {
  const warnings: ResultsWarning[] = [];
  const cells = [...new Set(runs.map(cellOf))].filter((cell) => !summaries.some((s) => cellOf(s) === cell));
  for (const cell of cells) {
    warnings.push({
      code: 'invalid-run',
      runIds: runs.filter((r) => cellOf(r) === cell).map((r) => r.id),
      message: `${cell}: no valid run, so no summary.`,
    });
  }
  for (const s of summaries) {
    const cv = s.metrics.throughputRps.cv;
    if (cv !== null && cv > HIGH_VARIATION_CV) {
      warnings.push({
        code: 'high-variation',
        runIds: s.runIds,
        message: `${cellOf(s)}: throughput varied by ${(cv * 100).toFixed(0)}% (CV) across repetitions; treat its median with care or run more repetitions.`,
      });
    }
  }
  return warnings;
}

export function deriveWarnings(r: WarningInput): ResultsWarning[] {
  const warnings = [
    ...runWarnings(r.runs),
    ...steadinessWarnings(r.runs),
    ...summaryWarnings(r.runs, r.summaries),
    ...scalingWarnings(r.summaries),
  ];
  if (!r.environment.budgets.enforced && r.plan.cpuPerReplica !== null) {
    warnings.push({
      code: 'budgets-not-enforced',
      runIds: [],
      message: `CPU budgets of ${r.plan.cpuPerReplica} CPU per replica were not enforced (${r.environment.budgets.reason ?? 'unknown reason'}): replicas shared all CPUs, so scaling figures are not a scaling experiment.`,
    });
  }
  for (const sc of r.scenarios) {
    for (const check of sc.checks.filter((c) => !c.passed)) {
      warnings.push({
        code: 'scenario-check-failed',
        runIds: [],
        message: `scenario ${sc.scenario} on ${sc.setup} (${sc.replicas} replicas) did not show the expected shape: ${check.name} (${check.detail}).`,
      });
    }
  }
  if (r.interrupted) {
    warnings.push({
      code: 'interrupted',
      runIds: [],
      message: `interrupted: ${r.runs.length} run(s) of the plan completed; the results are partial.`,
    });
  }
  return warnings;
}

/** How to read the figures, never a reason to distrust them. */
export function deriveNotes(r: Pick<Results, 'plan' | 'runs'>): string[] {
  const notes: string[] = [];
  if (r.runs.length > 0 && r.plan.repetitions < MIN_RUNS_FOR_95_CI) {
    notes.push(
      `${r.plan.repetitions} repetition(s): below ${MIN_RUNS_FOR_95_CI} no interval reaches 95% confidence, so the intervals shown are the min-max range. Use --repetitions ${MIN_RUNS_FOR_95_CI} or more for real intervals.`,
    );
  }
  return notes;
}

/** The stored warnings, then what the derivation finds that they do not cover (by code and run). */
export function warningsOf(results: Results): ResultsWarning[] {
  const covered = (w: ResultsWarning) =>
    results.warnings.some(
      (s) => s.code === w.code && (w.runIds.length === 0 || w.runIds.every((id) => s.runIds.includes(id))),
    );
  return [...results.warnings, ...deriveWarnings(results).filter((w) => !covered(w))];
}
