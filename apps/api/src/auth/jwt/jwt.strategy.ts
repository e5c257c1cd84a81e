/**
 * passport-jwt on the app's own Passport instance. Before the signature is
 * checked, the key provider reads the header and insists on the configured
 * algorithm (allowlist of one), typ "at+jwt" and a known kid (current or the
 * previous rotation step); `jku`, `x5u` and `jwk` headers are never read, so
 * a token cannot point the server at a key. jsonwebtoken then checks
 * signature, exp, nbf, iss, aud (30 s clock tolerance); validate() insists on
 * exp, sub and jti, looks the user up (the same directory lookup session mode
 * does) and, with REVOCATION=denylist, checks the jti.
 */
import type { Request } from 'express';
import type { KeyObject } from 'node:crypto';
import type { PassportInstance } from '../auth.tokens';
import { ExtractJwt, Strategy as JwtStrategy, type SecretOrKeyProvider } from 'passport-jwt';
import type { JwtConfig } from '../../config/config.types';
import { MAX_ACCESS_TTL_SECONDS } from '../../config/config.loader';
import type { User, UserDirectory } from '../../users/user.directory';
import type { Denylist } from './denylist.store';
import { withEdDsa } from './eddsa.verifier';
import { ACCESS_TOKEN_TYP } from './token.signer';

export const CLOCK_TOLERANCE_SECONDS = 30;

export interface AccessClaims {
  sub: string;
  jti: string;
  exp: number;
}

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

  const strategy = new JwtStrategy(
    {
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // passport-jwt's types say string | Buffer; it passes the key to the verifier unchanged, and a KeyObject is what keeps HS256 fast.
      secretOrKeyProvider: ((
        _req: Request,
        rawJwt: string,
        done: (err: Error | null, key?: KeyObject) => void,
      ) => {
        const header = decodeHeader(rawJwt);
        if (!header || header.alg !== config.alg) return done(new Error('algorithm not allowed'));
        if (header.typ !== ACCESS_TOKEN_TYP) return done(new Error('not an access token'));
        const key = typeof header.kid === 'string' ? keys.get(header.kid) : undefined;
        if (!key) return done(new Error('unknown key id'));
        done(null, key);
      }) as unknown as SecretOrKeyProvider,
      // EdDSA is not in jsonwebtoken's type; eddsa.verifier.ts handles it.
      algorithms: [config.alg as 'HS256'],
      issuer: config.issuer,
      audience: config.audience,
      jsonWebTokenOptions: {
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        maxAge: `${config.ttlSeconds + CLOCK_TOLERANCE_SECONDS}s`,
      },
      passReqToCallback: true,
    },
    (req: Request, payload: Record<string, unknown>, done: (err: unknown, user?: User | false) => void) => {
      const { exp, sub, jti, iat } = payload;
      if (
        typeof exp !== 'number' ||
        typeof iat !== 'number' ||
        typeof jti !== 'string' ||
        typeof sub !== 'string' ||
        !/^\d{1,7}$/.test(sub) ||
        exp - iat > MAX_ACCESS_TTL_SECONDS
      ) {
        return done(null, false);
      }
      const user = directory.findById(Number(sub));
      if (!user) return done(null, false);
      req.accessClaims = { sub, jti, exp };
      if (!denylist) return done(null, user);
      denylist.isRevoked(jti).then(
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
