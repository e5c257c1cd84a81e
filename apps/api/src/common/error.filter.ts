/**
 * Renders every error that reaches Nest as the short JSON error shape: never a
 * stack trace, never Nest's default body. Unknown errors are logged once to
 * stderr (they are bugs) and answered with a generic 500.
 */
import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import type { Response } from 'express';
import { ApiError, sendError } from './api-error';

const CODES: Readonly<Record<number, string>> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  429: 'too_many_requests',
};

@Catch()
export class ErrorFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    sendError(res, toApiError(exception));
  }
}

export function toApiError(exception: unknown): ApiError {
  if (exception instanceof ApiError) return exception;
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const message = status === 404 ? 'no such route' : exception.message;
    return new ApiError(status, CODES[status] ?? 'error', message);
  }
  process.stderr.write(
    `unexpected error: ${exception instanceof Error ? exception.stack : String(exception)}\n`,
  );
  return new ApiError(500, 'internal_error', 'unexpected server error');
}
