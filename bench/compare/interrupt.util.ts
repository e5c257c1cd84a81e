/**
 * Ctrl-C for long jobs (ab, calibrate): the first signal aborts the job, which
 * finishes the current run's teardown and writes what it has; a second one
 * leaves at once with 130 (process 'exit' still runs the teardown registry's
 * synchronous kill-by-pid and worktree removal).
 */
import { ExitCode } from '../cli/exit-codes';

export function interruptHandler(controller: AbortController, log: (line: string) => void): () => void {
  return () => {
    if (controller.signal.aborted) {
      log('interrupted again: leaving now');
      process.exit(ExitCode.interrupted);
    }
    log('interrupted: stopping after the current run and cleaning up (Ctrl-C again to leave at once)');
    controller.abort();
  };
}
