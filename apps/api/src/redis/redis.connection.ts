/**
 * The node-redis client shared by the session store, the jti denylist and the
 * refresh sessions. Configured to fail fast: with the offline queue disabled a
 * command issued while Redis is down rejects at once (-> 503) instead of
 * waiting in memory until the server comes back. A store that is up but does
 * not answer is bounded per command by store.deadline.ts; the keep-alive PING
 * and the socket inactivity timeout below additionally drop an idle
 * connection whose server has stopped answering, so it is rebuilt (and, if
 * the server is unreachable, commands reject at once instead of waiting).
 */
import { createClient } from 'redis';
import { withDeadline } from './store.deadline';

/** A PING on an otherwise idle connection; replies reset the inactivity timer. */
const PING_INTERVAL_MS = 5000;
/** Two missed pings and no other traffic: the connection is treated as dead. */
const SOCKET_IDLE_TIMEOUT_MS = 2 * PING_INTERVAL_MS + 1000;

export type RedisConnection = ReturnType<typeof createRedisConnection>;

export function createRedisConnection(url: string, timeoutMs: number) {
  const client = createClient({
    url,
    disableOfflineQueue: true,
    pingInterval: PING_INTERVAL_MS,
    socket: {
      connectTimeout: Math.max(timeoutMs, 1000),
      socketTimeout: SOCKET_IDLE_TIMEOUT_MS,
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
  return withDeadline(client.ping(), timeoutMs).then(
    (r) => r === 'PONG',
    () => false,
  );
}
