/**
 * Guards the protected routes: runs the active mode's Authenticator, puts the
 * user on the request, then applies the calibration knob (if configured) so
 * its cost lands on authenticated requests only.
 */
import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Calibration } from '../calibration/calibration.burn';
import { AUTHENTICATOR, type Authenticator } from './authenticator';

export const CALIBRATION = Symbol('CALIBRATION');

@Injectable()
export class ApiAuthGuard implements CanActivate {
  constructor(
    @Inject(AUTHENTICATOR) private readonly authenticator: Authenticator,
    @Inject(CALIBRATION) private readonly calibration: Calibration,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    req.user = await this.authenticator.authenticate(req, http.getResponse<Response>());
    if (this.calibration.active) await this.calibration.apply();
    return true;
  }
}
