/**
 * The validated configuration of one API process. Built once at start-up by
 * config.loader.ts from the environment (docs/api-contract.md lists every
 * variable); nothing else reads process.env.
 */
import type { KeyObject } from 'node:crypto';

/** 'none' is the baseline setup's mode: no credential check (config/no-auth.settings.ts, docs/security.md). */
export type AuthMode = 'none' | 'session' | 'jwt' | 'hybrid';
export type SessionStoreKind = 'memory' | 'redis';
export type JwtAlg = 'HS256' | 'RS256' | 'ES256' | 'EdDSA';
export type CookieSecure = 'auto' | 'true' | 'false';

/** One verification key (and, for the current key, the signing key). */
export interface JwtKey {
  kid: string;
  /**
   * KeyObject, never a string: given a string or Buffer HMAC secret, jsonwebtoken
   * first tries (and fails) to parse it as a public key on every verify, ~50x slower.
   */
  verifyKey: KeyObject;
  signKey: KeyObject | null;
}

export interface JwtConfig {
  alg: JwtAlg;
  current: JwtKey;
  /** Still accepted during a key rotation, never used to sign. */
  previous: JwtKey | null;
  ttlSeconds: number;
  issuer: string;
  audience: string;
}

export type PasswordHashConfig =
  | { kind: 'argon2id'; memoryKib: number; timeCost: number; parallelism: number }
  | { kind: 'bcrypt'; cost: number };

export interface ApiConfig {
  port: number;
  host: string;
  replicaId: string;
  authMode: AuthMode;
  sessionStore: SessionStoreKind;
  /** Set exactly when the mode needs Redis (see needsRedis). */
  redisUrl: string | null;
  sessionSecret: string | null;
  /** Null in session and none mode. */
  jwt: JwtConfig | null;
  revocation: 'none' | 'denylist';
  revocationFailMode: 'closed' | 'open';
  refreshTtlSeconds: number;
  sessionIdleSeconds: number;
  sessionAbsoluteSeconds: number;
  memoryStoreMaxSessions: number;
  users: number;
  passwordHash: PasswordHashConfig;
  trustProxy: string;
  cookieSecure: CookieSecure;
  keepAliveTimeoutMs: number;
  /** Bound on every store command: past it the request answers 503 (store.deadline.ts). */
  storeTimeoutMs: number;
  /** Slow-client bounds of the HTTP server (common/http.adapter.ts). */
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  loginMaxPending: number;
  loginMaxFailures: number;
  loginThrottleSeconds: number;
  calibrationCpuUs: number;
  calibrationDelayMs: number;
  /** Absolute directory for harness-toggled CPU profiles (profiling/cpu-profile.toggle.ts); null = off. */
  cpuProfileDir: string | null;
}

/** Which modes talk to Redis: the session store, the jti denylist, the hybrid refresh sessions. */
export function needsRedis(c: Pick<ApiConfig, 'authMode' | 'sessionStore' | 'revocation'>): boolean {
  if (c.authMode === 'none') return false;
  if (c.authMode === 'hybrid') return true;
  if (c.authMode === 'session') return c.sessionStore === 'redis';
  return c.revocation === 'denylist';
}
