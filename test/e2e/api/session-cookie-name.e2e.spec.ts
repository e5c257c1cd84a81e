/**
 * One rule names the session cookie (docs/security.md, requirements 1 and 8):
 * logout clears the cookie login set, whatever COOKIE_SECURE says and however
 * the request arrived. With COOKIE_SECURE=false behind a TLS proxy, login sets
 * `sid`; logout used to clear `__Host-sid` instead, leaving `sid` in place.
 */
import request from 'supertest';
import { cookieOf, credentials, SESSION_SECRET, startApi, type RunningApi } from './api.harness';

describe.each([
  ['false', 'https', 'sid'],
  ['auto', 'https', '__Host-sid'],
  ['auto', 'http', 'sid'],
] as const)('COOKIE_SECURE=%s, request over %s', (mode, proto, name) => {
  let api: RunningApi;

  beforeAll(async () => {
    api = await startApi({ AUTH_MODE: 'session', SESSION_SECRET, COOKIE_SECURE: mode });
  });

  afterAll(async () => {
    await api?.close();
  });

  test(`login sets ${name} and logout clears that same cookie`, async () => {
    const login = await request(api.url)
      .post('/auth/login')
      .set('x-forwarded-proto', proto)
      .send(credentials(20))
      .expect(200);
    const cookie = cookieOf(login.headers['set-cookie'], name);
    expect(cookie).not.toBeNull();
    const logout = await request(api.url)
      .post('/auth/logout')
      .set('x-forwarded-proto', proto)
      .set('cookie', cookie as string)
      .expect(204);
    const cleared = (logout.headers['set-cookie'] as unknown as string[] | undefined) ?? [];
    expect(cleared.map((c) => c.split('=')[0])).toEqual([name]);
  });
});
