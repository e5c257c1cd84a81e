/**
 * Ctrl-C and SIGTERM for every long command (bench, ab, calibrate), in one
 * place: the first signal aborts the job, which finishes the current run's
 * teardown and writes what it has; a second one leaves at once with the
 * interrupted exit code (process 'exit' still runs the teardown registry's
 * synchronous kill-by-pid and worktree removal).
 */
import { ExitCode } from './exit-codes';

export async function withInterrupts<T>(
  log: (line: string) => void,
  job: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      log(`${name} again: leaving now`);
      process.exit(ExitCode.interrupted);
    }
    log(
      `${name}: stopping after the current run, tearing down, writing what was measured (again to leave at once)`,
    );
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await job(controller.signal);
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}
