/**
 * The seeded user directory. User i is `user<i>` with password
 * `authscale-pw-<i mod 16>` (docs/api-contract.md), so a load generator can
 * log any user in without a shared file.
 *
 * Why start-up stays under a second with 100,000 users: there are only 16
 * distinct passwords, so only 16 real hashes exist. They are started in the
 * background at start-up (on the thread pool, not awaited: with the OWASP
 * cost they take ~0.4-1.5 s of this 2-core machine) and a login waits for the
 * one it needs; a user record is derived from its index when first asked
 * for. Each user still verifies against a real argon2id/bcrypt hash of its
 * own password, at full cost.
 */
import type { PasswordHasher } from './password.hasher';

export const PASSWORD_POOL_SIZE = 16;

export interface User {
  id: number;
  username: string;
}

export function passwordOf(index: number): string {
  return `authscale-pw-${index % PASSWORD_POOL_SIZE}`;
}

const USERNAME_RE = /^user(0|[1-9]\d{0,6})$/;

export class UserDirectory {
  /** Records are created on first use and kept, like rows a database would return. */
  private readonly records = new Map<number, User>();

  private constructor(
    readonly size: number,
    private readonly hasher: PasswordHasher,
    private readonly hashes: ReadonlyArray<Promise<string>>,
  ) {}

  static create(size: number, hasher: PasswordHasher): UserDirectory {
    const hashes = Array.from({ length: PASSWORD_POOL_SIZE }, (_, i) => hasher.hash(passwordOf(i)));
    // A failed hash surfaces on the login that awaits it; never as an unhandled rejection.
    for (const hash of hashes) hash.catch(() => undefined);
    return new UserDirectory(size, hasher, hashes);
  }

  /** Resolves once all 16 hashes exist (tests, and anyone who wants to warm up). */
  async ready(): Promise<void> {
    await Promise.all(this.hashes);
  }

  /** The one lookup both session deserialization and JWT validation do per request. */
  findById(id: number): User | null {
    if (!Number.isInteger(id) || id < 0 || id >= this.size) return null;
    let user = this.records.get(id);
    if (!user) {
      user = { id, username: `user${id}` };
      this.records.set(id, user);
    }
    return user;
  }

  findByUsername(username: string): User | null {
    const match = USERNAME_RE.exec(username);
    return match ? this.findById(Number(match[1])) : null;
  }

  /** The stored hash of a user (exposed for the hash-parameter checks in tests). */
  hashOf(user: User): Promise<string> {
    return this.hashes[user.id % PASSWORD_POOL_SIZE] as Promise<string>;
  }

  /**
   * Checks a password. An unknown user still costs one full verify against a
   * real hash, so timing does not tell unknown users from wrong passwords.
   */
  async verify(username: string, password: string): Promise<User | null> {
    const user = this.findByUsername(username);
    const hash = await (user ? this.hashOf(user) : (this.hashes[0] as Promise<string>));
    const ok = await this.hasher.verify(hash, password);
    return user && ok ? user : null;
  }
}
