/**
 * The delayed Redis hop of one topology (`--store-rtt`): netem on the Redis
 * port where the kernel, root and the loopback allow it (netem.hop.ts),
 * otherwise the user-space proxy the runtime starts (delay-proxy.*). Either
 * way the replicas get the address to use, the description says which
 * mechanism ran and why, and measure() records the round trip through the
 * hop against Redis's own (hop-rtt.measure.ts).
 */
import { InfraError } from '../process/infra-error';
import type { RuntimeChild, RuntimeRedis, TopologyRuntime } from '../runtime/runtime.types';
import type { StoreHopDescription } from '../topology.types';
import { measureHopRtt, pingRttMs } from './hop-rtt.measure';
import { applyNetem, whyNoNetem } from './netem.hop';
import { formatStoreRtt } from './store-rtt.parse';

export interface StoreHop {
  /** What the replicas connect to. */
  url: string;
  description: StoreHopDescription;
  /** The proxy process, watched for a crash like every other part; null for netem. */
  child: RuntimeChild | null;
  /** Round trips through the hop after start-up, recorded in the description. */
  measure(): Promise<void>;
  stop(): Promise<void>;
  stopSync(): void;
}

async function netemHop(redis: RuntimeRedis, rttMs: number): Promise<StoreHop> {
  // Straight to Redis before the delay exists: afterwards every path to the port is delayed.
  const directMs = await pingRttMs(redis.port);
  const remove = applyNetem(redis.port, rttMs);
  const description: StoreHopDescription = {
    askedMs: rttMs,
    mechanism: 'netem',
    reason: `netem on lo, u32 filter on the Redis port ${redis.port}, ${formatStoreRtt(rttMs / 2)} each way`,
    measured: null,
  };
  return {
    url: redis.url,
    description,
    child: null,
    async measure() {
      const hopMs = await pingRttMs(redis.port);
      description.measured = { hopMs, directMs, addedMs: Math.max(0, hopMs - directMs), samples: 50 };
    },
    stop: async () => remove(),
    stopSync: remove,
  };
}

async function proxyHop(
  redis: RuntimeRedis,
  rttMs: number,
  runtime: TopologyRuntime,
  whyNot: string,
): Promise<StoreHop> {
  if (!runtime.startStoreDelay)
    throw new InfraError(
      `--store-rtt needs netem or the store-delay proxy, and neither is available with the ${runtime.name} runtime here (${whyNot}). Use the process runtime, or a machine with netem.`,
      'usage',
    );
  const proxy = await runtime.startStoreDelay(redis.port, rttMs);
  const description: StoreHopDescription = {
    askedMs: rttMs,
    mechanism: 'proxy',
    reason: `user-space delay proxy (pid ${proxy.child.pid}, port ${proxy.port}), ${formatStoreRtt(rttMs / 2)} each way: ${whyNot}`,
    measured: null,
  };
  return {
    url: proxy.url,
    description,
    child: proxy.child,
    async measure() {
      description.measured = await measureHopRtt(proxy.port, redis.port);
    },
    stop: () => proxy.stop(),
    stopSync: () => undefined, // the runtime's endAllSync kills it by pid with the other processes
  };
}

export async function startStoreHop(
  redis: RuntimeRedis,
  rttMs: number,
  runtime: TopologyRuntime,
): Promise<StoreHop> {
  const whyNot = whyNoNetem();
  return whyNot === null ? netemHop(redis, rttMs) : proxyHop(redis, rttMs, runtime, whyNot);
}
