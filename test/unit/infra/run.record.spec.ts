/**
 * State files and their sweep: a run's record holds what it started; a
 * sweep removes the records (and directories) of dead owners only, and
 * never touches a pid whose start time differs from the recorded one.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTimeOf } from '../../../infra/process/proc-tree';
import { RunRecord, type RunState } from '../../../infra/runs/run.record';
import { sweepDeadRuns } from '../../../infra/runs/run.sweep';

describe('run records and the sweep', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'authscale-runs-spec-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('records the owner with its start time, and removes the file and the empty runs directory on remove()', () => {
    const runs = join(dir, 'runs');
    const record = new RunRecord(runs);
    const state = JSON.parse(readFileSync(record.file, 'utf8')) as RunState;
    expect(state.owner).toEqual({ pid: process.pid, startTime: startTimeOf(process.pid) });
    record.remove();
    expect(existsSync(runs)).toBe(false);
  });

  it("leaves a live owner's run alone", () => {
    const record = new RunRecord(dir);
    const kept = join(dir, 'kept');
    mkdirSync(kept);
    record.addDir(kept);
    expect(sweepDeadRuns(dir)).toEqual([]);
    expect(existsSync(kept)).toBe(true);
    record.remove();
  });

  it("sweeps a dead owner's directories, but kills no pid whose start time is not the recorded one", () => {
    const dead = spawnSync('true').pid ?? 1;
    const left = join(dir, 'left');
    mkdirSync(left);
    const state: RunState = {
      version: 1,
      runId: `${dead}-0badc0de`,
      owner: { pid: dead, startTime: 1 },
      // This process, with a start time that is not its own: a pid the kernel handed out again.
      processes: [{ pid: process.pid, startTime: (startTimeOf(process.pid) ?? 0) + 1, label: 'reused' }],
      containers: [],
      dockerCli: null,
      dirs: [left],
      cgroups: [],
    };
    writeFileSync(join(dir, `${state.runId}.json`), JSON.stringify(state));
    expect(sweepDeadRuns(dir)).toEqual([{ runId: state.runId, processesKilled: 0, containers: 0 }]);
    expect(existsSync(left)).toBe(false);
    expect(existsSync(join(dir, `${state.runId}.json`))).toBe(false);
  });
});
