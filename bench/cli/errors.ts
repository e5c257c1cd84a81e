import { ExitCode, type ExitCodeValue } from './exit-codes';

/**
 * An error meant for the person at the terminal: a message that names the
 * problem and the fix, and the exit code to leave with. main.ts is the one
 * place that catches these; anything else is a bug and prints a stack.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCodeValue,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Bad flags or input. `problems` are listed one per line, all at once. */
export class UsageError extends CliError {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'), ExitCode.usage);
    this.name = 'UsageError';
  }
}

/** The machine cannot run the job (missing binary, busy port, unreachable target). */
export class EnvironmentError extends CliError {
  constructor(message: string) {
    super(message, ExitCode.environment);
    this.name = 'EnvironmentError';
  }
}
