/**
 * Reloading a running nginx the way an autoscaler or a rollout does: write
 * the new configuration, let nginx check it (`nginx -t`, so a bad config is
 * an error here and not a line in error.log while the old one keeps
 * serving), then SIGHUP the master. The master starts new workers with the
 * new upstreams and asks the old ones to finish their in-flight requests and
 * exit; the reload is done when none of the old workers is left.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InfraError } from '../process/infra-error';
import type { PlacedChild } from '../process/spawn-placed';
import { childPids, isAlive } from '../process/proc-tree';

export interface ReloadTarget {
  binary: string;
  child: PlacedChild;
  configPath: string;
  runDir: string;
}

/** Old workers finish in-flight requests first; a request to a 0.25-CPU replica takes well under this. */
const DRAIN_TIMEOUT_MS = 15000;
const POLL_MS = 20;

function checkConfig(target: ReloadTarget): void {
  const res = spawnSync(
    target.binary,
    ['-t', '-q', '-p', target.runDir, '-c', target.configPath, '-e', join(target.runDir, 'error.log')],
    { encoding: 'utf8', timeout: 10000 },
  );
  if (res.status !== 0)
    throw new InfraError(
      `nginx rejected the reloaded configuration ${target.configPath}: ${`${res.stderr}${res.stdout}`.trim()}`,
      'environment',
    );
}

export async function reloadNginx(target: ReloadTarget, config: string): Promise<void> {
  const { child } = target;
  if (child.hasExited()) throw new InfraError('nginx has exited: there is nothing to reload.', 'environment');
  writeFileSync(target.configPath, config);
  checkConfig(target);
  const oldWorkers = childPids(child.pid);
  process.kill(child.pid, 'SIGHUP');
  const deadline = Date.now() + DRAIN_TIMEOUT_MS;
  for (;;) {
    const current = childPids(child.pid);
    const drained = oldWorkers.every((pid) => !current.includes(pid) || !isAlive(pid));
    const fresh = current.some((pid) => !oldWorkers.includes(pid));
    if (drained && fresh) return;
    if (child.hasExited()) throw new InfraError('nginx exited during its reload.', 'environment');
    if (Date.now() > deadline)
      throw new InfraError(
        `nginx did not finish its reload within ${DRAIN_TIMEOUT_MS} ms (old workers ${oldWorkers.join(', ')} still running).`,
        'environment',
      );
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
