/**
 * The protected routes the bench measures. Bodies are built from the user
 * found by the authenticator; /api/items returns about 1 KB of JSON from a
 * table made once at start-up (no per-request construction beyond the user).
 */
import { Controller, Get, Req, UseGuards } from '@nestjs/common';
import type { Request } from 'express';
import { ApiAuthGuard } from '../auth/api-auth.guard';
import type { User } from '../users/user.directory';
import { ITEMS } from './items.data';

@Controller('api')
@UseGuards(ApiAuthGuard)
export class ApiController {
  @Get('me')
  me(@Req() req: Request): { id: number; username: string } {
    const user = req.user as User;
    return { id: user.id, username: user.username };
  }

  @Get('items')
  items(@Req() req: Request): { owner: number; items: typeof ITEMS } {
    return { owner: (req.user as User).id, items: ITEMS };
  }
}
