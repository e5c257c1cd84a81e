/**
 * The node-redis client shared by the session store, the jti denylist and the
 * refresh sessions. Configured to fail fast: with the offline queue disabled a
 * command issued while Redis is down rejects at once (-> 503) instead of
 * waiting in memory until the server comes back.
 */
import { createClient } from 'redis';

export type RedisConnection = ReturnType<typeof createRedisConnection>;

export function createRedisConnection(url: string) {
  const client = createClient({
    url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 2000,
      // Keep trying for ever, at most every 500 ms: the topology may restart Redis.
      reconnectStrategy: (retries: number) => Math.min(50 + retries * 50, 500),
    },
  });
  let lastLogged = 0;
  client.on('error', (err: Error) => {
    // Rate-limited: a down Redis would otherwise log on every reconnect attempt.
    const now = Date.now();
    if (now - lastLogged > 10_000) {
      lastLogged = now;
      process.stderr.write(`redis: ${err.message}\n`);
    }
  });
  return client;
}

/** Connects in the background; resolves when ready or after waitMs, whichever is first. */
export async function connectRedis(client: RedisConnection, waitMs: number): Promise<boolean> {
  client.connect().catch(() => undefined);
  if (client.isReady) return true;
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      client.off('ready', onReady);
      resolve(false);
    }, waitMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve(true);
    };
    client.once('ready', onReady);
  });
}

export async function pingRedis(client: RedisConnection, timeoutMs: number): Promise<boolean> {
  if (!client.isReady) return false;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([
      client.ping().then(
        (r) => r === 'PONG',
        () => false,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
