/**
 * Before any number is compared: can these two sides be compared at all?
 * Three outcomes, never a silent comparison of unlike things:
 * - refusals: the numbers mean different things (other load shape) -> exit 2;
 * - blockers: comparable in kind but not in conditions (CPU budgets, another
 *   machine) -> every row INVALID, with the reason;
 * - statements: what the reader must know (unpaired runs, rows on one side only).
 */
import type { Plan, Results, RunResult } from '../results/results.schema';
import type { Statement } from './compare.types';

export interface ComparisonSide {
  label: 'base' | 'candidate';
  file: string;
  results: Results;
  /** Variant the runs were taken from (an A/B file holds two); null = all runs of the file. */
  variant: string | null;
  runs: RunResult[];
}

export interface Comparability {
  refusals: string[];
  blockers: string[];
  statements: Statement[];
  paired: boolean;
  /** (setup, replicas) present on both sides, in baseline order. */
  common: { setup: string; replicas: number }[];
}

/** Plan fields that change what a number means: different values, different experiment. */
const LOAD_SHAPE: readonly (keyof Plan)[] = [
  'model',
  'connections',
  'ratePerSecond',
  'warmupSeconds',
  'durationSeconds',
  'mix',
  'cpuPerReplica',
];

const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

export function machineOf(results: Results): string {
  const e = results.environment;
  return `${e.cpuModel} x${e.cores}`;
}

export function checkComparability(
  base: ComparisonSide,
  candidate: ComparisonSide,
  opts: { allowDifferentMachines: boolean },
): Comparability {
  const refusals: string[] = [];
  const blockers: string[] = [];
  const statements: Statement[] = [];

  if (base.file === candidate.file && base.variant === candidate.variant) {
    refusals.push(
      `baseline and candidate are the same runs (${base.file}${base.variant ? `, variant ${base.variant}` : ''}); pass two results files, or one A/B file holding a "base" and a "candidate" variant.`,
    );
  }

  const planDiffs = LOAD_SHAPE.filter(
    (k) => show(base.results.plan[k]) !== show(candidate.results.plan[k]),
  ).map(
    (k) => `${k}: ${show(base.results.plan[k])} (base) vs ${show(candidate.results.plan[k])} (candidate)`,
  );
  if (planDiffs.length > 0) {
    refusals.push(
      `the two files ran different load plans, so their numbers measure different things: ${planDiffs.join('; ')}. Re-run both sides with the same profile and flags (authscale ab does this for you).`,
    );
  } else if (base.results.plan.profile !== candidate.results.plan.profile) {
    statements.push({
      level: 'notice',
      message: `profiles are named differently (${base.results.plan.profile} vs ${candidate.results.plan.profile}) but the load plans match; compared.`,
    });
  }

  const be = base.results.environment;
  const ce = candidate.results.environment;
  if (machineOf(base.results) !== machineOf(candidate.results)) {
    const text = `results come from different machines (${machineOf(base.results)} vs ${machineOf(candidate.results)}): machine differences would be read as code differences.`;
    if (opts.allowDifferentMachines) {
      statements.push({
        level: 'warning',
        message: `${text} Compared anyway (--allow-different-machines): expect more false alarms; CPU per request transfers best.`,
      });
    } else {
      blockers.push(
        `${text} Run both sides on one machine (authscale ab), or pass --allow-different-machines.`,
      );
    }
  }
  const software = (['node', 'nginx', 'redis'] as const)
    .filter((k) => be.versions[k] !== ce.versions[k])
    .map((k) => `${k} ${be.versions[k] ?? 'none'} vs ${ce.versions[k] ?? 'none'}`);
  if (software.length > 0) {
    statements.push({
      level: 'warning',
      message: `different software versions (${software.join(', ')}): a change in the rows may come from them, not from the code.`,
    });
  }

  const budgetKeys = ['enforced', 'cpuPerReplica', 'cfsPeriodUs', 'cgroupVersion'] as const;
  const budgetDiffs = budgetKeys
    .filter((k) => be.budgets[k] !== ce.budgets[k])
    .map((k) => `${k} ${show(be.budgets[k])} vs ${show(ce.budgets[k])}`);
  if (budgetDiffs.length > 0) {
    blockers.push(
      `CPU budgets differ (${budgetDiffs.join(', ')}): the replicas had different CPU to work with. Re-run both sides with the same budget.`,
    );
  } else if (!be.budgets.enforced) {
    statements.push({
      level: 'warning',
      message: `CPU budgets were not enforced on either side (${be.budgets.reason ?? 'no reason given'}): replicas and the load generator shared cores, so throughput and latency carry more noise.`,
    });
  }

  const knobs = new Set(
    [be.calibration, ce.calibration]
      .filter((c) => c !== null)
      .map((c) =>
        Object.entries(c!)
          .map(([k, v]) => `${k}=${v}`)
          .join(', '),
      ),
  );
  if (knobs.size > 0) {
    statements.push({
      level: 'notice',
      message: `calibration knob on (${[...knobs].join('; ')}): these numbers include an injected cost, as in the gate's own calibration.`,
    });
  }

  for (const side of [base, candidate]) {
    if (side.results.interrupted)
      statements.push({
        level: 'warning',
        message: `the ${side.label} file (${side.file}) is from an interrupted run: only its finished runs are compared.`,
      });
  }

  const paired = base.results.abGroup !== null && base.results.abGroup === candidate.results.abGroup;
  if (!paired) {
    statements.push({
      level: 'notice',
      message:
        'runs are unpaired (not interleaved in one job): rank-sum test on the runs; drift between the two jobs reads as a change. authscale ab pairs runs and is the recommended CI use.',
    });
  }

  const key = (r: { setup: string; replicas: number }) => `${r.setup} x${r.replicas}`;
  const keysOf = (runs: RunResult[]) => [
    ...new Map(runs.map((r) => [key(r), { setup: r.setup, replicas: r.replicas }])).values(),
  ];
  const baseKeys = keysOf(base.runs);
  const candidateKeys = new Set(keysOf(candidate.runs).map(key));
  const common = baseKeys.filter((k) => candidateKeys.has(key(k)));
  const onlyBase = baseKeys.filter((k) => !candidateKeys.has(key(k))).map(key);
  const onlyCandidate = [...candidateKeys].filter((k) => !baseKeys.some((b) => key(b) === k));
  if (onlyBase.length > 0)
    statements.push({ level: 'notice', message: `only in the base, not compared: ${onlyBase.join(', ')}` });
  if (onlyCandidate.length > 0)
    statements.push({
      level: 'notice',
      message: `only in the candidate, not compared: ${onlyCandidate.join(', ')}`,
    });
  if (common.length === 0 && refusals.length === 0) {
    refusals.push(
      `no setup and replica count was run on both sides (base: ${baseKeys.map(key).join(', ') || 'no runs'}; candidate: ${[...candidateKeys].join(', ') || 'no runs'}). Run the same --setups and --replicas on both.`,
    );
  }
  return { refusals, blockers, statements, paired, common };
}
