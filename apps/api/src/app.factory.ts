/**
 * Builds one app instance from a validated config: the user directory (16
 * real hashes), the Redis connection when the mode needs one, a Passport
 * instance of its own, the mode's authenticator and controllers, and the
 * Express middleware in the order requests meet it. main.ts listens; tests
 * call createApi directly.
 */
import type { Server } from 'node:http';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Provider, Type } from '@nestjs/common';
import cookieParser from 'cookie-parser';
import { Passport } from 'passport';
import { AppModule } from './app.module';
import { CALIBRATION } from './auth/api-auth.guard';
import { AUTHENTICATOR, type Authenticator } from './auth/authenticator';
import { LOGIN_LIMITS, PASSPORT, USER_DIRECTORY } from './auth/auth.tokens';
import { HybridAuthController } from './auth/hybrid/hybrid-auth.controller';
import { RefreshCookie } from './auth/hybrid/refresh.cookie';
import { RefreshStore } from './auth/hybrid/refresh.store';
import { Denylist } from './auth/jwt/denylist.store';
import { JwtAuthController } from './auth/jwt/jwt-auth.controller';
import { JwtAuthenticator } from './auth/jwt/jwt.authenticator';
import { registerJwtStrategy } from './auth/jwt/jwt.strategy';
import { TokenSigner } from './auth/jwt/token.signer';
import { AccountThrottle, HashGate } from './auth/login.guardrails';
import { CredentialChecker, registerLocalStrategy } from './auth/local.strategy';
import { originCheck } from './auth/origin.check';
import { SessionAuthController } from './auth/session/session-auth.controller';
import { SessionAuthenticator } from './auth/session/session.authenticator';
import { createSessionStore, sessionMiddleware } from './auth/session/session.middleware';
import { SessionTimeouts, type SessionUserRef } from './auth/session/session.timeouts';
import { createCalibration } from './calibration/calibration.burn';
import { ErrorFilter } from './common/error.filter';
import { jsonBody, replicaHeader, trustProxyValue } from './common/express.setup';
import type { ApiConfig } from './config/config.types';
import { REDIS } from './health/health.controller';
import { ApiMetrics } from './metrics/metrics.registry';
import { connectRedis, createRedisConnection, type RedisConnection } from './redis/redis.connection';
import { createPasswordHasher } from './users/password.hasher';
import { UserDirectory, type User } from './users/user.directory';

export interface ApiHandle {
  app: NestExpressApplication;
  server: Server;
  config: ApiConfig;
  directory: UserDirectory;
  redis: RedisConnection | null;
  /** Closes the HTTP server and the Redis connection. Idempotent. */
  close(): Promise<void>;
}

export interface ApiOptions {
  /** Node process metrics on /metrics (off in tests that start many apps). Default true. */
  defaultMetrics?: boolean;
  /** How long start-up waits for Redis before going on not ready. Default 3000 ms. */
  redisWaitMs?: number;
}

const KNOWN_ROUTES = new Set([
  '/auth/login',
  '/auth/logout',
  '/auth/refresh',
  '/api/me',
  '/api/items',
  '/healthz',
  '/readyz',
  '/metrics',
]);

export async function createApi(config: ApiConfig, options: ApiOptions = {}): Promise<ApiHandle> {
  const hasher = createPasswordHasher(config.passwordHash);
  const directory = UserDirectory.create(config.users, hasher);
  const redis = config.redisUrl ? createRedisConnection(config.redisUrl) : null;
  if (redis) await connectRedis(redis, options.redisWaitMs ?? 3000);

  const metrics = new ApiMetrics(config.replicaId, options.defaultMetrics ?? true);
  const passport = new Passport();
  const checker = new CredentialChecker(
    directory,
    new AccountThrottle(config.loginMaxFailures, config.loginThrottleSeconds),
    new HashGate(config.loginMaxPending),
    metrics,
  );
  registerLocalStrategy(passport, checker);

  const providers: Provider[] = [
    { provide: PASSPORT, useValue: passport },
    { provide: LOGIN_LIMITS, useValue: { maxPasswordBytes: hasher.maxPasswordBytes } },
    { provide: CALIBRATION, useValue: createCalibration(config.calibrationCpuUs, config.calibrationDelayMs) },
    { provide: ApiMetrics, useValue: metrics },
    { provide: REDIS, useValue: redis },
    { provide: USER_DIRECTORY, useValue: directory },
  ];
  let authenticator: Authenticator;
  let controller: Type<unknown>;
  const middleware: Parameters<NestExpressApplication['use']>[] = [];

  if (config.authMode === 'session') {
    const timeouts = new SessionTimeouts(config.sessionIdleSeconds, config.sessionAbsoluteSeconds);
    passport.serializeUser((user, done) =>
      done(null, { id: (user as User).id, at: Date.now() } satisfies SessionUserRef),
    );
    passport.deserializeUser((ref: SessionUserRef, done) => done(null, directory.findById(ref.id) ?? false));
    authenticator = new SessionAuthenticator(timeouts);
    controller = SessionAuthController;
    middleware.push(
      [originCheck],
      [sessionMiddleware(config, createSessionStore(config, timeouts, redis), passport)],
    );
  } else {
    const jwt = config.jwt;
    if (!jwt) throw new Error(`AUTH_MODE=${config.authMode} needs a JWT configuration`);
    const denylist =
      config.revocation === 'denylist' && redis ? new Denylist(redis, config.revocationFailMode) : null;
    registerJwtStrategy(passport, jwt, directory, denylist);
    authenticator = new JwtAuthenticator(passport);
    providers.push(
      { provide: TokenSigner, useValue: new TokenSigner(jwt) },
      { provide: Denylist, useValue: denylist },
    );
    if (config.authMode === 'hybrid') {
      if (!redis) throw new Error('AUTH_MODE=hybrid needs Redis');
      controller = HybridAuthController;
      providers.push(
        { provide: RefreshStore, useValue: new RefreshStore(redis, config.refreshTtlSeconds) },
        { provide: RefreshCookie, useValue: new RefreshCookie(config.cookieSecure) },
      );
      middleware.push([originCheck], ['/auth', cookieParser()]);
    } else {
      controller = JwtAuthController;
    }
  }
  providers.push({ provide: AUTHENTICATOR, useValue: authenticator });

  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(controller, providers), {
    bodyParser: false,
    logger: ['error', 'warn'],
  });
  app.disable('x-powered-by');
  // No ETag: hashing every body costs CPU on the hot path and API clients do not revalidate.
  app.set('etag', false);
  app.set('trust proxy', trustProxyValue(config.trustProxy));
  app.use(replicaHeader(config.replicaId));
  app.use(metrics.middleware(KNOWN_ROUTES));
  app.use(jsonBody());
  for (const args of middleware) app.use(...args);
  app.useGlobalFilters(new ErrorFilter());
  await app.init();

  const server = app.getHttpServer() as Server;
  // Above nginx's upstream keepalive_timeout, so nginx never reuses a socket Node just closed (502s).
  server.keepAliveTimeout = config.keepAliveTimeoutMs;
  server.headersTimeout = config.keepAliveTimeoutMs + 1000;

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      await app.close();
      if (redis?.isOpen) await redis.close().catch(() => redis.destroy());
    })());
  return { app, server, config, directory, redis, close };
}
