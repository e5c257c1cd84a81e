/**
 * passport-jwt on the app's own Passport instance. Before the signature is
 * checked, the key provider applies the header rules of claims.policy.ts
 * (the configured algorithm only, typ "at+jwt", no crit, a known kid: current
 * or the previous rotation step); `jku`, `x5u` and `jwk` headers are never
 * read, so a token cannot point the server at a key. The signature is checked
 * by jsonwebtoken (HS256, RS256, ES256) or eddsa.verifier.ts (EdDSA), neither
 * of which judges claims; validate() then applies the claim rules of
 * claims.policy.ts, looks the user up (the same directory lookup session mode
 * does) and, with REVOCATION=denylist, checks the jti.
 */
import type { Request } from 'express';
import type { KeyObject } from 'node:crypto';
import type { PassportInstance } from '../auth.tokens';
import { ExtractJwt, Strategy as JwtStrategy, type SecretOrKeyProvider } from 'passport-jwt';
import type { JwtConfig } from '../../config/config.types';
import type { User, UserDirectory } from '../../users/user.directory';
import { type AccessClaims, checkClaims, checkHeader, type ClaimRules } from './claims.policy';
import type { Denylist } from './denylist.store';
import { withEdDsa } from './eddsa.verifier';

declare module 'express-serve-static-core' {
  interface Request {
    /** Claims of the verified access token (jwt and hybrid modes). */
    accessClaims?: AccessClaims;
  }
}

let verifierHooked = false;
function hookEdDsaVerifier(): void {
  if (verifierHooked) return;
  const strategy = JwtStrategy as unknown as { JwtVerifier: Parameters<typeof withEdDsa>[0] };
  strategy.JwtVerifier = withEdDsa(strategy.JwtVerifier);
  verifierHooked = true;
}

export function registerJwtStrategy(
  passport: PassportInstance,
  config: JwtConfig,
  directory: UserDirectory,
  denylist: Denylist | null,
): void {
  hookEdDsaVerifier();
  const keys = new Map<string, KeyObject>([[config.current.kid, config.current.verifyKey]]);
  if (config.previous) keys.set(config.previous.kid, config.previous.verifyKey);

  const rules: ClaimRules = {
    issuer: config.issuer,
    audience: config.audience,
    lifetimeSeconds: config.ttlSeconds,
  };
  const strategy = new JwtStrategy(
    {
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // passport-jwt's types say string | Buffer; it passes the key to the verifier
      // unchanged, and a KeyObject is what keeps HS256 fast.
      secretOrKeyProvider: ((
        _req: Request,
        rawJwt: string,
        done: (err: Error | null, key?: KeyObject) => void,
      ) => {
        const header = decodeHeader(rawJwt);
        const verdict = header ? checkHeader(header, config.alg) : null;
        if (!verdict?.ok) return done(new Error(verdict?.reason ?? 'malformed header'));
        const key = keys.get(verdict.value);
        if (!key) return done(new Error('unknown key id'));
        done(null, key);
      }) as unknown as SecretOrKeyProvider,
      // EdDSA is not in jsonwebtoken's type; eddsa.verifier.ts handles it.
      algorithms: [config.alg as 'HS256'],
      // Signature only: every time claim is judged by claims.policy.ts, the same for all algorithms.
      ignoreExpiration: true,
      jsonWebTokenOptions: { ignoreNotBefore: true },
      passReqToCallback: true,
    },
    (req: Request, payload: Record<string, unknown>, done: (err: unknown, user?: User | false) => void) => {
      const verdict = checkClaims(payload, rules, Date.now());
      if (!verdict.ok) return done(null, false);
      const claims: AccessClaims = verdict.value;
      const user = directory.findById(Number(claims.sub));
      if (!user) return done(null, false);
      req.accessClaims = claims;
      if (!denylist) return done(null, user);
      denylist.isRevoked(claims.jti).then(
        (revoked) => done(null, revoked ? false : user),
        (err: unknown) => done(err),
      );
    },
  );
  passport.use('jwt', strategy);
}

function decodeHeader(token: string): Record<string, unknown> | null {
  const dot = token.indexOf('.');
  if (dot <= 0) return null;
  try {
    const header = JSON.parse(Buffer.from(token.slice(0, dot), 'base64url').toString('utf8')) as unknown;
    return typeof header === 'object' && header !== null ? (header as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
