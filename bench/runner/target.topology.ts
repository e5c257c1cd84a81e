/**
 * A remote target seen through the RunningTopology contract, so the same
 * login, verify, load, steady-state rule and results code measure it. It
 * starts nothing and stops nothing but its own /metrics poller; fault
 * injection is refused (the CLI refuses scenarios for targets first).
 */
import { EnvironmentError, UsageError } from '../../infra/errors';
import type { RunningTopology, TopologyDescription } from '../../infra/topology.types';
import { findSetup } from '../../infra/setups.data';
import type { TargetSpec } from '../plan/target.spec';
import { ReplicaCpuPoller, scrapeCpu } from '../measure/replica-metrics';

function description(target: TargetSpec): TopologyDescription {
  return {
    setup: target.setup,
    replicas: target.replicas,
    routing: findSetup(target.setup)?.routing ?? 'unknown',
    runtime: 'target',
    versions: { node: 'unknown (remote target)', nginx: 'unknown (remote target)', redis: null },
    budgets: {
      enforced: false,
      reason: `remote target ${target.url}: CPU budgets are the deployment's, not set or seen by the bench`,
      cgroupVersion: null,
      cpuPerReplica: null,
      cfsPeriodUs: null,
      placement: null,
    },
    storeRttMs: null,
    storeHop: null,
  };
}

/** Replica ids from each endpoint's `replica` label; one replica answering on two endpoints is refused. */
async function replicaIds(urls: readonly string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const url of urls) {
    const reading = await scrapeCpu(url).catch((err: Error) => {
      throw new EnvironmentError(
        `--replica-metrics ${url}: ${err.message}. Point it at each replica's own port (the API serves /metrics there, not through the load balancer).`,
      );
    });
    const id = reading.replica ?? url;
    if (ids.includes(id))
      throw new EnvironmentError(
        `--replica-metrics: replica ${id} answered on two endpoints; each must reach one replica (a Kubernetes headless Service, not a ClusterIP).`,
      );
    ids.push(id);
  }
  return ids;
}

/** Any HTTP answer will do here (the verify step judges it); no answer at all is refused with the URL. */
async function checkAnswers(url: string, timeoutMs = 5_000): Promise<void> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await response.arrayBuffer();
  } catch (err) {
    throw new EnvironmentError(
      `--target ${url} does not answer (${(err as Error).message}). Check the URL and that the deployment is up and reachable from this machine.`,
    );
  }
}

export async function connectTarget(target: TargetSpec): Promise<RunningTopology> {
  await checkAnswers(target.url);
  const urls = target.replicaMetrics ?? [];
  const ids = await replicaIds(urls);
  const poller = new ReplicaCpuPoller(urls);
  await poller.start().catch((err: Error) => {
    throw new EnvironmentError(`--replica-metrics: ${err.message}`);
  });
  const refs = poller.processRefs(ids);
  const refuse = async () => {
    throw new UsageError(['a remote target cannot have its replicas or store stopped by the bench']);
  };
  const entry = new URL(target.url);
  return {
    url: target.url,
    // Known only through /metrics; without it verification accepts any x-replica.
    replicas: ids.map((id, i) => ({ id, pid: 0, port: Number(new URL(urls[i]!).port), url: urls[i]! })),
    nginx: { pid: 0, port: Number(entry.port) },
    redis: null,
    description: description(target),
    processes: () => refs,
    generatorPlacement: () => ({ cpus: null, cgroupProcsFiles: [] }),
    killReplica: refuse,
    restartReplica: refuse,
    stopRedis: refuse,
    startRedis: refuse,
    addReplicas: refuse,
    removeReplica: refuse,
    failure: () => null,
    runDir: '',
    stop: async () => poller.stop(),
  };
}
