/**
 * One claim policy for every algorithm (docs/security.md, "Access token
 * claims"): the same table of validly signed but unacceptable tokens is sent
 * to an API running each of the four supported algorithms, and each answer
 * must be the same. Tokens are signed here with node:crypto, so that claims
 * jsonwebtoken would refuse to sign (a string nbf) can be sent at all.
 */
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { JWT_SECRET, startApi, type RunningApi } from './api.harness';
import { forgeHs256, goodHeader, validClaims } from './jwt.forge';

type Alg = 'HS256' | 'RS256' | 'ES256' | 'EdDSA';
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);
const DAY = 86_400;

interface Signer {
  env: Record<string, string>;
  sign(header: Record<string, unknown>, payload: Record<string, unknown>): string;
}

function asymmetric(alg: Exclude<Alg, 'HS256'>, dir: string): Signer {
  const pair =
    alg === 'RS256'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : alg === 'ES256'
        ? generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
        : generateKeyPairSync('ed25519');
  const privateFile = join(dir, `${alg}.key`);
  const publicFile = join(dir, `${alg}.pub`);
  writeFileSync(privateFile, pair.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  writeFileSync(publicFile, pair.publicKey.export({ type: 'spki', format: 'pem' }));
  const key: KeyObject = pair.privateKey;
  return {
    env: { JWT_ALG: alg, JWT_PRIVATE_KEY_FILE: privateFile, JWT_PUBLIC_KEY_FILE: publicFile },
    sign(header, payload) {
      const input = Buffer.from(`${b64(header)}.${b64(payload)}`);
      const signature =
        alg === 'EdDSA'
          ? sign(null, input, key)
          : sign('sha256', input, alg === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' } : key);
      return `${input.toString()}.${signature.toString('base64url')}`;
    },
  };
}

function signerFor(alg: Alg, dir: string): Signer {
  if (alg !== 'HS256') return asymmetric(alg, dir);
  return { env: { JWT_SECRET }, sign: (header, payload) => forgeHs256(header, payload, JWT_SECRET) };
}

/** [case, header overrides, claim overrides, expected status]. Times are relative to now. */
const CASES: ReadonlyArray<[string, Record<string, unknown>, () => Record<string, unknown>, number]> = [
  ['valid claims (the control)', {}, () => ({}), 200],
  ['a numeric nbf in the past', {}, () => ({ nbf: now() - 10 }), 200],
  ['iat one day ahead, exp = iat + 900', {}, () => ({ iat: now() + DAY, exp: now() + DAY + 900 }), 401],
  [
    'iat 2 minutes ahead (beyond the 30 s tolerance)',
    {},
    () => ({ iat: now() + 120, exp: now() + 180 }),
    401,
  ],
  ['exp more than the lifetime ahead of now', {}, () => ({ iat: now() + 25, exp: now() + 925 + 31 }), 401],
  ['nbf as a string', {}, () => ({ nbf: String(now() - 10) }), 401],
  ['nbf beyond the tolerance', {}, () => ({ nbf: now() + 61 }), 401],
  ['exp as a string', {}, () => ({ exp: String(now() + 300) }), 401],
  ['iat as a string', {}, () => ({ iat: String(now()) }), 401],
  ['no iat', {}, () => ({ iat: undefined }), 401],
  ['expired beyond the tolerance', {}, () => ({ iat: now() - 400, exp: now() - 31 }), 401],
  ['an unknown critical header extension', { crit: ['x-authscale'], 'x-authscale': 1 }, () => ({}), 401],
  ['crit naming a registered claim', { crit: ['exp'] }, () => ({}), 401],
  ['an empty crit list (malformed)', { crit: [] }, () => ({}), 401],
  ['another issuer', {}, () => ({ iss: 'elsewhere' }), 401],
  ['an audience list with this API', {}, () => ({ aud: ['x', 'authscale-api'] }), 200],
  ['another audience', {}, () => ({ aud: 'other' }), 401],
];

describe.each(['HS256', 'RS256', 'ES256', 'EdDSA'] as const)('access token claims with %s', (alg) => {
  let dir: string;
  let api: RunningApi;
  let signer: Signer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'authscale-claims-'));
    signer = signerFor(alg, dir);
    api = await startApi({ AUTH_MODE: 'jwt', ...signer.env });
  });

  afterAll(async () => {
    await api?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test.each(CASES)('%s', async (_name, headerExtra, claimsExtra, status) => {
    const claims = Object.fromEntries(
      Object.entries(validClaims(claimsExtra())).filter(([, v]) => v !== undefined),
    );
    const token = signer.sign(goodHeader({ alg, ...headerExtra }), claims);
    await request(api.url).get('/api/me').set('authorization', `Bearer ${token}`).expect(status);
  });
});
