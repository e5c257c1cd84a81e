/**
 * jwt and hybrid modes' per-request check: the passport-jwt strategy
 * (jwt.strategy.ts). No store access unless REVOCATION=denylist.
 *
 * The passport middleware is built once, not per request: passport's
 * custom-callback form (local.strategy.ts runStrategy, fine for logins) makes
 * a new middleware and closures on every call. With `failWithError` a failed
 * check reaches the callback as passport's AuthenticationError (-> 401);
 * any other error (a denylist store failure) passes through unchanged.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { PassportInstance } from '../auth.tokens';
import { unauthorized } from '../../common/api-error';
import type { User } from '../../users/user.directory';
import type { Authenticator } from '../authenticator';

export class JwtAuthenticator implements Authenticator {
  private readonly middleware: RequestHandler;

  constructor(passport: PassportInstance) {
    this.middleware = passport.authenticate('jwt', { session: false, failWithError: true }) as RequestHandler;
  }

  authenticate(req: Request, res: Response): Promise<User> {
    return new Promise((resolve, reject) => {
      const next: NextFunction = (err?: unknown) => {
        if ((err as Error | undefined)?.name === 'AuthenticationError') reject(unauthorized());
        else if (err) reject(err);
        else if (!req.user) reject(unauthorized());
        else resolve(req.user as User);
      };
      this.middleware(req, res, next);
    });
  }
}
