/**
 * The one error type of authscale's tools, at the bottom of the dependency
 * graph so infra and every bench module can raise it without knowing about
 * the CLI. Each error names the problem and the fix; its `kind` says what
 * sort of failure it is, and bench/cli/main.ts alone turns kinds into exit
 * codes (README.md lists them).
 */
export type ErrorKind =
  /** Bad flags, bad configuration, an unreadable or incompatible input file. */
  | 'usage'
  /** The machine cannot run the job: a missing binary or engine, a busy port, a failed verification. */
  | 'environment';

export class AuthscaleError extends Error {
  constructor(
    message: string,
    readonly kind: ErrorKind,
  ) {
    super(message);
    this.name = 'AuthscaleError';
  }
}

/** Bad input. `problems` are listed one per line, all at once. */
export class UsageError extends AuthscaleError {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'), 'usage');
    this.name = 'UsageError';
  }
}

/** What the machine lacks, and how to get it. */
export class EnvironmentError extends AuthscaleError {
  constructor(message: string) {
    super(message, 'environment');
    this.name = 'EnvironmentError';
  }
}
