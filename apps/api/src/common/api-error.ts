/**
 * The one error shape of the API: `{"error":"<code>","message":"..."}` with a
 * 4xx/5xx status. Thrown from guards and controllers (the exception filter
 * renders it) and written directly by Express-level middleware.
 */
import type { Response } from 'express';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const unauthorized = (message = 'missing or invalid credential: log in again') =>
  new ApiError(401, 'unauthorized', message);
export const storeUnavailable = (what = 'the session store') =>
  new ApiError(503, 'store_unavailable', `${what} cannot be reached; retry later`, { 'retry-after': '1' });

export function sendError(res: Response, err: ApiError): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  for (const [name, value] of Object.entries(err.headers)) res.setHeader(name, value);
  res.status(err.status).json({ error: err.code, message: err.message });
}
