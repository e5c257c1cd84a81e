/**
 * `bench --cpu-profile`: the harness side of apps/api/src/profiling/cpu-profile.toggle.ts.
 * A profiled run's replicas get CPU_PROFILE_DIR (a private directory of the
 * run); SIGUSR2 at the window's opening starts V8's profiler in each, SIGUSR2
 * at its close stops it and the replica writes its profile. The files are
 * attributed by library (bench/measure/cpu-profile.attribute.ts) and moved
 * to the job's staging directory under their final names; the CLI moves
 * them next to results.json.
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { join } from 'node:path';
import type { ReplicaHandle } from '../../infra/topology.types';
import {
  addAttributions,
  attributeProfile,
  cpuProfileFileSchema,
  type CpuAttribution,
} from '../measure/cpu-profile.attribute';
import type { RunCpuProfile, RunResult } from '../results/results.schema';
import type { ScheduledRun } from '../plan/plan.schedule';
import { DEFAULT_VARIANT } from '../plan/variant';

/** Same signal as the API's CPU_PROFILE_SIGNAL (the two never import each other: docs/api-contract.md). */
const TOGGLE_SIGNAL = 'SIGUSR2';
export const CPU_PROFILE_DIR_ENV = 'CPU_PROFILE_DIR';
/** Folder next to results.json. */
export const CPU_PROFILES_DIR = 'cpuprofiles';
/** Writing a profile of a few MB at a 0.25-CPU budget takes a second or two; past this it is reported missing. */
const ARRIVAL_TIMEOUT_MS = 30_000;
const POLL_MS = 100;

/** <setup>-r<replicas>-replica<i>.cpuprofile; other variants than the default are prefixed. */
export function cpuProfileName(run: ScheduledRun, replicaIndex: number): string {
  const prefix = run.variant.name === DEFAULT_VARIANT.name ? '' : `${run.variant.name}-`;
  return `${prefix}${run.setup}-r${run.replicas}-replica${replicaIndex}.cpuprofile`;
}

export class CpuProfileCapture {
  readonly dir: string;
  private signalled: ReplicaHandle[] = [];

  constructor(private readonly stagingDir: string) {
    this.dir = mkdtempSync(join(stagingDir, 'run-'));
  }

  env(): Record<string, string> {
    return { [CPU_PROFILE_DIR_ENV]: this.dir };
  }

  start(replicas: readonly ReplicaHandle[]): void {
    this.signalled = [...replicas];
    for (const r of this.signalled) process.kill(r.pid, TOGGLE_SIGNAL);
  }

  stop(): void {
    for (const r of this.signalled) process.kill(r.pid, TOGGLE_SIGNAL);
  }

  /** Waits for every started replica's file, attributes it, moves it; removes the run directory. */
  async collect(run: ScheduledRun): Promise<RunCpuProfile | null> {
    const parts: CpuAttribution[] = [];
    const files: string[] = [];
    const missing: string[] = [];
    for (const [i, replica] of this.signalled.entries()) {
      const source = join(this.dir, `${replica.id}-0.cpuprofile`);
      const why = await waitForFile(source, ARRIVAL_TIMEOUT_MS);
      if (why) {
        missing.push(`${replica.id}: ${why}`);
        continue;
      }
      const parsed = cpuProfileFileSchema.safeParse(JSON.parse(readFileSync(source, 'utf8')));
      if (!parsed.success) {
        missing.push(`${replica.id}: not a V8 CPU profile (${parsed.error.issues[0]?.message ?? 'invalid'})`);
        continue;
      }
      parts.push(attributeProfile(parsed.data));
      const name = cpuProfileName(run, i);
      renameSync(source, join(this.stagingDir, name));
      files.push(`${CPU_PROFILES_DIR}/${name}`);
    }
    rmSync(this.dir, { recursive: true, force: true });
    if (parts.length === 0 && missing.length === 0) return null;
    return { files, missing, ...addAttributions(parts), overhead: null };
  }

  /** Nothing of a failed run stays behind. */
  discard(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

async function waitForFile(path: string, timeoutMs: number): Promise<string | null> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(path)) {
    if (Date.now() > deadline) return `no profile written within ${timeoutMs / 1000} s`;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  return null;
}

const replicaUs = (r: RunResult) => r.cpu?.usPerRequestByTier.replicas ?? null;

/** Each profiled run's overhead against the unprofiled run of the same cell and repetition in this job. */
export function attachProfilerOverhead(runs: readonly RunResult[]): void {
  for (const profiled of runs) {
    if (!profiled.profiled || !profiled.cpuProfile) continue;
    const twin = runs.find(
      (r) =>
        !r.profiled &&
        r.variant === profiled.variant &&
        r.setup === profiled.setup &&
        r.replicas === profiled.replicas &&
        r.repetition === profiled.repetition,
    );
    const [withUs, withoutUs] = [replicaUs(profiled), twin ? replicaUs(twin) : null];
    profiled.cpuProfile.overhead =
      twin && withUs !== null && withoutUs !== null
        ? { unprofiledRunId: twin.id, replicaUsPerRequest: withUs, unprofiledReplicaUsPerRequest: withoutUs }
        : null;
  }
}

/** The staged profiles into <resultsDir>/cpuprofiles/ (copied: the staging directory may be on another file system). */
export function moveCpuProfiles(stagingDir: string, resultsDir: string): number {
  const names = readdirSync(stagingDir).filter((n) => n.endsWith('.cpuprofile'));
  if (names.length === 0) return 0;
  const target = join(resultsDir, CPU_PROFILES_DIR);
  mkdirSync(target, { recursive: true });
  for (const name of names) copyFileSync(join(stagingDir, name), join(target, name));
  rmSync(stagingDir, { recursive: true, force: true });
  return names.length;
}
