/**
 * REVOCATION=denylist against a real Redis: logout lists the jti until exp
 * (25), each request costs one EXISTS, and the two failure modes when Redis
 * is gone: closed -> 503, open -> the token is accepted.
 */
import request from 'supertest';
import { startRedisServer, type RedisServerHandle } from '../../../infra/process/redis-server';
import {
  commandCounts,
  credentials,
  JWT_SECRET,
  startApi,
  startApiOnRedis,
  stopApiOnRedis,
  type Inspector,
  type RunningApi,
} from './api.harness';
import { decodePart } from './jwt.forge';
import { CLOCK_TOLERANCE_SECONDS } from '../../../apps/api/src/auth/jwt/claims.policy';

let redis: RedisServerHandle;
let api: RunningApi;
let store: Inspector;

beforeAll(async () => {
  ({ redis, api, store } = await startApiOnRedis({ AUTH_MODE: 'jwt', REVOCATION: 'denylist', JWT_SECRET }));
});

afterAll(() => stopApiOnRedis({ redis, api, store }));

async function token(i: number, url = api.url): Promise<string> {
  const res = await request(url).post('/auth/login').send(credentials(i)).expect(200);
  return res.body.accessToken as string;
}

describe('jwt mode with a Redis denylist', () => {
  test('logout denylists the jti until the token can no longer verify (exp plus clock tolerance); the token then gets 401, other tokens still work (25)', async () => {
    const first = await token(60);
    const second = await token(60);
    await request(api.url).post('/auth/logout').set('authorization', `Bearer ${first}`).expect(204);
    await request(api.url).get('/api/me').set('authorization', `Bearer ${first}`).expect(401);
    await request(api.url).get('/api/me').set('authorization', `Bearer ${second}`).expect(200);
    const { jti, exp } = decodePart(first, 1) as { jti: string; exp: number };
    const ttl = await store.ttl(`deny:${jti}`);
    // A shorter entry would let the revoked token back in for the verifier's tolerance.
    const untilUnverifiable = exp + CLOCK_TOLERANCE_SECONDS - Math.floor(Date.now() / 1000);
    expect(ttl).toBeGreaterThanOrEqual(untilUnverifiable - 2);
    expect(ttl).toBeLessThanOrEqual(untilUnverifiable + 1);
  });

  test('each authenticated read costs one EXISTS and no write', async () => {
    const bearer = `Bearer ${await token(61)}`;
    await store.configResetStat();
    for (let i = 0; i < 40; i++)
      await request(api.url).get('/api/me').set('authorization', bearer).expect(200);
    expect(await commandCounts(store)).toEqual({ exists: 40, 'config|resetstat': 1 });
  });
});

describe.each([
  ['closed', 503],
  ['open', 200],
] as const)('jwt denylist with REVOCATION_FAIL_MODE=%s when Redis goes down', (mode, expected) => {
  test(`a valid token gets ${expected}`, async () => {
    const own = await startRedisServer();
    const app = await startApi({
      AUTH_MODE: 'jwt',
      REVOCATION: 'denylist',
      REVOCATION_FAIL_MODE: mode,
      REDIS_URL: own.url,
      JWT_SECRET,
    });
    try {
      const bearer = `Bearer ${await token(62, app.url)}`;
      await own.stop();
      await request(app.url).get('/api/me').set('authorization', bearer).expect(expected);
      await request(app.url).get('/readyz').expect(503);
    } finally {
      await app.close();
      await own.stop();
    }
  });
});
