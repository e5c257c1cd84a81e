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
import { connectTarget } from './target.topology';

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
  users: { connections: number; firstUser: number } = { connections: plan.connections, firstUser: 0 },
): Promise<PreparedTopology> {
  const connections = users.connections;
  const setup = findSetup(setupName);
  if (!setup) throw new EnvironmentError(`setup ${setupName} is not defined in infra/setups.data.ts`);
  let failure: Error | null = null;
  const topology = variant.target
    ? await connectTarget(variant.target)
    : await startTopology({
        setup,
        replicas,
        cpuPerReplica: plan.cpuPerReplica,
        // Warm at full speed first when asked: the load driver applies the quota (bench/load/load.driver.ts).
        startRelaxed: plan.relaxedWarmupSeconds > 0 && plan.cpuPerReplica !== null,
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
    const loggedIn = await loginUsers(topology, setup, connections, users.firstUser);
    const first = loggedIn[0];
    if (!first) throw new EnvironmentError('no virtual user logged in (connections must be at least 1)');
    await verifySetup(topology, setup, first);
    if (variant.target) verifyTargetCredential(setup, first);
    return {
      topology,
      setup,
      users: loggedIn,
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

/** What a login must have handed out for the declared setup: a cookie for sessions, a token for JWTs. */
function verifyTargetCredential(setup: SetupDefinition, user: VirtualUser): void {
  const wantsCookie = setup.credential === 'cookie' || setup.credential === 'hybrid';
  if (wantsCookie && user.jar.names().length === 0)
    throw new EnvironmentError(
      `the target does not behave like setup ${setup.name}: POST /auth/login as ${user.username} set no cookie. Check --setup against what is deployed.`,
    );
}

async function loginUsers(
  topology: RunningTopology,
  setup: SetupDefinition,
  count: number,
  firstIndex: number,
): Promise<VirtualUser[]> {
  try {
    return await loginVirtualUsers(topology.url, setup.credential, count, { firstIndex });
  } catch (err) {
    if (err instanceof LoginError) {
      throw new EnvironmentError(
        `setup ${setup.name}: ${err.message}. The setup cannot be measured; check the API's configuration for it.`,
      );
    }
    throw err;
  }
}
