/**
 * Liveness, readiness and metrics. None of these routes passes through the
 * session middleware (it is mounted on /api and /auth only), so a probe can
 * neither create a session nor cost a store read.
 */
import { Controller, Get, Header, HttpCode, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiMetrics } from '../metrics/metrics.registry';
import { pingRedis, type RedisConnection } from '../redis/redis.connection';

export const REDIS = Symbol('REDIS');
export const STORE_TIMEOUT_MS = Symbol('STORE_TIMEOUT_MS');

@Controller()
export class HealthController {
  constructor(
    @Inject(REDIS) private readonly redis: RedisConnection | null,
    @Inject(ApiMetrics) private readonly metrics: ApiMetrics,
    @Inject(STORE_TIMEOUT_MS) private readonly storeTimeoutMs: number,
  ) {}

  @Get('healthz')
  @HttpCode(200)
  health(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('readyz')
  async ready(@Res({ passthrough: true }) res: Response): Promise<{ status: string; store?: string }> {
    if (!this.redis) return { status: 'ok' };
    if (await pingRedis(this.redis, this.storeTimeoutMs)) return { status: 'ok', store: 'up' };
    res.status(503).setHeader('retry-after', '1');
    return { status: 'unavailable', store: 'down' };
  }

  @Get('metrics')
  @Header('cache-control', 'no-store')
  async scrape(@Res({ passthrough: true }) res: Response): Promise<string> {
    res.type(this.metrics.registry.contentType);
    return this.metrics.registry.metrics();
  }
}
