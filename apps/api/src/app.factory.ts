/**
 * Builds one app instance from a validated config: the user directory (16
 * real hashes), the Redis connection when the mode needs one, a Passport
 * instance of its own, the mode's authenticator, controller and middleware
 * (auth/auth.wiring.ts; none mode has only a fixed-user authenticator,
 * auth/none/no-auth.wiring.ts), on an Express instance and HTTP server configured
 * first (common/http.adapter.ts), with the middleware in the order requests
 * meet it. main.ts listens; tests call createApi directly.
 */
import type { Server } from 'node:http';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Provider } from '@nestjs/common';
import { Passport } from 'passport';
import { AppModule } from './app.module';
import { CALIBRATION } from './auth/api-auth.guard';
import { AUTHENTICATOR } from './auth/authenticator';
import { LOGIN_LIMITS, PASSPORT, USER_DIRECTORY } from './auth/auth.tokens';
import { wireAuth, type AuthWiring } from './auth/auth.wiring';
import { wireNoAuth } from './auth/none/no-auth.wiring';
import { AccountThrottle, HashGate } from './auth/login.guardrails';
import { CredentialChecker, registerLocalStrategy } from './auth/local.strategy';
import { createCalibration } from './calibration/calibration.burn';
import { ErrorFilter } from './common/error.filter';
import { jsonBody, responseHeaders, trustProxyValue } from './common/express.setup';
import { createHttpAdapter } from './common/http.adapter';
import type { ApiConfig } from './config/config.types';
import { REDIS, STORE_TIMEOUT_MS } from './health/health.controller';
import { ApiMetrics } from './metrics/metrics.registry';
import { connectRedis, createRedisConnection, type RedisConnection } from './redis/redis.connection';
import { withDeadline } from './redis/store.deadline';
import { createPasswordHasher } from './users/password.hasher';
import { UserDirectory } from './users/user.directory';

export interface ApiHandle {
  app: NestExpressApplication;
  server: Server;
  config: ApiConfig;
  /** Null in none mode: no user logs in. */
  directory: UserDirectory | null;
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
  const redis = config.redisUrl ? createRedisConnection(config.redisUrl, config.storeTimeoutMs) : null;
  if (redis) await connectRedis(redis, options.redisWaitMs ?? 3000);

  const metrics = new ApiMetrics(config.replicaId, options.defaultMetrics ?? true);
  // The only place none mode is chosen: from the validated config, once, at start-up.
  const auth =
    config.authMode === 'none'
      ? { wiring: wireNoAuth(), directory: null, providers: [] }
      : wireCredentialAuth(config, redis, metrics);
  const providers: Provider[] = [
    { provide: CALIBRATION, useValue: createCalibration(config.calibrationCpuUs, config.calibrationDelayMs) },
    { provide: ApiMetrics, useValue: metrics },
    { provide: REDIS, useValue: redis },
    { provide: STORE_TIMEOUT_MS, useValue: config.storeTimeoutMs },
    { provide: AUTHENTICATOR, useValue: auth.wiring.authenticator },
    ...auth.providers,
    ...auth.wiring.providers,
  ];
  const app = await buildApp(config, auth.wiring, providers, metrics);
  const server = app.getHttpServer() as Server;

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      await app.close();
      // close() waits for every pending reply; a hung Redis never sends them.
      if (redis?.isOpen)
        await withDeadline(redis.close(), config.storeTimeoutMs).catch(() => redis.isOpen && redis.destroy());
    })());
  return { app, server, config, directory: auth.directory, redis, close };
}

/** The user directory, Passport and login guardrails of the modes that check a credential. */
function wireCredentialAuth(
  config: ApiConfig,
  redis: RedisConnection | null,
  metrics: ApiMetrics,
): { wiring: AuthWiring; directory: UserDirectory; providers: Provider[] } {
  const hasher = createPasswordHasher(config.passwordHash);
  const directory = UserDirectory.create(config.users, hasher);
  const passport = new Passport();
  const checker = new CredentialChecker(
    directory,
    new AccountThrottle(config.loginMaxFailures, config.loginThrottleSeconds),
    new HashGate(config.loginMaxPending),
    metrics,
  );
  registerLocalStrategy(passport, checker);
  const wiring = wireAuth({ config, passport, directory, redis });
  const providers: Provider[] = [
    { provide: PASSPORT, useValue: passport },
    { provide: LOGIN_LIMITS, useValue: { maxPasswordBytes: hasher.maxPasswordBytes } },
    { provide: USER_DIRECTORY, useValue: directory },
  ];
  return { wiring, directory, providers };
}

async function buildApp(
  config: ApiConfig,
  wiring: AuthWiring,
  providers: Provider[],
  metrics: ApiMetrics,
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.register(wiring.controller, providers),
    createHttpAdapter(config),
    { bodyParser: false, logger: ['error', 'warn'] },
  );
  app.disable('x-powered-by');
  // No ETag: hashing every body costs CPU on the hot path and API clients do not revalidate.
  app.set('etag', false);
  app.set('trust proxy', trustProxyValue(config.trustProxy));
  app.use(responseHeaders(config.replicaId));
  app.use(metrics.middleware(KNOWN_ROUTES));
  app.use(jsonBody());
  for (const args of wiring.middleware) app.use(...args);
  app.useGlobalFilters(new ErrorFilter());
  await app.init();
  return app;
}
