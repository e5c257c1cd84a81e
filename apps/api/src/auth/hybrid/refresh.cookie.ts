/**
 * The hybrid refresh cookie: HttpOnly, SameSite=Strict, Path=/, named
 * `__Host-rt` and Secure when the request came over TLS (or COOKIE_SECURE=true),
 * `rt` otherwise. Max-Age follows the refresh family's remaining life.
 */
import type { Request, Response } from 'express';
import type { CookieSecure } from '../../config/config.types';

export function isSecureRequest(req: Request, mode: CookieSecure): boolean {
  return mode === 'true' || (mode === 'auto' && req.secure);
}

export class RefreshCookie {
  constructor(private readonly mode: CookieSecure) {}

  read(req: Request): string | null {
    const cookies = req.cookies as Record<string, unknown> | undefined;
    const value = cookies?.[isSecureRequest(req, this.mode) ? '__Host-rt' : 'rt'];
    return typeof value === 'string' && /^[A-Za-z0-9_-]{43}$/.test(value) ? value : null;
  }

  write(req: Request, res: Response, token: string, ttlSeconds: number): void {
    const secure = isSecureRequest(req, this.mode);
    res.cookie(secure ? '__Host-rt' : 'rt', token, {
      httpOnly: true,
      sameSite: 'strict',
      path: '/',
      secure,
      maxAge: ttlSeconds * 1000,
    });
  }

  clear(req: Request, res: Response): void {
    const secure = isSecureRequest(req, this.mode);
    res.clearCookie(secure ? '__Host-rt' : 'rt', { httpOnly: true, sameSite: 'strict', path: '/', secure });
  }
}
