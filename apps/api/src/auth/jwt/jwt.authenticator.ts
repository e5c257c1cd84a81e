/**
 * jwt and hybrid modes' per-request check: the passport-jwt strategy
 * (jwt.strategy.ts). No store access unless REVOCATION=denylist.
 */
import type { Request, Response } from 'express';
import type { PassportInstance } from '../auth.tokens';
import type { User } from '../../users/user.directory';
import type { Authenticator } from '../authenticator';
import { runStrategy } from '../local.strategy';

export class JwtAuthenticator implements Authenticator {
  constructor(private readonly passport: PassportInstance) {}

  authenticate(req: Request, res: Response): Promise<User> {
    return runStrategy(this.passport, 'jwt', req, res);
  }
}
