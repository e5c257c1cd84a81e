/**
 * jsonwebtoken 9 cannot verify EdDSA. passport-jwt calls its verifier through
 * the replaceable `Strategy.JwtVerifier` hook; withEdDsa wraps the original so
 * Ed25519 keys are verified here (the signature, with node:crypto) and every
 * other key still goes to jsonwebtoken. Claims are not judged here, nor by
 * jsonwebtoken: claims.policy.ts is the one policy for every algorithm.
 */
import { verify as cryptoVerify, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';

export interface VerifyOptions {
  algorithms: string[];
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

/** Checks the algorithm and the Ed25519 signature; returns the payload unjudged. */
export function verifyEdDsa(token: string, key: KeyObject, options: VerifyOptions): Record<string, unknown> {
  const parts = token.split('.');
  if (parts.length !== 3) throw new jwt.JsonWebTokenError('jwt malformed');
  const [h, p, s] = parts as [string, string, string];
  const header = parseJson(h) as { alg?: unknown };
  if (header.alg !== 'EdDSA' || !options.algorithms.includes('EdDSA'))
    throw new jwt.JsonWebTokenError('invalid algorithm');
  if (!cryptoVerify(null, Buffer.from(`${h}.${p}`), key, Buffer.from(s, 'base64url')))
    throw new jwt.JsonWebTokenError('invalid signature');
  const payload = parseJson(p);
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload))
    throw new jwt.JsonWebTokenError('jwt payload is not an object');
  return payload as Record<string, unknown>;
}

function parseJson(part: string): unknown {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
  } catch {
    throw new jwt.JsonWebTokenError('jwt malformed');
  }
}
