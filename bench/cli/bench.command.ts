/**
 * `authscale bench`: plan (profile + flags) -> interleaved runs ->
 * reports/<timestamp>/results.json (+ reports/latest) -> index.html and
 * report.md. Human output on stderr; stdout carries only the paths, or one
 * JSON document with --json. Ctrl-C stops the current run, tears every
 * process down and still writes the partial results (exit 130).
 */
import type { Command } from 'commander';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { UsageError } from '../../infra/errors';
import { ExitCode } from './exit-codes';
import { withInterrupts } from './interrupt.handler';
import { buildPlan, type PlanFlags } from '../plan/plan.build';
import { PROFILE_NAMES } from '../plan/plan.profiles';
import { writeReports } from '../report/report.writer';
import { runBench } from '../runner/bench.runner';
import { DEFAULT_VARIANT } from '../plan/variant';
import { DEFAULT_OUT_DIR, writeBenchResults } from '../runner/results.write';
import { SETUP_NAMES } from '../../infra/setups.data';
import { RUNTIME_NAMES, type RuntimeName } from '../../infra/runtime/runtime.names';
import { progressReporter } from './bench.progress';
import { renderSummaryTable } from './bench.table';
import { moveCpuProfiles } from '../runner/cpu-profile.capture';
import { checkTargetFlags, resolveTarget, targetPlanFlags } from './target.flags';
import type { TargetSpec } from '../plan/target.spec';
import { generatorCapacityWarnings, readShardRun, type ShardCliFlags } from './shard.flags';
import { JOB_INDEX_ENV } from '../plan/shard.plan';
import type { ShardRun } from '../plan/shard.start';

interface BenchCliOptions extends PlanFlags, ShardCliFlags {
  out: string;
  json?: boolean;
  report: boolean;
  appEnv: string[];
  apiEntry?: string;
  runtime?: string;
  apiImage?: string;
  target?: string;
  setup?: string;
  replicaMetrics?: string;
}

const EXAMPLES = `
Examples:
  $ authscale bench                                  # quick profile: every setup at 1 and 2 replicas (~6 min)
  $ authscale bench --profile full                   # 1, 2, 4 replicas, 3 repetitions, then the trade-off scenarios (~35 min)
  $ authscale bench --profile full --scenarios none  # the throughput runs only (~20 min)
  $ authscale bench --setups jwt,session-redis --replicas 1,4 --duration 20
  $ authscale bench --model open --rate 300          # fixed arrival rate, latency from intended send time
  $ authscale bench --setups jwt --slo-p99-ms 50       # highest arrival rate with p99 under 50 ms
  $ authscale bench --setups session-redis --store-rtt 1ms  # Redis 1 ms away (netem, or a delay proxy)
  $ authscale bench --app-env CALIBRATION_CPU_US=200  # calibration knob: +200 us CPU per request
  $ authscale bench --json > summary.json            # machine-readable stdout, progress on stderr
  $ authscale bench --cpu-profile --setups jwt,session-redis --replicas 1   # + one profiled run per cell: CPU by library
  $ authscale bench --target http://10.0.0.5 --setup jwt --replica-metrics http://api-headless:3000/metrics
  $ authscale bench --setups jwt --replicas 2 --shard 1/2 --start-at 2026-12-02T18:00:00Z  # one of two generators; then authscale merge

Setups: ${SETUP_NAMES.join(', ')}
Exit codes: 0 ok, 2 bad flags, 4 environment (missing nginx/redis-server, setup failed verification), 130 interrupted.`;

const collect = (value: string, previous: string[]) => [...previous, value];

/** Flags for measuring what another machine runs, and for splitting the load between generators. */
function withRemoteOptions(command: Command): Command {
  return command
    .option(
      '--target <url>',
      'measure a deployment something else started (its entry URL); see bench/README.md',
    )
    .option('--setup <name>', '--target: the setup the deployment runs (verified before measuring)')
    .option(
      '--replica-metrics <urls>',
      "--target: each replica's /metrics URL (a name with several addresses: one replica each); else CPU is not measured",
    )
    .option(
      '--shard <i/N>',
      `this process drives shard i of N of one run (default: ${JOB_INDEX_ENV} + 1 with --shards N)`,
    )
    .option(
      '--shards <n>',
      `number of shards; the shard comes from ${JOB_INDEX_ENV} (a Kubernetes Indexed Job)`,
    )
    .option(
      '--start-at <time>',
      'sharded: when every shard opens its window (ISO time with zone, or epoch ms)',
    )
    .option('--run-id <id>', 'sharded: the id all shards share (default: plan hash @ start time)');
}

export function registerBenchCommand(program: Command): void {
  const command = program
    .command('bench')
    .description(
      'Benchmark the setups: start each topology, log virtual users in, verify, warm up, measure; write results.json and the report.',
    )
    .option('--profile <name>', `plan to start from: ${PROFILE_NAMES.join(', ')}`, 'quick')
    .option('--setups <list>', 'comma-separated setups, or "all"')
    .option('--replicas <list>', 'comma-separated replica counts, e.g. 1,2,4')
    .option('--model <model>', 'closed (N connections, max throughput) or open (fixed arrival rate)')
    .option('--connections <n>', 'connections = virtual users, each logged in as its own user')
    .option('--rate <rps>', 'open model: arrivals per second across all connections')
    .option(
      '--warmup <seconds>',
      'least warm-up before each measured window; it lasts until the run is steady',
    )
    .option(
      '--max-warmup <seconds>',
      'longest warm-up; a run not steady by then is flagged and left out (0: fixed --warmup, no rule)',
    )
    .option(
      '--relaxed-warmup <seconds>',
      'first seconds of warm-up with the CPU quota lifted (replicas warm faster)',
    )
    .option(
      '--warmup-requests <n>',
      'requests each replica that takes traffic must serve before the window may open',
    )
    .option(
      '--connections-per <replica|total>',
      '--connections per replica (same load per replica at every count) or in total',
    )
    .option('--duration <seconds>', 'measured window per run')
    .option('--repetitions <n>', 'interleaved repetitions of every (setup, replicas) cell')
    .option('--mix <list>', 'request mix as path=weight pairs, e.g. /api/me=3,/api/items=1')
    .option('--cpu-per-replica <cpus>', 'CPU budget per replica (e.g. 0.25), or "none"')
    .option(
      '--scenarios <list>',
      'trade-off scenarios to run after the throughput runs: a list, "all" (~15 min more) or "none"',
    )
    .option(
      '--slo-p99-ms <ms>',
      'also search each cell for the highest arrival rate with p99 under this many ms (throughput at SLO)',
    )
    .option(
      '--store-rtt <rtt>',
      'round trip added to the Redis hop only (e.g. 1ms, 500us; a list runs each): netem or a delay proxy',
    )
    .option(
      '--app-env <KEY=VALUE>',
      'extra environment for every replica (repeatable), e.g. CALIBRATION_CPU_US=200',
      collect,
      [],
    )
    .option(
      '--api-entry <path>',
      'built API entry to benchmark (default: dist/apps/api/main.js of this checkout)',
    )
    .option(
      '--runtime <name>',
      'what runs the topology: process (default) or docker (see `authscale images`)',
    )
    .option('--api-image <tag>', 'docker runtime: the API image (default authscale-api:local)')
    .option(
      '--cpu-profile',
      'also run each cell once with V8 CPU profiles of the replicas over the window (process runtime); kept out of summaries',
    );
  withRemoteOptions(command)
    .option('--out <dir>', 'where <timestamp>/results.json and the latest link go', DEFAULT_OUT_DIR)
    .option('--json', 'print one JSON document on stdout (paths, summaries, warnings)')
    .option('--no-report', 'write results.json only, do not render the report')
    .addHelpText('after', EXAMPLES)
    .action(async (options: BenchCliOptions) => {
      process.exitCode = await benchAction(options);
    });
}

export function parseAppEnv(pairs: readonly string[]): Record<string, string> {
  const env: Record<string, string> = {};
  const problems: string[] = [];
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const key = eq > 0 ? pair.slice(0, eq) : '';
    if (!/^[A-Z][A-Z0-9_]*$/.test(key))
      problems.push(
        `--app-env "${pair}" is invalid: use KEY=VALUE with an upper-case variable name (see docs/api-contract.md).`,
      );
    else env[key] = pair.slice(eq + 1);
  }
  if (problems.length > 0) throw new UsageError(problems);
  return env;
}

async function benchAction(options: BenchCliOptions): Promise<number> {
  // Target flags first: a wrong combination is reported alone, before any name is resolved.
  const checkedTarget = checkTargetFlags(options);
  const target = checkedTarget ? await resolveTarget(checkedTarget) : undefined;
  // Validate everything before starting anything; both lists reported together.
  const problems: string[] = [];
  let plan: ReturnType<typeof buildPlan> | null = null;
  let appEnv: Record<string, string> = {};
  try {
    plan = buildPlan(target ? targetPlanFlags(options, target) : options);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    problems.push(...err.problems);
  }
  try {
    appEnv = parseAppEnv(options.appEnv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    problems.push(...err.problems);
  }
  if (options.runtime !== undefined && !(RUNTIME_NAMES as readonly string[]).includes(options.runtime))
    problems.push(`--runtime "${options.runtime}" is unknown: use one of ${RUNTIME_NAMES.join(', ')}.`);
  if (options.cpuProfile && options.runtime === 'docker')
    problems.push(
      '--cpu-profile works on the process runtime only (it signals each replica by host pid): drop --runtime docker, or drop --cpu-profile.',
    );
  const shard = readShardRun(options, plan, problems);
  if (problems.length > 0 || !plan) throw new UsageError(problems);
  for (const warning of generatorCapacityWarnings(plan, shard?.shard.count ?? 1, options.out))
    process.stderr.write(`warning: ${warning}\n`);
  const cpuProfileDir = plan.cpuProfile ? mkdtempSync(join(tmpdir(), 'authscale-cpuprofiles-')) : undefined;
  try {
    return await measureAndWrite(options, plan, appEnv, { target, cpuProfileDir, shard: shard ?? undefined });
  } finally {
    if (cpuProfileDir) rmSync(cpuProfileDir, { recursive: true, force: true });
  }
}

async function measureAndWrite(
  options: BenchCliOptions,
  plan: NonNullable<ReturnType<typeof buildPlan>>,
  appEnv: Record<string, string>,
  extras: { target?: TargetSpec; cpuProfileDir?: string; shard?: ShardRun },
): Promise<number> {
  const { target, cpuProfileDir, shard } = extras;
  const started = performance.now();
  const log = (line: string) => void process.stderr.write(`\n${line}\n`);
  const results = await withInterrupts(log, (signal) =>
    runBench({
      plan,
      variants: [
        {
          ...DEFAULT_VARIANT,
          appEnv,
          ...(options.apiEntry ? { apiEntry: resolve(options.apiEntry) } : {}),
          ...(options.runtime ? { runtime: options.runtime as RuntimeName } : {}),
          ...(options.apiImage ? { apiImage: options.apiImage } : {}),
          ...(target ? { target } : {}),
        },
      ],
      signal,
      onProgress: progressReporter(),
      cpuProfileDir,
      ...(shard ? { shard } : {}),
    }),
  );
  const suffix = shard ? `-shard${shard.shard.index + 1}of${shard.shard.count}` : '';
  const file = resolve(writeBenchResults(options.out, results, new Date(), suffix));
  if (cpuProfileDir) {
    const moved = moveCpuProfiles(cpuProfileDir, dirname(file));
    process.stderr.write(`cpu profiles: ${moved} in ${join(dirname(file), 'cpuprofiles')}\n`);
  }
  process.stderr.write(`\n${renderSummaryTable(results)}`);
  process.stderr.write(
    `results: ${file} (${((performance.now() - started) / 1000).toFixed(0)} s wall time)\n`,
  );
  let report: { html: string; markdown: string } | null = null;
  if (options.report) {
    try {
      report = await writeReports(file);
      process.stderr.write(`report: ${resolve(report.html)}\n`);
    } catch (err) {
      // The measurements are safe on disk; a rendering problem must not lose them.
      process.stderr.write(
        `report could not be rendered (${(err as Error).message}); render it later with: authscale report ${file}\n`,
      );
    }
  }
  if (options.json) {
    const summaries = results.summaries.map(({ mergedHistogram: _h, ...rest }) => rest);
    process.stdout.write(
      `${JSON.stringify({ results: file, report: report ? resolve(report.html) : null, interrupted: results.interrupted, summaries, warnings: results.warnings })}\n`,
    );
  } else {
    process.stdout.write(`${report ? resolve(report.html) : file}\n`);
  }
  return results.interrupted ? ExitCode.interrupted : ExitCode.ok;
}
