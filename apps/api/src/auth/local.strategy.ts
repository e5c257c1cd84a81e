/**
 * Credential checking shared by every mode: passport-local on a per-app
 * Passport instance (not passport's global one, so that several apps in one
 * test process keep their own strategies), fronted by the per-account throttle
 * and the hash gate.
 */
import type { Request, Response } from 'express';
import { Strategy as LocalStrategy } from 'passport-local';
import type { PassportInstance } from './auth.tokens';
import { ApiError, unauthorized } from '../common/api-error';
import type { ApiMetrics } from '../metrics/metrics.registry';
import type { User, UserDirectory } from '../users/user.directory';
import type { AccountThrottle, HashGate } from './login.guardrails';

/** One answer for unknown user and wrong password (docs/security.md, requirement 29). */
export const BAD_CREDENTIALS = 'unknown user or wrong password';

export class CredentialChecker {
  constructor(
    private readonly directory: UserDirectory,
    private readonly throttle: AccountThrottle,
    private readonly gate: HashGate,
    private readonly metrics: ApiMetrics,
  ) {}

  async check(username: string, password: string): Promise<User> {
    try {
      this.throttle.admit(username);
    } catch (err) {
      this.metrics.logins.inc({ outcome: 'throttled' });
      throw err;
    }
    const stop = this.metrics.passwordVerifySeconds.startTimer();
    const user = await this.gate
      .run(() => this.directory.verify(username, password))
      .catch((err: unknown) => {
        this.throttle.release(username);
        this.metrics.logins.inc({ outcome: 'busy' });
        throw err;
      });
    stop();
    this.metrics.logins.inc({ outcome: user ? 'ok' : 'rejected' });
    if (!user) {
      this.throttle.recordFailure(username);
      throw new ApiError(401, 'unauthorized', BAD_CREDENTIALS);
    }
    this.throttle.recordSuccess(username);
    return user;
  }
}

export function registerLocalStrategy(passport: PassportInstance, checker: CredentialChecker): void {
  passport.use(
    'local',
    new LocalStrategy({ session: false }, (username, password, done) => {
      checker.check(username, password).then(
        (user) => done(null, user),
        (err: unknown) => done(err),
      );
    }),
  );
}

/** Runs a strategy and resolves with its user; failures become 401, errors pass through. */
export function runStrategy(
  passport: PassportInstance,
  name: string,
  req: Request,
  res: Response,
): Promise<User> {
  return new Promise((resolve, reject) => {
    const middleware = passport.authenticate(name, { session: false }, (err: unknown, user: User | false) => {
      if (err) reject(err);
      else if (!user) reject(unauthorized());
      else resolve(user);
    });
    middleware(req, res, reject);
  });
}
