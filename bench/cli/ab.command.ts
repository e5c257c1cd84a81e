/**
 * `authscale ab --base <git-ref>`: the recommended CI use of the gate. Builds
 * the base revision in a temporary worktree, runs base and candidate
 * interleaved in one job, compares the pairs, cleans up. Same exit codes as
 * `compare` (0 pass, 1 regression, 2 bad usage, 3 invalid/inconclusive, 4
 * environment, 130 interrupted).
 */
import type { Command } from 'commander';
import { UsageError } from '../../infra/errors';
import { buildPlan, type PlanFlags } from '../plan/plan.build';
import { describeAbJob, runAbJob } from '../ab/ab.job';
import { addGateFlags, gateOptionsFrom, type GateFlags } from './gate.flags';
import { ExitCode, exitCodeForVerdict } from './exit-codes';
import { withInterrupts } from './interrupt.handler';

/** What the gate runs unless told otherwise: see docs/regression-gate.md for why. */
export const AB_DEFAULTS = {
  setups: 'jwt,session-redis',
  replicas: '2',
  runs: '10',
  out: 'reports/ab',
} as const;

interface AbFlags
  extends
    GateFlags,
    Pick<
      PlanFlags,
      | 'profile'
      | 'setups'
      | 'replicas'
      | 'connections'
      | 'warmup'
      | 'maxWarmup'
      | 'duration'
      | 'cpuPerReplica'
    > {
  base?: string;
  runs?: string;
  out?: string;
  build?: boolean;
  dryRun?: boolean;
}

export function registerAbCommand(program: Command): void {
  const cmd = program
    .command('ab')
    .description(
      'Build a base git revision beside this checkout, run both interleaved on the same topology, and gate on the difference.',
    )
    .option(
      '--base <git-ref>',
      'revision to compare against (branch, tag, sha; e.g. HEAD~1 or the merge base)',
    )
    .option('--profile <name>', 'load profile whose settings both sides run with', 'quick')
    .option('--setups <list>', 'setups to gate, comma-separated', AB_DEFAULTS.setups)
    .option('--replicas <list>', 'replica counts to gate, comma-separated', AB_DEFAULTS.replicas)
    .option('--runs <n>', 'interleaved pairs per setup and replica count', AB_DEFAULTS.runs)
    .option('--connections <n>', "override the profile's connections")
    .option('--warmup <s>', "override the profile's least warm-up seconds")
    .option(
      '--max-warmup <s>',
      "override the profile's longest warm-up (0: fixed --warmup, no steady-state rule)",
    )
    .option('--duration <s>', "override the profile's measured seconds per run")
    .option(
      '--cpu-per-replica <cpus>',
      'override the profile\'s CPU budget per replica ("none" for no budget)',
    )
    .option('--out <dir>', 'where results.json, the report and comparison.{json,md} go', AB_DEFAULTS.out)
    .option('--no-build', 'use the candidate as already built (default: build it first)')
    .option('--dry-run', 'resolve the base and the plan, say what would run, run nothing');
  addGateFlags(cmd).action(async (flags: AbFlags) => {
    const problems: string[] = [];
    if (!flags.base)
      problems.push(
        '--base <git-ref> is required: the revision to compare against, e.g. --base HEAD~1 or --base origin/main.',
      );
    let plan;
    let gate;
    try {
      plan = buildPlan({
        profile: flags.profile,
        setups: flags.setups,
        replicas: flags.replicas,
        repetitions: flags.runs,
        connections: flags.connections,
        warmup: flags.warmup,
        maxWarmup: flags.maxWarmup,
        duration: flags.duration,
        cpuPerReplica: flags.cpuPerReplica,
      });
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
      problems.push(...err.problems.map((p) => p.replace('--repetitions', '--runs')));
    }
    try {
      gate = gateOptionsFrom(flags);
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
      problems.push(...err.problems);
    }
    if (plan && gate && plan.repetitions < gate.minRuns) {
      problems.push(
        `--runs ${plan.repetitions} is below --min-runs ${gate.minRuns}: every row would be INVALID. Use --runs ${gate.minRuns} or more (10 is the default for a reason: see docs/regression-gate.md).`,
      );
    }
    if (problems.length > 0 || !plan || !gate || !flags.base) throw new UsageError(problems);
    const options = {
      base: flags.base,
      plan,
      gate,
      outDir: flags.out ?? AB_DEFAULTS.out,
      buildCandidate: flags.build !== false,
      json: flags.json === true,
    };
    if (flags.dryRun) {
      process.stdout.write(`${describeAbJob(options)}\n`);
      return;
    }
    const log = (line: string) => void process.stderr.write(`ab: ${line}\n`);
    const result = await withInterrupts(log, (signal) => runAbJob(options, signal));
    process.exitCode =
      result.interrupted || result.comparison === null
        ? ExitCode.interrupted
        : exitCodeForVerdict(result.comparison.verdict, gate.failOnInconclusive);
  });
}
