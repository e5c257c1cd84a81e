import { AuthscaleError, type ErrorKind } from '../errors';

/** An error raised by infra; the same kinds as every other (infra/errors.ts). */
export type InfraErrorKind = ErrorKind;

export class InfraError extends AuthscaleError {
  constructor(message: string, kind: ErrorKind) {
    super(message, kind);
    this.name = 'InfraError';
  }
}
