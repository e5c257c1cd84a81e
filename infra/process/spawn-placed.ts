/**
 * Spawn a child that joins its cgroups *before* it runs a single instruction
 * of the real program: a tiny /bin/sh writes its own pid into each
 * cgroup.procs file, then execs the program (same pid). Writing the pid from
 * the parent after spawn would let the first milliseconds run unbudgeted.
 *
 * Children get their own process group (detached) so that a Ctrl-C in the
 * terminal reaches only the launcher, which then stops them in order instead
 * of seeing them die underneath it. They also die with their parent
 * (parent-death.ts), however the parent ends.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { parentDeathPrefix } from './parent-death';

const OUTPUT_TAIL_BYTES = 8192;

export interface SpawnPlacedOptions {
  env: NodeJS.ProcessEnv;
  cwd?: string;
  /** cgroup.procs files (v1: one per controller hierarchy; v2: one) to join before exec. */
  cgroupProcsFiles?: readonly string[];
  /** Called with each complete stdout line (used to read "listening on host:port"). */
  onStdoutLine?: (line: string) => void;
}

export interface PlacedChild {
  pid: number;
  process: ChildProcess;
  /** Resolves when the process has exited (never rejects). */
  exited: Promise<void>;
  hasExited(): boolean;
  /** "code 1" / "signal SIGKILL" once exited. */
  describeExit(): string;
  /** Last few KB of stdout and stderr, for error messages. */
  output(): string;
  /** Send `signal`, then SIGKILL after `graceMs`; resolves once exited. Idempotent. */
  terminate(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
}

const PLACE_AND_EXEC =
  'n=$1; shift; while [ "$n" -gt 0 ]; do echo $$ > "$1" || exit 97; shift; n=$((n-1)); done; exec "$@"';

export function spawnPlaced(
  binary: string,
  args: readonly string[],
  options: SpawnPlacedOptions,
): PlacedChild {
  const files = options.cgroupProcsFiles ?? [];
  const program =
    files.length === 0
      ? [binary, ...args]
      : ['/bin/sh', '-c', PLACE_AND_EXEC, 'authscale-place', String(files.length), ...files, binary, ...args];
  const [command, ...argv] = [...parentDeathPrefix(), ...program] as [string, ...string[]];
  const child = spawn(command, argv, {
    env: options.env,
    cwd: options.cwd,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) {
    // spawn reports ENOENT asynchronously; the pid is missing synchronously.
    throw new Error(`could not start ${binary}`);
  }
  let tail = '';
  let partial = '';
  const keep = (chunk: string) => {
    tail = (tail + chunk).slice(-OUTPUT_TAIL_BYTES);
  };
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    keep(chunk);
    if (!options.onStdoutLine) return;
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) options.onStdoutLine(line);
  });
  child.stderr?.setEncoding('utf8').on('data', keep);
  child.on('error', (err) => keep(`\n[spawn error] ${err.message}\n`));
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  let terminating: Promise<void> | null = null;
  const hasExited = () => child.exitCode !== null || child.signalCode !== null;

  return {
    pid: child.pid,
    process: child,
    exited,
    hasExited,
    describeExit: () => (child.signalCode ? `signal ${child.signalCode}` : `code ${child.exitCode}`),
    output: () => tail,
    terminate: (signal: NodeJS.Signals = 'SIGTERM', graceMs = 5000) => {
      if (hasExited()) return exited;
      terminating ??= (async () => {
        child.kill(signal);
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      })();
      return terminating;
    },
  };
}
