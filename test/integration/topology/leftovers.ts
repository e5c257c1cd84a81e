/**
 * What a topology run under a private TMPDIR may have left: processes that
 * mention that directory, cgroups named after the launcher's pid, and
 * containers carrying a run label.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { RUN_LABEL } from '../../../infra/docker/docker.container';
import { join } from 'node:path';

/**
 * pids whose working directory, command line or environment mention `dir`:
 * what a topology under that TMPDIR started. (redis-server rewrites its
 * command line, but it runs inside its directory.)
 */
export function processesMentioning(dir: string): number[] {
  const mentions = (pid: number): boolean => {
    try {
      if (readlinkSync(`/proc/${pid}/cwd`).startsWith(dir)) return true;
    } catch {
      // gone, or not ours to read
    }
    try {
      return [`/proc/${pid}/cmdline`, `/proc/${pid}/environ`].some((f) =>
        readFileSync(f).toString('latin1').includes(dir),
      );
    } catch {
      return false;
    }
  };
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .map(Number)
    .filter((pid) => pid !== process.pid && mentions(pid));
}

export function cgroupDirsOf(pid: number): string[] {
  return ['/sys/fs/cgroup/cpu', '/sys/fs/cgroup/cpuset', '/sys/fs/cgroup']
    .filter((root) => existsSync(root))
    .flatMap((root) =>
      readdirSync(root)
        .filter((d) => d.startsWith(`authscale-${pid}-`))
        .map((d) => join(root, d)),
    );
}

/** Ids of every container (running or not) with an authscale run label; [] when no engine answers. */
export function runContainers(): string[] {
  const cli = process.env.AUTHSCALE_DOCKER_BIN || 'docker';
  const res = spawnSync(cli, ['ps', '-aq', '--filter', `label=${RUN_LABEL}`], {
    encoding: 'utf8',
    timeout: 20000,
  });
  return res.status === 0 ? res.stdout.split('\n').filter(Boolean) : [];
}

/** Entries of a run's TMPDIR, but testcontainers' shared, empty lock file (kept for every user, not the run's). */
export function runFiles(tmp: string): string[] {
  return readdirSync(tmp).filter((f) => !/^testcontainers-node-.*\.lock$/.test(f));
}
