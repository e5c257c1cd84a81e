/**
 * Before any number is compared: can these two sides be compared at all?
 * Three outcomes, never a silent comparison of unlike things:
 * - refusals: the numbers mean different things (other load shape) -> exit 2;
 * - blockers: comparable in kind but not in conditions (CPU budgets, another
 *   machine) -> every row INVALID, with the reason;
 * - statements: what the reader must know (unpaired runs, rows on one side only).
 */
import type { Environment, Plan, Results, RunResult } from '../results/results.schema';
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
  // A Redis hop 1 ms away is another experiment, not a regression (variants carry it in their name too).
  'storeRttsMs',
];

const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

export function machineOf(results: Results): string {
  const e = results.environment;
  return `${e.cpuModel} x${e.cores}`;
}

/** What one check found; the checks' findings are concatenated in order. */
interface Findings {
  refusals?: string[];
  blockers?: string[];
  statements?: Statement[];
}

type Cell = { setup: string; replicas: number };

const cellKey = (r: Cell) => `${r.setup} x${r.replicas}`;

function cellsOf(runs: RunResult[]): Cell[] {
  return [...new Map(runs.map((r) => [cellKey(r), { setup: r.setup, replicas: r.replicas }])).values()];
}

function sameRuns(base: ComparisonSide, candidate: ComparisonSide): Findings {
  if (base.file !== candidate.file || base.variant !== candidate.variant) return {};
  return {
    refusals: [
      `baseline and candidate are the same runs (${base.file}${base.variant ? `, variant ${base.variant}` : ''}); pass two results files, or one A/B file holding a "base" and a "candidate" variant.`,
    ],
  };
}

function loadPlans(base: Results, candidate: Results): Findings {
  const planDiffs = LOAD_SHAPE.filter((k) => show(base.plan[k]) !== show(candidate.plan[k])).map(
    (k) => `${k}: ${show(base.plan[k])} (base) vs ${show(candidate.plan[k])} (candidate)`,
  );
  if (planDiffs.length > 0) {
    return {
      refusals: [
        `the two files ran different load plans, so their numbers measure different things: ${planDiffs.join('; ')}. Re-run both sides with the same profile and flags (authscale ab does this for you).`,
      ],
    };
  }
  if (base.plan.profile === candidate.plan.profile) return {};
  return {
    statements: [
      {
        level: 'notice',
        message: `profiles are named differently (${base.plan.profile} vs ${candidate.plan.profile}) but the load plans match; compared.`,
      },
    ],
  };
}

function machines(base: Results, candidate: Results, allowDifferentMachines: boolean): Findings {
  if (machineOf(base) === machineOf(candidate)) return {};
  const text = `results come from different machines (${machineOf(base)} vs ${machineOf(candidate)}): machine differences would be read as code differences.`;
  if (allowDifferentMachines) {
    return {
      statements: [
        {
          level: 'warning',
          message: `${text} Compared anyway (--allow-different-machines): expect more false alarms; CPU per request transfers best.`,
        },
      ],
    };
  }
  return {
    blockers: [`${text} Run both sides on one machine (authscale ab), or pass --allow-different-machines.`],
  };
}

function softwareVersions(be: Environment, ce: Environment): Findings {
  const software = (['node', 'nginx', 'redis'] as const)
    .filter((k) => be.versions[k] !== ce.versions[k])
    .map((k) => `${k} ${be.versions[k] ?? 'none'} vs ${ce.versions[k] ?? 'none'}`);
  if (software.length === 0) return {};
  return {
    statements: [
      {
        level: 'warning',
        message: `different software versions (${software.join(', ')}): a change in the rows may come from them, not from the code.`,
      },
    ],
  };
}

function cpuBudgets(be: Environment, ce: Environment): Findings {
  const budgetKeys = ['enforced', 'cpuPerReplica', 'cfsPeriodUs', 'cgroupVersion'] as const;
  const budgetDiffs = budgetKeys
    .filter((k) => be.budgets[k] !== ce.budgets[k])
    .map((k) => `${k} ${show(be.budgets[k])} vs ${show(ce.budgets[k])}`);
  if (budgetDiffs.length > 0) {
    return {
      blockers: [
        `CPU budgets differ (${budgetDiffs.join(', ')}): the replicas had different CPU to work with. Re-run both sides with the same budget.`,
      ],
    };
  }
  if (be.budgets.enforced) return {};
  return {
    statements: [
      {
        level: 'warning',
        message: `CPU budgets were not enforced on either side (${be.budgets.reason ?? 'no reason given'}): replicas and the load generator shared cores, so throughput and latency carry more noise.`,
      },
    ],
  };
}

function calibrationKnobs(be: Environment, ce: Environment): Findings {
  const knobs = new Set(
    [be.calibration, ce.calibration]
      .filter((c) => c !== null)
      .map((c) =>
        Object.entries(c!)
          .map(([k, v]) => `${k}=${v}`)
          .join(', '),
      ),
  );
  if (knobs.size === 0) return {};
  return {
    statements: [
      {
        level: 'notice',
        message: `calibration knob on (${[...knobs].join('; ')}): these numbers include an injected cost, as in the gate's own calibration.`,
      },
    ],
  };
}

function interruptions(sides: readonly ComparisonSide[]): Findings {
  return {
    statements: sides
      .filter((side) => side.results.interrupted)
      .map((side) => ({
        level: 'warning' as const,
        message: `the ${side.label} file (${side.file}) is from an interrupted run: only its finished runs are compared.`,
      })),
  };
}

function pairing(paired: boolean): Findings {
  if (paired) return {};
  return {
    statements: [
      {
        level: 'notice',
        message:
          'runs are unpaired (not interleaved in one job): rank-sum test on the runs; drift between the two jobs reads as a change. authscale ab pairs runs and is the recommended CI use.',
      },
    ],
  };
}

/** The cells run on both sides, and a statement for each side's leftovers. */
function commonCells(base: ComparisonSide, candidate: ComparisonSide): Findings & { common: Cell[] } {
  const baseKeys = cellsOf(base.runs);
  const candidateKeys = new Set(cellsOf(candidate.runs).map(cellKey));
  const common = baseKeys.filter((k) => candidateKeys.has(cellKey(k)));
  const onlyBase = baseKeys.filter((k) => !candidateKeys.has(cellKey(k))).map(cellKey);
  const onlyCandidate = [...candidateKeys].filter((k) => !baseKeys.some((b) => cellKey(b) === k));
  const statements: Statement[] = [];
  if (onlyBase.length > 0)
    statements.push({ level: 'notice', message: `only in the base, not compared: ${onlyBase.join(', ')}` });
  if (onlyCandidate.length > 0)
    statements.push({
      level: 'notice',
      message: `only in the candidate, not compared: ${onlyCandidate.join(', ')}`,
    });
  const nothingInCommon = `no setup and replica count was run on both sides (base: ${baseKeys.map(cellKey).join(', ') || 'no runs'}; candidate: ${[...candidateKeys].join(', ') || 'no runs'}). Run the same --setups and --replicas on both.`;
  return { common, statements, refusals: common.length === 0 ? [nothingInCommon] : [] };
}

export function checkComparability(
  base: ComparisonSide,
  candidate: ComparisonSide,
  opts: { allowDifferentMachines: boolean },
): Comparability {
  const be = base.results.environment;
  const ce = candidate.results.environment;
  const paired = base.results.abGroup !== null && base.results.abGroup === candidate.results.abGroup;
  const cells = commonCells(base, candidate);
  const findings: Findings[] = [
    sameRuns(base, candidate),
    loadPlans(base.results, candidate.results),
    machines(base.results, candidate.results, opts.allowDifferentMachines),
    softwareVersions(be, ce),
    cpuBudgets(be, ce),
    calibrationKnobs(be, ce),
    interruptions([base, candidate]),
    pairing(paired),
    { statements: cells.statements },
  ];
  const refusals = findings.flatMap((f) => f.refusals ?? []);
  // "Nothing in common" only when no other refusal already explains why.
  if (refusals.length === 0) refusals.push(...(cells.refusals ?? []));
  return {
    refusals,
    blockers: findings.flatMap((f) => f.blockers ?? []),
    statements: findings.flatMap((f) => f.statements ?? []),
    paired,
    common: cells.common,
  };
}
