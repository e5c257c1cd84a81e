/**
 * What stands between a login request and the password hash:
 *
 * - AccountThrottle: per account (not per IP, so one load generator with
 *   thousands of users behind one address is never locked out). After
 *   LOGIN_MAX_FAILURES failures in a row the account is refused with 429 for
 *   LOGIN_THROTTLE_SECONDS, doubling on each further failure (capped at 16x).
 *   A success resets it. State is per replica and bounded in size.
 *   An attempt is admitted (and counted as in flight) before its hash runs:
 *   failures plus attempts in flight never exceed LOGIN_MAX_FAILURES, so a
 *   burst sent at once gets no more verifications than one sent in sequence
 *   (docs/security.md, "Login throttle"). Once a block has expired, one
 *   attempt at a time is admitted until the next failure blocks again.
 * - HashGate: at most LOGIN_MAX_PENDING verifications waiting for the thread
 *   pool; beyond that a login gets 429 at once, so a burst gives bounded
 *   latency instead of an ever-growing queue.
 */
import { ApiError } from '../common/api-error';

interface Failures {
  count: number;
  /** Admitted attempts whose verification has not finished yet. */
  inFlight: number;
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

  /**
   * Admits one attempt or throws 429. Every admitted attempt must end in
   * recordFailure, recordSuccess or release.
   */
  admit(username: string): void {
    const now = this.now();
    const entry = this.accounts.get(username) ?? { count: 0, inFlight: 0, blockedUntil: 0, touchedAt: now };
    const waitMs = entry.blockedUntil - now;
    const full =
      entry.count >= this.maxFailures ? entry.inFlight > 0 : entry.count + entry.inFlight >= this.maxFailures;
    if (waitMs > 0 || full) {
      const seconds = Math.max(1, Math.ceil(waitMs / 1000));
      throw new ApiError(
        429,
        'too_many_requests',
        `too many failed logins for this account; retry in ${seconds} s`,
        { 'retry-after': String(seconds) },
      );
    }
    entry.inFlight += 1;
    this.store(username, entry, now);
  }

  recordFailure(username: string): void {
    const now = this.now();
    const entry = this.accounts.get(username) ?? { count: 0, inFlight: 0, blockedUntil: 0, touchedAt: now };
    entry.inFlight = Math.max(0, entry.inFlight - 1);
    entry.count += 1;
    if (entry.count >= this.maxFailures) {
      const factor = Math.min(2 ** (entry.count - this.maxFailures), MAX_BACKOFF_FACTOR);
      entry.blockedUntil = now + this.throttleSeconds * 1000 * factor;
    }
    this.store(username, entry, now);
  }

  recordSuccess(username: string): void {
    const entry = this.accounts.get(username);
    if (!entry || entry.inFlight <= 1) {
      this.accounts.delete(username);
      return;
    }
    // Other attempts are still being verified: keep counting them, forget the failures.
    entry.inFlight -= 1;
    entry.count = 0;
    entry.blockedUntil = 0;
  }

  /** Ends an admitted attempt that was never verified (the hash gate refused it). */
  release(username: string): void {
    const entry = this.accounts.get(username);
    if (!entry) return;
    entry.inFlight = Math.max(0, entry.inFlight - 1);
    if (entry.inFlight === 0 && entry.count === 0) this.accounts.delete(username);
  }

  private store(username: string, entry: Failures, now: number): void {
    entry.touchedAt = now;
    this.accounts.delete(username);
    this.accounts.set(username, entry);
    if (this.accounts.size > MAX_TRACKED_ACCOUNTS) this.evictOldest();
  }

  /** Map order is insertion order and store() re-inserts: the first entry is the least recently touched. */
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
