/**
 * REVOCATION=denylist: logout stores the token's jti in Redis until the
 * token's own expiry (so the list never outgrows the live tokens), and every
 * authenticated request asks Redis whether its jti is listed (one EXISTS).
 * With Redis unreachable: REVOCATION_FAIL_MODE=closed answers 503 (revoked
 * tokens cannot slip through), open accepts the token (availability first).
 */
import { storeUnavailable } from '../../common/api-error';
import type { RedisConnection } from '../../redis/redis.connection';

const PREFIX = 'deny:';

export class Denylist {
  constructor(
    private readonly redis: RedisConnection,
    private readonly failMode: 'closed' | 'open',
  ) {}

  async add(jti: string, expSeconds: number, nowMs = Date.now()): Promise<void> {
    const ttl = Math.ceil(expSeconds - nowMs / 1000);
    if (ttl <= 0) return;
    try {
      await this.redis.set(PREFIX + jti, '1', { expiration: { type: 'EX', value: ttl } });
    } catch {
      throw storeUnavailable('the revocation list');
    }
  }

  async isRevoked(jti: string): Promise<boolean> {
    try {
      return (await this.redis.exists(PREFIX + jti)) === 1;
    } catch {
      if (this.failMode === 'open') return false;
      throw storeUnavailable('the revocation list');
    }
  }
}
