/**
 * Session mode with the per-replica memory store (the sticky and ip_hash
 * setups): same behaviour as Redis, plus the bound on the number of sessions.
 */
import request from 'supertest';
import { cookieOf, credentials, SESSION_SECRET, startApi, type RunningApi } from './api.harness';

let api: RunningApi;

beforeAll(async () => {
  api = await startApi({
    AUTH_MODE: 'session',
    SESSION_STORE: 'memory',
    SESSION_SECRET,
    MEMORY_STORE_MAX_SESSIONS: '2',
    REPLICA_ID: 'mem-1',
  });
});

afterAll(async () => {
  await api?.close();
});

async function login(i: number): Promise<string> {
  const res = await request(api.url).post('/auth/login').send(credentials(i)).expect(200);
  return cookieOf(res.headers['set-cookie'], 'sid') as string;
}

describe('session mode with the memory store', () => {
  test('a logged-in user reads /api/me and /api/items, every answer tagged with the replica id', async () => {
    const cookie = await login(30);
    const me = await request(api.url).get('/api/me').set('cookie', cookie).expect(200);
    expect(me.body).toEqual({ id: 30, username: 'user30' });
    expect(me.headers['x-replica']).toBe('mem-1');
    const items = await request(api.url).get('/api/items').set('cookie', cookie).expect(200);
    expect(items.text.length).toBeGreaterThan(800);
    expect(items.text.length).toBeLessThan(1300);
  });

  test('readiness is 200 without a store to check', async () => {
    await request(api.url).get('/readyz').expect(200, { status: 'ok' });
  });

  test('the store keeps at most MEMORY_STORE_MAX_SESSIONS sessions, dropping the least recently written', async () => {
    const first = await login(31);
    const second = await login(32);
    const third = await login(33);
    await request(api.url).get('/api/me').set('cookie', first).expect(401);
    await request(api.url).get('/api/me').set('cookie', second).expect(200);
    await request(api.url).get('/api/me').set('cookie', third).expect(200);
  });

  test('logout ends the session in memory too (8)', async () => {
    const cookie = await login(34);
    await request(api.url).post('/auth/logout').set('cookie', cookie).expect(204);
    await request(api.url).get('/api/me').set('cookie', cookie).expect(401);
  });

  test('/metrics serves Prometheus text with response counts by route and status, labelled with the replica', async () => {
    await request(api.url).get('/api/me').expect(401);
    const res = await request(api.url).get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain;.*version=0.0.4/);
    expect(res.text).toMatch(
      /^authscale_http_responses_total\{route="\/api\/me",status="401",replica="mem-1"\} [1-9]\d*$/m,
    );
    expect(res.text).toMatch(/^authscale_logins_total\{outcome="ok",replica="mem-1"\} [1-9]\d*$/m);
    expect(res.text).toMatch(/^authscale_password_verify_seconds_count\{replica="mem-1"\} [1-9]\d*$/m);
  });
});
