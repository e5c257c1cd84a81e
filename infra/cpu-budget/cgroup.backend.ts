/**
 * cgroup v1 and v2 behind one small interface: make a group for one process
 * (a CPU quota, a CPU set, or both), hand back the cgroup.procs files the
 * process must join, and remove everything again. All synchronous, so that
 * the last-chance cleanup on process exit can run it.
 */
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmdirSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';

export interface GroupSpec {
  /** CPU ids, cpuset syntax ("0", "0-2,5"). */
  cpus?: string;
  /** CFS quota per period; "max" lifts it (the group keeps its place, only the limit goes). */
  quotaUs?: number | 'max';
  periodUs?: number;
}

export interface CgroupBackend {
  version: 'v1' | 'v2';
  /** Creates (or updates) the group `name`; returns the cgroup.procs files to write a pid into. */
  group(name: string, spec: GroupSpec): string[];
  /** Moves stragglers (e.g. a load generator placed by the bench) back to the root, then removes every group. */
  destroy(): void;
}

export type Detected =
  | { version: 'v1'; cpuRoot: string; cpusetRoot: string | null }
  | { version: 'v2'; root: string }
  | { version: null; reason: string };

export function detectCgroups(mountRoot = '/sys/fs/cgroup'): Detected {
  if (process.platform !== 'linux')
    return { version: null, reason: `cgroups are Linux-only (this is ${process.platform})` };
  const writable = (path: string) => {
    try {
      accessSync(path, constants.W_OK);
      return true;
    } catch {
      return false;
    }
  };
  if (existsSync(join(mountRoot, 'cgroup.controllers'))) {
    if (!writable(mountRoot))
      return { version: null, reason: `no write access to ${mountRoot} (run as root or delegate a cgroup)` };
    return { version: 'v2', root: mountRoot };
  }
  const cpuRoot = join(mountRoot, 'cpu');
  if (existsSync(join(cpuRoot, 'cpu.cfs_quota_us'))) {
    if (!writable(cpuRoot)) return { version: null, reason: `no write access to ${cpuRoot} (run as root)` };
    const cpusetRoot = join(mountRoot, 'cpuset');
    return {
      version: 'v1',
      cpuRoot,
      cpusetRoot: existsSync(join(cpusetRoot, 'cpuset.cpus')) && writable(cpusetRoot) ? cpusetRoot : null,
    };
  }
  return { version: null, reason: `no cgroup cpu controller under ${mountRoot}` };
}

function write(dir: string, file: string, value: string): void {
  writeFileSync(join(dir, file), value);
}

function read(dir: string, file: string): string {
  return readFileSync(join(dir, file), 'utf8').trim();
}

/** Move every pid still in `dir` to `rootProcs` (a group with tasks cannot be removed), then rmdir. */
function evacuateAndRemove(dir: string, rootProcs: string): void {
  if (!existsSync(dir)) return;
  try {
    for (const pid of read(dir, 'cgroup.procs').split('\n').filter(Boolean)) {
      try {
        writeFileSync(rootProcs, pid);
      } catch {
        // exited meanwhile
      }
    }
    rmdirSync(dir);
  } catch {
    // Best effort: a process that is still exiting keeps the group busy for a moment.
  }
}

export function cgroupV1Backend(d: Extract<Detected, { version: 'v1' }>, base: string): CgroupBackend {
  const made: { dir: string; rootProcs: string }[] = [];
  const mk = (root: string, name: string, init: (dir: string) => void): string => {
    const dir = join(root, base, name);
    if (!existsSync(join(root, base))) {
      mkdirSync(join(root, base));
      made.push({ dir: join(root, base), rootProcs: join(root, 'cgroup.procs') });
      if (root === d.cpusetRoot) {
        // A v1 cpuset group accepts no task until cpus and mems are set.
        write(join(root, base), 'cpuset.cpus', read(root, 'cpuset.cpus'));
        write(join(root, base), 'cpuset.mems', read(root, 'cpuset.mems'));
      }
    }
    if (!existsSync(dir)) {
      mkdirSync(dir);
      made.push({ dir, rootProcs: join(root, 'cgroup.procs') });
    }
    init(dir);
    return join(dir, 'cgroup.procs');
  };
  return {
    version: 'v1',
    group(name, spec) {
      const files: string[] = [];
      if (spec.quotaUs !== undefined) {
        files.push(
          mk(d.cpuRoot, name, (dir) => {
            write(dir, 'cpu.cfs_period_us', String(spec.periodUs ?? 100000));
            write(dir, 'cpu.cfs_quota_us', spec.quotaUs === 'max' ? '-1' : String(spec.quotaUs));
          }),
        );
      }
      if (spec.cpus !== undefined && d.cpusetRoot) {
        const root = d.cpusetRoot;
        files.push(
          mk(root, name, (dir) => {
            write(dir, 'cpuset.mems', read(join(root, base), 'cpuset.mems'));
            write(dir, 'cpuset.cpus', spec.cpus ?? '');
          }),
        );
      }
      return files;
    },
    destroy() {
      // Children were pushed after their parent: remove in reverse.
      for (const { dir, rootProcs } of made.splice(0).reverse()) evacuateAndRemove(dir, rootProcs);
    },
  };
}

export function cgroupV2Backend(d: Extract<Detected, { version: 'v2' }>, base: string): CgroupBackend {
  const parent = join(d.root, base);
  const made: string[] = [];
  const ensureParent = () => {
    if (existsSync(parent)) return;
    // Controllers must be enabled on the way down (root, then our group) before children can use them.
    write(d.root, 'cgroup.subtree_control', '+cpu +cpuset');
    mkdirSync(parent);
    made.push(parent);
    write(parent, 'cgroup.subtree_control', '+cpu +cpuset');
  };
  return {
    version: 'v2',
    group(name, spec) {
      ensureParent();
      const dir = join(parent, name);
      if (!existsSync(dir)) {
        mkdirSync(dir);
        made.push(dir);
      }
      write(
        dir,
        'cpu.max',
        spec.quotaUs !== undefined ? `${spec.quotaUs} ${spec.periodUs ?? 100000}` : 'max',
      );
      if (spec.cpus !== undefined) write(dir, 'cpuset.cpus', spec.cpus);
      return [join(dir, 'cgroup.procs')];
    },
    destroy() {
      for (const dir of made.splice(0).reverse()) evacuateAndRemove(dir, join(d.root, 'cgroup.procs'));
    },
  };
}

/**
 * Groups left by an authscale process that was SIGKILLed (nothing can clean
 * up after that): `authscale-<pid>-*` whose pid is gone. rmdir only succeeds
 * on a group without tasks, so a group still in use is never touched.
 * Returns the groups removed.
 */
export function sweepStaleGroups(roots: readonly string[], isAlive: (pid: number) => boolean): string[] {
  const removed: string[] = [];
  for (const root of roots) {
    let entries: string[];
    try {
      entries = readdirSync(root);
    } catch {
      continue;
    }
    for (const name of entries) {
      const owner = /^authscale-(\d+)-[0-9a-f]+$/.exec(name)?.[1];
      if (!owner || isAlive(Number(owner))) continue;
      const dir = join(root, name);
      try {
        for (const child of readdirSync(dir, { withFileTypes: true }))
          if (child.isDirectory()) rmdirSync(join(dir, child.name));
        rmdirSync(dir);
        removed.push(dir);
      } catch {
        // still has tasks (or is not a cgroup): leave it
      }
    }
  }
  return removed;
}
