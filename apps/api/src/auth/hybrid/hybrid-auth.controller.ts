/**
 * hybrid mode: login answers a short-lived access JWT (60 s by default) and
 * sets a refresh cookie backed by Redis; /auth/refresh rotates the refresh
 * token and issues a new access token; logout revokes the refresh family
 * (access tokens already issued live out their short lifetime, unless
 * REVOCATION=denylist is also set).
 */
import { Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { PassportInstance } from '../auth.tokens';
import { ApiError, unauthorized } from '../../common/api-error';
import type { UserDirectory } from '../../users/user.directory';
import { LOGIN_LIMITS, PASSPORT, USER_DIRECTORY, type LoginLimits } from '../auth.tokens';
import { parseLoginBody } from '../login.body';
import { runStrategy } from '../local.strategy';
import type { TokenBody } from '../jwt/jwt-auth.controller';
import { TokenSigner } from '../jwt/token.signer';
import { RefreshCookie } from './refresh.cookie';
import { RefreshStore } from './refresh.store';

@Controller('auth')
export class HybridAuthController {
  constructor(
    @Inject(PASSPORT) private readonly passport: PassportInstance,
    @Inject(LOGIN_LIMITS) private readonly limits: LoginLimits,
    @Inject(TokenSigner) private readonly signer: TokenSigner,
    @Inject(RefreshStore) private readonly refresh: RefreshStore,
    @Inject(RefreshCookie) private readonly cookie: RefreshCookie,
    @Inject(USER_DIRECTORY) private readonly directory: UserDirectory,
  ) {}

  @Post('login')
  @HttpCode(200)
  async login(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<TokenBody> {
    parseLoginBody(req.body, this.limits.maxPasswordBytes);
    const user = await runStrategy(this.passport, 'local', req, res);
    const grant = await this.refresh.open(user.id);
    this.cookie.write(req, res, grant.token, grant.ttlSeconds);
    const issued = this.signer.issue(user);
    return { accessToken: issued.token, tokenType: 'Bearer', expiresIn: issued.expiresIn };
  }

  @Post('refresh')
  @HttpCode(200)
  async rotate(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<TokenBody> {
    const presented = this.cookie.read(req);
    if (!presented) throw unauthorized('no refresh cookie: log in again');
    const grant = await this.refresh.rotate(presented).catch((err: unknown) => {
      // A dead refresh token is cleared; on 503 the client keeps it and retries.
      if (err instanceof ApiError && err.status === 401) this.cookie.clear(req, res);
      throw err;
    });
    const user = this.directory.findById(grant.userId);
    if (!user) throw unauthorized();
    this.cookie.write(req, res, grant.token, grant.ttlSeconds);
    const issued = this.signer.issue(user);
    return { accessToken: issued.token, tokenType: 'Bearer', expiresIn: issued.expiresIn };
  }

  @Post('logout')
  @HttpCode(204)
  async logout(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    const presented = this.cookie.read(req);
    if (!presented || !(await this.refresh.revoke(presented)))
      throw unauthorized('no live refresh session to log out');
    this.cookie.clear(req, res);
  }
}
