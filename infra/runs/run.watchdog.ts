/**
 * A watchdog per run: a small detached process whose stdin is a pipe from
 * the owner. The kernel closes that pipe however the owner ends (a SIGKILL
 * included), so the watchdog learns of it from an event, not by polling,
 * and then sweeps the run's state file (run.sweep.ts). After a clean stop
 * the state file is gone and the watchdog just exits.
 *
 * It covers what PR_SET_PDEATHSIG cannot: nginx workers (forked by the
 * master, so the death signal is cleared), containers (children of the
 * engine) and temp directories. It runs as compiled JavaScript, so it needs
 * the build (`npm run build`); without it, the sweep at the next start
 * still removes what a killed run left.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { sweepRunFile } from './run.sweep';

/** What the docker CLI needs to reach the engine the run's containers are in. */
const DOCKER_VARIABLES = [
  'DOCKER_HOST',
  'DOCKER_CONTEXT',
  'DOCKER_CONFIG',
  'DOCKER_CERT_PATH',
  'DOCKER_TLS_VERIFY',
];

export interface Watchdog {
  /** Tells the watchdog the run ended cleanly (its state file is gone) and waits for it to exit. */
  release(): Promise<void>;
}

function packageRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/** This file compiled: beside it when running from dist, else in this checkout's dist. */
function watchdogScript(): string | null {
  const candidates = __filename.endsWith('.js')
    ? [__filename]
    : [join(packageRoot(), 'dist', 'infra', 'runs', 'run.watchdog.js')];
  return candidates.find((c) => existsSync(c)) ?? null;
}

/** Starts the watchdog of `stateFile`, or returns null when the build is missing. */
export function startWatchdog(stateFile: string): Watchdog | null {
  const script = watchdogScript();
  if (!script) return null;
  // No argument and a bare environment (PATH and where the Docker engine is): nothing names the run's paths.
  const docker = Object.entries(process.env).filter(
    ([k, v]) => DOCKER_VARIABLES.includes(k) && v !== undefined,
  );
  const child: ChildProcess = spawn(process.execPath, [script], {
    detached: true,
    cwd: '/',
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...Object.fromEntries(docker) },
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('error', () => undefined);
  child.stdin?.write(`${stateFile}\n`);
  // Neither the watchdog nor its pipe may keep the owner's event loop alive.
  child.unref();
  (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  let released: Promise<void> | null = null;
  return {
    release: () =>
      (released ??= (async () => {
        // Waiting on an unref'd child would let the event loop end (and the process exit) under us.
        child.ref();
        child.stdin?.end();
        await exited;
      })()),
  };
}

function runWatchdog(): void {
  let input = '';
  let done = false;
  const sweep = () => {
    if (done) return;
    done = true;
    const file = input.split('\n', 1)[0] ?? '';
    if (file && existsSync(file)) sweepRunFile(file);
    process.exit(0);
  };
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk: string) => (input += chunk));
  process.stdin.once('end', sweep);
  process.stdin.once('error', sweep);
  process.stdin.once('close', sweep);
  // Signals a terminal or CI sends to everyone must not end the watchdog before its owner.
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(s, () => undefined);
}

if (require.main === module) runWatchdog();
