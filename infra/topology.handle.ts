/**
 * The RunningTopology a caller gets for a started TopologyRun: where it
 * is, what it is made of (for CPU accounting), and fault injection on its
 * own parts only.
 */
import { InfraError } from './process/infra-error';
import type { RuntimeChild, RuntimeReplica } from './runtime/runtime.types';
import type { TopologyRun } from './topology.run';
import { resizing } from './topology.resize';
import type { ProcessRef, ReplicaHandle, RunningTopology } from './topology.types';

/** A part's own CPU accounting when it has one (containers), bound so the bench can call it later. */
function cpuOf(child: RuntimeChild): Pick<ProcessRef, 'cpuSeconds'> {
  return child.cpuSeconds ? { cpuSeconds: () => child.cpuSeconds?.() ?? null } : {};
}

function processRefs(run: TopologyRun): ProcessRef[] {
  const refs: ProcessRef[] = [...run.replicas.values()]
    .filter((r) => !r.child.hasExited())
    .map((r) => ({ role: 'replica', label: r.id, pid: r.child.pid, ...cpuOf(r.child) }));
  const nginx = run.nginx;
  if (nginx) {
    refs.push({ role: 'nginx', label: 'nginx-master', pid: nginx.child.pid, ...cpuOf(nginx.child) });
    nginx.workerPids().forEach((pid, i) => refs.push({ role: 'nginx', label: `nginx-worker-${i + 1}`, pid }));
  }
  if (run.redis && !run.redis.child.hasExited())
    refs.push({ role: 'redis', label: 'redis', pid: run.redis.child.pid, ...cpuOf(run.redis.child) });
  const proxy = run.storeHop?.child;
  if (proxy && !proxy.hasExited())
    refs.push({ role: 'store-delay', label: 'store-delay-proxy', pid: proxy.pid, ...cpuOf(proxy) });
  return refs;
}

function faultInjection(
  run: TopologyRun,
  replicaHandles: ReplicaHandle[],
  redisRef: RunningTopology['redis'],
) {
  const { options } = run;
  const requireReplica = (id: string): RuntimeReplica => {
    const r = run.replicas.get(id);
    if (!r)
      throw new InfraError(
        `no replica "${id}" in this topology (it has ${[...run.replicas.keys()].join(', ')}).`,
        'usage',
      );
    return r;
  };
  const requireRunning = () => {
    if (run.stopped) throw new InfraError('the topology has been stopped; start a new one.', 'usage');
  };
  return {
    async killReplica(id: string, signal: NodeJS.Signals = 'SIGKILL') {
      requireRunning();
      const r = requireReplica(id);
      run.expectedExits.add(r.child);
      await r.terminate(signal, 3000);
    },
    async restartReplica(id: string) {
      requireRunning();
      const old = requireReplica(id);
      run.expectedExits.add(old.child);
      await old.terminate('SIGTERM', 3000);
      // Same port, so nginx's upstream stays valid without a reload.
      const fresh = await run.launchReplica(id, old.port);
      const handle = replicaHandles.find((h) => h.id === id);
      if (handle) handle.pid = fresh.child.pid;
    },
    async stopRedis() {
      requireRunning();
      if (!run.redis) throw new InfraError(`setup ${options.setup.name} has no Redis to stop.`, 'usage');
      run.expectedExits.add(run.redis.child);
      await run.redis.stop();
    },
    async startRedis() {
      requireRunning();
      if (!run.redis || !redisRef)
        throw new InfraError(`setup ${options.setup.name} has no Redis to start.`, 'usage');
      if (!run.redis.child.hasExited()) return;
      // Same port: the replicas' clients reconnect to the address they were given.
      const fresh = await run.launchRedis(redisRef.port);
      redisRef.pid = fresh.child.pid;
    },
  };
}

export function runningTopology(run: TopologyRun): RunningTopology {
  const nginx = run.nginx;
  if (!nginx) throw new Error('runningTopology needs a started run');
  const replicaHandles: ReplicaHandle[] = [...run.replicas.values()]
    .sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }))
    .map(({ id, child, port, url }) => ({ id, pid: child.pid, port, url }));
  const redisRef = run.redis ? { pid: run.redis.child.pid, port: run.redis.port, url: run.redis.url } : null;
  return {
    url: `http://127.0.0.1:${nginx.port}`,
    replicas: replicaHandles,
    nginx: { pid: nginx.child.pid, port: nginx.port },
    redis: redisRef,
    runDir: run.runDir,
    description: {
      setup: run.options.setup.name,
      replicas: run.options.replicas,
      routing: run.options.setup.routing,
      runtime: run.runtime.name,
      versions: run.runtime.versions(),
      budgets: run.runtime.budgets,
      storeRttMs: run.storeHop ? run.storeHop.description.askedMs : null,
      storeHop: run.storeHop?.description ?? null,
    },
    processes: () => processRefs(run),
    generatorPlacement: () => run.runtime.generatorPlacement(),
    ...(run.runtime.enforceCpuBudget ? { enforceCpuBudget: run.runtime.enforceCpuBudget } : {}),
    ...faultInjection(run, replicaHandles, redisRef),
    ...resizing(run, replicaHandles),
    failure: () => run.failure,
    stop: () => run.stop(),
  };
}
