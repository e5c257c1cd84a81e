/**
 * Exit codes of every authscale command, in one place: the CLI is the only
 * layer that knows them. Errors below it carry a kind (infra/errors.ts) and
 * the gate returns verdicts; main.ts and the commands map both here.
 * README.md documents the table; tests assert it.
 */
import type { ErrorKind } from '../../infra/errors';
import type { Verdict } from '../gate/compare.types';

export const ExitCode = {
  ok: 0,
  /** compare/ab: a regression was found (FAIL). */
  regression: 1,
  /** Bad flags, bad config, unreadable or incompatible input files. */
  usage: 2,
  /** compare/ab: inconclusive or invalid comparison (see --fail-on-inconclusive). */
  inconclusive: 3,
  /**
   * The environment cannot run the job: missing nginx/redis-server binary, busy port,
   * target unreachable, setup failed verification.
   */
  environment: 4,
  /** An unexpected error: a bug in authscale; the stack is printed (sysexits' EX_SOFTWARE). */
  internal: 70,
  /** Interrupted by SIGINT/SIGTERM; partial results were written. */
  interrupted: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export function exitCodeForError(kind: ErrorKind): ExitCodeValue {
  return kind === 'usage' ? ExitCode.usage : ExitCode.environment;
}

/** A regression wins; INVALID is never a pass; INCONCLUSIVE fails only when asked to. */
export function exitCodeForVerdict(verdict: Verdict, failOnInconclusive: boolean): ExitCodeValue {
  switch (verdict) {
    case 'FAIL':
      return ExitCode.regression;
    case 'INVALID':
      return ExitCode.inconclusive;
    case 'INCONCLUSIVE':
      return failOnInconclusive ? ExitCode.inconclusive : ExitCode.ok;
    case 'PASS':
      return ExitCode.ok;
  }
}
