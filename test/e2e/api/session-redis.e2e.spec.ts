/**
 * Session mode with the Redis store against a real redis-server: docs/security.md
 * requirements 1-5, 8, 10, 11, 13, 14 (items 6, 7, 12 and 9 have their own
 * files: they need short timeouts or a Redis that dies).
 */
import request from 'supertest';
import type { RedisServerHandle } from '../../../infra/process/redis-server';
import {
  commandCounts,
  cookieOf,
  credentials,
  SESSION_SECRET,
  startApiOnRedis,
  stopApiOnRedis,
  type Inspector,
  type RunningApi,
} from './api.harness';

let redis: RedisServerHandle;
let api: RunningApi;
let store: Inspector;

beforeAll(async () => {
  ({ redis, api, store } = await startApiOnRedis({
    AUTH_MODE: 'session',
    SESSION_STORE: 'redis',
    SESSION_SECRET,
  }));
});

afterAll(() => stopApiOnRedis({ redis, api, store }));

async function login(i: number, headers: Record<string, string> = {}): Promise<string> {
  const res = await request(api.url).post('/auth/login').set(headers).send(credentials(i)).expect(200);
  const cookie = cookieOf(res.headers['set-cookie'], 'sid');
  if (!cookie) throw new Error('login set no sid cookie');
  return cookie;
}

const sidOf = (cookie: string) =>
  decodeURIComponent(cookie.slice('sid='.length)).slice(2).split('.')[0] as string;

describe('session mode with a Redis store', () => {
  test('login answers the user and sets an HttpOnly, SameSite=Lax, Path=/ cookie without Secure over plain HTTP (1)', async () => {
    const res = await request(api.url).post('/auth/login').send(credentials(3)).expect(200);
    expect(res.body).toEqual({ user: { id: 3, username: 'user3' } });
    const line = (res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('sid='));
    expect(line).toMatch(/; Path=\//);
    expect(line).toMatch(/; HttpOnly/);
    expect(line).toMatch(/; SameSite=Lax/);
    expect(line).not.toMatch(/Secure/);
    expect(line).not.toMatch(/Max-Age|Expires/);
    // Name plus value stay far below the 4096-byte cookie limit (27).
    expect((line as string).split(';')[0]!.length).toBeLessThan(200);
  });

  test('behind a trusted TLS proxy the cookie is __Host-sid with Secure (1)', async () => {
    const res = await request(api.url)
      .post('/auth/login')
      .set('x-forwarded-proto', 'https')
      .send(credentials(4))
      .expect(200);
    const line = (res.headers['set-cookie'] as unknown as string[])[0] as string;
    expect(line).toMatch(/^__Host-sid=/);
    expect(line).toMatch(/; Secure/);
    expect(line).toMatch(/; Path=\//);
    const cookie = line.split(';')[0] as string;
    await request(api.url).get('/api/me').set('x-forwarded-proto', 'https').set('cookie', cookie).expect(200);
  });

  test('the session id in the cookie carries at least 128 bits (192 bits of base64url) (2)', async () => {
    const sid = sidOf(await login(5));
    expect(sid).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  test('a session id sent in the query string or the body is ignored (3)', async () => {
    const sid = sidOf(await login(6));
    await request(api.url).get(`/api/me?sid=${sid}&connect.sid=${sid}`).expect(401);
    await request(api.url).post('/auth/logout').send({ sid }).expect(401);
  });

  test('login issues a new session id and the pre-login cookie stops working (4)', async () => {
    const first = await login(7);
    const second = await login(7, { cookie: first });
    expect(second).not.toBe(first);
    await request(api.url).get('/api/me').set('cookie', first).expect(401);
    await request(api.url).get('/api/me').set('cookie', second).expect(200);
    expect(await store.exists(`sess:${sidOf(first)}`)).toBe(0);
  });

  test('a cookie with a tampered signature gets 401 and creates no store entry (5)', async () => {
    const cookie = await login(8);
    const tampered = cookie.slice(0, -3) + (cookie.endsWith('AAA') ? 'BBB' : 'AAA');
    const before = await store.dbSize();
    const res = await request(api.url).get('/api/me').set('cookie', tampered).expect(401);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(await store.dbSize()).toBe(before);
  });

  test('logout deletes the store entry, clears the cookie, and the old cookie then gets 401 (8)', async () => {
    const cookie = await login(9);
    expect(await store.exists(`sess:${sidOf(cookie)}`)).toBe(1);
    const res = await request(api.url).post('/auth/logout').set('cookie', cookie).expect(204);
    expect((res.headers['set-cookie'] as unknown as string[])[0]).toMatch(
      /^sid=; .*Expires=Thu, 01 Jan 1970/,
    );
    expect(await store.exists(`sess:${sidOf(cookie)}`)).toBe(0);
    await request(api.url).get('/api/me').set('cookie', cookie).expect(401);
  });

  test('health checks and anonymous requests create no session and set no cookie (10)', async () => {
    const before = await store.dbSize();
    for (const path of ['/healthz', '/readyz', '/metrics', '/api/me', '/api/items', '/nowhere']) {
      const res = await request(api.url).get(path);
      expect(res.headers['set-cookie']).toBeUndefined();
      expect(res.headers['x-replica']).toBe('r0');
    }
    await request(api.url).get('/readyz').expect(200, { status: 'ok', store: 'up' });
    expect(await store.dbSize()).toBe(before);
  });

  test('an authenticated read costs exactly one store read (GET) and no store write (11, 14)', async () => {
    const cookie = await login(10);
    await store.configResetStat();
    const reads = 50;
    for (let i = 0; i < reads; i++)
      await request(api.url)
        .get(i % 2 ? '/api/me' : '/api/items')
        .set('cookie', cookie)
        .expect(200);
    const counts = await commandCounts(store);
    // The inspector's own CONFIG RESETSTAT is the only other command (INFO counts itself after replying).
    expect(counts).toEqual({ get: reads, 'config|resetstat': 1 });
  });

  test('GET /auth/logout does not exist: GET never changes state (14)', async () => {
    const cookie = await login(11);
    await request(api.url).get('/auth/logout').set('cookie', cookie).expect(404);
    await request(api.url).get('/api/me').set('cookie', cookie).expect(200);
  });

  test('a state-changing request from a foreign Origin or a cross-site fetch is refused with 403, login included (13)', async () => {
    await request(api.url)
      .post('/auth/login')
      .set('origin', 'https://evil.example')
      .send(credentials(12))
      .expect(403);
    await request(api.url)
      .post('/auth/login')
      .set('sec-fetch-site', 'cross-site')
      .send(credentials(12))
      .expect(403);
    await request(api.url)
      .post('/auth/login')
      .set('origin', 'http://127.0.0.1.evil.example')
      .send(credentials(12))
      .expect(403);
    // Same host, port dropped (as behind nginx's `Host $host`): still this site.
    await request(api.url)
      .post('/auth/login')
      .set('origin', 'http://127.0.0.1:1')
      .send(credentials(12))
      .expect(200);
    const cookie = await login(12, { origin: api.url });
    await request(api.url).post('/auth/logout').set('cookie', cookie).set('origin', 'null').expect(403);
    await request(api.url).get('/api/me').set('cookie', cookie).expect(200);
  });
});
