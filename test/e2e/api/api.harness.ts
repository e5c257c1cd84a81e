/**
 * Starts one API instance in this Jest process on a free loopback port, from
 * an environment exactly as a replica would get it (through loadConfig), and
 * stops it. Redis comes from infra/process/redis-server.ts (a real server).
 */
import type { AddressInfo } from 'node:net';
import { createClient } from 'redis';
import { startRedisServer, type RedisServerHandle } from '../../../infra/process/redis-server';
import { createApi, type ApiHandle } from '../../../apps/api/src/app.factory';
import { loadConfig } from '../../../apps/api/src/config/config.loader';
import type { UserDirectory } from '../../../apps/api/src/users/user.directory';

export const SESSION_SECRET = 'test-session-secret-0123456789abcdef';
export const JWT_SECRET = 'test-jwt-secret-0123456789abcdef-0123';

export interface RunningApi {
  url: string;
  handle: ApiHandle;
  close(): Promise<void>;
}

/**
 * Cheap argon2 parameters keep app start-up and logins fast where a test is
 * not about hashing; login.e2e.spec.ts runs with the real defaults.
 */
export const FAST_HASH = { ARGON2_MEMORY_KIB: '1024', ARGON2_TIME_COST: '1' };

export async function startApi(env: Record<string, string>): Promise<RunningApi> {
  // AUTH_MODE=none refuses password-hash settings (it has no login): give them to the other modes only.
  const hash = env.AUTH_MODE === 'none' ? {} : FAST_HASH;
  const loaded = loadConfig({ USERS: '200', PORT: '0', ...hash, ...env });
  if (!loaded.ok) throw new Error(`test config invalid: ${loaded.problems.join('; ')}`);
  const handle = await createApi(loaded.config, { defaultMetrics: false, redisWaitMs: 2000 });
  await handle.app.listen(0, '127.0.0.1');
  const { port } = handle.server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, handle, close: () => handle.close() };
}

/** The user directory of a mode that has one (every mode but none). */
export function directoryOf(api: RunningApi): UserDirectory {
  if (!api.handle.directory) throw new Error(`AUTH_MODE=${api.handle.config.authMode} has no user directory`);
  return api.handle.directory;
}

/** A plain Redis client for looking inside the store (commandstats, keys, TTLs). */
export async function inspector(url: string) {
  const client = createClient({ url });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

export type Inspector = Awaited<ReturnType<typeof inspector>>;

/** An API on its own redis-server (REDIS_URL added to `env`), with an inspector on that Redis. */
export interface ApiOnRedis {
  redis: RedisServerHandle;
  api: RunningApi;
  store: Inspector;
}

export async function startApiOnRedis(env: Record<string, string>): Promise<ApiOnRedis> {
  const redis = await startRedisServer();
  try {
    const api = await startApi({ ...env, REDIS_URL: redis.url });
    return { redis, api, store: await inspector(redis.url) };
  } catch (err) {
    await redis.stop();
    throw err;
  }
}

/** Ends what startApiOnRedis started (whatever of it exists, for an afterAll after a failed start). */
export async function stopApiOnRedis(parts: Partial<ApiOnRedis>): Promise<void> {
  await parts.store?.close().catch(() => undefined);
  await parts.api?.close();
  await parts.redis?.stop();
}

/**
 * Command name -> calls, from INFO commandstats. PING is left out: the API's
 * connection pings an idle Redis every few seconds (redis.connection.ts), which
 * is no work of any request.
 */
export async function commandCounts(client: Inspector): Promise<Record<string, number>> {
  const info = await client.info('commandstats');
  const counts: Record<string, number> = {};
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm))
    if (match[1] !== 'ping') counts[match[1] as string] = Number(match[2]);
  return counts;
}

export function cookieOf(setCookie: string[] | string | undefined, name: string): string | null {
  const list = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  const line = list.find((c) => c.startsWith(`${name}=`));
  return line ? (line.split(';')[0] as string) : null;
}

export const credentials = (i: number) => ({ username: `user${i}`, password: `authscale-pw-${i % 16}` });
