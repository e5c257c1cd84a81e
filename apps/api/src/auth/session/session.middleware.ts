/**
 * express-session + passport.session() for session mode, mounted only on
 * /api and /auth: health checks and metrics never look at a cookie.
 *
 * - resave: false, saveUninitialized: false (anonymous requests store nothing).
 * - connect-redis with disableTouch (no EXPIRE per request); idle expiry is
 *   done by session.timeouts.ts.
 * - Cookie: HttpOnly, SameSite=Lax, Path=/, no Max-Age (the server decides
 *   when a session ends). Two cookie variants exist because express-session
 *   fixes the name per instance: `__Host-sid` + Secure for TLS requests
 *   (directly or via a trusted proxy), `sid` otherwise; COOKIE_SECURE picks.
 * - A store error on load, or no answer within STORE_TIMEOUT_MS, becomes 503,
 *   never an anonymous or a 500.
 */
import { randomBytes } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import session, { type Store } from 'express-session';
import { RedisStore } from 'connect-redis';
import type { PassportInstance } from '../auth.tokens';
import type { ApiConfig } from '../../config/config.types';
import type { RedisConnection } from '../../redis/redis.connection';
import { sendError, storeUnavailable } from '../../common/api-error';
import { BoundedMemoryStore } from './bounded-memory.store';
import { DeadlineStore } from './deadline.store';
import type { SessionTimeouts } from './session.timeouts';

/** 24 random bytes = 192 bits, base64url: above the 128 bits OWASP asks for. */
export function generateSessionId(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * req.secure, without its cost on plain requests: Express evaluates the
 * trust-proxy rule (an ipaddr.js parse of the peer address) only to decide
 * whether to believe X-Forwarded-Proto, so without that header the answer is
 * the socket's own, whoever the peer is.
 */
export function arrivedOverTls(req: Request): boolean {
  if ((req.socket as TLSSocket).encrypted) return true;
  return req.headers['x-forwarded-proto'] !== undefined && req.secure;
}

export function createSessionStore(
  config: ApiConfig,
  timeouts: SessionTimeouts,
  redis: RedisConnection | null,
): Store {
  const ttl = (sess: unknown) => timeouts.ttlSeconds(sess as never, Date.now());
  if (config.sessionStore === 'redis') {
    if (!redis) throw new Error('session store "redis" needs a Redis connection');
    const inner = new RedisStore({ client: redis, prefix: 'sess:', ttl, disableTouch: true });
    return new DeadlineStore(inner, config.storeTimeoutMs);
  }
  return new BoundedMemoryStore(config.memoryStoreMaxSessions, ttl);
}

export function sessionMiddleware(
  config: ApiConfig,
  store: Store,
  passport: PassportInstance,
): RequestHandler {
  const variant = (secure: boolean) =>
    session({
      name: secure ? '__Host-sid' : 'sid',
      secret: config.sessionSecret as string,
      store,
      resave: false,
      saveUninitialized: false,
      rolling: false,
      // 'keep', not 'destroy': when a store read fails, express-session leaves
      // req.session unset and, with 'destroy', deletes the caller's session at
      // the end of that 503 (a hung Redis runs the DEL once it answers again:
      // one slow store read logged the user out). Sessions end only through
      // an explicit session.destroy() (logout, timeouts).
      unset: 'keep',
      genid: generateSessionId,
      cookie: { httpOnly: true, sameSite: 'lax', path: '/', secure },
    });
  const isSecure = (req: Request) =>
    config.cookieSecure === 'true' || (config.cookieSecure === 'auto' && arrivedOverTls(req));
  // Each session() call installs its own store.generate (used by regenerate at
  // login) on the shared store, the last one winning; route it per request.
  const generating = store as Store & { generate: (req: Request) => void };
  const secureSession = variant(true);
  const generateSecure = generating.generate.bind(store);
  const plainSession = variant(false);
  const generatePlain = generating.generate.bind(store);
  generating.generate = (req: Request) => (isSecure(req) ? generateSecure : generatePlain)(req);
  const pick = (req: Request) => (isSecure(req) ? secureSession : plainSession);
  const passportSession = passport.session();

  return (req: Request, res: Response, next: NextFunction) => {
    if (!req.path.startsWith('/api/') && !req.path.startsWith('/auth/')) return next();
    pick(req)(req, res, (err?: unknown) => {
      if (err) return sendError(res, storeUnavailable());
      passportSession(req, res, (err2?: unknown) => (err2 ? sendError(res, storeUnavailable()) : next()));
    });
  };
}
