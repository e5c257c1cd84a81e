/**
 * Wraps the session store so that every call express-session makes (load,
 * save, destroy) ends within STORE_TIMEOUT_MS: a Redis that keeps its
 * socket open but never answers becomes a store error (-> 503 + Retry-After)
 * instead of a request that hangs (docs/security.md, "Store outages").
 *
 * touch() is deliberately absent, whatever the inner store has: idle expiry
 * is the lastSeen rewrite's (session.timeouts.ts; connect-redis runs with
 * disableTouch), and a store with touch() makes express-session split every
 * unmodified response in two socket writes around a call that does nothing
 * (bounded-memory.store.ts).
 */
import { Store, type SessionData } from 'express-session';
import { callbackWithDeadline } from '../../redis/store.deadline';

type Callback<T = unknown> = (err?: unknown, value?: T) => void;

export class DeadlineStore extends Store {
  constructor(
    private readonly inner: Store,
    private readonly timeoutMs: number,
  ) {
    super();
  }

  override get(sid: string, cb: Callback<SessionData | null>): void {
    callbackWithDeadline(this.timeoutMs, cb, (done) => this.inner.get(sid, done));
  }

  override set(sid: string, sess: SessionData, cb?: Callback): void {
    callbackWithDeadline(this.timeoutMs, cb, (done) => this.inner.set(sid, sess, done));
  }

  override destroy(sid: string, cb?: Callback): void {
    callbackWithDeadline(this.timeoutMs, cb, (done) => this.inner.destroy(sid, done));
  }
}
