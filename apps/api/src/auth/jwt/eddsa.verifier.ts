/**
 * jsonwebtoken 9 cannot verify EdDSA. passport-jwt calls its verifier through
 * the replaceable `Strategy.JwtVerifier` hook; verifyWithEdDsa wraps the
 * original so Ed25519 keys are verified here (signature with node:crypto, then
 * the same claim checks jsonwebtoken applies: exp, nbf, iss, aud, with the
 * same clock tolerance) and every other key still goes to jsonwebtoken.
 */
import { verify as cryptoVerify, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';

export interface VerifyOptions {
  algorithms: string[];
  issuer: string;
  audience: string;
  clockTolerance: number;
}

type Done = (err: Error | null, payload?: unknown) => void;
type Verifier = (token: string, key: unknown, options: VerifyOptions, done: Done) => void;

export function withEdDsa(original: Verifier): Verifier {
  return (token, key, options, done) => {
    if ((key as KeyObject | null)?.asymmetricKeyType !== 'ed25519')
      return original(token, key, options, done);
    try {
      done(null, verifyEdDsa(token, key as KeyObject, options));
    } catch (err) {
      done(err as Error);
    }
  };
}

export function verifyEdDsa(
  token: string,
  key: KeyObject,
  options: VerifyOptions,
  nowMs = Date.now(),
): Record<string, unknown> {
  const parts = token.split('.');
  if (parts.length !== 3) throw new jwt.JsonWebTokenError('jwt malformed');
  const [h, p, s] = parts as [string, string, string];
  const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as { alg?: unknown };
  if (header.alg !== 'EdDSA' || !options.algorithms.includes('EdDSA'))
    throw new jwt.JsonWebTokenError('invalid algorithm');
  if (!cryptoVerify(null, Buffer.from(`${h}.${p}`), key, Buffer.from(s, 'base64url')))
    throw new jwt.JsonWebTokenError('invalid signature');
  const payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>;
  const now = Math.floor(nowMs / 1000);
  if (typeof payload.nbf === 'number' && payload.nbf > now + options.clockTolerance)
    throw new jwt.NotBeforeError('jwt not active', new Date(payload.nbf * 1000));
  if (typeof payload.exp === 'number' && now >= payload.exp + options.clockTolerance)
    throw new jwt.TokenExpiredError('jwt expired', new Date(payload.exp * 1000));
  if (payload.iss !== options.issuer) throw new jwt.JsonWebTokenError('jwt issuer invalid');
  const aud = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  if (!aud.includes(options.audience)) throw new jwt.JsonWebTokenError('jwt audience invalid');
  return payload;
}
