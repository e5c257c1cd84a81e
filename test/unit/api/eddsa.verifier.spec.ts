/**
 * The EdDSA path checks the algorithm and the signature (jsonwebtoken 9 has
 * no EdDSA); claims are judged by claims.policy.ts for every algorithm
 * (claims.policy.spec.ts, and test/e2e/api/jwt-claims.e2e.spec.ts end to end).
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { verifyEdDsa } from '../../../apps/api/src/auth/jwt/eddsa.verifier';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const other = generateKeyPairSync('ed25519');
const options = { algorithms: ['EdDSA'] };
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
    expect(verifyEdDsa(token(claims()), publicKey, options)).toMatchObject({ sub: '1' });
  });

  test.each([
    ['signed by another key', token(claims(), undefined, other.privateKey), /invalid signature/],
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
    expect(() => verifyEdDsa(jwt, publicKey, options)).toThrow(message);
  });

  test('refuses an EdDSA token when EdDSA is not the allowed algorithm', () => {
    expect(() => verifyEdDsa(token(claims()), publicKey, { algorithms: ['HS256'] })).toThrow(
      /invalid algorithm/,
    );
  });
});
