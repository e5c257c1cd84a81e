/**
 * AUTH_MODE=none, the baseline setup (docs/api-contract.md, docs/security.md
 * "AUTH_MODE=none"): the measured routes answer 200 with the body shape of
 * the other modes for a fixed synthetic user, every /auth/* route is 404, no
 * auth middleware is mounted, and the modes that check a credential still
 * refuse a request without one, whatever it carries.
 */
import request from 'supertest';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { startRedisServer, type RedisServerHandle } from '../../../infra/process/redis-server';
import { credentials, JWT_SECRET, SESSION_SECRET, startApi, type RunningApi } from './api.harness';

let redis: RedisServerHandle;
let none: RunningApi;
let jwt: RunningApi;
const apis: RunningApi[] = [];

async function start(env: Record<string, string>): Promise<RunningApi> {
  const api = await startApi(env);
  apis.push(api);
  return api;
}

beforeAll(async () => {
  redis = await startRedisServer();
  none = await start({ AUTH_MODE: 'none' });
  jwt = await start({ AUTH_MODE: 'jwt', JWT_SECRET });
});

afterAll(async () => {
  for (const api of apis) await api.close();
  await redis?.stop();
});

interface Layer {
  route?: unknown;
  handle: { name: string };
}

/** The function names of the Express-level middleware (route layers left out) requests meet. */
function middlewareNames(api: RunningApi): string[] {
  const app = api.handle.app as NestExpressApplication;
  const express = app.getHttpAdapter().getInstance() as { router: { stack: Layer[] } };
  return express.router.stack.filter((layer) => !layer.route).map((layer) => layer.handle.name);
}

/** Keys of a JSON body, nested one level, as a shape to compare across modes. */
function shapeOf(body: Record<string, unknown>): string[] {
  return Object.entries(body)
    .flatMap(([k, v]) =>
      Array.isArray(v)
        ? [k, ...Object.keys((v[0] ?? {}) as object).map((i) => `${k}[].${i}`)]
        : [`${k}:${typeof v}`],
    )
    .sort();
}

describe('AUTH_MODE=none', () => {
  test('GET /api/me answers 200 without a credential, for the fixed synthetic user, with no cookie set (46)', async () => {
    const res = await request(none.url).get('/api/me').expect(200);
    expect(res.body).toEqual({ id: 0, username: 'baseline' });
    expect(res.headers['x-replica']).toBe('r0');
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  test.each(['/api/me', '/api/items'])('%s has the same body shape as in jwt mode (46)', async (path) => {
    const login = await request(jwt.url).post('/auth/login').send(credentials(3)).expect(200);
    const withAuth = await request(jwt.url)
      .get(path)
      .set('authorization', `Bearer ${login.body.accessToken as string}`)
      .expect(200);
    const withoutAuth = await request(none.url).get(path).expect(200);
    expect(shapeOf(withoutAuth.body as Record<string, unknown>)).toEqual(
      shapeOf(withAuth.body as Record<string, unknown>),
    );
    if (path === '/api/items') expect(withoutAuth.body.items).toEqual(withAuth.body.items);
  });

  test.each([
    ['post', '/auth/login'],
    ['post', '/auth/logout'],
    ['post', '/auth/refresh'],
    ['get', '/auth/login'],
  ] as const)('%s %s is 404: there is no login in this mode (46)', async (method, path) => {
    const res = await request(none.url)[method](path).send(credentials(1)).expect(404);
    expect(res.body).toMatchObject({ error: 'not_found' });
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  test('a route the bench does not measure stays closed (404), and health answers as in every mode (46)', async () => {
    await request(none.url).get('/api/users').expect(404);
    await request(none.url).get('/readyz').expect(200, { status: 'ok' });
  });

  test('no auth middleware is mounted: the same Express layers as jwt mode, fewer than session and hybrid (46)', async () => {
    const session = await start({ AUTH_MODE: 'session', SESSION_SECRET });
    const hybrid = await start({ AUTH_MODE: 'hybrid', REDIS_URL: redis.url, JWT_SECRET });
    const names = middlewareNames(none);
    // jwt mode mounts no Express middleware of its own (its check is the guard).
    expect(names).toEqual(middlewareNames(jwt));
    // The comparison can see auth middleware: session mounts an origin check and the session layer,
    // hybrid an origin check and the cookie parser.
    expect(middlewareNames(session).length).toBe(names.length + 2);
    expect(middlewareNames(hybrid).length).toBe(names.length + 2);
    expect(names).not.toContain('originCheck');
    expect(none.handle.directory).toBeNull();
  });
});

describe('the modes that check a credential cannot be switched off per request', () => {
  const modes: [string, () => Record<string, string>][] = [
    ['session (memory)', () => ({ AUTH_MODE: 'session', SESSION_SECRET })],
    [
      'session (redis)',
      () => ({ AUTH_MODE: 'session', SESSION_STORE: 'redis', REDIS_URL: redis.url, SESSION_SECRET }),
    ],
    ['jwt', () => ({ AUTH_MODE: 'jwt', JWT_SECRET })],
    ['jwt-denylist', () => ({ AUTH_MODE: 'jwt', REVOCATION: 'denylist', REDIS_URL: redis.url, JWT_SECRET })],
    ['hybrid', () => ({ AUTH_MODE: 'hybrid', REDIS_URL: redis.url, JWT_SECRET })],
  ];

  test.each(modes)(
    '%s: no credential, or anything that names the none mode, is 401 (46)',
    async (_name, env) => {
      const api = await start(env());
      const attempts: [string, Record<string, string>][] = [
        ['/api/me', {}],
        ['/api/items', {}],
        ['/api/me?auth=none&AUTH_MODE=none', {}],
        ['/api/me', { 'x-auth-mode': 'none', 'auth-mode': 'none' }],
        ['/api/me', { authorization: 'None' }],
        ['/api/me', { authorization: 'Bearer ' }],
        ['/api/me', { cookie: 'sid=baseline' }],
      ];
      for (const [path, headers] of attempts) {
        const res = await request(api.url).get(path).set(headers);
        expect({ path, headers, status: res.status }).toEqual({ path, headers, status: 401 });
        expect(JSON.stringify(res.body)).not.toContain('baseline');
      }
    },
  );
});
