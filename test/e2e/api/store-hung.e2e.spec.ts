/**
 * A hung store is not a down store (docs/security.md, "Store outages"): a
 * redis-server stopped with SIGSTOP keeps its sockets open and answers
 * nothing. Every mode that uses Redis must then answer 503 with Retry-After
 * within STORE_TIMEOUT_MS (plus scheduling slack on a shared 2-core machine),
 * never hang, and recover once Redis continues. The server is SIGCONTed and
 * stopped after every test, also when the test fails.
 */
import request from 'supertest';
import { startRedisServer, type RedisServerHandle } from '../../../infra/process/redis-server';
import { cookieOf, credentials, JWT_SECRET, SESSION_SECRET, startApi, type RunningApi } from './api.harness';

const STORE_TIMEOUT_MS = 1000;
/** Bound on each answer: the store timeout plus slack for a loaded machine. */
const ANSWER_WITHIN_MS = STORE_TIMEOUT_MS + 1500;
/** A request that gets no answer at all fails here instead of hanging the suite. */
const CLIENT_GIVES_UP_MS = 10_000;

let redis: RedisServerHandle | null = null;
let api: RunningApi | null = null;
let stopped = false;

function hang(): void {
  process.kill((redis as RedisServerHandle).pid, 'SIGSTOP');
  stopped = true;
}

function resume(): void {
  if (stopped && redis) process.kill(redis.pid, 'SIGCONT');
  stopped = false;
}

afterEach(async () => {
  resume();
  await api?.close().catch(() => undefined);
  await redis?.stop();
  api = null;
  redis = null;
});

async function start(env: Record<string, string>): Promise<RunningApi> {
  redis = await startRedisServer();
  api = await startApi({ REDIS_URL: redis.url, STORE_TIMEOUT_MS: String(STORE_TIMEOUT_MS), ...env });
  return api;
}

/** Sends one request and checks it answers 503 + Retry-After within the bound. */
async function expectBounded503(req: request.Test): Promise<void> {
  const started = Date.now();
  const res = await req.timeout(CLIENT_GIVES_UP_MS);
  const ms = Date.now() - started;
  expect(res.status).toBe(503);
  expect(res.headers['retry-after']).toBe('1');
  expect(res.body).toEqual({ error: 'store_unavailable', message: expect.any(String) });
  expect(ms).toBeLessThan(ANSWER_WITHIN_MS);
}

/** After SIGCONT the same credential works again (bounded: 20 tries, 250 ms apart). */
async function recovers(send: () => request.Test): Promise<void> {
  resume();
  for (let i = 0; i < 20; i++) {
    const res = await send().timeout(CLIENT_GIVES_UP_MS);
    if (res.status === 200) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('the API did not recover after Redis continued');
}

describe('with Redis hung by SIGSTOP', () => {
  test('session-redis: /api/me, login and /readyz answer 503 + Retry-After within the store timeout', async () => {
    const app = await start({ AUTH_MODE: 'session', SESSION_STORE: 'redis', SESSION_SECRET });
    const res = await request(app.url).post('/auth/login').send(credentials(1)).expect(200);
    const cookie = cookieOf(res.headers['set-cookie'], 'sid') as string;
    hang();
    await expectBounded503(request(app.url).get('/api/me').set('cookie', cookie));
    await expectBounded503(request(app.url).post('/auth/login').send(credentials(2)));
    const ready = await request(app.url).get('/readyz').timeout(CLIENT_GIVES_UP_MS);
    expect(ready.status).toBe(503);
    await recovers(() => request(app.url).get('/api/me').set('cookie', cookie));
  });

  test('jwt-denylist: /api/me and logout answer 503 + Retry-After within the store timeout', async () => {
    const app = await start({ AUTH_MODE: 'jwt', REVOCATION: 'denylist', JWT_SECRET });
    const res = await request(app.url).post('/auth/login').send(credentials(3)).expect(200);
    const bearer = `Bearer ${res.body.accessToken as string}`;
    hang();
    await expectBounded503(request(app.url).get('/api/me').set('authorization', bearer));
    await expectBounded503(request(app.url).post('/auth/logout').set('authorization', bearer));
    await recovers(() => request(app.url).get('/api/me').set('authorization', bearer));
  });

  test('hybrid: refresh and login answer 503 + Retry-After within the store timeout; reads with a live access token still work', async () => {
    const app = await start({ AUTH_MODE: 'hybrid', JWT_SECRET });
    const res = await request(app.url).post('/auth/login').send(credentials(4)).expect(200);
    const rt = cookieOf(res.headers['set-cookie'], 'rt') as string;
    hang();
    await expectBounded503(request(app.url).post('/auth/refresh').set('cookie', rt));
    await expectBounded503(request(app.url).post('/auth/login').send(credentials(5)));
    await request(app.url)
      .get('/api/me')
      .set('authorization', `Bearer ${res.body.accessToken as string}`)
      .timeout(CLIENT_GIVES_UP_MS)
      .expect(200);
    await recovers(() => request(app.url).post('/auth/login').send(credentials(5)));
  });

  test('closing the app (SIGTERM path) finishes within the store timeout while Redis is hung', async () => {
    const app = await start({ AUTH_MODE: 'jwt', REVOCATION: 'denylist', JWT_SECRET });
    const res = await request(app.url).post('/auth/login').send(credentials(6)).expect(200);
    hang();
    // A command left waiting on the hung socket, as a request in flight would leave it.
    await expectBounded503(
      request(app.url).get('/api/me').set('authorization', `Bearer ${res.body.accessToken}`),
    );
    const started = Date.now();
    const closed = await Promise.race([
      app.close().then(() => 'closed'),
      new Promise((r) => setTimeout(() => r('still closing'), CLIENT_GIVES_UP_MS)),
    ]);
    expect(closed).toBe('closed');
    expect(Date.now() - started).toBeLessThan(ANSWER_WITHIN_MS);
  });
});
