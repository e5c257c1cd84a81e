/**
 * Routing and middleware agree on what a path is (docs/security.md, "Path
 * matching"): routes are case-sensitive and strict, exactly as the session
 * middleware matches /api/ and /auth/. A path spelled differently is a 404,
 * never a 503 "store unavailable" while the store is healthy. Every session
 * mode: the Redis store and the memory store (session-sticky, session-iphash).
 */
import request from 'supertest';
import { startRedisServer, type RedisServerHandle } from '../../../infra/process/redis-server';
import { cookieOf, credentials, SESSION_SECRET, startApi, type RunningApi } from './api.harness';

/** [method, path, status with a valid session cookie]. */
const SPELLINGS: ReadonlyArray<['GET' | 'POST', string, number]> = [
  ['GET', '/api/me', 200],
  ['GET', '/api/me?x=1', 200],
  ['GET', '/API/me', 404],
  ['GET', '/Api/Me', 404],
  ['GET', '/api/ME', 404],
  ['GET', '/API/ITEMS', 404],
  ['GET', '/api/me/', 404],
  ['GET', '//api/me', 404],
  ['GET', '/api//me', 404],
  ['GET', '/api/%6De', 404],
  ['GET', '/api/me;x', 404],
  ['GET', '/HEALTHZ', 404],
  ['GET', '/healthz/', 404],
  ['POST', '/AUTH/login', 404],
  ['POST', '/Auth/Login', 404],
  ['POST', '/auth/login/', 404],
  ['POST', '/AUTH/logout', 404],
];

describe.each([
  ['session with the Redis store', 'redis'],
  ['session with the memory store', 'memory'],
] as const)('%s: path spellings', (_name, storeKind) => {
  let redis: RedisServerHandle | null = null;
  let api: RunningApi;
  let cookie: string;

  beforeAll(async () => {
    const env: Record<string, string> = { AUTH_MODE: 'session', SESSION_STORE: storeKind, SESSION_SECRET };
    if (storeKind === 'redis') {
      redis = await startRedisServer();
      env.REDIS_URL = redis.url;
    }
    api = await startApi(env);
    const res = await request(api.url).post('/auth/login').send(credentials(7)).expect(200);
    cookie = cookieOf(res.headers['set-cookie'], 'sid') as string;
  });

  afterAll(async () => {
    await api?.close();
    await redis?.stop();
  });

  test.each(SPELLINGS)(
    '%s %s answers %i with a cookie, and never 503 without one',
    async (method, path, status) => {
      const send = () =>
        method === 'GET' ? request(api.url).get(path) : request(api.url).post(path).send({});
      const withCookie = await send().set('cookie', cookie);
      expect(withCookie.status).toBe(status);
      const anonymous = await send();
      expect(anonymous.status).not.toBe(503);
      expect([200, 400, 401, 404]).toContain(anonymous.status);
    },
  );
});
