/**
 * jwt mode login/logout. Login answers a bearer token; logout denylists its
 * jti until exp when REVOCATION=denylist and is otherwise an honest no-op
 * (a stateless token stays valid until it expires: the trade-off measured).
 */
import { Controller, HttpCode, Inject, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { PassportInstance } from '../auth.tokens';
import { ApiAuthGuard } from '../api-auth.guard';
import { LOGIN_LIMITS, PASSPORT, type LoginLimits } from '../auth.tokens';
import { parseLoginBody } from '../login.body';
import { runStrategy } from '../local.strategy';
import { Denylist } from './denylist.store';
import { TokenSigner } from './token.signer';

export interface TokenBody {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

@Controller('auth')
export class JwtAuthController {
  constructor(
    @Inject(PASSPORT) private readonly passport: PassportInstance,
    @Inject(LOGIN_LIMITS) private readonly limits: LoginLimits,
    @Inject(TokenSigner) private readonly signer: TokenSigner,
    @Inject(Denylist) private readonly denylist: Denylist | null,
  ) {}

  @Post('login')
  @HttpCode(200)
  async login(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<TokenBody> {
    parseLoginBody(req.body, this.limits.maxPasswordBytes);
    const user = await runStrategy(this.passport, 'local', req, res);
    const issued = this.signer.issue(user);
    return { accessToken: issued.token, tokenType: 'Bearer', expiresIn: issued.expiresIn };
  }

  @Post('logout')
  @HttpCode(204)
  @UseGuards(ApiAuthGuard)
  async logout(@Req() req: Request): Promise<void> {
    const claims = req.accessClaims;
    if (this.denylist && claims) await this.denylist.add(claims.jti, claims.exp);
  }
}
