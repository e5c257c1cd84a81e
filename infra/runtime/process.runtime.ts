/**
 * The process runtime (the default): redis-server, `node` replicas and
 * nginx as child processes of this one, placed into cgroups before they run
 * (infra/cpu-budget), dying with their parent (infra/process/parent-death.ts)
 * and recorded by pid and start time in the run's state file.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { applyCpuBudget } from '../cpu-budget/cpu-budget';
import { nginxVersion, startNginx } from '../nginx/nginx.process';
import { findBinary } from '../process/find-binary';
import { InfraError } from '../process/infra-error';
import { redisVersion, startRedisServer } from '../process/redis-server';
import type { PlacedChild } from '../process/spawn-placed';
import { childPids, startTimeOf } from '../process/proc-tree';
import { startReplica } from '../replica/replica.process';
import { startDelayProxy } from '../store-delay/delay-proxy.process';
import type { RunRecord } from '../runs/run.record';
import type { RuntimeStartContext, TopologyRuntime } from './runtime.types';

/**
 * dist/apps/api/main.js of the checkout this file belongs to (works from
 * infra/ under ts-jest and from dist/infra); dist/apps/api/src/main.js if the
 * API keeps its entry under src/.
 */
export function defaultApiEntry(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  const candidates = [
    join(dir, 'dist', 'apps', 'api', 'main.js'),
    join(dir, 'dist', 'apps', 'api', 'src', 'main.js'),
  ];
  return candidates.find((c) => existsSync(c)) ?? (candidates[0] as string);
}

/** Fails on a missing build or binary before anything starts. */
function preflight(ctx: RuntimeStartContext): string {
  const apiEntry = resolve(ctx.options.apiEntry ?? defaultApiEntry());
  if (!existsSync(apiEntry)) {
    throw new InfraError(
      `the API entry ${apiEntry} does not exist: build it with \`npm run build\` (or pass the right path).`,
      'environment',
    );
  }
  findBinary('nginx');
  if (ctx.options.setup.needsRedis) findBinary('redis-server');
  return apiEntry;
}

/** Every process spawned, from the moment it exists: a stop during start must reach those not yet ready. */
function processTracker(record: RunRecord) {
  const spawned = new Set<PlacedChild>();
  /** nginx workers by pid and start time: the master forks them, so no spawn of ours sees them. */
  const workers: { pid: number; startTime: number | null }[] = [];
  const track = (label: string) => (child: PlacedChild) => {
    spawned.add(child);
    record.addProcess(child.pid, label);
    void child.exited.then(() => spawned.delete(child));
  };
  const placed = (files: string[]): string[] => {
    // The group and its parent (authscale-<pid>-<hex>), removed by a sweep if the owner dies.
    record.addCgroups(files.flatMap((f) => [dirname(f), dirname(dirname(f))]));
    return files;
  };
  const killSync = () => {
    const pids = [...spawned].filter((c) => !c.hasExited()).map((c) => c.pid);
    const liveWorkers = workers.filter((w) => w.startTime !== null && startTimeOf(w.pid) === w.startTime);
    for (const pid of new Set([...pids, ...liveWorkers.map((w) => w.pid)])) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };

  return {
    track,
    placed,
    addWorkers(masterPid: number) {
      for (const pid of childPids(masterPid)) {
        if (workers.some((w) => w.pid === pid && w.startTime === startTimeOf(pid))) continue;
        workers.push({ pid, startTime: startTimeOf(pid) });
        record.addProcess(pid, 'nginx worker');
      }
    },
    endAll: async () => {
      await Promise.all([...spawned].map((c) => c.terminate('SIGKILL')));
      killSync(); // workers of an nginx master that was killed
    },
    killSync,
  };
}

export async function startProcessRuntime(ctx: RuntimeStartContext): Promise<TopologyRuntime> {
  const apiEntry = preflight(ctx);
  const { options, record, readyTimeoutMs } = ctx;
  const budget = applyCpuBudget({
    cpuPerReplica: options.cpuPerReplica ?? null,
    cfsPeriodUs: options.cfsPeriodUs,
    placement: options.placement,
    startRelaxed: options.startRelaxed,
  });
  const { track, placed, addWorkers, endAll, killSync } = processTracker(record);
  placed(budget.generatorPlacement().cgroupProcsFiles);
  const versions = { nginx: 'unknown', redis: null as string | null };
  return {
    name: 'process',
    budgets: budget.description,
    async startRedis(port) {
      versions.redis ??= redisVersion();
      const handle = await startRedisServer({
        port,
        readyTimeoutMs,
        onSpawn: track('redis'),
        parentDir: ctx.runDir,
        cgroupProcsFiles: placed(budget.procsFiles('redis')),
      });
      return { child: handle.child, port: handle.port, url: handle.url, stop: () => handle.stop() };
    },
    async startReplica(id, env, port) {
      const replica = await startReplica({
        id,
        apiEntry,
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
        port,
        readyTimeoutMs,
        onSpawn: track(`replica ${id}`),
        cgroupProcsFiles: placed(budget.procsFiles('replica', id)),
      });
      return { ...replica, terminate: (signal, graceMs) => replica.child.terminate(signal, graceMs) };
    },
    async startNginx(replicas, listenPort) {
      versions.nginx = nginxVersion();
      const nginx = await startNginx({
        routing: options.setup.routing,
        listenPort,
        replicas,
        readyTimeoutMs,
        onSpawn: track('nginx'),
        runDir: join(ctx.runDir, 'nginx'),
        cgroupProcsFiles: placed(budget.procsFiles('nginx')),
      });
      addWorkers(nginx.pid);
      return {
        port: nginx.port,
        child: nginx.child,
        workerPids: () => (nginx.child.hasExited() ? [] : childPids(nginx.pid)),
        async reload(targets) {
          await nginx.reload(targets);
          addWorkers(nginx.pid); // the new workers, so a sweep after our death finds them too
        },
        stop: () => nginx.stop(),
      };
    },
    async startStoreDelay(redisPort, rttMs) {
      const proxy = await startDelayProxy({
        targetPort: redisPort,
        rttMs,
        readyTimeoutMs,
        onSpawn: track('store-delay'),
        cgroupProcsFiles: placed(budget.procsFiles('store-delay')),
      });
      return { child: proxy.child, port: proxy.port, url: proxy.url, stop: () => proxy.stop() };
    },
    versions: () => ({ node: process.version, ...versions }),
    generatorPlacement: () => budget.generatorPlacement(),
    ...(options.startRelaxed ? { enforceCpuBudget: () => budget.enforceQuota(true) } : {}),
    endAll,
    endAllSync: killSync,
    release: () => budget.destroy(),
  };
}
