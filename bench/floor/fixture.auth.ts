/**
 * What the two floor fixtures (minimal-nest.main.ts, bare-http.main.ts) share:
 * their environment, the users, the access-token rules and the signed
 * session cookie. Each per-request check here is the work the API's mode
 * does (docs/security.md lists the API's rules): HS256 with a KeyObject,
 * algorithm, issuer and audience pinned, then one user lookup; a session id
 * signed as express-session signs it, read from the store, then one lookup.
 *
 * Benchmark fixtures only: login compares the password as plain text
 * (logins are never measured), and they listen on loopback.
 */
import { createHmac, createSecretKey, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import jwt from 'jsonwebtoken';
import { credentialsOf } from '../client/virtual-user';

export const FIXTURE_MODES = ['jwt', 'session-memory', 'session-redis'] as const;
export type FixtureMode = (typeof FIXTURE_MODES)[number];

/** The API's defaults (docs/api-contract.md): the same claims go in and are required. */
const ISSUER = 'authscale';
const AUDIENCE = 'authscale-api';
const TOKEN_TTL_SECONDS = 900;
export const SESSION_COOKIE = 'sid';
export const SESSION_TTL_SECONDS = 1800;

export interface FixtureEnv {
  mode: FixtureMode;
  port: number;
  jwtKey: KeyObject;
  sessionSecret: string;
  redisUrl: string | null;
}

/** FLOOR_MODE, PORT, JWT_SECRET_FILE, SESSION_SECRET_FILE and (session-redis) REDIS_URL. */
export function readFixtureEnv(env: NodeJS.ProcessEnv): FixtureEnv {
  const mode = env.FLOOR_MODE as FixtureMode;
  if (!FIXTURE_MODES.includes(mode)) throw new Error(`FLOOR_MODE must be one of ${FIXTURE_MODES.join(', ')}`);
  const secret = (name: string) => readFileSync(env[name] ?? '', 'utf8').trim();
  const redisUrl = env.REDIS_URL ?? null;
  if (mode === 'session-redis' && !redisUrl) throw new Error('FLOOR_MODE=session-redis needs REDIS_URL');
  return {
    mode,
    port: Number(env.PORT ?? 0),
    jwtKey: createSecretKey(Buffer.from(secret('JWT_SECRET_FILE'))),
    sessionSecret: secret('SESSION_SECRET_FILE'),
    redisUrl,
  };
}

export interface FixtureUser {
  id: number;
  username: string;
}

const users = new Map<number, FixtureUser>();

/** The same lookup the API's user directory does: records made on first use, then kept. */
export function findUser(id: number): FixtureUser | null {
  if (!Number.isInteger(id) || id < 0 || id >= 1_000_000) return null;
  let user = users.get(id);
  if (!user) {
    user = { id, username: `user${id}` };
    users.set(id, user);
  }
  return user;
}

/** The deterministic directory of docs/api-contract.md, checked without a hash. */
export function checkLogin(body: unknown): FixtureUser | null {
  const { username, password } = (body ?? {}) as { username?: unknown; password?: unknown };
  const match = typeof username === 'string' ? /^user(\d{1,6})$/.exec(username) : null;
  if (!match) return null;
  const user = findUser(Number(match[1]));
  return user && password === credentialsOf(user.id).password ? user : null;
}

export function loginAnswer(key: KeyObject, user: FixtureUser) {
  const accessToken = jwt.sign({ jti: randomBytes(16).toString('base64url') }, key, {
    algorithm: 'HS256',
    expiresIn: TOKEN_TTL_SECONDS,
    issuer: ISSUER,
    audience: AUDIENCE,
    subject: String(user.id),
    header: { alg: 'HS256', typ: 'at+jwt', kid: 'k1' },
  });
  return { accessToken, tokenType: 'Bearer', expiresIn: TOKEN_TTL_SECONDS };
}

/** The user of a `Bearer` header, or null: signature, algorithm, issuer, audience, expiry, then lookup. */
export function userOfBearer(key: KeyObject, authorization: string | undefined): FixtureUser | null {
  if (!authorization?.startsWith('Bearer ')) return null;
  try {
    const claims = jwt.verify(authorization.slice(7), key, {
      algorithms: ['HS256'],
      issuer: ISSUER,
      audience: AUDIENCE,
    }) as jwt.JwtPayload;
    return findUser(Number(claims.sub));
  } catch {
    return null;
  }
}

/** 24 random bytes, as the API's session ids. */
export const newSessionId = () => randomBytes(24).toString('base64url');

const signatureOf = (value: string, secret: string) =>
  createHmac('sha256', secret).update(value).digest('base64').replace(/=+$/, '');

/** express-session's cookie value: `s:` + id + `.` + base64 HMAC-SHA256 (its cookie-signature format). */
export function signedSessionCookie(sid: string, secret: string): string {
  const value = encodeURIComponent(`s:${sid}.${signatureOf(sid, secret)}`);
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Lax`;
}

/** The session id of a Cookie header whose signature holds, or null. */
export function sessionIdOf(cookieHeader: string | undefined, secret: string): string | null {
  const prefix = `${SESSION_COOKIE}=`;
  const part = cookieHeader?.split(/;\s*/).find((c) => c.startsWith(prefix));
  if (!part) return null;
  const value = decodeURIComponent(part.slice(prefix.length));
  const dot = value.lastIndexOf('.');
  if (!value.startsWith('s:') || dot < 0) return null;
  const sid = value.slice(2, dot);
  const given = Buffer.from(value.slice(dot + 1));
  const expected = Buffer.from(signatureOf(sid, secret));
  return given.length === expected.length && timingSafeEqual(given, expected) ? sid : null;
}
