/**
 * Everything a measurement needs before its first measured request: the
 * topology started with the variant's API and env and the plan's CPU budget,
 * the generator placed on its own CPU, a Redis probe, every virtual user
 * logged in, and the setup verified. Shared by throughput runs and the
 * throughput-at-SLO search. close() stops everything; on an error here,
 * everything already started is stopped before the error propagates.
 */
import { findSetup, type SetupDefinition } from '../../infra/setups.data';
import { startTopology } from '../../infra/topology';
import type { RunningTopology } from '../../infra/topology.types';
import { loginVirtualUsers, LoginError, type VirtualUser } from '../client/virtual-user';
import { EnvironmentError } from '../../infra/errors';
import { openRedisProbe, type RedisProbe } from '../measure/redis.stats';
import type { Plan } from '../results/results.schema';
import type { Variant } from '../plan/variant';
import { placeGenerator } from './generator.placement';
import { verifySetup } from './run.verify';

export interface PreparedTopology {
  topology: RunningTopology;
  setup: SetupDefinition;
  users: VirtualUser[];
  /** CPUs the load generator may use (for its utilisation). */
  generatorCpus: number;
  redisProbe: RedisProbe | null;
  /** An unexpected exit of a topology process, if one happened. */
  failure(): Error | null;
  close(): Promise<void>;
}

export async function prepareTopology(
  plan: Plan,
  setupName: string,
  replicas: number,
  variant: Variant,
  progress?: (message: string) => void,
  connections = plan.connections,
): Promise<PreparedTopology> {
  const setup = findSetup(setupName);
  if (!setup) throw new EnvironmentError(`setup ${setupName} is not defined in infra/setups.data.ts`);
  let failure: Error | null = null;
  const topology = await startTopology({
    setup,
    replicas,
    cpuPerReplica: plan.cpuPerReplica,
    appEnv: variant.appEnv,
    apiEntry: variant.apiEntry,
    runtime: variant.runtime,
    apiImage: variant.apiImage,
    ...(variant.storeRttMs ? { storeRttMs: variant.storeRttMs } : {}),
    onFailure: (err) => {
      failure = err;
    },
  });
  let redisProbe: RedisProbe | null = null;
  const close = async () => {
    await redisProbe?.close().catch(() => undefined);
    await topology.stop();
  };
  try {
    const placement = placeGenerator(topology);
    if (topology.redis) redisProbe = await openRedisProbe(topology.redis.url);
    progress?.(
      setup.credential === 'none'
        ? `${connections} virtual users without a credential (no login in ${setup.name})`
        : `logging in ${connections} virtual users`,
    );
    const users = await loginUsers(topology, setup, connections);
    const first = users[0];
    if (!first) throw new EnvironmentError('no virtual user logged in (connections must be at least 1)');
    await verifySetup(topology, setup, first);
    return {
      topology,
      setup,
      users,
      generatorCpus: placement.cpus,
      redisProbe,
      failure: () => failure ?? topology.failure(),
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

async function loginUsers(
  topology: RunningTopology,
  setup: SetupDefinition,
  count: number,
): Promise<VirtualUser[]> {
  try {
    return await loginVirtualUsers(topology.url, setup.credential, count);
  } catch (err) {
    if (err instanceof LoginError) {
      throw new EnvironmentError(
        `setup ${setup.name}: ${err.message}. The setup cannot be measured; check the API's configuration for it.`,
      );
    }
    throw err;
  }
}
