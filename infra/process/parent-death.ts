/**
 * Children that die with their parent: util-linux `setpriv --pdeathsig KILL`
 * sets PR_SET_PDEATHSIG and then execs the program (same pid), so the kernel
 * SIGKILLs the child when the parent dies, even by SIGKILL. The signal fires
 * when the *thread* that spawned the child exits: Node spawns from its main
 * thread, so this is the process's death, unless a topology is started from
 * a worker_thread (then the children end with that thread, which is also
 * what a caller would want). It is cleared on fork, so grandchildren (nginx
 * workers) are covered by the run's watchdog instead (infra/runs).
 */
import { findBinary } from './find-binary';

let cached: readonly string[] | null = null;

/** The command prefix that arms the death signal, or [] where setpriv is missing (macOS, busybox). */
export function parentDeathPrefix(): readonly string[] {
  if (cached) return cached;
  try {
    cached = [findBinary('setpriv'), '--pdeathsig', 'KILL', '--'];
  } catch {
    cached = [];
  }
  return cached;
}
