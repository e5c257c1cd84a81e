/**
 * What stands between a login request and the password hash:
 *
 * - AccountThrottle: per account (not per IP, so one load generator with
 *   thousands of users behind one address is never locked out). After
 *   LOGIN_MAX_FAILURES failures in a row the account is refused with 429 for
 *   LOGIN_THROTTLE_SECONDS, doubling on each further failure (capped at 16x).
 *   A success resets it. State is per replica and bounded in size.
 * - HashGate: at most LOGIN_MAX_PENDING verifications waiting for the thread
 *   pool; beyond that a login gets 429 at once, so a burst gives bounded
 *   latency instead of an ever-growing queue.
 */
import { ApiError } from '../common/api-error';

interface Failures {
  count: number;
  blockedUntil: number;
  touchedAt: number;
}

const MAX_TRACKED_ACCOUNTS = 100_000;
const MAX_BACKOFF_FACTOR = 16;

export class AccountThrottle {
  private readonly accounts = new Map<string, Failures>();

  constructor(
    private readonly maxFailures: number,
    private readonly throttleSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Throws 429 while the account is blocked. */
  check(username: string): void {
    const entry = this.accounts.get(username);
    if (!entry) return;
    const waitMs = entry.blockedUntil - this.now();
    if (waitMs > 0) {
      const seconds = Math.ceil(waitMs / 1000);
      throw new ApiError(
        429,
        'too_many_requests',
        `too many failed logins for this account; retry in ${seconds} s`,
        { 'retry-after': String(seconds) },
      );
    }
  }

  recordFailure(username: string): void {
    const now = this.now();
    const entry = this.accounts.get(username) ?? { count: 0, blockedUntil: 0, touchedAt: now };
    entry.count += 1;
    entry.touchedAt = now;
    if (entry.count >= this.maxFailures) {
      const factor = Math.min(2 ** (entry.count - this.maxFailures), MAX_BACKOFF_FACTOR);
      entry.blockedUntil = now + this.throttleSeconds * 1000 * factor;
    }
    this.accounts.delete(username);
    this.accounts.set(username, entry);
    if (this.accounts.size > MAX_TRACKED_ACCOUNTS) this.evictOldest();
  }

  recordSuccess(username: string): void {
    this.accounts.delete(username);
  }

  /** Map order is insertion order and recordFailure re-inserts: the first entry is the least recently failed. */
  private evictOldest(): void {
    const oldest = this.accounts.keys().next();
    if (!oldest.done) this.accounts.delete(oldest.value);
  }
}

export class HashGate {
  private pending = 0;

  constructor(private readonly maxPending: number) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.pending >= this.maxPending) {
      throw new ApiError(
        429,
        'too_many_requests',
        'too many logins in progress on this replica; retry shortly',
        { 'retry-after': '1' },
      );
    }
    this.pending += 1;
    try {
      return await work();
    } finally {
      this.pending -= 1;
    }
  }
}
