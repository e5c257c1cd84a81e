/**
 * The state file of one topology run: who owns it (pid and start time) and
 * everything it started (pids with their start times, containers, temp
 * directories, cgroups). It is written as soon as each thing exists, so that
 * whatever ends the owner (a SIGKILL, a CI timeout, an OOM kill) the run's
 * watchdog or the next start can remove exactly what this run left, and
 * nothing else (see run.sweep.ts).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTimeOf } from '../process/proc-tree';

/** The label every container of a run carries, with the run's id as its value. */
export const RUN_LABEL = 'org.authscale.run';

export interface RecordedProcess {
  pid: number;
  /** /proc/<pid>/stat start time: a reused pid has another one and is never touched. */
  startTime: number;
  label: string;
}

export interface RunState {
  version: 1;
  runId: string;
  owner: { pid: number; startTime: number | null };
  processes: RecordedProcess[];
  /** Container ids (removed with `<docker> rm -f`, with any other container labelled with runId). */
  containers: string[];
  /** The docker CLI that created the containers. */
  dockerCli: string | null;
  /** Removed recursively. */
  dirs: string[];
  /** Empty cgroup directories, removed deepest first. */
  cgroups: string[];
}

/** AUTHSCALE_RUNS_DIR, or authscale-runs under the temp directory. */
export function runsDir(): string {
  return process.env.AUTHSCALE_RUNS_DIR || join(tmpdir(), 'authscale-runs');
}

export class RunRecord {
  readonly file: string;
  private readonly state: RunState;
  private removed = false;

  constructor(private readonly dir = runsDir()) {
    const runId = `${process.pid}-${randomBytes(4).toString('hex')}`;
    this.file = join(dir, `${runId}.json`);
    this.state = {
      version: 1,
      runId,
      owner: { pid: process.pid, startTime: startTimeOf(process.pid) },
      processes: [],
      containers: [],
      dockerCli: null,
      dirs: [],
      cgroups: [],
    };
    this.save();
  }

  get runId(): string {
    return this.state.runId;
  }

  addProcess(pid: number, label: string): void {
    const startTime = startTimeOf(pid);
    // Already gone: nothing to remove later, and its pid may be reused.
    if (startTime === null) return;
    this.state.processes.push({ pid, startTime, label });
    this.save();
  }

  /** Before the first container is created: a sweep then also finds containers by this run's label. */
  useDocker(dockerCli: string): void {
    this.state.dockerCli = dockerCli;
    this.save();
  }

  addContainer(id: string, dockerCli: string): void {
    this.state.containers.push(id);
    this.state.dockerCli = dockerCli;
    this.save();
  }

  addDir(dir: string): void {
    this.state.dirs.push(dir);
    this.save();
  }

  addCgroups(dirs: readonly string[]): void {
    const fresh = dirs.filter((d) => !this.state.cgroups.includes(d));
    if (fresh.length === 0) return;
    this.state.cgroups.push(...fresh);
    this.save();
  }

  /** After a clean stop: the run left nothing, so its record goes too. Idempotent. */
  remove(): void {
    if (this.removed) return;
    this.removed = true;
    rmSync(this.file, { force: true });
    try {
      rmdirSync(this.dir); // only when no other run is recorded there
    } catch {
      // not empty, or already gone
    }
  }

  private save(): void {
    if (this.removed) return;
    // Another run may just have removed the (then empty) directory: recreate it every time.
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const partial = `${this.file}.tmp`;
    writeFileSync(partial, JSON.stringify(this.state), { mode: 0o600 });
    // A reader (a sweep) never sees half a file.
    renameSync(partial, this.file);
  }
}
