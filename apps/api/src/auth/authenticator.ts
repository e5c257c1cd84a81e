/**
 * The per-request credential check of the active mode. ApiAuthGuard calls the
 * one the module registered; a failure throws ApiError (401, or 503 when a
 * store needed for the answer cannot be reached).
 */
import type { Request, Response } from 'express';
import type { User } from '../users/user.directory';

export const AUTHENTICATOR = Symbol('AUTHENTICATOR');

export interface Authenticator {
  authenticate(req: Request, res: Response): Promise<User> | User;
}
