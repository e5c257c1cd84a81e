/**
 * Express-level middleware that runs before Nest's routing: the response
 * headers every answer carries (so even 404s and body errors have them) and
 * a JSON body parser whose errors become short 400/413/415 answers instead of
 * Express's HTML page.
 */
import type { NextFunction, Request, Response } from 'express';
import { json } from 'express';
import { ApiError, sendError } from './api-error';

/** Login bodies are tiny; anything bigger is refused before parsing. */
export const BODY_LIMIT_BYTES = 8 * 1024;

/**
 * x-replica on every answer; nosniff on every answer (they are all JSON or
 * Prometheus text); no-store on everything under /auth/, whose answers carry
 * tokens or session cookies (docs/security.md, "Response headers"). Two or
 * three setHeader calls: no header middleware on the hot path beyond that.
 */
export function responseHeaders(replicaId: string) {
  return (req: Request, res: Response, next: NextFunction): void => {
    res.setHeader('x-replica', replicaId);
    res.setHeader('x-content-type-options', 'nosniff');
    if (req.path.startsWith('/auth/')) res.setHeader('cache-control', 'no-store');
    next();
  };
}

export function jsonBody() {
  const parse = json({ limit: BODY_LIMIT_BYTES, strict: true });
  return (req: Request, res: Response, next: NextFunction): void => {
    // Only login takes a body; GETs (the measured traffic) skip the parser entirely.
    if (req.method !== 'POST') return next();
    parse(req, res, (err?: unknown) => {
      if (!err) return next();
      const type = (err as { type?: string }).type;
      if (type === 'entity.too.large')
        return sendError(
          res,
          new ApiError(413, 'payload_too_large', `the body exceeds ${BODY_LIMIT_BYTES} bytes`),
        );
      if (type === 'encoding.unsupported' || type === 'charset.unsupported')
        return sendError(res, new ApiError(415, 'unsupported_media_type', 'send the body as UTF-8 JSON'));
      sendError(res, new ApiError(400, 'bad_request', 'the body is not valid JSON'));
    });
  };
}

/** Express "trust proxy" from its environment spelling: hop counts and booleans become values. */
export function trustProxyValue(raw: string): string | number | boolean {
  if (/^\d+$/.test(raw)) return Number(raw);
  if (raw === 'true' || raw === 'false') return raw === 'true';
  return raw;
}
