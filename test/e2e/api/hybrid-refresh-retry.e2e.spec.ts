/**
 * Hybrid refresh is safe to retry (docs/security.md, "Refresh rotation"): a
 * refresh that reaches a hung Redis answers 503 within STORE_TIMEOUT_MS, and
 * when Redis resumes and runs the queued rotation late, that rotation changes
 * nothing, so the retry the 503 invites succeeds instead of revoking the
 * login as token theft. Reuse detection is unchanged: a token presented again
 * after a completed rotation still revokes the family. Real redis-server,
 * SIGSTOPped and always SIGCONTed and stopped in afterEach.
 */
import request from 'supertest';
import { startRedisServer, type RedisServerHandle } from '../../../infra/process/redis-server';
import {
  commandCounts,
  cookieOf,
  credentials,
  inspector,
  JWT_SECRET,
  startApi,
  type Inspector,
  type RunningApi,
} from './api.harness';

const CLIENT_GIVES_UP_MS = 10_000;
let redis: RedisServerHandle | null = null;
let api: RunningApi | null = null;
let store: Inspector | null = null;
let stopped = false;

afterEach(async () => {
  if (stopped && redis) process.kill(redis.pid, 'SIGCONT');
  stopped = false;
  await store?.close().catch(() => undefined);
  await api?.close().catch(() => undefined);
  await redis?.stop();
  store = null;
  api = null;
  redis = null;
});

const refresh = (app: RunningApi, rt: string) =>
  request(app.url).post('/auth/refresh').set('cookie', rt).timeout(CLIENT_GIVES_UP_MS);
const rtOf = (res: request.Response) => cookieOf(res.headers['set-cookie'], 'rt') as string;

/** Waits (bounded: 40 x 50 ms) until Redis has executed `calls` EVALs. */
async function evalsRun(calls: number): Promise<void> {
  for (let i = 0; i < 40; i++) {
    if (((await commandCounts(store as Inspector)).eval ?? 0) >= calls) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`Redis never ran ${calls} EVAL(s)`);
}

describe('hybrid refresh retried after a hung store', () => {
  test('a rotation answered 503 and executed late by Redis leaves the token usable; reuse detection still works', async () => {
    redis = await startRedisServer();
    api = await startApi({ AUTH_MODE: 'hybrid', REDIS_URL: redis.url, JWT_SECRET, STORE_TIMEOUT_MS: '1000' });
    store = await inspector(redis.url);
    const first = rtOf(await request(api.url).post('/auth/login').send(credentials(90)).expect(200));
    await store.configResetStat();

    process.kill(redis.pid, 'SIGSTOP');
    stopped = true;
    const failed = await refresh(api, first);
    expect(failed.status).toBe(503);
    expect(failed.headers['set-cookie']).toBeUndefined();
    process.kill(redis.pid, 'SIGCONT');
    stopped = false;
    // The queued rotation reaches Redis now, after the API gave up on it.
    await evalsRun(1);

    const retried = await refresh(api, first);
    expect(retried.status).toBe(200);
    const second = rtOf(retried);
    const third = rtOf(await refresh(api, second).expect(200));
    // A token presented after its rotation completed is a stolen copy: the family is revoked.
    const reuse = await refresh(api, first).expect(401);
    expect(reuse.body.message).toMatch(/already used/);
    await refresh(api, third).expect(401);
  });

  test('two concurrent refreshes of one token: exactly one rotation wins', async () => {
    redis = await startRedisServer();
    api = await startApi({ AUTH_MODE: 'hybrid', REDIS_URL: redis.url, JWT_SECRET });
    const rt = rtOf(await request(api.url).post('/auth/login').send(credentials(91)).expect(200));
    const statuses = (await Promise.all([refresh(api, rt), refresh(api, rt)])).map((r) => r.status).sort();
    expect(statuses).toEqual([200, 401]);
  });
});
