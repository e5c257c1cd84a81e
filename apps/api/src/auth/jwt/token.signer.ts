/**
 * Issues access tokens: header {alg, typ: "at+jwt", kid}; payload only
 * {sub, iss, aud, iat, exp, jti} (no personal data beyond the user id).
 * HS256/RS256/ES256 go through jsonwebtoken; jsonwebtoken 9 has no EdDSA, so
 * Ed25519 tokens are assembled here with node:crypto (compact JWS, RFC 8037).
 */
import { randomBytes, sign as cryptoSign } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { JwtConfig } from '../../config/config.types';
import type { User } from '../../users/user.directory';
import { ACCESS_TOKEN_TYP } from './claims.policy';

export interface IssuedToken {
  token: string;
  jti: string;
  /** Seconds since the epoch. */
  exp: number;
  expiresIn: number;
}

export class TokenSigner {
  constructor(private readonly config: JwtConfig) {}

  issue(user: User, nowMs = Date.now()): IssuedToken {
    const { alg, current, ttlSeconds, issuer, audience } = this.config;
    const iat = Math.floor(nowMs / 1000);
    const exp = iat + ttlSeconds;
    const jti = randomBytes(16).toString('base64url');
    const payload = { sub: String(user.id), iss: issuer, aud: audience, iat, exp, jti };
    const header = { alg, typ: ACCESS_TOKEN_TYP, kid: current.kid };
    const key = current.signKey;
    if (!key) throw new Error('the current JWT key has no signing half');
    const token =
      alg === 'EdDSA'
        ? signEdDsa(header, payload, key)
        : jwt.sign(payload, key, { algorithm: alg, header: header as jwt.JwtHeader });
    return { token, jti, exp, expiresIn: ttlSeconds };
  }
}

function signEdDsa(header: object, payload: object, key: Parameters<typeof cryptoSign>[2]): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${cryptoSign(null, Buffer.from(input), key).toString('base64url')}`;
}

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
