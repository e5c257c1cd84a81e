/**
 * The gate's proof, measured: repeated A/B jobs of this checkout against
 * itself, with the calibration knob (CALIBRATION_CPU_US, docs/api-contract.md)
 * injecting a known CPU cost per request on one side.
 *
 *   node dist/bench/compare/calibrate.js --aa 20 --detect 10 --improve 5
 *
 * The knob is not proportional (34, 67 and 200 us added a median 72, 148 and
 * 356 us of CPU per request in the first proof), and a 5-pair probe at the
 * size of a 10% injection is too noisy to measure its slope. So the probe
 * runs at 200 us, and --knob-efficiency can replace its slope with one
 * measured at the injection sizes by an earlier proof; calibration.json says
 * which was used. --max-minutes starts no comparison after that budget; the
 * round-robin order keeps the kinds balanced when it stops.
 *
 * Writes to --out (default reports/calibration):
 *   calibration.json   the settings and the measured CPU per request the
 *                      injected fractions are taken of
 *   outcomes.jsonl     one line per finished trial (raw verdicts, appended as
 *                      they finish, so an interrupted run keeps its work)
 *   trials/<n>-<kind>/ results.json and comparison.{json,md} of each trial
 *   summary.md         FAIL rates with Clopper-Pearson 95% intervals
 * Re-running with the same --out resumes where it stopped, and runs only what
 * the new counts add (e.g. --aa 40 after a --aa 20 proof runs 20 more).
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { UsageError, CliError } from '../cli/errors';
import { ExitCode } from '../cli/exit-codes';
import { buildPlan } from '../plan/plan.build';
import { RESULTS_FILE_NAME, writeResults } from '../results/results.io';
import type { Plan, Results } from '../results/results.schema';
import { runBench } from '../runner/bench.runner';
import type { Variant } from '../scenarios/scenario.types';
import {
  DEFAULT_FRACTIONS,
  knobsFor,
  remainingCounts,
  renderSummary,
  scheduleTrials,
  summarise,
  type TrialOutcome,
  type TrialSpec,
} from './calibration.trials';
import { compareSides } from './compare.engine';
import { DEFAULT_OPTIONS } from './compare.options';
import { writeComparisonFiles } from './compare.output';
import { sideFrom } from './compare.sides';
import { median } from './ranks.stats';
import { measureKnobResponse, PROBE_PAIRS, PROBE_US } from './calibration.cost';
import { interruptHandler } from './interrupt.util';

interface Settings {
  plan: Plan;
  counts: { aa: number; detect: number; improve: number };
  fractions: number[];
  /** Replica CPU microseconds per request the injected fractions are taken of. */
  costUs: number;
  /** Measured CPU microseconds the knob adds per knob microsecond (absent in files from before it was measured: 1). */
  knobEfficiency?: number;
  /** The probe's own slope; differs from knobEfficiency when --knob-efficiency overrode it (absent in older files: the probe's slope is knobEfficiency). */
  probeEfficiency?: number;
  startedAt: string;
}

const log = (line: string) => void process.stderr.write(`calibrate: ${line}\n`);

/** Where the knob's slope came from, derived from the two slopes a calibration keeps. */
function efficiencySource(s: Pick<Settings, 'knobEfficiency' | 'probeEfficiency'>): string {
  const probe = `measured by ${PROBE_PAIRS} pairs at ${PROBE_US} us`;
  if (s.probeEfficiency === undefined || s.probeEfficiency === s.knobEfficiency) return probe;
  return `given by --knob-efficiency; the probe ${probe} found ${s.probeEfficiency.toFixed(2)}`;
}

function variant(name: string, knobUs: number): Variant {
  return { name, appEnv: knobUs > 0 ? { CALIBRATION_CPU_US: String(knobUs) } : {} };
}

async function abJob(
  plan: Plan,
  knobs: { base: number; candidate: number },
  signal: AbortSignal,
): Promise<Results> {
  return runBench({
    plan,
    variants: [variant('base', knobs.base), variant('candidate', knobs.candidate)],
    abGroup: `calibrate-${randomUUID()}`,
    signal,
  });
}

function readOutcomes(file: string): TrialOutcome[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as TrialOutcome);
}

function writeSummary(out: string, settings: Settings, outcomes: TrialOutcome[]): string {
  const seconds = outcomes.map((o) => o.seconds);
  const p = settings.plan;
  const context = [
    `Calibration of the gate: ${p.setups.join(', ')} x${p.replicas.join(', ')}, profile ${p.profile} settings (${p.connections} connections, ${p.warmupSeconds}s warm-up + ${p.durationSeconds}s window, ${p.cpuPerReplica ?? 'no'} CPU per replica), ${p.repetitions} interleaved pairs per comparison, default gate options.`,
    `Injected fractions are of the measured API CPU per request, ${settings.costUs.toFixed(0)} us, with the knob scaled by its effect (${(settings.knobEfficiency ?? 1).toFixed(2)} us of CPU per knob us${settings.knobEfficiency === undefined ? ': not measured, taken as exact' : `, ${efficiencySource(settings)}`}). Started ${settings.startedAt}; ${outcomes.length} comparisons, median ${seconds.length ? (median(seconds) / 60).toFixed(1) : 'n/a'} min each.`,
  ].join('\n');
  const text = renderSummary(summarise(outcomes), context);
  writeFileSync(join(out, 'summary.md'), text);
  return text;
}

async function calibrate(flags: Record<string, string | undefined>): Promise<number> {
  const out = flags.out ?? 'reports/calibration';
  const problems: string[] = [];
  const count = (name: string, fallback: number) => {
    const n = Number(flags[name] ?? fallback);
    if (!Number.isInteger(n) || n < 0 || n > 1000)
      problems.push(`--${name} ${flags[name]}: use a whole number from 0 to 1000`);
    return n;
  };
  const counts = { aa: count('aa', 20), detect: count('detect', 10), improve: count('improve', 5) };
  const givenEfficiency = flags.knobEfficiency === undefined ? undefined : Number(flags.knobEfficiency);
  if (givenEfficiency !== undefined && !(givenEfficiency > 0 && givenEfficiency <= 10)) {
    problems.push(
      `--knob-efficiency ${flags.knobEfficiency}: CPU microseconds added per knob microsecond, a number above 0 and at most 10 (e.g. 2.12)`,
    );
  }
  const maxMinutes = flags.maxMinutes === undefined ? Infinity : Number(flags.maxMinutes);
  if (!(maxMinutes > 0)) problems.push(`--max-minutes ${flags.maxMinutes}: a number of minutes above 0`);
  const fractions = (flags.fractions ?? DEFAULT_FRACTIONS.join(',')).split(',').map((f) => Number(f.trim()));
  if (fractions.some((f) => !(f > 0 && f < 1)))
    problems.push(
      `--fractions ${flags.fractions}: comma-separated fractions between 0 and 1, e.g. 0.05,0.1,0.2`,
    );
  let plan: Plan | null = null;
  try {
    plan = buildPlan({
      profile: flags.profile ?? 'quick',
      setups: flags.setup ?? 'jwt',
      replicas: flags.replicas ?? '2',
      repetitions: flags.runs ?? '10',
    });
  } catch (err) {
    // The plan reader names its own flags; say ours.
    if (err instanceof UsageError)
      problems.push(
        ...err.problems.map((m) => m.replace('--setups', '--setup').replace('--repetitions', '--runs')),
      );
    else throw err;
  }
  if (problems.length > 0 || plan === null) throw new UsageError(problems);
  mkdirSync(out, { recursive: true });
  const settingsFile = join(out, 'calibration.json');
  const outcomesFile = join(out, 'outcomes.jsonl');

  const controller = new AbortController();
  const stop = interruptHandler(controller, log);
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    let settings: Settings;
    if (existsSync(settingsFile)) {
      settings = JSON.parse(readFileSync(settingsFile, 'utf8')) as Settings;
      if (JSON.stringify(settings.plan) !== JSON.stringify(plan)) {
        throw new UsageError([
          `${out} holds a calibration with another plan (${settings.plan.setups.join(',')} x${settings.plan.replicas.join(',')}, ${settings.plan.repetitions} pairs): its outcomes cannot be pooled with this one. Use another --out, or the same --setup/--replicas/--runs/--profile.`,
        ]);
      }
      if (givenEfficiency !== undefined && givenEfficiency !== settings.knobEfficiency) {
        throw new UsageError([
          `${out} injected with a knob efficiency of ${settings.knobEfficiency ?? 1}, not ${givenEfficiency}: its outcomes cannot be pooled with other injection sizes. Use another --out, or drop --knob-efficiency.`,
        ]);
      }
      settings = { ...settings, counts, fractions };
      writeFileSync(settingsFile, `${JSON.stringify(settings, null, 2)}\n`);
      log(`resuming ${out}: cost ${settings.costUs.toFixed(0)} us per request`);
    } else {
      log(
        `measuring the API CPU per request and the knob's real effect (${PROBE_PAIRS} pairs, knob off vs ${PROBE_US} us)`,
      );
      const response = await measureKnobResponse(plan, controller.signal);
      if (controller.signal.aborted) return ExitCode.interrupted;
      settings = {
        plan,
        counts,
        fractions,
        costUs: response.costUs,
        knobEfficiency: givenEfficiency ?? response.knobEfficiency,
        probeEfficiency: response.knobEfficiency,
        startedAt: new Date().toISOString(),
      };
      writeFileSync(settingsFile, `${JSON.stringify(settings, null, 2)}\n`);
      log(
        `API CPU per request ${response.costUs.toFixed(0)} us; the knob adds ${settings.knobEfficiency!.toFixed(2)} us of it per knob us (${efficiencySource(settings)}): injecting ${settings.fractions.map((f) => `${Math.round((f * response.costUs) / settings.knobEfficiency!)} us`).join(', ')}`,
      );
    }
    const regression = Object.fromEntries(settings.fractions.map((f) => [String(f), settings.counts.detect]));
    const outcomes = readOutcomes(outcomesFile);
    const schedule: TrialSpec[] = scheduleTrials(
      remainingCounts({ aa: settings.counts.aa, regression, improvement: settings.counts.improve }, outcomes),
    );
    const firstIndex = outcomes.reduce((max, o) => Math.max(max, o.index + 1), 0);
    const deadline = Date.now() + maxMinutes * 60_000;
    for (const [position, trial] of schedule.entries()) {
      const index = firstIndex + position;
      if (controller.signal.aborted) break;
      if (Date.now() >= deadline) {
        log(
          `--max-minutes ${maxMinutes} reached: ${schedule.length - position} comparisons not started (run again with the same --out to add them)`,
        );
        break;
      }
      const knobs = knobsFor(trial, settings.costUs, settings.knobEfficiency ?? 1);
      const label = `${index}-${trial.kind}${trial.fraction ? `-${Math.round(trial.fraction * 100)}` : ''}`;
      log(
        `[${position + 1}/${schedule.length}] ${label}: knob base ${knobs.base} us, candidate ${knobs.candidate} us`,
      );
      const started = Date.now();
      const results = await abJob(settings.plan, knobs, controller.signal);
      if (results.interrupted) break;
      const dir = join(out, 'trials', label);
      const file = join(dir, RESULTS_FILE_NAME);
      writeResults(file, results);
      const comparison = compareSides(
        sideFrom('base', file, results, 'base', 'base'),
        sideFrom('candidate', file, results, 'candidate', 'candidate'),
        DEFAULT_OPTIONS,
      );
      writeComparisonFiles(comparison, dir);
      const cpuRow = comparison.rows.find((r) => r.metric === 'cpu') ?? null;
      const outcome: TrialOutcome = {
        index,
        kind: trial.kind,
        fraction: trial.fraction,
        knobs,
        verdict: comparison.verdict,
        cpuVerdict: cpuRow?.verdict ?? null,
        cpuChange: cpuRow?.change?.value ?? null,
        seconds: (Date.now() - started) / 1000,
        resultsFile: file,
      };
      appendFileSync(outcomesFile, `${JSON.stringify(outcome)}\n`);
      outcomes.push(outcome);
      log(
        `${label}: ${comparison.verdict} (API CPU ${outcome.cpuChange === null ? 'n/a' : `${(outcome.cpuChange * 100).toFixed(1)}%`}) in ${outcome.seconds.toFixed(0)} s`,
      );
    }
    process.stdout.write(writeSummary(out, settings, outcomes));
    return controller.signal.aborted ? ExitCode.interrupted : ExitCode.ok;
  } finally {
    process.removeListener('SIGINT', stop);
    process.removeListener('SIGTERM', stop);
  }
}

export async function calibrateMain(argv: string[]): Promise<number> {
  const program = new Command('calibrate')
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
    .exitOverride();
  try {
    program.parse(argv);
    return await calibrate(program.opts());
  } catch (err) {
    if (err instanceof CliError) {
      process.stderr.write(`calibrate: ${err.message}\n`);
      return err.exitCode;
    }
    const code = (err as { code?: string }).code;
    if (code === 'commander.helpDisplayed' || code === 'commander.version') return ExitCode.ok;
    if (code?.startsWith('commander.')) return ExitCode.usage;
    throw err;
  }
}

if (require.main === module) {
  calibrateMain(process.argv).then((code) => {
    process.exitCode = code;
  });
}
