/**
 * A per-replica session store with the two things express-session's
 * MemoryStore lacks: entries expire (same TTL rule as the Redis store) and the
 * number of sessions is bounded (MEMORY_STORE_MAX_SESSIONS; the least recently
 * written session is dropped first). Sessions are kept as JSON strings so a
 * request never shares a mutable object with the store.
 *
 * No touch(): idle expiry is driven by the lastSeen rewrite
 * (session.timeouts.ts). A store that has touch() makes express-session end
 * every unmodified response through it, split in two socket writes (all but
 * the last byte, then the last byte after the callback), even when the touch
 * does nothing.
 */
import { Store, type SessionData } from 'express-session';

type Callback<T = unknown> = (err?: unknown, value?: T) => void;

export class BoundedMemoryStore extends Store {
  /** Map order = write order, so the first key is the least recently written. */
  private readonly entries = new Map<string, { json: string; expiresAt: number }>();

  constructor(
    private readonly maxSessions: number,
    private readonly ttlSeconds: (sess: SessionData) => number,
    private readonly now: () => number = Date.now,
  ) {
    super();
  }

  get size(): number {
    return this.entries.size;
  }

  override get(sid: string, cb: Callback<SessionData | null>): void {
    const entry = this.entries.get(sid);
    if (!entry) return cb(null, null);
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(sid);
      return cb(null, null);
    }
    cb(null, JSON.parse(entry.json) as SessionData);
  }

  override set(sid: string, sess: SessionData, cb?: Callback): void {
    const ttl = this.ttlSeconds(sess);
    this.entries.delete(sid);
    if (ttl > 0) {
      this.entries.set(sid, { json: JSON.stringify(sess), expiresAt: this.now() + ttl * 1000 });
      while (this.entries.size > this.maxSessions) {
        const oldest = this.entries.keys().next();
        if (oldest.done) break;
        this.entries.delete(oldest.value);
      }
    }
    cb?.(null);
  }

  override destroy(sid: string, cb?: Callback): void {
    this.entries.delete(sid);
    cb?.(null);
  }
}
