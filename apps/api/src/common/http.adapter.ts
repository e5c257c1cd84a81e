/**
 * The Express instance and HTTP server under Nest, configured before Nest
 * touches them:
 *
 * - Routing is case-sensitive and strict, as the middleware mounted on /api/
 *   and /auth/ matches paths (session.middleware.ts): with Express's default
 *   (case-insensitive) routing, /API/me reached the route but not the session
 *   middleware and answered 503 "store unavailable" with a healthy store.
 *   Express reads these settings once, when it first builds its router, so
 *   they must be set on a fresh instance (docs/security.md, "Path matching").
 * - The server bounds slow clients: HEADERS_TIMEOUT_MS for the headers,
 *   REQUEST_TIMEOUT_MS for the whole request (Node defaults: 60 s and 300 s),
 *   checked every second instead of every 30 s. Idle keep-alive connections
 *   are not affected: KEEPALIVE_TIMEOUT_MS governs those (docs/security.md,
 *   "Slow clients").
 */
import { createServer, type ServerOptions } from 'node:http';
import type { NestApplicationOptions } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import express from 'express';
import type { ApiConfig } from '../config/config.types';

const CONNECTIONS_CHECKING_INTERVAL_MS = 1000;

class BoundedExpressAdapter extends ExpressAdapter {
  constructor(
    instance: express.Express,
    private readonly serverOptions: ServerOptions,
  ) {
    super(instance);
  }

  override initHttpServer(options: NestApplicationOptions): void {
    // TLS terminates at nginx; a direct https setup would go through Nest's own path.
    if (options.httpsOptions) return super.initHttpServer(options);
    this.httpServer = createServer(this.serverOptions, this.getInstance());
  }
}

export function createHttpAdapter(config: ApiConfig): ExpressAdapter {
  const instance = express();
  instance.set('case sensitive routing', true);
  instance.set('strict routing', true);
  return new BoundedExpressAdapter(instance, {
    headersTimeout: config.headersTimeoutMs,
    requestTimeout: config.requestTimeoutMs,
    keepAliveTimeout: config.keepAliveTimeoutMs,
    connectionsCheckingInterval: CONNECTIONS_CHECKING_INTERVAL_MS,
  });
}
