/**
 * Hybrid mode's refresh sessions in Redis. A refresh token is 32 random bytes
 * (kept by the client in an HttpOnly cookie); Redis holds only its SHA-256.
 *
 *   rtfam:<family>  -> user id      one per login; TTL = REFRESH_TTL_SECONDS from login
 *   rt:<hash>       -> "<uid>:<family>" while unused, "spent:<family>" once rotated
 *
 * Rotation flips the presented token to "spent" with one atomic
 * `SET ... XX KEEPTTL GET`, so two concurrent refreshes cannot both win.
 * Presenting a spent token again means it was copied: the whole family is
 * revoked (RFC 9700 refresh token rotation). Rotation never extends the
 * family's life: every token of a family expires with it.
 */
import { createHash, randomBytes } from 'node:crypto';
import { ApiError, storeUnavailable, unauthorized } from '../../common/api-error';
import type { RedisConnection } from '../../redis/redis.connection';

export interface RefreshGrant {
  token: string;
  userId: number;
  /** Seconds until the family (and so this token) expires. */
  ttlSeconds: number;
}

const hashOf = (token: string) => createHash('sha256').update(token).digest('base64url');
const newToken = () => randomBytes(32).toString('base64url');

export class RefreshStore {
  constructor(
    private readonly redis: RedisConnection,
    private readonly ttlSeconds: number,
  ) {}

  async open(userId: number): Promise<RefreshGrant> {
    const family = randomBytes(16).toString('base64url');
    const token = newToken();
    await this.guard(() =>
      this.redis
        .multi()
        .set(`rtfam:${family}`, String(userId), { expiration: { type: 'EX', value: this.ttlSeconds } })
        .set(`rt:${hashOf(token)}`, `${userId}:${family}`, {
          expiration: { type: 'EX', value: this.ttlSeconds },
        })
        .exec(),
    );
    return { token, userId, ttlSeconds: this.ttlSeconds };
  }

  async rotate(token: string): Promise<RefreshGrant> {
    const key = `rt:${hashOf(token)}`;
    const previous = await this.guard(async () => {
      const value = await this.redis.get(key);
      if (value === null) return null;
      const family = value.slice(value.indexOf(':') + 1);
      return this.redis.sendCommand(['SET', key, `spent:${family}`, 'XX', 'KEEPTTL', 'GET']) as Promise<
        string | null
      >;
    });
    if (previous === null) throw unauthorized('unknown or expired refresh token: log in again');
    const [owner, family] = splitRecord(previous);
    if (owner === 'spent') {
      await this.guard(() => this.redis.del(`rtfam:${family}`));
      throw new ApiError(
        401,
        'unauthorized',
        'refresh token was already used: every session of this login is revoked; log in again',
      );
    }
    const ttlMs = await this.guard(() => this.redis.pTTL(`rtfam:${family}`));
    if (ttlMs <= 0) throw unauthorized('refresh session ended: log in again');
    const next = newToken();
    await this.guard(() =>
      this.redis.set(`rt:${hashOf(next)}`, `${owner}:${family}`, {
        expiration: { type: 'PX', value: ttlMs },
      }),
    );
    return { token: next, userId: Number(owner), ttlSeconds: Math.ceil(ttlMs / 1000) };
  }

  /** Logout: ends the whole family the token belongs to. Unknown tokens are a no-op. */
  async revoke(token: string): Promise<boolean> {
    const value = await this.guard(() => this.redis.get(`rt:${hashOf(token)}`));
    if (value === null) return false;
    const [, family] = splitRecord(value);
    await this.guard(() => this.redis.del([`rtfam:${family}`, `rt:${hashOf(token)}`]));
    return true;
  }

  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch {
      throw storeUnavailable('the refresh session store');
    }
  }
}

function splitRecord(value: string): [string, string] {
  const colon = value.indexOf(':');
  return [value.slice(0, colon), value.slice(colon + 1)];
}
