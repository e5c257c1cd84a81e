/**
 * Real password hashes (argon2id or bcrypt). Both libraries hash on libuv's
 * thread pool, so a verify never blocks the event loop.
 */
import * as argon2 from 'argon2';
import * as bcrypt from 'bcrypt';
import type { PasswordHashConfig } from '../config/config.types';

/** bcrypt silently ignores bytes after the 72nd; longer passwords are refused instead. */
export const BCRYPT_MAX_BYTES = 72;

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
  /** Longest password (UTF-8 bytes) this hasher accepts in full. */
  readonly maxPasswordBytes: number;
}

export function createPasswordHasher(config: PasswordHashConfig): PasswordHasher {
  if (config.kind === 'bcrypt') {
    return {
      maxPasswordBytes: BCRYPT_MAX_BYTES,
      hash: (password) => bcrypt.hash(password, config.cost),
      verify: (hash, password) => bcrypt.compare(password, hash),
    };
  }
  const options: argon2.HashOptions & { raw?: false } = {
    type: argon2.argon2id,
    memoryCost: config.memoryKib,
    timeCost: config.timeCost,
    parallelism: config.parallelism,
  };
  return {
    maxPasswordBytes: 1024,
    hash: (password) => argon2.hash(password, options),
    verify: (hash, password) => argon2.verify(hash, password),
  };
}
