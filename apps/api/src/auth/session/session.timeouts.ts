/**
 * Idle and absolute session timeouts, enforced on the server without a store
 * write per request.
 *
 * - The store entry expires SESSION_IDLE_SECONDS after its last write (never
 *   later than the absolute limit): sessions nobody uses vanish by themselves.
 * - The session records `lastSeen`, rewritten only when it is older than a
 *   tenth of the idle timeout (at most 60 s). A steady stream of reads
 *   therefore costs one store read each and a write at most every 60 s (with
 *   the defaults, 1800 s idle: every 60 s), which also extends the entry's TTL.
 * - The login time (`at`, next to the user id) bounds the session's whole life.
 * Idle expiry is thus precise to within that refresh interval.
 */
import type { Session, SessionData } from 'express-session';

/** What passport stores in the session at login (see serializeUser in auth.wiring.ts). */
export interface SessionUserRef {
  id: number;
  /** Login time, ms since the epoch. */
  at: number;
}

declare module 'express-session' {
  interface SessionData {
    passport?: { user?: SessionUserRef };
    lastSeen?: number;
  }
}

export type Verdict = 'ok' | 'refresh' | 'idle' | 'absolute';

export class SessionTimeouts {
  readonly refreshEveryMs: number;

  constructor(
    readonly idleSeconds: number,
    readonly absoluteSeconds: number,
  ) {
    this.refreshEveryMs = Math.min((idleSeconds * 1000) / 10, 60_000);
  }

  judge(data: Partial<SessionData>, now: number): Verdict {
    const loginAt = data.passport?.user?.at ?? 0;
    if (now - loginAt >= this.absoluteSeconds * 1000) return 'absolute';
    const lastSeen = data.lastSeen ?? loginAt;
    if (now - lastSeen >= this.idleSeconds * 1000) return 'idle';
    return now - lastSeen >= this.refreshEveryMs ? 'refresh' : 'ok';
  }

  /** Seconds the store keeps an entry written now: the idle window, cut at the absolute limit. */
  ttlSeconds(data: Partial<SessionData> | Session, now: number): number {
    const loginAt = (data as Partial<SessionData>).passport?.user?.at ?? now;
    const absoluteLeft = (loginAt + this.absoluteSeconds * 1000 - now) / 1000;
    return Math.max(0, Math.ceil(Math.min(this.idleSeconds, absoluteLeft)));
  }
}
