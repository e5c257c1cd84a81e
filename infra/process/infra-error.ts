/**
 * Errors infra raises for the person running it. `kind` says which exit code
 * the CLI should leave with (bench/cli/main.ts maps it): "usage" for bad
 * options, "environment" for what the machine lacks (a binary, a free port,
 * root). infra does not import the CLI, so this is its own small class.
 */
export type InfraErrorKind = 'usage' | 'environment';

export class InfraError extends Error {
  constructor(
    message: string,
    readonly kind: InfraErrorKind,
  ) {
    super(message);
    this.name = 'InfraError';
  }
}
