/**
 * The local topology launcher: a private Redis when the setup needs one, N
 * API replicas, nginx in front, CPU budgets around them. Everything it starts
 * it records by pid, and stop() (or the parent's death, or a crash of any of
 * them) ends exactly those processes and removes its directory and cgroups.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { applyCpuBudget, type CpuBudget } from './cpu-budget/cpu-budget';
import { startNginx, type NginxHandle } from './nginx/nginx.process';
import { findBinary } from './process/find-binary';
import { freePort } from './process/free-port';
import { InfraError } from './process/infra-error';
import { startRedisServer, type RedisServerHandle } from './process/redis-server';
import { registerTeardown } from './process/teardown.registry';
import type { PlacedChild } from './process/spawn-placed';
import { startReplica, type ReplicaProcess } from './replica/replica.process';
import { validateTopologyOptions } from './topology.options';
import { writeTopologySecrets } from './topology.secrets';
import type { ProcessRef, ReplicaHandle, RunningTopology, TopologyOptions } from './topology.types';

export { validateTopologyOptions } from './topology.options';

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

const NGINX_PORT_ATTEMPTS = 3;

export async function startTopology(options: TopologyOptions): Promise<RunningTopology> {
  validateTopologyOptions(options);
  const apiEntry = resolve(options.apiEntry ?? defaultApiEntry());
  if (!existsSync(apiEntry)) {
    throw new InfraError(
      `the API entry ${apiEntry} does not exist: build it with \`npm run build\` (or pass the right path).`,
      'environment',
    );
  }
  // Fail on a missing binary before starting anything.
  findBinary('nginx');
  if (options.setup.needsRedis) findBinary('redis-server');
  if (options.storeRttMs !== undefined && options.storeRttMs > 0) {
    throw new InfraError(
      '--store-rtt is not available in this build yet (planned: network namespace + netem, root only); run without it.',
      'usage',
    );
  }

  const runDir = mkdtempSync(join(tmpdir(), 'authscale-topology-'));
  const readyTimeoutMs = options.readyTimeoutMs ?? 20000;
  let budget: CpuBudget | null = null;
  let redis: RedisServerHandle | null = null;
  let nginx: NginxHandle | null = null;
  const replicas = new Map<string, ReplicaProcess>();
  /** pids we stopped on purpose: their exit is not a crash. */
  const expectedExits = new Set<number>();
  /** Every process spawned, from the moment it exists: a stop during start must reach those not yet ready. */
  const spawned = new Set<PlacedChild>();
  const track = (child: PlacedChild) => {
    spawned.add(child);
    void child.exited.then(() => spawned.delete(child));
  };
  let stopping: Promise<void> | null = null;
  let failure: Error | null = null;

  const stopSync = () => {
    // Leave the cgroups first: the processes we are about to kill stay zombies
    // (nobody reaps them while this process exits), and a zombie keeps a v1
    // cgroup busy. Moved out, the groups can be removed right away.
    budget?.destroy();
    // Only processes that are still running: a pid that has exited may already belong to someone else.
    const live = [...replicas.values()]
      .map((r) => r.child)
      .concat(redis ? [redis.child] : [], nginx ? [nginx.child] : [], [...spawned])
      .filter((c) => !c.hasExited());
    const pids = live.map((c) => c.pid);
    if (nginx && !nginx.child.hasExited()) pids.push(...nginx.workerPids());
    for (const pid of new Set(pids)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    if (redis) rmSync(redis.dir, { recursive: true, force: true });
    rmSync(runDir, { recursive: true, force: true });
  };

  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      const ends: Promise<void>[] = [];
      // nginx first so that no new request reaches a replica that is going away.
      if (nginx) await nginx.stop();
      for (const r of replicas.values()) ends.push(r.child.terminate('SIGTERM', 3000));
      await Promise.all(ends);
      await redis?.stop();
      // Whatever was still starting when stop() began.
      await Promise.all([...spawned].map((c) => c.terminate('SIGKILL')));
      budget?.destroy();
      rmSync(runDir, { recursive: true, force: true });
      unregister();
    })());
  const unregister = registerTeardown(stop, stopSync);

  const watch = (
    role: string,
    label: string,
    child: { pid: number; exited: Promise<void>; describeExit(): string; output(): string },
  ) => {
    void child.exited.then(() => {
      if (stopping || expectedExits.has(child.pid)) return;
      failure = new Error(
        `${role} ${label} (pid ${child.pid}) exited unexpectedly with ${child.describeExit()}; the topology stopped itself.\nIts last output:\n${child.output().trim() || '(none)'}`,
      );
      void stop().then(() => options.onFailure?.(failure as Error));
    });
  };

  const callerEnv: Record<string, string> = { ...options.setup.appEnv, ...(options.appEnv ?? {}) };
  const secrets = writeTopologySecrets(runDir, callerEnv.JWT_ALG);
  // A caller that brings its own secret (NAME or NAME_FILE) keeps it: the API refuses both at once.
  for (const key of Object.keys(secrets)) {
    if (callerEnv[key] !== undefined || callerEnv[key.replace(/_FILE$/, '')] !== undefined)
      delete secrets[key];
  }
  const replicaEnv: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    ...secrets,
    ...options.setup.appEnv,
    ...(options.appEnv ?? {}),
  };
  /**
   * A process that became ready after stop() began (a Ctrl-C during start)
   * was not seen by stop(): end it here, or it would outlive the topology.
   */
  const adopt = async (child: { terminate(signal?: NodeJS.Signals): Promise<void> }): Promise<void> => {
    if (!stopping) return;
    await child.terminate('SIGKILL');
    throw new InfraError('the topology was stopped while it was starting (interrupted).', 'environment');
  };
  const launchReplica = async (id: string, port?: number): Promise<ReplicaProcess> => {
    const replica = await startReplica({
      id,
      apiEntry,
      env: replicaEnv,
      port,
      readyTimeoutMs,
      onSpawn: track,
      cgroupProcsFiles: budget?.procsFiles('replica', id) ?? [],
    });
    await adopt(replica.child);
    replicas.set(id, replica);
    watch('replica', id, replica.child);
    return replica;
  };
  const launchRedis = async (port?: number): Promise<RedisServerHandle> => {
    const handle = await startRedisServer({
      port,
      readyTimeoutMs,
      onSpawn: track,
      cgroupProcsFiles: budget?.procsFiles('redis') ?? [],
    });
    await adopt({ terminate: () => handle.stop() });
    watch('redis', 'redis', handle.child);
    return handle;
  };

  try {
    budget = applyCpuBudget({
      cpuPerReplica: options.cpuPerReplica ?? null,
      cfsPeriodUs: options.cfsPeriodUs,
      placement: options.placement,
    });
    if (options.setup.needsRedis) {
      redis = await launchRedis();
      replicaEnv.REDIS_URL = redis.url;
    }
    const ids = Array.from({ length: options.replicas }, (_, i) => `r${i}`);
    const started = await Promise.allSettled(ids.map((id) => launchReplica(id)));
    const rejected = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (rejected) throw rejected.reason;

    const targets = ids.map((id) => ({ id, port: (replicas.get(id) as ReplicaProcess).port }));
    for (let attempt = 1; nginx === null; attempt++) {
      const listenPort = options.port ?? (await freePort());
      try {
        nginx = await startNginx({
          routing: options.setup.routing,
          listenPort,
          replicas: targets,
          readyTimeoutMs,
          onSpawn: track,
          runDir: join(runDir, 'nginx'),
          cgroupProcsFiles: budget.procsFiles('nginx'),
        });
      } catch (err) {
        // A free port can be taken between the probe and nginx's bind: try another, unless the user chose it.
        const busy = err instanceof InfraError && /port is busy/.test(err.message);
        if (!busy || options.port !== undefined || attempt >= NGINX_PORT_ATTEMPTS) throw err;
      }
    }
    const lateNginx = nginx;
    await adopt({ terminate: () => lateNginx.stop() });
    watch('nginx', 'nginx', nginx.child);
  } catch (err) {
    await stop();
    throw err;
  }

  const readyNginx = nginx;
  const replicaHandles: ReplicaHandle[] = [...replicas.values()]
    .sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }))
    .map(({ id, pid, port, url }) => ({ id, pid, port, url }));
  const redisRef = redis ? { pid: redis.pid, port: redis.port, url: redis.url } : null;
  const requireReplica = (id: string): ReplicaProcess => {
    const r = replicas.get(id);
    if (!r)
      throw new InfraError(
        `no replica "${id}" in this topology (it has ${[...replicas.keys()].join(', ')}).`,
        'usage',
      );
    return r;
  };
  const requireRunning = () => {
    if (stopping) throw new InfraError('the topology has been stopped; start a new one.', 'usage');
  };

  return {
    url: `http://127.0.0.1:${readyNginx.port}`,
    replicas: replicaHandles,
    nginx: { pid: readyNginx.pid, port: readyNginx.port },
    redis: redisRef,
    runDir,
    description: {
      setup: options.setup.name,
      replicas: options.replicas,
      routing: options.setup.routing,
      versions: { node: process.version, nginx: readyNginx.version, redis: redis?.version ?? null },
      budgets: budget.description,
      storeRttMs: null,
    },
    processes(): ProcessRef[] {
      const refs: ProcessRef[] = [...replicas.values()]
        .filter((r) => !r.child.hasExited())
        .map((r) => ({ role: 'replica', label: r.id, pid: r.pid }));
      refs.push({ role: 'nginx', label: 'nginx-master', pid: readyNginx.pid });
      readyNginx
        .workerPids()
        .forEach((pid, i) => refs.push({ role: 'nginx', label: `nginx-worker-${i + 1}`, pid }));
      if (redis && !redis.child.hasExited()) refs.push({ role: 'redis', label: 'redis', pid: redis.pid });
      return refs;
    },
    generatorPlacement: () => budget?.generatorPlacement() ?? { cpus: null, cgroupProcsFiles: [] },
    async killReplica(id, signal = 'SIGKILL') {
      requireRunning();
      const r = requireReplica(id);
      expectedExits.add(r.pid);
      await r.child.terminate(signal, 3000);
    },
    async restartReplica(id) {
      requireRunning();
      const old = requireReplica(id);
      expectedExits.add(old.pid);
      await old.child.terminate('SIGTERM', 3000);
      // Same port, so nginx's upstream stays valid without a reload.
      const fresh = await launchReplica(id, old.port);
      const handle = replicaHandles.find((h) => h.id === id);
      if (handle) handle.pid = fresh.pid;
    },
    async stopRedis() {
      requireRunning();
      if (!redis) throw new InfraError(`setup ${options.setup.name} has no Redis to stop.`, 'usage');
      expectedExits.add(redis.pid);
      await redis.stop();
    },
    async startRedis() {
      requireRunning();
      if (!redis || !redisRef)
        throw new InfraError(`setup ${options.setup.name} has no Redis to start.`, 'usage');
      if (!redis.child.hasExited()) return;
      // Same port: the replicas' clients reconnect to the address they were given.
      redis = await launchRedis(redisRef.port);
      redisRef.pid = redis.pid;
    },
    failure: () => failure,
    stop,
  };
}
