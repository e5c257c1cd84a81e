/**
 * Response headers (docs/security.md, "Response headers"): every answer that
 * carries a token or a session cookie says Cache-Control: no-store, and every
 * API answer carries X-Content-Type-Options: nosniff.
 */
import request from 'supertest';
import { startRedisServer, type RedisServerHandle } from '../../../infra/process/redis-server';
import { cookieOf, credentials, JWT_SECRET, SESSION_SECRET, startApi, type RunningApi } from './api.harness';

let redis: RedisServerHandle;
const apis: RunningApi[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
});

afterAll(async () => {
  for (const api of apis) await api.close();
  await redis?.stop();
});

async function start(env: Record<string, string>): Promise<RunningApi> {
  const api = await startApi(env);
  apis.push(api);
  return api;
}

const noStore = (res: request.Response) => expect(res.headers['cache-control']).toBe('no-store');
const nosniff = (res: request.Response) => expect(res.headers['x-content-type-options']).toBe('nosniff');

describe('response headers', () => {
  test('jwt: the login answer (a bearer token) is no-store; API answers, errors and 404s are nosniff', async () => {
    const api = await start({ AUTH_MODE: 'jwt', JWT_SECRET });
    const login = await request(api.url).post('/auth/login').send(credentials(1)).expect(200);
    noStore(login);
    nosniff(login);
    const me = await request(api.url)
      .get('/api/me')
      .set('authorization', `Bearer ${login.body.accessToken as string}`)
      .expect(200);
    nosniff(me);
    nosniff(await request(api.url).get('/api/me').expect(401));
    nosniff(await request(api.url).get('/nowhere').expect(404));
    noStore(
      await request(api.url).post('/auth/login').send({ username: 'user1', password: 'x' }).expect(401),
    );
  });

  test('hybrid: login and refresh answers (access token and refresh cookie) are no-store', async () => {
    const api = await start({ AUTH_MODE: 'hybrid', REDIS_URL: redis.url, JWT_SECRET });
    const login = await request(api.url).post('/auth/login').send(credentials(2)).expect(200);
    noStore(login);
    const rt = cookieOf(login.headers['set-cookie'], 'rt') as string;
    const refreshed = await request(api.url).post('/auth/refresh').set('cookie', rt).expect(200);
    noStore(refreshed);
    nosniff(refreshed);
  });

  test('session: the login answer (a session cookie) is no-store and nosniff', async () => {
    const api = await start({ AUTH_MODE: 'session', SESSION_SECRET });
    const login = await request(api.url).post('/auth/login').send(credentials(3)).expect(200);
    noStore(login);
    nosniff(login);
  });
});
