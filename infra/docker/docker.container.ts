/**
 * One container of a topology, started through testcontainers with host
 * networking (the only network these engines have; every address stays
 * 127.0.0.1), never pulled, labelled with the run's id and recorded in the
 * run's state file the moment it exists. Its exit is watched like a child
 * process's, so the orchestration treats both runtimes alike.
 */
import { GenericContainer, getContainerRuntimeClient, type StartedTestContainer } from 'testcontainers';
import type Dockerode from 'dockerode';
import { readFileSync } from 'node:fs';
import { constants } from 'node:os';
import { RUN_LABEL, type RunRecord } from '../runs/run.record';

export { RUN_LABEL };
import type { RuntimeChild } from '../runtime/runtime.types';

const OUTPUT_TAIL_BYTES = 8192;
export const ROLE_LABEL = 'org.authscale.role';

export interface CpuSpec {
  quotaUs?: number;
  periodUs?: number;
  cpus?: string;
}

/** GenericContainer with CFS quota, period and cpuset: withResourcesQuota only knows NanoCpus (100 ms period). */
class BudgetedContainer extends GenericContainer {
  withCpu(spec: CpuSpec): this {
    if (spec.quotaUs !== undefined) {
      this.hostConfig.CpuQuota = spec.quotaUs;
      this.hostConfig.CpuPeriod = spec.periodUs;
    }
    if (spec.cpus !== undefined) this.hostConfig.CpusetCpus = spec.cpus;
    return this;
  }
}

export interface ContainerSpec {
  image: string;
  role: string;
  label: string;
  command: string[];
  env?: Record<string, string>;
  cpu?: CpuSpec;
  bindMounts?: { source: string; target: string; mode: 'ro' | 'rw' }[];
  files?: { content: string; target: string; mode: number }[];
  tmpfs?: Record<string, string>;
  user?: string;
}

export interface ContainerPart extends RuntimeChild {
  id: string;
  /** Sends `signal` (SIGTERM: docker stop with a grace period), waits for the exit, removes the container. */
  terminate(signal: NodeJS.Signals, graceMs: number): Promise<void>;
  /** Container's CPU seconds from its cgroup (cpuacct.usage), or null. */
  cpuSeconds(): number | null;
}

/** cgroup v1 cpuacct and v2 cpu.stat of a container run by the cgroupfs driver (Docker's default here). */
export function containerCpuSeconds(id: string): number | null {
  const v1 = `/sys/fs/cgroup/cpuacct/docker/${id}/cpuacct.usage`;
  try {
    return Number(readFileSync(v1, 'utf8')) / 1e9;
  } catch {
    // not v1 with cgroupfs
  }
  for (const file of [
    `/sys/fs/cgroup/system.slice/docker-${id}.scope/cpu.stat`,
    `/sys/fs/cgroup/docker/${id}/cpu.stat`,
  ]) {
    try {
      const usec = /^usage_usec (\d+)/m.exec(readFileSync(file, 'utf8'))?.[1];
      if (usec) return Number(usec) / 1e6;
    } catch {
      // try the next layout
    }
  }
  return null;
}

/** A container's exit status as a process's: 128+n is the signal n that ended its main process. */
export function describeStatus(code: number | undefined): string {
  if (code === undefined) return 'an unknown status';
  const signal = Object.entries(constants.signals).find(([, n]) => code > 128 && n === code - 128)?.[0];
  return signal ? `signal ${signal} (status ${code})` : `code ${code}`;
}

function build(spec: ContainerSpec, runId: string): BudgetedContainer {
  const c = new BudgetedContainer(spec.image)
    .withNetworkMode('host')
    // 11.x has no "never" policy: a custom one, after an image-exists check gave a clear error (docker.preflight.ts).
    .withPullPolicy({ shouldPull: () => false })
    .withLabels({ [RUN_LABEL]: runId, [ROLE_LABEL]: spec.role, 'org.authscale.part': spec.label })
    .withCommand(spec.command)
    .withEnvironment(spec.env ?? {})
    // Readiness is polled from the host on 127.0.0.1:PORT; testcontainers' waits need mapped ports.
    .withWaitStrategy({
      waitUntilReady: async () => undefined,
      withStartupTimeout() {
        return this;
      },
      isStartupTimeoutSet: () => false,
      getStartupTimeout: () => 0,
    })
    .withCpu(spec.cpu ?? {});
  if (spec.bindMounts) c.withBindMounts(spec.bindMounts);
  if (spec.files) c.withCopyContentToContainer(spec.files);
  if (spec.tmpfs) c.withTmpFs(spec.tmpfs);
  if (spec.user) c.withUser(spec.user);
  return c;
}

export async function startContainer(
  spec: ContainerSpec,
  record: RunRecord,
  dockerCli: string,
): Promise<ContainerPart> {
  let tail = '';
  const started: StartedTestContainer = await build(spec, record.runId)
    .withLogConsumer((stream) =>
      stream.on('data', (d: Buffer) => (tail = (tail + d.toString()).slice(-OUTPUT_TAIL_BYTES))),
    )
    .start();
  const id = started.getId();
  record.addContainer(id, dockerCli);
  const client = await getContainerRuntimeClient();
  const container: Dockerode.Container = client.container.getById(id);
  const info = await container.inspect();
  let exitInfo = '';
  let hasExited = false;
  const exited = container
    .wait()
    .then((r: { StatusCode?: number }) => (exitInfo = describeStatus(r.StatusCode)))
    .catch(() => (exitInfo = 'removal'))
    .then(() => {
      hasExited = true;
    });
  let terminating: Promise<void> | null = null;
  return {
    id,
    pid: info.State.Pid,
    exited,
    hasExited: () => hasExited,
    describeExit: () => exitInfo || 'no exit yet',
    output: () => tail,
    cpuSeconds: () => containerCpuSeconds(id),
    terminate: (signal, graceMs) =>
      (terminating ??= (async () => {
        if (!hasExited) {
          if (signal === 'SIGTERM')
            await container.stop({ t: Math.ceil(graceMs / 1000) }).catch(() => undefined);
          else await container.kill({ signal }).catch(() => undefined);
          await exited;
        }
        await container.remove({ force: true, v: true }).catch(() => undefined);
      })()),
  };
}
