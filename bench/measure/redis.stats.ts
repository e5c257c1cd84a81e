/**
 * What the store did during a window: INFO commandstats deltas (calls per
 * request by command), memory, keys. Talks to the topology's private Redis
 * over loopback with node-redis; never touches any other Redis.
 */
import { createClient } from 'redis';
import type { RunResult } from '../results/results.schema';

export type RedisBreakdown = NonNullable<RunResult['redis']>;

export interface RedisSnapshot {
  calls: Record<string, number>;
  usedMemoryBytes: number;
  keys: number;
}

/** Keys sampled for MEMORY USAGE: enough for a stable mean, few enough to stay out of the way. */
const SAMPLED_KEYS = 20;

/** Commands the probe itself sends; they are not the application's work. */
const PROBE_COMMANDS = new Set([
  'info',
  'dbsize',
  'client|setinfo',
  'client',
  'hello',
  'scan',
  'memory|usage',
  'memory',
]);

export interface RedisProbe {
  snapshot(): Promise<RedisSnapshot>;
  /**
   * Mean MEMORY USAGE of up to 20 stored keys (sessions, refresh families,
   * denylist entries): what one stored item costs, without the allocator and
   * connection-buffer noise a used_memory difference carries. null when empty.
   */
  bytesPerKey(): Promise<number | null>;
  close(): Promise<void>;
}

export async function openRedisProbe(url: string): Promise<RedisProbe> {
  const client = createClient({ url, socket: { connectTimeout: 3000, reconnectStrategy: false } });
  client.on('error', () => {
    // Errors surface on the awaited commands; an unhandled 'error' event would crash the bench.
  });
  await client.connect();
  return {
    async snapshot() {
      const [commandstats, memory, keys] = await Promise.all([
        client.info('commandstats'),
        client.info('memory'),
        client.dbSize(),
      ]);
      return { calls: parseCommandStats(commandstats), usedMemoryBytes: parseUsedMemory(memory), keys };
    },
    async bytesPerKey() {
      const { keys } = await client.scan('0', { COUNT: 100 });
      const sample = keys.slice(0, SAMPLED_KEYS);
      if (sample.length === 0) return null;
      const sizes = await Promise.all(sample.map((key) => client.memoryUsage(key)));
      const known = sizes.filter((n): n is number => typeof n === 'number');
      return known.length > 0 ? known.reduce((a, b) => a + b, 0) / known.length : null;
    },
    async close() {
      await client.quit().catch(() => client.destroy());
    },
  };
}

/** `cmdstat_get:calls=12,usec=34,...` lines -> { get: 12 } (names lower case, subcommands kept as "a|b"). */
export function parseCommandStats(info: string): Record<string, number> {
  const calls: Record<string, number> = {};
  for (const line of info.split(/\r?\n/)) {
    const match = /^cmdstat_([^:]+):calls=(\d+)/.exec(line);
    if (match?.[1] && match[2]) calls[match[1].toLowerCase()] = Number(match[2]);
  }
  return calls;
}

export function parseUsedMemory(info: string): number {
  const match = /^used_memory:(\d+)/m.exec(info);
  return match?.[1] ? Number(match[1]) : 0;
}

/** Calls per completed request of each command the application sent during the window. */
export function redisOverWindow(
  start: RedisSnapshot,
  end: RedisSnapshot,
  completedRequests: number,
  bytesPerKey: number | null,
): RedisBreakdown {
  const commandsPerRequest: Record<string, number> = {};
  for (const [name, calls] of Object.entries(end.calls)) {
    if (PROBE_COMMANDS.has(name)) continue;
    const delta = calls - (start.calls[name] ?? 0);
    if (delta > 0 && completedRequests > 0) commandsPerRequest[name] = delta / completedRequests;
  }
  return { commandsPerRequest, usedMemoryBytes: end.usedMemoryBytes, keys: end.keys, bytesPerKey };
}
