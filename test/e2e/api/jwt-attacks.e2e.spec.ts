/**
 * jwt mode (HS256, no revocation) against crafted tokens: docs/security.md requirements
 * 15-22 and 27. Every forged token must get 401, and a well-formed token
 * signed with the real key must get 200, so the 401s are not an accident.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPairSync } from 'node:crypto';
import request from 'supertest';
import { credentials, JWT_SECRET, startApi, type RunningApi } from './api.harness';
import { decodePart, forgeHs256, forgeUnsigned, goodHeader, validClaims } from './jwt.forge';

let api: RunningApi;

beforeAll(async () => {
  api = await startApi({ AUTH_MODE: 'jwt', JWT_SECRET });
});

afterAll(async () => {
  await api?.close();
});

const me = (token: string) => request(api.url).get('/api/me').set('authorization', `Bearer ${token}`);
const now = () => Math.floor(Date.now() / 1000);

describe('jwt mode against crafted tokens', () => {
  test('a token forged with the real key and valid claims is accepted (the control for every 401 below)', async () => {
    await me(forgeHs256(goodHeader(), validClaims(), JWT_SECRET)).expect(200, { id: 1, username: 'user1' });
  });

  test('login answers a bearer token whose payload holds only sub, iss, aud, iat, exp and jti (27)', async () => {
    const res = await request(api.url).post('/auth/login').send(credentials(40)).expect(200);
    expect(res.body).toEqual({ accessToken: expect.any(String), tokenType: 'Bearer', expiresIn: 900 });
    expect(res.headers['set-cookie']).toBeUndefined();
    const token = res.body.accessToken as string;
    expect(decodePart(token, 0)).toEqual({ alg: 'HS256', typ: 'at+jwt', kid: 'k1' });
    expect(Object.keys(decodePart(token, 1)).sort()).toEqual(['aud', 'exp', 'iat', 'iss', 'jti', 'sub']);
    await me(token).expect(200, { id: 40, username: 'user40' });
  });

  test('alg "none" gets 401 (15)', async () => {
    await me(forgeUnsigned(goodHeader({ alg: 'none' }), validClaims())).expect(401);
    await me(forgeUnsigned(goodHeader({ alg: 'None' }), validClaims())).expect(401);
  });

  test('an HS256 token signed with the bytes of a public key gets 401 (16)', async () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = publicKey.export({ type: 'spki', format: 'pem' });
    await me(forgeHs256(goodHeader(), validClaims(), pem)).expect(401);
  });

  test('an algorithm outside the allowlist gets 401 even with the right secret (17)', async () => {
    await me(forgeHs256(goodHeader({ alg: 'HS512' }), validClaims(), JWT_SECRET, 'sha512')).expect(401);
    await me(forgeHs256(goodHeader({ alg: 'HS384' }), validClaims(), JWT_SECRET, 'sha384')).expect(401);
  });

  test('one changed byte in the signature gets 401 (18)', async () => {
    const token = forgeHs256(goodHeader(), validClaims(), JWT_SECRET);
    const last = token.at(-2) === 'A' ? 'B' : 'A';
    await me(`${token.slice(0, -2)}${last}${token.at(-1)}`).expect(401);
  });

  test('expired, not yet valid, and exp-less tokens get 401; leeway stays within 60 s (19)', async () => {
    await me(forgeHs256(goodHeader(), validClaims({ iat: now() - 400, exp: now() - 61 }), JWT_SECRET)).expect(
      401,
    );
    await me(forgeHs256(goodHeader(), validClaims({ nbf: now() + 61 }), JWT_SECRET)).expect(401);
    const { exp: _exp, ...noExp } = validClaims();
    await me(forgeHs256(goodHeader(), noExp, JWT_SECRET)).expect(401);
    // Within the 30 s clock tolerance a just-expired token still passes: the tolerance is real, and small.
    await me(forgeHs256(goodHeader(), validClaims({ iat: now() - 100, exp: now() - 5 }), JWT_SECRET)).expect(
      200,
    );
  });

  test('a token living longer than 15 minutes gets 401 (26)', async () => {
    await me(forgeHs256(goodHeader(), validClaims({ exp: now() + 3600 }), JWT_SECRET)).expect(401);
  });

  test('wrong or missing iss or aud gets 401 (20)', async () => {
    await me(forgeHs256(goodHeader(), validClaims({ iss: 'someone-else' }), JWT_SECRET)).expect(401);
    await me(forgeHs256(goodHeader(), validClaims({ aud: 'another-api' }), JWT_SECRET)).expect(401);
    const { iss: _iss, ...noIss } = validClaims();
    await me(forgeHs256(goodHeader(), noIss, JWT_SECRET)).expect(401);
    const { aud: _aud, ...noAud } = validClaims();
    await me(forgeHs256(goodHeader(), noAud, JWT_SECRET)).expect(401);
  });

  test('a token of another type (typ not at+jwt, e.g. a refresh or ID token) gets 401 (21)', async () => {
    await me(forgeHs256(goodHeader({ typ: 'refresh+jwt' }), validClaims(), JWT_SECRET)).expect(401);
    await me(forgeHs256(goodHeader({ typ: 'JWT' }), validClaims(), JWT_SECRET)).expect(401);
  });

  test('an unknown or injected kid gets 401 (22)', async () => {
    await me(forgeHs256(goodHeader({ kid: 'k9' }), validClaims(), JWT_SECRET)).expect(401);
    await me(forgeHs256(goodHeader({ kid: '../../dev/null' }), validClaims(), '')).expect(401);
    const { kid: _kid, ...noKid } = goodHeader();
    await me(forgeHs256(noKid, validClaims(), JWT_SECRET)).expect(401);
  });

  test('jku, x5u and jwk headers are ignored: no fetch happens and a self-supplied key is not trusted (22)', async () => {
    let fetches = 0;
    const keyServer: Server = createServer((_req, res) => {
      fetches += 1;
      res.end('{"keys":[]}');
    });
    await new Promise<void>((resolve) => keyServer.listen(0, '127.0.0.1', resolve));
    try {
      const where = `http://127.0.0.1:${(keyServer.address() as AddressInfo).port}/keys`;
      const attackerSecret = 'attacker-secret-attacker-secret-0000';
      const jwk = { kty: 'oct', k: Buffer.from(attackerSecret).toString('base64url') };
      for (const extra of [{ jku: where }, { x5u: where }, { jwk }]) {
        await me(forgeHs256(goodHeader(extra), validClaims(), attackerSecret)).expect(401);
      }
      // With the real key the extra headers change nothing (they are simply not read).
      await me(forgeHs256(goodHeader({ jku: where }), validClaims(), JWT_SECRET)).expect(200);
      expect(fetches).toBe(0);
    } finally {
      await new Promise((resolve) => keyServer.close(resolve));
    }
  });

  test('a user id outside the directory gets 401', async () => {
    await me(forgeHs256(goodHeader(), validClaims({ sub: '999999' }), JWT_SECRET)).expect(401);
    await me(forgeHs256(goodHeader(), validClaims({ sub: 'admin' }), JWT_SECRET)).expect(401);
  });

  test('garbage in the Authorization header gets a short JSON 401', async () => {
    for (const value of ['Bearer', 'Bearer x.y.z', 'Basic dXNlcjpwYXNz', `Bearer ${'a'.repeat(5000)}`]) {
      const res = await request(api.url).get('/api/me').set('authorization', value).expect(401);
      expect(res.body).toEqual({ error: 'unauthorized', message: expect.any(String) });
    }
  });

  test('logout without revocation answers 204 and the token honestly stays valid until it expires', async () => {
    const res = await request(api.url)
      .post('/auth/logout')
      .set('authorization', `Bearer ${forgeHs256(goodHeader(), validClaims(), JWT_SECRET)}`)
      .expect(204);
    expect(res.text).toBe('');
  });

  test('cross-site checks (13) and cookie items (1-12) do not apply to bearer tokens: no cookie is ever set, and a foreign Origin is served because a browser never attaches a bearer token by itself', async () => {
    const login = await request(api.url)
      .post('/auth/login')
      .set('origin', 'https://evil.example')
      .send(credentials(41))
      .expect(200);
    expect(login.headers['set-cookie']).toBeUndefined();
    const bearer = `Bearer ${login.body.accessToken as string}`;
    await request(api.url)
      .post('/auth/logout')
      .set('authorization', bearer)
      .set('sec-fetch-site', 'cross-site')
      .expect(204);
    // Without the header the browser would have to add, the request is anonymous.
    await request(api.url).post('/auth/logout').set('origin', 'https://evil.example').expect(401);
  });
});
