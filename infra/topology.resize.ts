/**
 * Adding and removing replicas of a running topology, the way an autoscaler
 * or a rollout does it: new replicas are started and ready before nginx is
 * reloaded with them; a replica leaves nginx's upstreams first (reload, old
 * workers drain their in-flight requests) and is stopped only then. Replicas
 * added here belong to the run like the first ones: stop() and the
 * last-chance teardown end them too.
 */
import { InfraError } from './process/infra-error';
import type { RuntimeReplica } from './runtime/runtime.types';
import type { TopologyRun } from './topology.run';
import type { ReplicaHandle } from './topology.types';

/** The smallest id number not in use ("r2" after r0, r1), so ids never repeat within a run. */
function nextIds(count: number, used: Set<string>): string[] {
  const ids: string[] = [];
  for (let i = 0; ids.length < count; i++) if (!used.has(`r${i}`)) ids.push(`r${i}`);
  ids.forEach((id) => used.add(id));
  return ids;
}

function reloader(run: TopologyRun): () => Promise<void> {
  const nginx = run.nginx;
  const reload = nginx?.reload?.bind(nginx);
  if (!reload)
    throw new InfraError(
      `the ${run.runtime.name} runtime cannot reload nginx with a new set of replicas yet, so replicas cannot be added or removed at run time: use the process runtime (--runtime process) for the scale-out and scale-in scenarios.`,
      'usage',
    );
  return () => reload(run.nginxTargets());
}

function handleOf(r: RuntimeReplica): ReplicaHandle {
  return { id: r.id, pid: r.child.pid, port: r.port, url: r.url };
}

export function resizing(run: TopologyRun, replicaHandles: ReplicaHandle[]) {
  /** Every id this run has given out, removed replicas included. */
  const used = new Set(run.replicas.keys());
  const requireRunning = () => {
    if (run.stopped) throw new InfraError('the topology has been stopped; start a new one.', 'usage');
  };
  return {
    async addReplicas(count: number): Promise<ReplicaHandle[]> {
      requireRunning();
      if (!Number.isInteger(count) || count < 1)
        throw new InfraError(`addReplicas needs a whole number of replicas >= 1, got ${count}.`, 'usage');
      const reload = reloader(run);
      const started = await Promise.allSettled(nextIds(count, used).map((id) => run.launchReplica(id)));
      const rejected = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
      if (rejected) {
        // Never half-added: the ones that did start leave again before nginx ever routes to them.
        const ok = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
        await Promise.all(ok.map((r) => retire(run, r)));
        throw rejected.reason;
      }
      await reload();
      const added = started.map((s) => handleOf((s as PromiseFulfilledResult<RuntimeReplica>).value));
      replicaHandles.push(...added);
      return added;
    },
    async removeReplica(id: string): Promise<void> {
      requireRunning();
      const replica = run.replicas.get(id);
      if (!replica)
        throw new InfraError(
          `no replica "${id}" in this topology (it has ${[...run.replicas.keys()].join(', ')}).`,
          'usage',
        );
      if (run.replicas.size < 2)
        throw new InfraError(`cannot remove ${id}: it is the topology's last replica.`, 'usage');
      const reload = reloader(run);
      run.replicas.delete(id);
      try {
        await reload();
      } finally {
        // Out of nginx (or nginx is broken): either way it is stopped, never leaked.
        await retire(run, replica);
        const i = replicaHandles.findIndex((h) => h.id === id);
        if (i >= 0) replicaHandles.splice(i, 1);
      }
    },
  };
}

/** A graceful stop that is not a crash: SIGTERM, SIGKILL after 3 s. */
async function retire(run: TopologyRun, replica: RuntimeReplica): Promise<void> {
  run.expectedExits.add(replica.child);
  run.replicas.delete(replica.id);
  await replica.terminate('SIGTERM', 3000);
}
