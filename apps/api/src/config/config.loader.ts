/**
 * Environment -> ApiConfig. Every variable of docs/api-contract.md is read
 * here, once; every problem is collected and reported together.
 */
import { isAbsolute } from 'node:path';
import type { ApiConfig, AuthMode, JwtAlg, JwtConfig, PasswordHashConfig } from './config.types';
import { needsRedis } from './config.types';
import { EnvReader, type Env } from './env.reader';
import { loadCurrentKey, loadPreviousKey } from './jwt-keys.loader';
import { MAX_ACCESS_TTL_SECONDS } from '../auth/jwt/claims.policy';
import { refuseAuthOnlySettings } from './no-auth.settings';

export type ConfigResult =
  { ok: true; config: ApiConfig; warnings: string[] } | { ok: false; problems: string[] };

export function loadConfig(env: Env): ConfigResult {
  const modeReader = new EnvReader(env);
  const warnings: string[] = [];
  const authMode = modeReader.oneOf<AuthMode>('AUTH_MODE', 'session', ['session', 'jwt', 'hybrid', 'none']);
  // The baseline's mode refuses every auth-only setting; the rest of the loader then sees none of them.
  const r = authMode === 'none' ? refuseAuthOnlySettings(modeReader) : modeReader;
  const sessionStore = r.oneOf('SESSION_STORE', 'memory', ['memory', 'redis'] as const);
  const revocation = r.oneOf('REVOCATION', 'none', ['none', 'denylist'] as const);
  const revocationFailMode = r.oneOf('REVOCATION_FAIL_MODE', 'closed', ['closed', 'open'] as const);

  let redisUrl: string | null = null;
  if (needsRedis({ authMode, sessionStore, revocation })) {
    const url = r.raw('REDIS_URL');
    if (url === undefined || !/^rediss?:\/\/[^\s/]+(:\d+)?(\/\d+)?$/.test(url)) {
      r.problem(
        'REDIS_URL',
        url,
        `required with AUTH_MODE=${authMode}${authMode === 'session' ? ' and SESSION_STORE=redis' : authMode === 'jwt' ? ' and REVOCATION=denylist' : ''}: redis://host:port`,
      );
    } else {
      redisUrl = url;
    }
  }

  const sessionSecret =
    authMode === 'session' ? (r.secret('SESSION_SECRET', 32)?.toString('utf8') ?? null) : null;
  const jwt = authMode === 'session' || authMode === 'none' ? null : loadJwt(r, authMode);
  const passwordHash = loadPasswordHash(r, warnings);

  const sessionIdleSeconds = r.int('SESSION_IDLE_SECONDS', 1800, 1, 31 * 86400);
  const sessionAbsoluteSeconds = r.int('SESSION_ABSOLUTE_SECONDS', 28800, 1, 31 * 86400);
  if (sessionAbsoluteSeconds < sessionIdleSeconds) {
    r.problem(
      'SESSION_ABSOLUTE_SECONDS',
      String(sessionAbsoluteSeconds),
      `must be at least SESSION_IDLE_SECONDS (${sessionIdleSeconds})`,
    );
  }

  const config: ApiConfig = {
    port: r.int('PORT', 3000, 0, 65535),
    host: r.pattern('HOST', '127.0.0.1', /^[A-Za-z0-9.:-]{1,253}$/, 'an IP address or host name'),
    replicaId: r.pattern('REPLICA_ID', 'r0', /^[A-Za-z0-9_-]{1,32}$/, '[A-Za-z0-9_-]{1,32}'),
    authMode,
    sessionStore,
    redisUrl,
    sessionSecret,
    jwt,
    revocation,
    revocationFailMode,
    refreshTtlSeconds: r.int('REFRESH_TTL_SECONDS', 86400, 1, 90 * 86400),
    sessionIdleSeconds,
    sessionAbsoluteSeconds,
    memoryStoreMaxSessions: r.int('MEMORY_STORE_MAX_SESSIONS', 1_000_000, 1, 10_000_000),
    users: r.int('USERS', 10_000, 1, 1_000_000),
    passwordHash,
    trustProxy: r.pattern(
      'TRUST_PROXY',
      'loopback',
      /^[A-Za-z0-9.:/, _-]{1,200}$/,
      'an express "trust proxy" value (loopback, a number of hops, addresses or CIDRs)',
    ),
    cookieSecure: r.oneOf('COOKIE_SECURE', 'auto', ['auto', 'true', 'false'] as const),
    keepAliveTimeoutMs: r.int('KEEPALIVE_TIMEOUT_MS', 65_000, 1000, 3_600_000),
    storeTimeoutMs: r.int('STORE_TIMEOUT_MS', 1000, 50, 30_000),
    headersTimeoutMs: r.int('HEADERS_TIMEOUT_MS', 10_000, 1000, 300_000),
    requestTimeoutMs: r.int('REQUEST_TIMEOUT_MS', 15_000, 1000, 300_000),
    loginMaxPending: r.int('LOGIN_MAX_PENDING', 64, 1, 10_000),
    loginMaxFailures: r.int('LOGIN_MAX_FAILURES', 5, 1, 1000),
    loginThrottleSeconds: r.int('LOGIN_THROTTLE_SECONDS', 60, 1, 86400),
    calibrationCpuUs: r.int('CALIBRATION_CPU_US', 0, 0, 1_000_000),
    calibrationDelayMs: r.int('CALIBRATION_DELAY_MS', 0, 0, 60_000),
    cpuProfileDir: readCpuProfileDir(r),
  };
  if (config.headersTimeoutMs > config.requestTimeoutMs)
    r.problem(
      'HEADERS_TIMEOUT_MS',
      String(config.headersTimeoutMs),
      `must be at most REQUEST_TIMEOUT_MS (${config.requestTimeoutMs})`,
    );
  if (r.problems.length > 0) return { ok: false, problems: r.problems };
  return { ok: true, config, warnings };
}

/** Profiling stays off unless the harness names a directory (profiling/cpu-profile.toggle.ts). */
function readCpuProfileDir(r: EnvReader): string | null {
  const dir = r.raw('CPU_PROFILE_DIR') ?? null;
  if (dir !== null && !isAbsolute(dir))
    r.problem('CPU_PROFILE_DIR', dir, 'must be an absolute directory path (or unset: no profiling)');
  return dir;
}

function loadJwt(r: EnvReader, mode: AuthMode): JwtConfig | null {
  const alg = r.oneOf<JwtAlg>('JWT_ALG', 'HS256', ['HS256', 'RS256', 'ES256', 'EdDSA']);
  const current = loadCurrentKey(r, alg);
  const previous = loadPreviousKey(r, alg, current?.kid);
  const ttlSeconds = r.int('JWT_TTL_SECONDS', mode === 'hybrid' ? 60 : 900, 1, MAX_ACCESS_TTL_SECONDS);
  const issuer = r.pattern('JWT_ISSUER', 'authscale', /^\S{1,200}$/, 'a non-empty string without spaces');
  const audience = r.pattern(
    'JWT_AUDIENCE',
    'authscale-api',
    /^\S{1,200}$/,
    'a non-empty string without spaces',
  );
  return current ? { alg, current, previous, ttlSeconds, issuer, audience } : null;
}

/** OWASP Password Storage minimums: argon2id m=19 MiB t=2 p=1, bcrypt cost 10. */
function loadPasswordHash(r: EnvReader, warnings: string[]): PasswordHashConfig {
  const kind = r.oneOf('PASSWORD_HASH', 'argon2id', ['argon2id', 'bcrypt'] as const);
  if (kind === 'bcrypt') {
    const cost = r.int('BCRYPT_COST', 10, 4, 15);
    if (cost < 10)
      warnings.push(`BCRYPT_COST=${cost} is below the OWASP minimum of 10: use it for experiments only`);
    return { kind, cost };
  }
  const memoryKib = r.int('ARGON2_MEMORY_KIB', 19456, 1024, 1_048_576);
  const timeCost = r.int('ARGON2_TIME_COST', 2, 1, 20);
  const parallelism = r.int('ARGON2_PARALLELISM', 1, 1, 16);
  if (memoryKib < 19456 || timeCost < 2)
    warnings.push(
      `ARGON2 m=${memoryKib} KiB t=${timeCost} is below the OWASP minimum (m=19456, t=2): use it for experiments only`,
    );
  return { kind, memoryKib, timeCost, parallelism };
}
