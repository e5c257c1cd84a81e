/**
 * Running the built CLI as a person would, for the CLI specs: a private
 * TMPDIR per run (so leftovers are found by path), bounded runs, and the
 * check that nothing of a run is left.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { apiEntry } from './topology.fixture';
import { cgroupDirsOf, processesMentioning, runContainers, runFiles } from './leftovers';

export const CLI = resolve(__dirname, '../../../dist/bench/cli/main.js');
export const RUN_TIMEOUT_MS = 60000;
/** Per test: a start on a loaded 2-core machine plus the teardown, with room to spare. */
export const TEST_TIMEOUT_MS = 120000;

export function privateTmp(): string {
  return mkdtempSync(join(tmpdir(), 'authscale-cli-test-'));
}

/** A private TMPDIR for one describe block, removed afterwards. */
export function usePrivateTmp(): () => string {
  let tmp = '';
  beforeAll(() => {
    tmp = privateTmp();
  });
  afterAll(() => {
    rmSync(tmp, { recursive: true, force: true });
  });
  return () => tmp;
}

/** No process, file or cgroup of a topology run under `tmp` by the process `parentPid` is left. */
export function expectNothingLeft(
  tmp: string,
  parentPid: number | undefined,
  containersBefore: string[] = [],
): void {
  expect(processesMentioning(tmp)).toEqual([]);
  expect(runFiles(tmp)).toEqual([]);
  expect(cgroupDirsOf(parentPid ?? -1)).toEqual([]);
  expect(runContainers().filter((id) => !containersBefore.includes(id))).toEqual([]);
}

export async function endChild(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15000);
  await exited;
  clearTimeout(timer);
}

export function env(tmp: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, TMPDIR: tmp, ...extra };
}

export function apiArgs(): string[] {
  const entry = apiEntry();
  return entry ? ['--api-entry', entry] : [];
}

export function runCli(args: string[], tmp: string, extra: Record<string, string> = {}) {
  return spawnSync(process.execPath, [CLI, 'topology', 'up', ...args], {
    env: env(tmp, extra),
    encoding: 'utf8',
    timeout: RUN_TIMEOUT_MS,
  });
}
