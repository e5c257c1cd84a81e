/**
 * hybrid mode: a 60 s access JWT plus a rotating refresh session in Redis.
 * docs/security.md requirements 26 (short access tokens; a reused refresh token is refused and
 * revokes its family), 13 (cross-site refresh refused), 27 (cookie size).
 */
import request from 'supertest';
import { startRedisServer, type RedisServerHandle } from '../../../infra/process/redis-server';
import {
  commandCounts,
  cookieOf,
  credentials,
  JWT_SECRET,
  startApi,
  startApiOnRedis,
  stopApiOnRedis,
  type Inspector,
  type RunningApi,
} from './api.harness';
import { decodePart } from './jwt.forge';

let redis: RedisServerHandle;
let api: RunningApi;
let store: Inspector;

beforeAll(async () => {
  ({ redis, api, store } = await startApiOnRedis({ AUTH_MODE: 'hybrid', JWT_SECRET }));
});

afterAll(() => stopApiOnRedis({ redis, api, store }));

async function login(i: number): Promise<{ access: string; rt: string; setCookie: string }> {
  const res = await request(api.url).post('/auth/login').send(credentials(i)).expect(200);
  const line = (res.headers['set-cookie'] as unknown as string[])[0] as string;
  return { access: res.body.accessToken as string, rt: cookieOf(line, 'rt') as string, setCookie: line };
}

const refresh = (rt: string) => request(api.url).post('/auth/refresh').set('cookie', rt);

describe('hybrid mode', () => {
  test('login gives a 60 s access token and an HttpOnly SameSite=Strict refresh cookie under 4096 bytes (26, 27)', async () => {
    const { access, setCookie } = await login(70);
    const { iat, exp } = decodePart(access, 1) as { iat: number; exp: number };
    expect(exp - iat).toBe(60);
    expect(setCookie).toMatch(
      /^rt=[A-Za-z0-9_-]{43}; Max-Age=86400; Path=\/; Expires=.*; HttpOnly; SameSite=Strict$/,
    );
    expect(setCookie.split(';')[0]!.length).toBeLessThan(4096);
    await request(api.url)
      .get('/api/me')
      .set('authorization', `Bearer ${access}`)
      .expect(200, { id: 70, username: 'user70' });
  });

  test('API reads touch no store at all: the access token is verified locally', async () => {
    const { access } = await login(71);
    await store.configResetStat();
    for (let i = 0; i < 20; i++)
      await request(api.url).get('/api/items').set('authorization', `Bearer ${access}`).expect(200);
    expect(await commandCounts(store)).toEqual({ 'config|resetstat': 1 });
  });

  test('refresh rotates the refresh token and issues a new access token', async () => {
    const { rt } = await login(72);
    const res = await refresh(rt).expect(200);
    const next = cookieOf(res.headers['set-cookie'], 'rt') as string;
    expect(next).not.toBe(rt);
    await request(api.url)
      .get('/api/me')
      .set('authorization', `Bearer ${res.body.accessToken as string}`)
      .expect(200);
    await refresh(next).expect(200);
  });

  test('reusing a spent refresh token is refused and revokes its whole family (26)', async () => {
    const { rt } = await login(73);
    const rotated = cookieOf((await refresh(rt).expect(200)).headers['set-cookie'], 'rt') as string;
    const reuse = await refresh(rt).expect(401);
    expect(reuse.body.message).toMatch(/already used/);
    // The thief's reuse also ends the legitimate holder's newer token.
    await refresh(rotated).expect(401);
  });

  test('the refresh token is not an access token: as a bearer it gets 401 (21)', async () => {
    const { rt } = await login(74);
    await request(api.url)
      .get('/api/me')
      .set('authorization', `Bearer ${rt.slice(3)}`)
      .expect(401);
  });

  test('logout revokes the refresh family and clears the cookie; the refresh token then gets 401', async () => {
    const { rt } = await login(75);
    const res = await request(api.url).post('/auth/logout').set('cookie', rt).expect(204);
    expect((res.headers['set-cookie'] as unknown as string[])[0]).toMatch(/^rt=; .*Expires=Thu, 01 Jan 1970/);
    await refresh(rt).expect(401);
    await request(api.url).post('/auth/logout').set('cookie', rt).expect(401);
  });

  test('a cross-site refresh or logout is refused with 403 (13)', async () => {
    const { rt } = await login(76);
    await refresh(rt).set('origin', 'https://evil.example').expect(403);
    await request(api.url)
      .post('/auth/logout')
      .set('cookie', rt)
      .set('sec-fetch-site', 'cross-site')
      .expect(403);
    await refresh(rt).expect(200);
  });

  test('refresh without a cookie or with a made-up one gets 401', async () => {
    await request(api.url).post('/auth/refresh').expect(401);
    await refresh(`rt=${'x'.repeat(43)}`).expect(401);
  });
});

describe('hybrid mode when Redis goes down', () => {
  test('refresh and login answer 503, while API reads with a live access token keep working', async () => {
    const own = await startRedisServer();
    const app = await startApi({ AUTH_MODE: 'hybrid', REDIS_URL: own.url, JWT_SECRET });
    try {
      const res = await request(app.url).post('/auth/login').send(credentials(77)).expect(200);
      const rt = cookieOf(res.headers['set-cookie'], 'rt') as string;
      await own.stop();
      const failed = await request(app.url).post('/auth/refresh').set('cookie', rt).expect(503);
      expect(failed.headers['set-cookie']).toBeUndefined(); // the client keeps its refresh token and retries
      await request(app.url).post('/auth/login').send(credentials(78)).expect(503);
      await request(app.url)
        .get('/api/me')
        .set('authorization', `Bearer ${res.body.accessToken as string}`)
        .expect(200);
    } finally {
      await app.close();
      await own.stop();
    }
  });
});
