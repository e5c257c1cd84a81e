/** Hand-made JWTs for attack tests: any header, any payload, any HMAC key or none. */
import { createHmac } from 'node:crypto';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export function forgeHs256(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  key: string | Buffer,
  digest = 'sha256',
): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${createHmac(digest, key).update(input).digest('base64url')}`;
}

export function forgeUnsigned(header: Record<string, unknown>, payload: Record<string, unknown>): string {
  return `${b64(header)}.${b64(payload)}.`;
}

export function validClaims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    sub: '1',
    iss: 'authscale',
    aud: 'authscale-api',
    iat: now,
    exp: now + 300,
    jti: `t-${Math.random().toString(36).slice(2)}`,
    ...overrides,
  };
}

export const goodHeader = (overrides: Record<string, unknown> = {}) => ({
  alg: 'HS256',
  typ: 'at+jwt',
  kid: 'k1',
  ...overrides,
});

export function decodePart(token: string, index: 0 | 1): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[index] as string, 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}
