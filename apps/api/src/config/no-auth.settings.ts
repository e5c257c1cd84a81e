/**
 * AUTH_MODE=none (the baseline setup) checks no credential, so every setting
 * that tunes a credential check, a login or a store is refused with it: a
 * deployment that sets one of them meant an auth mode, and starting without
 * auth would hide that mistake behind 200s.
 *
 * Secrets (SESSION_SECRET, JWT_SECRET, key files) and USERS are not refused:
 * the topology, Compose and Kubernetes hand the same ones to every setup's
 * replicas. In none mode they are never read.
 */
import type { EnvReader } from './env.reader';

export const AUTH_ONLY_SETTINGS = [
  'SESSION_STORE',
  'REDIS_URL',
  'REVOCATION',
  'REVOCATION_FAIL_MODE',
  'JWT_ALG',
  'JWT_KID',
  'JWT_TTL_SECONDS',
  'JWT_ISSUER',
  'JWT_AUDIENCE',
  'JWT_PREVIOUS_KID',
  'JWT_PREVIOUS_SECRET',
  'JWT_PREVIOUS_SECRET_FILE',
  'JWT_PREVIOUS_PUBLIC_KEY_FILE',
  'REFRESH_TTL_SECONDS',
  'SESSION_IDLE_SECONDS',
  'SESSION_ABSOLUTE_SECONDS',
  'MEMORY_STORE_MAX_SESSIONS',
  'COOKIE_SECURE',
  'PASSWORD_HASH',
  'BCRYPT_COST',
  'ARGON2_MEMORY_KIB',
  'ARGON2_TIME_COST',
  'ARGON2_PARALLELISM',
  'LOGIN_MAX_PENDING',
  'LOGIN_MAX_FAILURES',
  'LOGIN_THROTTLE_SECONDS',
] as const;

/** One problem per auth-only setting present; returns a reader that no longer sees them (no second report). */
export function refuseAuthOnlySettings(r: EnvReader): EnvReader {
  for (const name of AUTH_ONLY_SETTINGS) {
    const value = r.raw(name);
    if (value !== undefined)
      r.problem(
        name,
        value,
        'not allowed with AUTH_MODE=none (no credential is checked, so it would do nothing): remove it, or choose AUTH_MODE=session, jwt or hybrid',
      );
  }
  return r.without(AUTH_ONLY_SETTINGS);
}
