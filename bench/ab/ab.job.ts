/**
 * `authscale ab`: base and candidate built side by side, run interleaved in
 * one job on the same topology settings (the bench runner alternates which
 * variant goes first: ABBA), compared as pairs, and cleaned up.
 *
 * Output directory (default reports/ab): results.json (both variants, one
 * abGroup), index.html + report.md (the usual report), comparison.json and
 * comparison.md (the gate).
 */
import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { EnvironmentError } from '../../infra/errors';
import { apiEntryOf } from '../../infra/package.root';
import type { Plan, Results } from '../results/results.schema';
import { writeResults, RESULTS_FILE_NAME } from '../results/results.io';
import { runBench, type BenchProgress } from '../runner/bench.runner';
import { writeReports } from '../report/report.writer';
import {
  buildCheckout,
  describeCandidate,
  prepareBase,
  repositoryRoot,
  resolveCommit,
  type BaseCheckout,
} from './ab.worktree';
import { compareSides } from '../gate/compare.engine';
import type { CompareOptions } from '../gate/compare.options';
import { emitComparison, writeComparisonFiles } from '../gate/compare.output';
import { BASE_VARIANT, CANDIDATE_VARIANT, sideFrom } from '../gate/compare.sides';
import type { Comparison } from '../gate/compare.types';
import { estimateRunSeconds } from '../plan/plan.schedule';

export interface AbJobOptions {
  base: string;
  plan: Plan;
  gate: CompareOptions;
  outDir: string;
  /** Build the candidate (this checkout) first; off when the caller just built it. */
  buildCandidate: boolean;
  json: boolean;
  /** Directory inside the candidate's git repository (default: the working directory). */
  cwd?: string;
  log?: (line: string) => void;
}

export interface AbJobResult {
  /** Stopped by a signal: the partial results were written, nothing was compared. */
  interrupted: boolean;
  comparison: Comparison | null;
  resultsFile: string | null;
}

/** What the job would do, without doing it (--dry-run; also how the workflow test checks its command line). */
export function describeAbJob(o: AbJobOptions): string {
  const root = repositoryRoot(o.cwd ?? process.cwd());
  const sha = resolveCommit(root, o.base);
  const runs = o.plan.setups.length * o.plan.replicas.length * o.plan.repetitions * 2;
  const minutes = (runs * estimateRunSeconds(o.plan)) / 60;
  return [
    `base:      ${o.base} = ${sha.slice(0, 12)} (built in a temporary git worktree)`,
    `candidate: the working tree of ${root}${o.buildCandidate ? ' (built first)' : ' (as built)'}`,
    `plan:      ${o.plan.profile}: ${o.plan.setups.join(', ')} x ${o.plan.replicas.join(', ')} replicas, ${o.plan.repetitions} pairs, ${o.plan.connections} connections, ${o.plan.warmupSeconds}s warm-up + ${o.plan.durationSeconds}s window, ${o.plan.cpuPerReplica ?? 'no'} CPU per replica`,
    `runs:      ${runs} (about ${Math.ceil(minutes)} minutes)`,
    `output:    ${resolve(o.outDir)}`,
  ].join('\n');
}

function progressLine(event: BenchProgress): string | null {
  if (event.kind === 'run-start') {
    const r = event.run;
    return `ab: [${event.index + 1}/${event.total}] ${r.variant.name} ${r.setup} x${r.replicas} pair ${r.repetition + 1} (about ${Math.ceil(event.etaSeconds / 60)} min left)`;
  }
  if (event.kind === 'run-end' && !event.result.valid)
    return `ab: run ${event.result.id} invalid: ${event.result.invalidReasons.join('; ')}`;
  return null;
}

/** The candidate's API entry: built first, or as already built. */
async function candidateEntryOf(root: string, build: boolean): Promise<string> {
  const entry = build ? await buildCheckout(root, 'candidate') : apiEntryOf(root);
  if (entry === null)
    throw new EnvironmentError(
      `the candidate at ${root} is not built: run \`npm run build\` first, or drop --no-build.`,
    );
  return entry;
}

/** Both variants interleaved in one bench job; results.json written to the output folder. */
async function runPairs(
  o: AbJobOptions,
  base: BaseCheckout,
  candidateEntry: string,
  signal: AbortSignal,
  log: (line: string) => void,
): Promise<{ file: string; results: Results }> {
  const results = await runBench({
    plan: o.plan,
    variants: [
      { name: BASE_VARIANT, apiEntry: base.apiEntry, appEnv: {} },
      { name: CANDIDATE_VARIANT, apiEntry: candidateEntry, appEnv: {} },
    ],
    abGroup: `ab-${randomUUID()}`,
    signal,
    onProgress: (e) => {
      const line = progressLine(e);
      if (line) log(line);
    },
  });
  // The environment describes the candidate checkout; say which base it ran against.
  results.notes.push(
    `A/B job: base ${o.base} = ${base.sha} (dependencies ${base.dependencies}) vs the candidate working tree.`,
  );
  const file = join(o.outDir, RESULTS_FILE_NAME);
  writeResults(file, results);
  log(`ab: results written to ${file}`);
  return { file, results };
}

/** The usual report; a convenience here, so a failure to render it is logged, never thrown. */
async function writeReportQuietly(file: string, log: (line: string) => void): Promise<void> {
  try {
    const reports = await writeReports(file);
    log(`ab: report written to ${reports.html}`);
  } catch (err) {
    // The gate's verdict must not depend on the report.
    log(
      `ab: the report could not be rendered (${(err as Error).message}); the comparison follows regardless`,
    );
  }
}

/** The paired comparison, with both revisions named and uncommitted candidate changes stated. */
function compareAb(
  o: AbJobOptions,
  file: string,
  results: Results,
  baseSha: string,
  root: string,
): Comparison {
  const comparison = compareSides(
    sideFrom('base', file, results, BASE_VARIANT, BASE_VARIANT),
    sideFrom('candidate', file, results, CANDIDATE_VARIANT, CANDIDATE_VARIANT),
    o.gate,
  );
  comparison.base.revision = baseSha;
  const candidate = describeCandidate(root);
  comparison.candidate.revision = candidate.sha;
  if (candidate.dirty)
    comparison.statements.push({
      level: 'notice',
      message: `the candidate is the working tree of ${root}, including uncommitted changes on top of ${candidate.sha?.slice(0, 12) ?? 'HEAD'}.`,
    });
  return comparison;
}

export async function runAbJob(o: AbJobOptions, signal: AbortSignal): Promise<AbJobResult> {
  const log = o.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const root = repositoryRoot(o.cwd ?? process.cwd());
  const candidateEntry = await candidateEntryOf(root, o.buildCandidate);
  let base: BaseCheckout | null = null;
  try {
    base = await prepareBase(root, o.base, log);
    const { file, results } = await runPairs(o, base, candidateEntry, signal, log);
    if (results.interrupted) return { interrupted: true, comparison: null, resultsFile: file };
    await writeReportQuietly(file, log);
    const comparison = compareAb(o, file, results, base.sha, root);
    writeComparisonFiles(comparison, o.outDir);
    emitComparison(comparison, { json: o.json });
    return { interrupted: false, comparison, resultsFile: file };
  } finally {
    if (base) {
      await base.remove();
      log('ab: base worktree removed');
    }
  }
}
