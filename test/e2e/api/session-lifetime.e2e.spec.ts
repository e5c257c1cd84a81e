/**
 * Session timeouts and store failure, with seconds-long limits so the test
 * stays short: docs/security.md requirements 6 (idle), 7 (absolute), 12 (a write racing a
 * slow request of the same session) and 9 (Redis down -> 503, never 200).
 */
import request from 'supertest';
import { setTimeout as sleep } from 'node:timers/promises';
import { startRedisServer, type RedisServerHandle } from '../../../infra/process/redis-server';
import {
  cookieOf,
  credentials,
  SESSION_SECRET,
  startApi,
  startApiOnRedis,
  stopApiOnRedis,
  type Inspector,
  type RunningApi,
} from './api.harness';

let redis: RedisServerHandle;
let api: RunningApi;
let store: Inspector;

// Idle 2 s (lastSeen refreshed when older than 200 ms), absolute 4 s.
beforeAll(async () => {
  ({ redis, api, store } = await startApiOnRedis({
    AUTH_MODE: 'session',
    SESSION_STORE: 'redis',
    SESSION_SECRET,
    SESSION_IDLE_SECONDS: '2',
    SESSION_ABSOLUTE_SECONDS: '4',
  }));
});

afterAll(() => stopApiOnRedis({ redis, api, store }));

async function login(i: number): Promise<{ cookie: string; key: string }> {
  const res = await request(api.url).post('/auth/login').send(credentials(i)).expect(200);
  const cookie = cookieOf(res.headers['set-cookie'], 'sid') as string;
  const sid = decodeURIComponent(cookie.slice(4)).slice(2).split('.')[0] as string;
  return { cookie, key: `sess:${sid}` };
}

describe('session lifetime with a Redis store', () => {
  test('the Redis key lives no longer than the idle timeout and a request after it gets 401 (6)', async () => {
    const { cookie, key } = await login(20);
    const ttl = await store.ttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(2);
    await sleep(2300);
    expect(await store.exists(key)).toBe(0);
    await request(api.url).get('/api/me').set('cookie', cookie).expect(401);
  });

  test('a session kept busy is still rejected once its absolute lifetime passes (7)', async () => {
    const { cookie } = await login(21);
    const start = Date.now();
    const statuses: Array<[number, number]> = [];
    // Bounded: at most 30 requests, 5 s.
    for (let i = 0; i < 30 && Date.now() - start < 5000; i++) {
      const res = await request(api.url).get('/api/me').set('cookie', cookie);
      statuses.push([Date.now() - start, res.status]);
      if (res.status === 401) break;
      await sleep(250);
    }
    const firstReject = statuses.find(([, status]) => status === 401);
    expect(firstReject).toBeDefined();
    // Busy the whole time (never idle 2 s), rejected only around the 4 s mark.
    expect((firstReject as [number, number])[0]).toBeGreaterThanOrEqual(3500);
    expect(statuses.filter(([at]) => at < 3500).every(([, status]) => status === 200)).toBe(true);
  });

  test('reads past the refresh interval rewrite lastSeen, even when several arrive at once, and extend the key to a full idle window (6)', async () => {
    const { cookie, key } = await login(22);
    const loginRecord = JSON.parse((await store.get(key)) as string) as { lastSeen?: number };
    expect(loginRecord.lastSeen).toBeUndefined();
    await sleep(300); // past the 200 ms refresh interval: the next read rewrites lastSeen
    const before = Date.now();
    await Promise.all(
      [1, 2, 3, 4].map(() => request(api.url).get('/api/me').set('cookie', cookie).expect(200)),
    );
    const record = JSON.parse((await store.get(key)) as string) as { lastSeen?: number };
    expect(record.lastSeen).toBeGreaterThanOrEqual(before);
    // The refresh also extended the key's life to a full idle window.
    expect(await store.pTTL(key)).toBeGreaterThan(1500);
  });
});

describe('session writes racing a slow read', () => {
  test('a change written while another request of the same session is in flight survives that request (12)', async () => {
    // Every authenticated request waits 400 ms (calibration delay) after loading the session.
    const slow = await startApi({
      AUTH_MODE: 'session',
      SESSION_STORE: 'redis',
      REDIS_URL: redis.url,
      SESSION_SECRET,
      CALIBRATION_DELAY_MS: '400',
    });
    try {
      const res = await request(slow.url).post('/auth/login').send(credentials(25)).expect(200);
      const cookie = cookieOf(res.headers['set-cookie'], 'sid') as string;
      const key = `sess:${decodeURIComponent(cookie.slice(4)).slice(2).split('.')[0] as string}`;
      const gets = async () =>
        Number(/cmdstat_get:calls=(\d+)/.exec(await store.info('commandstats'))?.[1] ?? 0);
      const before = await gets();
      // .then() sends now (supertest sends lazily, on the first then).
      const inFlight = request(slow.url)
        .get('/api/me')
        .set('cookie', cookie)
        .then((r) => r.status);
      // Wait for the event itself: the read has loaded the session (Redis counted its GET) and is now waiting.
      for (const deadline = Date.now() + 5000; (await gets()) === before && Date.now() < deadline;)
        await sleep(5);
      expect(await gets()).toBeGreaterThan(before);
      // The concurrent change: another request (or replica) updates the session.
      const record = JSON.parse((await store.get(key)) as string) as Record<string, unknown>;
      await store.set(key, JSON.stringify({ ...record, marker: 'written-meanwhile' }), { KEEPTTL: true });
      expect(await inFlight).toBe(200);
      const after = JSON.parse((await store.get(key)) as string) as Record<string, unknown>;
      // With resave: true the read would have written its stale copy back over the change.
      expect(after.marker).toBe('written-meanwhile');
    } finally {
      await slow.close();
    }
  });
});

describe('session mode when Redis goes down', () => {
  test('protected routes and login answer 503 (never 200), readiness reports 503, health stays 200 (9)', async () => {
    const own = await startRedisServer();
    const app = await startApi({
      AUTH_MODE: 'session',
      SESSION_STORE: 'redis',
      REDIS_URL: own.url,
      SESSION_SECRET,
    });
    try {
      const res = await request(app.url).post('/auth/login').send(credentials(23)).expect(200);
      const cookie = cookieOf(res.headers['set-cookie'], 'sid') as string;
      await request(app.url).get('/api/me').set('cookie', cookie).expect(200);
      await own.stop();
      const me = await request(app.url).get('/api/me').set('cookie', cookie);
      expect(me.status).toBe(503);
      expect(me.body).toEqual({
        error: 'store_unavailable',
        message: expect.stringMatching(/cannot be reached/),
      });
      await request(app.url).get('/api/items').set('cookie', cookie).expect(503);
      const again = await request(app.url).post('/auth/login').send(credentials(24));
      expect(again.status).toBe(503);
      await request(app.url).get('/readyz').expect(503);
      await request(app.url).get('/healthz').expect(200);
    } finally {
      await app.close();
      await own.stop();
    }
  });

  test('when Redis comes back on the same port the app reconnects by itself: ready again, logins work', async () => {
    const own = await startRedisServer();
    const app = await startApi({
      AUTH_MODE: 'session',
      SESSION_STORE: 'redis',
      REDIS_URL: own.url,
      SESSION_SECRET,
    });
    let again: RedisServerHandle | null = null;
    try {
      await own.stop();
      await request(app.url).get('/readyz').expect(503);
      again = await startRedisServer({ port: own.port });
      let ready = 0;
      // Bounded: 40 polls of 100 ms; the client retries every 500 ms at most.
      for (let i = 0; i < 40 && ready !== 200; i++) {
        ready = (await request(app.url).get('/readyz')).status;
        if (ready !== 200) await sleep(100);
      }
      expect(ready).toBe(200);
      const res = await request(app.url).post('/auth/login').send(credentials(26)).expect(200);
      await request(app.url)
        .get('/api/me')
        .set('cookie', cookieOf(res.headers['set-cookie'], 'sid') as string)
        .expect(200);
    } finally {
      await app.close();
      await own.stop();
      await again?.stop();
    }
  });
});
