/**
 * Prometheus metrics of one app instance. A registry per app (not prom-client's
 * global one) so that several apps in one test process do not collide. On the
 * hot path there is one counter increment per response; everything else is
 * computed when /metrics is scraped.
 */
import type { Request, Response, NextFunction } from 'express';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

export class ApiMetrics {
  readonly registry = new Registry();
  readonly responses: Counter<'route' | 'status'>;
  readonly logins: Counter<'outcome'>;
  readonly passwordVerifySeconds: Histogram;

  constructor(replicaId: string, defaultMetrics: boolean) {
    this.registry.setDefaultLabels({ replica: replicaId });
    if (defaultMetrics) collectDefaultMetrics({ register: this.registry });
    this.responses = new Counter({
      name: 'authscale_http_responses_total',
      help: 'Responses by route template and status code.',
      labelNames: ['route', 'status'],
      registers: [this.registry],
    });
    this.logins = new Counter({
      name: 'authscale_logins_total',
      help: 'Login attempts by outcome (ok, rejected, throttled, busy, invalid).',
      labelNames: ['outcome'],
      registers: [this.registry],
    });
    this.passwordVerifySeconds = new Histogram({
      name: 'authscale_password_verify_seconds',
      help: 'Time of one password verification (argon2id or bcrypt).',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [this.registry],
    });
  }

  /** Counts every response under a bounded label set (known routes, else "other"). */
  middleware(knownRoutes: ReadonlySet<string>) {
    return (req: Request, res: Response, next: NextFunction): void => {
      res.once('finish', () => {
        const route = knownRoutes.has(req.path) ? req.path : 'other';
        this.responses.inc({ route, status: String(res.statusCode) });
      });
      next();
    };
  }
}
