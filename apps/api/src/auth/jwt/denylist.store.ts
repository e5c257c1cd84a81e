/**
 * REVOCATION=denylist: logout stores the token's jti in Redis until the
 * token can no longer pass verification: its exp plus the verifier's clock
 * tolerance (a shorter entry would let a revoked token back in for that
 * tolerance; the revocation scenario caught exactly that). The list never
 * outgrows the live tokens. Every
 * authenticated request asks Redis whether its jti is listed (one EXISTS).
 * With Redis unreachable or not answering within STORE_TIMEOUT_MS: REVOCATION_FAIL_MODE=closed answers 503 (revoked
 * tokens cannot slip through), open accepts the token (availability first).
 */
import { storeUnavailable } from '../../common/api-error';
import type { RedisConnection } from '../../redis/redis.connection';
import { withDeadline } from '../../redis/store.deadline';
import { CLOCK_TOLERANCE_SECONDS } from './claims.policy';

const PREFIX = 'deny:';

export class Denylist {
  constructor(
    private readonly redis: RedisConnection,
    private readonly failMode: 'closed' | 'open',
    private readonly timeoutMs: number,
  ) {}

  async add(jti: string, expSeconds: number, nowMs = Date.now()): Promise<void> {
    const ttl = Math.ceil(expSeconds + CLOCK_TOLERANCE_SECONDS - nowMs / 1000);
    if (ttl <= 0) return;
    try {
      await withDeadline(
        this.redis.set(PREFIX + jti, '1', { expiration: { type: 'EX', value: ttl } }),
        this.timeoutMs,
      );
    } catch {
      throw storeUnavailable('the revocation list');
    }
  }

  async isRevoked(jti: string): Promise<boolean> {
    try {
      return (await withDeadline(this.redis.exists(PREFIX + jti), this.timeoutMs)) === 1;
    } catch {
      if (this.failMode === 'open') return false;
      throw storeUnavailable('the revocation list');
    }
  }
}
