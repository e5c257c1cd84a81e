/**
 * A parent that is SIGKILLed (nothing can catch that: a CI timeout, the OOM
 * killer, `kill -9`) leaves nothing: its children die with it, its watchdog
 * removes nginx's workers, the temp directories and the cgroups; and when
 * the watchdog is killed too, the next start's sweep removes what the
 * state file recorded. Real processes and containers, real SIGKILLs,
 * repeated, on every runtime.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { childPids, isAlive } from '../../../infra/process/proc-tree';
import { sweepDeadRuns } from '../../../infra/runs/run.sweep';
import type { RuntimeName } from '../../../infra/runtime/runtime.names';
import { apiEntry, runtimesUnderTest } from './topology.fixture';
import { cgroupDirsOf, processesMentioning, runContainers, runFiles } from './leftovers';

const DIST = resolve(__dirname, '../../../dist/infra');
const RUN_TIMEOUT_MS = 60000;
const TEST_TIMEOUT_MS = 240000;
const KILLS = 3;

interface Parent {
  child: ChildProcess;
  pids: number[];
  exited: Promise<void>;
}

/** A library user that starts a topology and prints its processes; resolves once they are up. */
async function startParent(tmp: string, runtime: RuntimeName): Promise<Parent> {
  const script = `
    const { startTopology } = require(${JSON.stringify(join(DIST, 'topology.js'))});
    const { findSetup } = require(${JSON.stringify(join(DIST, 'setups.data.js'))});
    startTopology({ setup: findSetup('session-redis'), replicas: 2, cpuPerReplica: 0.5, runtime: '${runtime}', appEnv: { USERS: '200' }${apiEntry() ? `, apiEntry: ${JSON.stringify(apiEntry())}` : ''} })
      .then((t) => console.log(JSON.stringify(t.processes())))
      .catch((err) => console.error(err.message));
    setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['-e', script], {
    env: { ...process.env, TMPDIR: tmp },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const deadline = Date.now() + RUN_TIMEOUT_MS;
  while (!stdout.includes('\n') && Date.now() < deadline && child.exitCode === null)
    await new Promise((r) => setTimeout(r, 50));
  if (!stdout.includes('\n')) {
    child.kill('SIGTERM');
    throw new Error(`the topology did not come up: ${stderr}`);
  }
  const pids = (JSON.parse(stdout.trim()) as { pid: number }[]).map((p) => p.pid);
  return { child, pids, exited };
}

/** Polls (bounded) until nothing of the run is left, or the deadline; returns what is left. */
async function leftovers(
  tmp: string,
  pids: number[],
  parentPid: number,
  containersBefore: readonly string[],
  timeoutMs = 30000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = {
      processes: [...new Set([...pids.filter(isAlive), ...processesMentioning(tmp)])],
      files: runFiles(tmp),
      cgroups: cgroupDirsOf(parentPid),
      containers: runContainers().filter((id) => !containersBefore.includes(id)),
    };
    const clean = Object.values(left).every((list) => list.length === 0);
    if (clean || Date.now() > deadline) return left;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Parts per runtime: Redis, 2 replicas and nginx (its worker a process of its own only outside a container). */
const PARTS: Record<string, number> = { process: 5, docker: 4 };
const NOTHING = { processes: [], files: [], cgroups: [], containers: [] };

describe.each(runtimesUnderTest())(
  'on the %s runtime, a parent SIGKILLed while its topology is up',
  (runtime) => {
    let tmp = '';
    let containersBefore: string[] = [];
    let parent: Parent | null = null;
    beforeEach(() => {
      tmp = mkdtempSync(join(tmpdir(), 'authscale-pdeath-test-'));
      containersBefore = runContainers();
    });
    afterEach(async () => {
      // A failed assertion must not orphan anything: the sweep removes what the state file recorded.
      if (parent && parent.child.exitCode === null && parent.child.signalCode === null) {
        parent.child.kill('SIGKILL');
        await parent.exited;
      }
      sweepDeadRuns(join(tmp, 'authscale-runs'));
      rmSync(tmp, { recursive: true, force: true });
    });

    it(
      `leaves no process, directory or cgroup, ${KILLS} times in a row`,
      async () => {
        for (let round = 1; round <= KILLS; round++) {
          parent = await startParent(tmp, runtime);
          expect(parent.pids.length).toBe(PARTS[runtime]);
          parent.child.kill('SIGKILL');
          await parent.exited;
          const left = await leftovers(tmp, parent.pids, parent.child.pid ?? -1, containersBefore);
          expect({ round, ...left }).toEqual({ round, ...NOTHING });
        }
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'and whose watchdog is SIGKILLed with it: the next start sweeps what the state file recorded',
      async () => {
        parent = await startParent(tmp, runtime);
        const pid = parent.child.pid ?? -1;
        // The watchdog is the parent's only child that is not part of the topology.
        const watchdogs = childPids(pid).filter((p) => !parent?.pids.includes(p));
        expect(watchdogs.length).toBe(1);
        for (const p of [pid, ...watchdogs]) process.kill(p, 'SIGKILL');
        await parent.exited;
        // The direct children died with the parent; nginx's worker, containers and the directories did not.
        expect(readdirSync(tmp).sort()).toEqual(expect.arrayContaining(['authscale-runs']));
        const swept = sweepDeadRuns(join(tmp, 'authscale-runs'));
        expect(swept.length).toBe(1);
        const left = await leftovers(tmp, parent.pids, pid, containersBefore);
        expect(left).toEqual(NOTHING);
      },
      TEST_TIMEOUT_MS,
    );
  },
);
