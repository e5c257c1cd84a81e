/**
 * The topology launcher: a private Redis when the setup needs one, N API
 * replicas, nginx in front, CPU budgets around them, run by one of the
 * runtimes (infra/runtime: processes by default, or Docker containers).
 * Everything it starts is recorded (infra/runs), and stop() (or the parent's
 * death, or a crash of any part) ends exactly that and removes its directory
 * and cgroups.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunRecord } from './runs/run.record';
import { sweepDeadRuns } from './runs/run.sweep';
import { startWatchdog, type Watchdog } from './runs/run.watchdog';
import { startProcessRuntime } from './runtime/process.runtime';
import type { RuntimeName } from './runtime/runtime.names';
import type { RuntimeStartContext, TopologyRuntime } from './runtime/runtime.types';
import { validateTopologyOptions } from './topology.options';
import { TopologyRun } from './topology.run';
import { runningTopology } from './topology.handle';
import { writeTopologySecrets } from './topology.secrets';
import type { RunningTopology, TopologyOptions } from './topology.types';

export { validateTopologyOptions } from './topology.options';
export { defaultApiEntry } from './runtime/process.runtime';

/** The Docker runtime loads testcontainers: only when asked for. */
const RUNTIMES: Record<RuntimeName, (ctx: RuntimeStartContext) => Promise<TopologyRuntime>> = {
  process: startProcessRuntime,
  docker: (ctx) => import('./docker/docker.runtime').then((m) => m.startDockerRuntime(ctx)),
};

/** Secrets as files in the run directory, plus the setup's and the caller's environment. */
function replicaEnvironment(options: TopologyOptions, runDir: string): Record<string, string> {
  const callerEnv: Record<string, string> = { ...options.setup.appEnv, ...(options.appEnv ?? {}) };
  const secrets = writeTopologySecrets(runDir, callerEnv.JWT_ALG);
  // A caller that brings its own secret (NAME or NAME_FILE) keeps it: the API refuses both at once.
  for (const key of Object.keys(secrets)) {
    if (callerEnv[key] !== undefined || callerEnv[key.replace(/_FILE$/, '')] !== undefined)
      delete secrets[key];
  }
  return { NODE_ENV: 'production', HOST: '127.0.0.1', ...secrets, ...callerEnv };
}

export async function startTopology(options: TopologyOptions): Promise<RunningTopology> {
  validateTopologyOptions(options);
  // What killed runs left (their owner and watchdog gone), before anything new starts.
  sweepDeadRuns();
  const record = new RunRecord();
  const runDir = mkdtempSync(join(tmpdir(), 'authscale-topology-'));
  record.addDir(runDir);
  const watchdog: Watchdog | null = startWatchdog(record.file);
  try {
    const replicaEnv = replicaEnvironment(options, runDir);
    const ctx = { options, runDir, readyTimeoutMs: options.readyTimeoutMs ?? 20000, record };
    const runtime = await RUNTIMES[options.runtime ?? 'process'](ctx);
    const run = new TopologyRun(options, runtime, runDir, replicaEnv, record, watchdog);
    await run.startAll();
    return runningTopology(run);
  } catch (err) {
    // startAll() has stopped what it started; a runtime that could not start leaves only these (idempotent).
    rmSync(runDir, { recursive: true, force: true });
    record.remove();
    await watchdog?.release();
    throw err;
  }
}
