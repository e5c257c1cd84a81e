/**
 * Hybrid mode's refresh sessions in Redis. A refresh token is 32 random bytes
 * (kept by the client in an HttpOnly cookie); Redis holds only its SHA-256.
 *
 *   rtfam:<family>  -> user id      one per login; TTL = REFRESH_TTL_SECONDS from login
 *   rt:<hash>       -> "<uid>:<family>" while unused, "spent:<family>" once rotated
 *
 * Rotation is one Lua script (refresh.rotate.lua.ts): check, mark spent and
 * store the successor happen together or not at all, so two concurrent
 * refreshes cannot both win and a failure cannot leave a spent token without
 * a successor. The script only acts within the first half of
 * STORE_TIMEOUT_MS (by Redis' clock), leaving the other half for its answer
 * to arrive: after a 503 the state is unchanged and the retry is an ordinary
 * rotation. Presenting a spent token again means it was copied: the whole
 * family is revoked (RFC 9700 refresh token rotation; docs/security.md,
 * "Refresh rotation"). Rotation never extends the family's life.
 */
import { createHash, randomBytes } from 'node:crypto';
import { ApiError, storeUnavailable, unauthorized } from '../../common/api-error';
import type { RedisConnection } from '../../redis/redis.connection';
import { withDeadline } from '../../redis/store.deadline';
import { ROTATE_SCRIPT } from './refresh.rotate.lua';

export interface RefreshGrant {
  token: string;
  userId: number;
  /** Seconds until the family (and so this token) expires. */
  ttlSeconds: number;
}

const hashOf = (token: string) => createHash('sha256').update(token).digest('base64url');
const newToken = () => randomBytes(32).toString('base64url');

type RotateReply = [string, string?, number?];

export class RefreshStore {
  constructor(
    private readonly redis: RedisConnection,
    private readonly ttlSeconds: number,
    private readonly timeoutMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async open(userId: number): Promise<RefreshGrant> {
    const family = randomBytes(16).toString('base64url');
    const token = newToken();
    const ex = { expiration: { type: 'EX', value: this.ttlSeconds } } as const;
    await this.guard(() =>
      this.redis
        .multi()
        .set(`rtfam:${family}`, String(userId), ex)
        .set(`rt:${hashOf(token)}`, `${userId}:${family}`, ex)
        .exec(),
    );
    return { token, userId, ttlSeconds: this.ttlSeconds };
  }

  async rotate(token: string): Promise<RefreshGrant> {
    const next = newToken();
    const deadline = this.now() + Math.floor(this.timeoutMs / 2);
    const reply = (await this.guard(() =>
      this.redis.eval(ROTATE_SCRIPT, {
        keys: [`rt:${hashOf(token)}`],
        arguments: [String(deadline), hashOf(next)],
      }),
    )) as RotateReply;
    const [outcome, owner, ttlMs] = reply;
    if (outcome === 'rotated')
      return { token: next, userId: Number(owner), ttlSeconds: Math.ceil(Number(ttlMs) / 1000) };
    if (outcome === 'late') throw storeUnavailable('the refresh session store');
    if (outcome === 'reused')
      throw new ApiError(
        401,
        'unauthorized',
        'refresh token was already used: every session of this login is revoked; log in again',
      );
    if (outcome === 'ended') throw unauthorized('refresh session ended: log in again');
    throw unauthorized('unknown or expired refresh token: log in again');
  }

  /** Logout: ends the whole family the token belongs to. Unknown tokens are a no-op. */
  async revoke(token: string): Promise<boolean> {
    const key = `rt:${hashOf(token)}`;
    const value = await this.guard(() => this.redis.get(key));
    if (value === null) return false;
    await this.guard(() => this.redis.del([`rtfam:${familyOf(value)}`, key]));
    return true;
  }

  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await withDeadline(work(), this.timeoutMs);
    } catch {
      throw storeUnavailable('the refresh session store');
    }
  }
}

/** The family of a live ("<uid>:<family>") or spent ("spent:<family>") record. */
function familyOf(value: string): string {
  return value.slice(value.indexOf(':') + 1);
}
