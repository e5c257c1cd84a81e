/**
 * Session mode login/logout. Login: body check, credential check
 * (passport-local), then passport's req.login, which regenerates the session
 * (a fresh id: no fixation) and saves it once. Logout destroys the store
 * entry and clears the cookie.
 */
import { Controller, HttpCode, Inject, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { PassportInstance } from '../auth.tokens';
import { storeUnavailable } from '../../common/api-error';
import type { User } from '../../users/user.directory';
import { ApiAuthGuard } from '../api-auth.guard';
import { parseLoginBody } from '../login.body';
import { runStrategy } from '../local.strategy';
import { LOGIN_LIMITS, PASSPORT, type LoginLimits } from '../auth.tokens';

@Controller('auth')
export class SessionAuthController {
  constructor(
    @Inject(PASSPORT) private readonly passport: PassportInstance,
    @Inject(LOGIN_LIMITS) private readonly limits: LoginLimits,
  ) {}

  @Post('login')
  @HttpCode(200)
  async login(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<{ user: User }> {
    parseLoginBody(req.body, this.limits.maxPasswordBytes);
    if (!req.session) throw storeUnavailable();
    const user = await runStrategy(this.passport, 'local', req, res);
    await new Promise<void>((resolve, reject) =>
      req.login(user, (err: unknown) => (err ? reject(storeUnavailable()) : resolve())),
    );
    return { user: { id: user.id, username: user.username } };
  }

  @Post('logout')
  @HttpCode(204)
  @UseGuards(ApiAuthGuard)
  async logout(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    const session = req.session;
    // The name of the cookie this session was loaded from: the session middleware
    // picked the Secure variant (`__Host-sid`) or the plain one (`sid`) by the
    // same COOKIE_SECURE rule it used at login. req.secure alone would name
    // `__Host-sid` behind TLS with COOKIE_SECURE=false, and clear the wrong cookie.
    const cookieName = session.cookie.secure === true ? '__Host-sid' : 'sid';
    await new Promise<void>((resolve, reject) =>
      session.destroy((err: unknown) => (err ? reject(storeUnavailable()) : resolve())),
    );
    res.clearCookie(cookieName, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: cookieName.startsWith('__Host-'),
    });
  }
}
