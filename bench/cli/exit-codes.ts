/**
 * Exit codes of every authscale command, in one place (k6 errext/exitcodes style).
 * README.md documents them; tests assert them.
 */
export const ExitCode = {
  ok: 0,
  /** compare/ab: a regression was found (FAIL). */
  regression: 1,
  /** Bad flags, bad config, unreadable or incompatible input files. */
  usage: 2,
  /** compare/ab: inconclusive or invalid comparison (see --fail-on-inconclusive). */
  inconclusive: 3,
  /** The environment cannot run the job: missing nginx/redis-server binary, busy port, target unreachable, setup failed verification. */
  environment: 4,
  /** Interrupted by SIGINT/SIGTERM; partial results were written. */
  interrupted: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
