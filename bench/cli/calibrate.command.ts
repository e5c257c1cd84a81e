/**
 * `authscale calibrate`: the gate's proof (bench/calibrate/calibrate.job.ts).
 * This file reads and checks the flags, all at once, and maps the outcome to
 * an exit code; the job itself knows nothing of either.
 */
import type { Command } from 'commander';
import { UsageError } from '../../infra/errors';
import { runCalibration } from '../calibrate/calibrate.job';
import type { CalibrationRequest } from '../calibrate/calibration.settings';
import { DEFAULT_FRACTIONS } from '../calibrate/calibration.trials';
import { buildPlan } from '../plan/plan.build';
import type { Plan } from '../results/results.schema';
import { ExitCode } from './exit-codes';
import { withInterrupts } from './interrupt.handler';
import { readList, readNumber, wholeFrom } from '../plan/flag.values';

interface CalibrateFlags {
  aa: string;
  detect: string;
  improve: string;
  fractions: string;
  runs: string;
  setup: string;
  replicas: string;
  profile: string;
  knobEfficiency?: string;
  maxMinutes?: string;
  out: string;
}

const log = (line: string) => void process.stderr.write(`calibrate: ${line}\n`);

function wholeCount(flags: CalibrateFlags, name: 'aa' | 'detect' | 'improve', problems: string[]): number {
  const rule = { check: wholeFrom(0, 1000), allowed: 'use a whole number from 0 to 1000' };
  return readNumber(`--${name}`, flags[name], rule, problems) ?? 0;
}

const RULES = {
  knobEfficiency: {
    check: (n: number) => n > 0 && n <= 10,
    allowed: 'the CPU microseconds added per knob microsecond, a number above 0 and at most 10 (e.g. 2.12)',
  },
  maxMinutes: { check: (n: number) => n > 0, allowed: 'use a number of minutes above 0' },
  fraction: {
    check: (n: number) => n > 0 && n < 1,
    allowed: 'use comma-separated fractions between 0 and 1, e.g. 0.05,0.1,0.2',
  },
};

function planOf(flags: CalibrateFlags, problems: string[]): Plan | null {
  try {
    return buildPlan({
      profile: flags.profile,
      setups: flags.setup,
      replicas: flags.replicas,
      repetitions: flags.runs,
    });
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    // The plan reader names its own flags; say ours.
    problems.push(
      ...err.problems.map((m) => m.replace('--setups', '--setup').replace('--repetitions', '--runs')),
    );
    return null;
  }
}

/** Every problem with the flags at once, or the request to run. */
export function calibrationRequestFrom(flags: CalibrateFlags): CalibrationRequest {
  const problems: string[] = [];
  const counts = {
    aa: wholeCount(flags, 'aa', problems),
    detect: wholeCount(flags, 'detect', problems),
    improve: wholeCount(flags, 'improve', problems),
  };
  const givenEfficiency = readNumber(
    '--knob-efficiency',
    flags.knobEfficiency,
    RULES.knobEfficiency,
    problems,
  );
  const maxMinutes = readNumber('--max-minutes', flags.maxMinutes, RULES.maxMinutes, problems) ?? Infinity;
  const fractions = readList(flags.fractions).map(
    (f) => readNumber('--fractions', f, RULES.fraction, problems) ?? 0,
  );
  const plan = planOf(flags, problems);
  if (problems.length > 0 || plan === null) throw new UsageError(problems);
  return { plan, counts, fractions, givenEfficiency, maxMinutes, out: flags.out };
}

export function registerCalibrateCommand(program: Command): void {
  program
    .command('calibrate')
    .description(
      'Measure the gate: false alarms (A/A), detection at +5/10/20% CPU per request, and that improvements never FAIL.',
    )
    .option('--aa <n>', 'A/A comparisons', '20')
    .option('--detect <n>', 'comparisons per injected regression size', '10')
    .option('--improve <n>', 'comparisons with an injected improvement', '5')
    .option(
      '--fractions <list>',
      'injected regressions as fractions of the measured cost',
      DEFAULT_FRACTIONS.join(','),
    )
    .option('--runs <n>', 'interleaved pairs per comparison', '10')
    .option('--setup <name>', 'gated setup', 'jwt')
    .option('--replicas <n>', 'replica count', '2')
    .option('--profile <name>', 'load profile', 'quick')
    .option(
      '--knob-efficiency <x>',
      "CPU us the knob adds per knob us, from an earlier proof (default: the probe's)",
    )
    .option('--max-minutes <n>', 'start no comparison after this many minutes')
    .option(
      '--out <dir>',
      'output directory (resumes when it holds an earlier calibration)',
      'reports/calibration',
    )
    .action(async (flags: CalibrateFlags) => {
      const request = calibrationRequestFrom(flags);
      const outcome = await withInterrupts(log, (signal) => runCalibration(request, signal, log));
      if (outcome.summary !== null) process.stdout.write(outcome.summary);
      process.exitCode = outcome.interrupted ? ExitCode.interrupted : ExitCode.ok;
    });
}
