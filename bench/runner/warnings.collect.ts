/**
 * Warnings a reader must see next to the numbers: what makes a run or a
 * summary less trustworthy, with the runs concerned.
 */
import type { Environment, Plan, ResultsWarning, RunResult, Summary } from '../results/results.schema';

/** Run-to-run throughput variation above this makes medians shaky. */
export const HIGH_VARIATION_CV = 0.1;
/** Other processes using more than this many CPUs on average during a window make its figures suspect. */
export const NOISY_NEIGHBOUR_CPUS = 0.25;
/** The fewest runs for which the sign-test interval reaches 95%. */
export const MIN_RUNS_FOR_95_CI = 6;

export function collectWarnings(
  plan: Plan,
  env: Environment,
  runs: readonly RunResult[],
  summaries: readonly Summary[],
  interrupted: boolean,
): ResultsWarning[] {
  const warnings: ResultsWarning[] = [];
  const bound = runs.filter((r) => r.generatorBound);
  if (bound.length > 0) {
    warnings.push({
      code: 'generator-bound',
      runIds: bound.map((r) => r.id),
      message: `the load generator used over 85% of its CPU in ${bound.length} run(s): their throughput measures autocannon, not the setup. Use fewer replicas, a smaller CPU budget or more load generators.`,
    });
  }
  const noisy = runs.filter(
    (r) => r.cpu?.machine && r.cpu.machine.otherSeconds / r.cpu.windowSeconds > NOISY_NEIGHBOUR_CPUS,
  );
  if (noisy.length > 0) {
    const worst = Math.max(
      ...noisy.map((r) => (r.cpu?.machine?.otherSeconds ?? 0) / (r.cpu?.windowSeconds ?? 1)),
    );
    warnings.push({
      code: 'other',
      runIds: noisy.map((r) => r.id),
      message: `noisy neighbours: processes outside the benchmark used up to ${worst.toFixed(2)} CPUs during ${noisy.length} run(s), competing with the replicas and nginx. Re-run on a quiet machine before trusting scaling figures.`,
    });
  }
  if (!env.budgets.enforced && plan.cpuPerReplica !== null) {
    warnings.push({
      code: 'budgets-not-enforced',
      runIds: [],
      message: `CPU budgets of ${plan.cpuPerReplica} CPU per replica were not enforced (${env.budgets.reason ?? 'unknown reason'}): replicas shared all CPUs, so scaling figures are not a scaling experiment.`,
    });
  }
  for (const run of runs.filter((r) => !r.valid)) {
    warnings.push({
      code: 'invalid-run',
      runIds: [run.id],
      message: `run ${run.id} is invalid: ${run.invalidReasons.join('; ')}.`,
    });
  }
  const noSummary = [...new Set(runs.map((r) => `${r.variant}/${r.setup}/x${r.replicas}`))].filter(
    (cell) => !summaries.some((s) => `${s.variant}/${s.setup}/x${s.replicas}` === cell),
  );
  for (const cell of noSummary) {
    warnings.push({
      code: 'invalid-run',
      runIds: runs.filter((r) => r.id.startsWith(`${cell}/`)).map((r) => r.id),
      message: `${cell}: no valid run, so no summary.`,
    });
  }
  for (const s of summaries) {
    const cv = s.metrics.throughputRps.cv;
    if (cv !== null && cv > HIGH_VARIATION_CV) {
      warnings.push({
        code: 'high-variation',
        runIds: s.runIds,
        message: `${s.variant}/${s.setup}/x${s.replicas}: throughput varied by ${(cv * 100).toFixed(0)}% (CV) across repetitions; treat its median with care or run more repetitions.`,
      });
    }
  }
  if (runs.length > 0 && plan.repetitions < MIN_RUNS_FOR_95_CI) {
    warnings.push({
      code: 'few-repetitions',
      runIds: [],
      message: `${plan.repetitions} repetition(s): below ${MIN_RUNS_FOR_95_CI} no interval reaches 95% confidence, so the intervals shown are the min-max range. Use --repetitions ${MIN_RUNS_FOR_95_CI} or more for real intervals.`,
    });
  }
  if (interrupted) {
    warnings.push({
      code: 'interrupted',
      runIds: [],
      message: `interrupted: ${runs.length} run(s) of the plan completed; the results are partial.`,
    });
  }
  return warnings;
}
