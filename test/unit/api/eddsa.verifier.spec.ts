/**
 * The EdDSA path does its own claim checks (jsonwebtoken 9 has no EdDSA), so
 * it gets the same attack table as jsonwebtoken's path: each case must throw.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { verifyEdDsa } from '../../../apps/api/src/auth/jwt/eddsa.verifier';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const other = generateKeyPairSync('ed25519');
const options = { algorithms: ['EdDSA'], issuer: 'authscale', audience: 'authscale-api', clockTolerance: 30 };
const NOW = 1_800_000_000_000;
const now = NOW / 1000;

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
function token(
  payload: Record<string, unknown>,
  header: Record<string, unknown> = { alg: 'EdDSA', typ: 'at+jwt', kid: 'k1' },
  key = privateKey,
): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${sign(null, Buffer.from(input), key).toString('base64url')}`;
}
const claims = (extra: Record<string, unknown> = {}) => ({
  sub: '1',
  iss: 'authscale',
  aud: 'authscale-api',
  iat: now,
  exp: now + 60,
  jti: 'j',
  ...extra,
});

describe('verifyEdDsa', () => {
  test('accepts a well-signed token with valid claims (the control)', () => {
    expect(verifyEdDsa(token(claims()), publicKey, options, NOW)).toMatchObject({ sub: '1' });
  });

  test.each([
    ['signed by another key', token(claims(), undefined, other.privateKey), /invalid signature/],
    ['expired beyond the tolerance', token(claims({ exp: now - 31 })), /jwt expired/],
    ['not valid yet beyond the tolerance', token(claims({ nbf: now + 31 })), /jwt not active/],
    ['from another issuer', token(claims({ iss: 'elsewhere' })), /issuer invalid/],
    ['for another audience', token(claims({ aud: 'other' })), /audience invalid/],
    ['claiming alg none', token(claims(), { alg: 'none', typ: 'at+jwt', kid: 'k1' }), /invalid algorithm/],
    [
      'with a payload changed after signing',
      (() => {
        const [h, , s] = token(claims()).split('.');
        return `${h}.${b64(claims({ sub: '2' }))}.${s}`;
      })(),
      /invalid signature/,
    ],
    ['in two parts', 'abc.def', /malformed/],
  ])('refuses a token %s', (_name, jwt, message) => {
    expect(() => verifyEdDsa(jwt, publicKey, options, NOW)).toThrow(message);
  });

  test('accepts an audience list that contains this API', () => {
    expect(
      verifyEdDsa(token(claims({ aud: ['x', 'authscale-api'] })), publicKey, options, NOW),
    ).toMatchObject({ sub: '1' });
  });
});
