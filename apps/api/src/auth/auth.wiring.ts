/**
 * The mode-specific half of app.factory.ts: for session, jwt or hybrid mode,
 * the Authenticator, the auth controller, the providers it needs and the
 * Express middleware mounted before Nest's routes (in the order requests
 * meet it).
 */
import type { Provider, Type } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import cookieParser from 'cookie-parser';
import type { ApiConfig } from '../config/config.types';
import type { RedisConnection } from '../redis/redis.connection';
import type { User, UserDirectory } from '../users/user.directory';
import type { PassportInstance } from './auth.tokens';
import type { Authenticator } from './authenticator';
import { HybridAuthController } from './hybrid/hybrid-auth.controller';
import { RefreshCookie } from './hybrid/refresh.cookie';
import { RefreshStore } from './hybrid/refresh.store';
import { Denylist } from './jwt/denylist.store';
import { JwtAuthController } from './jwt/jwt-auth.controller';
import { JwtAuthenticator } from './jwt/jwt.authenticator';
import { registerJwtStrategy } from './jwt/jwt.strategy';
import { TokenSigner } from './jwt/token.signer';
import { originCheck } from './origin.check';
import { SessionAuthController } from './session/session-auth.controller';
import { SessionAuthenticator } from './session/session.authenticator';
import { createSessionStore, sessionMiddleware } from './session/session.middleware';
import { SessionTimeouts, type SessionUserRef } from './session/session.timeouts';

export type MiddlewareArgs = Parameters<NestExpressApplication['use']>;

export interface AuthWiring {
  authenticator: Authenticator;
  /** Null only in none mode (auth/none/no-auth.wiring.ts): no /auth/* route exists. */
  controller: Type<unknown> | null;
  providers: Provider[];
  middleware: MiddlewareArgs[];
}

export interface AuthDeps {
  config: ApiConfig;
  passport: PassportInstance;
  directory: UserDirectory;
  redis: RedisConnection | null;
}

/** The modes that check a credential; none mode is wired by app.factory.ts without any of this. */
export function wireAuth(deps: AuthDeps): AuthWiring {
  const mode = deps.config.authMode;
  if (mode === 'session') return wireSession(deps);
  if (mode === 'jwt' || mode === 'hybrid') return wireTokens(deps);
  throw new Error(`AUTH_MODE=${mode} has no credential wiring`);
}

function wireSession({ config, passport, directory, redis }: AuthDeps): AuthWiring {
  const timeouts = new SessionTimeouts(config.sessionIdleSeconds, config.sessionAbsoluteSeconds);
  passport.serializeUser((user, done) =>
    done(null, { id: (user as User).id, at: Date.now() } satisfies SessionUserRef),
  );
  passport.deserializeUser((ref: SessionUserRef, done) => done(null, directory.findById(ref.id) ?? false));
  return {
    authenticator: new SessionAuthenticator(timeouts),
    controller: SessionAuthController,
    providers: [],
    middleware: [
      [originCheck],
      [sessionMiddleware(config, createSessionStore(config, timeouts, redis), passport)],
    ],
  };
}

function wireTokens({ config, passport, directory, redis }: AuthDeps): AuthWiring {
  const jwt = config.jwt;
  if (!jwt) throw new Error(`AUTH_MODE=${config.authMode} needs a JWT configuration`);
  const denylist =
    config.revocation === 'denylist' && redis
      ? new Denylist(redis, config.revocationFailMode, config.storeTimeoutMs)
      : null;
  registerJwtStrategy(passport, jwt, directory, denylist);
  const providers: Provider[] = [
    { provide: TokenSigner, useValue: new TokenSigner(jwt) },
    { provide: Denylist, useValue: denylist },
  ];
  const authenticator = new JwtAuthenticator(passport);
  if (config.authMode !== 'hybrid')
    return { authenticator, controller: JwtAuthController, providers, middleware: [] };
  if (!redis) throw new Error('AUTH_MODE=hybrid needs Redis');
  providers.push(
    {
      provide: RefreshStore,
      useValue: new RefreshStore(redis, config.refreshTtlSeconds, config.storeTimeoutMs),
    },
    { provide: RefreshCookie, useValue: new RefreshCookie(config.cookieSecure) },
  );
  return {
    authenticator,
    controller: HybridAuthController,
    providers,
    middleware: [[originCheck], ['/auth', cookieParser()]],
  };
}
