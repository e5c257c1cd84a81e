/**
 * The gate's proof, measured: repeated A/B jobs of this checkout against
 * itself, with the calibration knob (CALIBRATION_CPU_US, docs/api-contract.md)
 * injecting a known CPU cost per request on one side.
 *
 *   authscale calibrate --aa 20 --detect 10 --improve 5
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
import type { Variant } from '../plan/variant';
import { RESULTS_FILE_NAME, writeResults } from '../results/results.io';
import type { Plan, Results } from '../results/results.schema';
import { runBench } from '../runner/bench.runner';
import { compareSides } from '../gate/compare.engine';
import { DEFAULT_OPTIONS } from '../gate/compare.options';
import { writeComparisonFiles } from '../gate/compare.output';
import { sideFrom } from '../gate/compare.sides';
import { median } from '../stats/ranks.stats';
import {
  knobsFor,
  remainingCounts,
  renderSummary,
  scheduleTrials,
  summarise,
  type TrialOutcome,
  type TrialSpec,
} from './calibration.trials';
import {
  efficiencySource,
  loadOrMeasureSettings,
  type CalibrationRequest,
  type Settings,
} from './calibration.settings';

export interface CalibrationOutcome {
  interrupted: boolean;
  /** summary.md as written, for the terminal; null when interrupted before any settings existed. */
  summary: string | null;
}

type Log = (line: string) => void;

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

function labelOf(index: number, trial: TrialSpec): string {
  return `${index}-${trial.kind}${trial.fraction ? `-${Math.round(trial.fraction * 100)}` : ''}`;
}

/** One A/B comparison with the knob set for `trial`; null when interrupted. */
async function runTrial(
  settings: Settings,
  trial: TrialSpec,
  index: number,
  out: string,
  signal: AbortSignal,
): Promise<TrialOutcome | null> {
  const knobs = knobsFor(trial, settings.costUs, settings.knobEfficiency ?? 1);
  const started = Date.now();
  const results = await abJob(settings.plan, knobs, signal);
  if (results.interrupted) return null;
  const dir = join(out, 'trials', labelOf(index, trial));
  const file = join(dir, RESULTS_FILE_NAME);
  writeResults(file, results);
  const comparison = compareSides(
    sideFrom('base', file, results, 'base', 'base'),
    sideFrom('candidate', file, results, 'candidate', 'candidate'),
    DEFAULT_OPTIONS,
  );
  writeComparisonFiles(comparison, dir);
  const cpuRow = comparison.rows.find((r) => r.metric === 'cpu') ?? null;
  return {
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
}

/** Runs what the counts add to the outcomes already in `out`, within the time budget. */
async function runTrials(settings: Settings, request: CalibrationRequest, signal: AbortSignal, log: Log) {
  const outcomesFile = join(request.out, 'outcomes.jsonl');
  const regression = Object.fromEntries(settings.fractions.map((f) => [String(f), settings.counts.detect]));
  const outcomes = readOutcomes(outcomesFile);
  const schedule = scheduleTrials(
    remainingCounts({ aa: settings.counts.aa, regression, improvement: settings.counts.improve }, outcomes),
  );
  const firstIndex = outcomes.reduce((max, o) => Math.max(max, o.index + 1), 0);
  const deadline = Date.now() + request.maxMinutes * 60_000;
  for (const [position, trial] of schedule.entries()) {
    if (signal.aborted) break;
    if (Date.now() >= deadline) {
      log(
        `--max-minutes ${request.maxMinutes} reached: ${schedule.length - position} comparisons not started (run again with the same --out to add them)`,
      );
      break;
    }
    const label = labelOf(firstIndex + position, trial);
    const knobs = knobsFor(trial, settings.costUs, settings.knobEfficiency ?? 1);
    log(
      `[${position + 1}/${schedule.length}] ${label}: knob base ${knobs.base} us, candidate ${knobs.candidate} us`,
    );
    const outcome = await runTrial(settings, trial, firstIndex + position, request.out, signal);
    if (outcome === null) break;
    appendFileSync(outcomesFile, `${JSON.stringify(outcome)}\n`);
    outcomes.push(outcome);
    const cpu = outcome.cpuChange === null ? 'n/a' : `${(outcome.cpuChange * 100).toFixed(1)}%`;
    log(`${label}: ${outcome.verdict} (API CPU ${cpu}) in ${outcome.seconds.toFixed(0)} s`);
  }
  return outcomes;
}

/** The whole calibration: settings (resumed or measured), then the trials, then summary.md. */
export async function runCalibration(
  request: CalibrationRequest,
  signal: AbortSignal,
  log: Log,
): Promise<CalibrationOutcome> {
  mkdirSync(request.out, { recursive: true });
  const settings = await loadOrMeasureSettings(join(request.out, 'calibration.json'), request, signal, log);
  if (settings === null) return { interrupted: true, summary: null };
  const outcomes = await runTrials(settings, request, signal, log);
  return { interrupted: signal.aborted, summary: writeSummary(request.out, settings, outcomes) };
}
