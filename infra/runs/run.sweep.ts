/**
 * Removes what a run whose owner is gone left behind, from its state file
 * (run.record.ts): processes only if their pid still has the recorded start
 * time, containers by id, its directories and cgroups. Used by the run's
 * watchdog the moment the owner dies, and by every start for runs whose
 * watchdog did not get to it. Synchronous: the watchdog has nothing else to
 * do, and a start must not race the sweep.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { startTimeOf } from '../process/proc-tree';
import type { RunState } from './run.record';
import { RUN_LABEL, runsDir } from './run.record';

const DOCKER_RM_TIMEOUT_MS = 60000;
/** How long a killed process may take to be reaped before its cgroup is removed. */
const REAP_WAIT_MS = 5000;
const REAP_POLL_MS = 20;

function readState(file: string): RunState | null {
  try {
    const state = JSON.parse(readFileSync(file, 'utf8')) as RunState;
    return state.version === 1 ? state : null;
  } catch {
    return null;
  }
}

function ownerAlive(state: RunState): boolean {
  return state.owner.startTime !== null && startTimeOf(state.owner.pid) === state.owner.startTime;
}

/** A sleep for this synchronous sweep only: the watchdog and a start's sweep have nothing else to do meanwhile. */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Until every killed process has been reaped (a zombie keeps its cgroup busy), bounded. */
function awaitReaped(killed: readonly { pid: number; startTime: number }[]): void {
  const deadline = Date.now() + REAP_WAIT_MS;
  while (killed.some((p) => startTimeOf(p.pid) === p.startTime) && Date.now() < deadline) pause(REAP_POLL_MS);
}

function killRecorded(state: RunState): number {
  const killed: RunState['processes'] = [];
  for (const p of state.processes) {
    if (startTimeOf(p.pid) !== p.startTime) continue; // exited, or the pid is someone else's now
    try {
      process.kill(p.pid, 'SIGKILL');
      killed.push(p);
    } catch {
      // exited meanwhile
    }
  }
  awaitReaped(killed);
  return killed.length;
}

/** The recorded ids plus any container with this run's label (one still being created when the owner died). */
function removeContainers(state: RunState): void {
  if (!state.dockerCli) return;
  const listed = spawnSync(state.dockerCli, ['ps', '-aq', '--filter', `label=${RUN_LABEL}=${state.runId}`], {
    encoding: 'utf8',
    timeout: DOCKER_RM_TIMEOUT_MS,
  });
  const ids = new Set([...state.containers, ...(listed.stdout ?? '').split('\n').filter(Boolean)]);
  if (ids.size === 0) return;
  spawnSync(state.dockerCli, ['rm', '--force', '--volumes', ...ids], {
    stdio: 'ignore',
    timeout: DOCKER_RM_TIMEOUT_MS,
  });
}

/**
 * A recorded group and the groups under it (all of this run: the group is
 * named after its owner). rmdir only removes a cgroup without tasks.
 */
function removeCgroup(dir: string): void {
  try {
    for (const child of readdirSync(dir, { withFileTypes: true }))
      if (child.isDirectory()) rmdirSync(join(dir, child.name));
    rmdirSync(dir);
  } catch {
    // still busy (a zombie being reaped) or gone: the cgroup sweep of the next budget retries
  }
}

export interface SweepOutcome {
  runId: string;
  processesKilled: number;
  containers: number;
}

/** Sweeps one state file whatever its owner's state (the caller decided it is dead). */
export function sweepRunFile(file: string): SweepOutcome | null {
  const state = readState(file);
  if (!state) return null;
  const processesKilled = killRecorded(state);
  removeContainers(state);
  for (const dir of state.dirs) rmSync(dir, { recursive: true, force: true });
  for (const dir of [...state.cgroups].sort((a, b) => b.length - a.length)) removeCgroup(dir);
  rmSync(file, { force: true });
  try {
    rmdirSync(dirname(file)); // the runs directory, once no other run is recorded there
  } catch {
    // other runs are recorded there
  }
  return { runId: state.runId, processesKilled, containers: state.containers.length };
}

/** Every recorded run whose owner is gone, swept; runs of live owners are left alone. */
export function sweepDeadRuns(dir = runsDir()): SweepOutcome[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
  const outcomes: SweepOutcome[] = [];
  for (const name of names) {
    const file = join(dir, name);
    const state = readState(file);
    if (!state || ownerAlive(state)) continue;
    const outcome = sweepRunFile(file);
    if (outcome) outcomes.push(outcome);
  }
  try {
    rmdirSync(dir);
  } catch {
    // other runs are recorded there
  }
  return outcomes;
}
