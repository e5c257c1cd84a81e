/**
 * jwt mode's algorithms and keys: RS256, ES256 and EdDSA round trips from PEM
 * files, RS256 key confusion (16), and key rotation by kid (23).
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { credentials, JWT_SECRET, startApi } from './api.harness';
import { decodePart, forgeHs256, goodHeader, validClaims } from './jwt.forge';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'authscale-api-keys-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function keyFiles(
  name: string,
  type: 'rsa' | 'ec' | 'ed25519',
): { privateFile: string; publicFile: string; publicPem: string } {
  const pair =
    type === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : type === 'ec'
        ? generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
        : generateKeyPairSync('ed25519');
  const privateFile = join(dir, `${name}.key`);
  const publicFile = join(dir, `${name}.pub`);
  const publicPem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  writeFileSync(privateFile, pair.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  writeFileSync(publicFile, publicPem);
  return { privateFile, publicFile, publicPem };
}

describe.each([
  ['RS256', 'rsa'],
  ['ES256', 'ec'],
  ['EdDSA', 'ed25519'],
] as const)('jwt mode with %s keys from PEM files', (alg, type) => {
  test(`login issues an ${alg} token that /api/me accepts, and a tampered one is refused`, async () => {
    const keys = keyFiles(alg, type);
    const api = await startApi({
      AUTH_MODE: 'jwt',
      JWT_ALG: alg,
      JWT_PRIVATE_KEY_FILE: keys.privateFile,
      JWT_PUBLIC_KEY_FILE: keys.publicFile,
    });
    try {
      const login = await request(api.url).post('/auth/login').send(credentials(50)).expect(200);
      const token = login.body.accessToken as string;
      expect(decodePart(token, 0)).toEqual({ alg, typ: 'at+jwt', kid: 'k1' });
      await request(api.url)
        .get('/api/me')
        .set('authorization', `Bearer ${token}`)
        .expect(200, { id: 50, username: 'user50' });
      const [h, p, s] = token.split('.') as [string, string, string];
      const otherPayload = Buffer.from(JSON.stringify({ ...decodePart(token, 1), sub: '51' })).toString(
        'base64url',
      );
      await request(api.url)
        .get('/api/me')
        .set('authorization', `Bearer ${h}.${otherPayload}.${s}`)
        .expect(401);
      await request(api.url)
        .get('/api/me')
        .set('authorization', `Bearer ${h}.${p}.${s.slice(0, -4)}AAAA`)
        .expect(401);
      // Key confusion: an HS256 token whose HMAC key is the server's public key (16).
      await request(api.url)
        .get('/api/me')
        .set('authorization', `Bearer ${forgeHs256(goodHeader(), validClaims(), keys.publicPem)}`)
        .expect(401);
    } finally {
      await api.close();
    }
  });
});

describe('jwt key rotation by kid', () => {
  const previousSecret = 'previous-secret-previous-secret-00';

  test('tokens of the previous kid work while that key is configured, then get 401 once it is retired (23)', async () => {
    const oldToken = forgeHs256(goodHeader({ kid: 'k1' }), validClaims({ sub: '2' }), previousSecret);
    const rotating = await startApi({
      AUTH_MODE: 'jwt',
      JWT_SECRET,
      JWT_KID: 'k2',
      JWT_PREVIOUS_KID: 'k1',
      JWT_PREVIOUS_SECRET: previousSecret,
    });
    try {
      await request(rotating.url).get('/api/me').set('authorization', `Bearer ${oldToken}`).expect(200);
      const fresh = await request(rotating.url).post('/auth/login').send(credentials(2)).expect(200);
      expect(decodePart(fresh.body.accessToken as string, 0).kid).toBe('k2');
      // The previous key only verifies: a k2 token signed with it is refused.
      await request(rotating.url)
        .get('/api/me')
        .set(
          'authorization',
          `Bearer ${forgeHs256(goodHeader({ kid: 'k2' }), validClaims(), previousSecret)}`,
        )
        .expect(401);
    } finally {
      await rotating.close();
    }
    const retired = await startApi({ AUTH_MODE: 'jwt', JWT_SECRET, JWT_KID: 'k2' });
    try {
      await request(retired.url).get('/api/me').set('authorization', `Bearer ${oldToken}`).expect(401);
    } finally {
      await retired.close();
    }
  });
});
