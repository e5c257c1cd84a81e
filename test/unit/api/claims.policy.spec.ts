/** The one access-token policy, as a table: header rules and claim rules on a fixed clock. */
import { checkClaims, checkHeader } from '../../../apps/api/src/auth/jwt/claims.policy';

const NOW_MS = 1_800_000_000_000;
const now = NOW_MS / 1000;
const rules = { issuer: 'authscale', audience: 'authscale-api', lifetimeSeconds: 900 };
const claims = (extra: Record<string, unknown> = {}) => ({
  sub: '1',
  iss: 'authscale',
  aud: 'authscale-api',
  iat: now,
  exp: now + 300,
  jti: 'j',
  ...extra,
});

describe('checkHeader', () => {
  const header = (extra: Record<string, unknown> = {}) => ({
    alg: 'RS256',
    typ: 'at+jwt',
    kid: 'k1',
    ...extra,
  });

  test('accepts the configured algorithm with typ at+jwt and a kid, and returns the kid', () => {
    expect(checkHeader(header(), 'RS256')).toEqual({ ok: true, value: 'k1' });
  });

  test.each([
    ['another algorithm', { alg: 'HS256' }],
    ['alg none', { alg: 'none' }],
    ['another typ', { typ: 'JWT' }],
    ['no kid', { kid: undefined }],
    ['a crit extension (RFC 7515 4.1.11)', { crit: ['x-ext'], 'x-ext': true }],
    ['an empty crit', { crit: [] }],
    ['a crit that is not a list', { crit: 'exp' }],
  ])('refuses %s', (_name, extra) => {
    expect(checkHeader(header(extra), 'RS256').ok).toBe(false);
  });
});

describe('checkClaims', () => {
  test('accepts valid claims and returns sub, jti, exp', () => {
    expect(checkClaims(claims(), rules, NOW_MS)).toEqual({
      ok: true,
      value: { sub: '1', jti: 'j', exp: now + 300 },
    });
  });

  test.each([
    ['exp just inside the 30 s tolerance', { iat: now - 100, exp: now - 29 }],
    ['iat just inside the tolerance', { iat: now + 30, exp: now + 330 }],
    ['a numeric nbf inside the tolerance', { nbf: now + 30 }],
    ['an audience list with this API', { aud: ['x', 'authscale-api'] }],
  ])('accepts %s', (_name, extra) => {
    expect(checkClaims(claims(extra), rules, NOW_MS).ok).toBe(true);
  });

  test.each([
    ['iat one day ahead with exp = iat + 900', { iat: now + 86_400, exp: now + 86_400 + 900 }],
    ['iat 31 s ahead', { iat: now + 31, exp: now + 331 }],
    ['a lifetime above the configured one', { exp: now + 901 }],
    ['exp before iat', { exp: now - 1, iat: now }],
    ['expired beyond the tolerance', { iat: now - 100, exp: now - 30 }],
    ['nbf beyond the tolerance', { nbf: now + 31 }],
    ['nbf as a string', { nbf: String(now - 10) }],
    ['exp as a string', { exp: String(now + 300) }],
    ['iat as a string', { iat: String(now) }],
    ['no iat', { iat: undefined }],
    ['no exp', { exp: undefined }],
    ['exp as NaN-like Infinity', { exp: Infinity }],
    ['another issuer', { iss: 'elsewhere' }],
    ['another audience', { aud: 'other' }],
    ['a non-numeric sub', { sub: 'admin' }],
    ['no jti', { jti: undefined }],
  ])('refuses %s', (_name, extra) => {
    expect(checkClaims(claims(extra), rules, NOW_MS).ok).toBe(false);
  });

  test('a shorter configured lifetime (hybrid, 60 s) bounds tokens to it', () => {
    const short = { ...rules, lifetimeSeconds: 60 };
    expect(checkClaims(claims({ exp: now + 60 }), short, NOW_MS).ok).toBe(true);
    expect(checkClaims(claims({ exp: now + 61 }), short, NOW_MS).ok).toBe(false);
  });
});
