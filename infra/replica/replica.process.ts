/**
 * One API replica: `node dist/apps/api/main.js` with its REPLICA_ID and the
 * topology's shared environment. It binds PORT (0 = the kernel picks, read
 * back from its "listening on host:port" line, so there is no window in
 * which another process can take the port), then must answer /readyz.
 */
import { InfraError } from '../process/infra-error';
import { spawnPlaced, type PlacedChild } from '../process/spawn-placed';
import { waitForHttp } from '../process/wait-ready';

export interface StartReplicaOptions {
  id: string;
  apiEntry: string;
  /** Environment without PORT/REPLICA_ID (added here). */
  env: Readonly<Record<string, string>>;
  /** 0 = any free port; a fixed port when a replica is restarted where nginx expects it. */
  port?: number;
  cgroupProcsFiles?: readonly string[];
  readyTimeoutMs?: number;
  /** Told about the process as soon as it exists (before it is ready), so a stop during start can end it. */
  onSpawn?: (child: PlacedChild) => void;
}

export interface ReplicaProcess {
  id: string;
  pid: number;
  port: number;
  url: string;
  child: PlacedChild;
}

const LISTENING = /listening on (?:\[?[^\]\s]*\]?):(\d+)/;

export async function startReplica(options: StartReplicaOptions): Promise<ReplicaProcess> {
  let resolvePort: (port: number) => void = () => undefined;
  const portSeen = new Promise<number>((resolve) => (resolvePort = resolve));
  const child = spawnPlaced(process.execPath, [options.apiEntry], {
    env: { ...options.env, PORT: String(options.port ?? 0), REPLICA_ID: options.id },
    cgroupProcsFiles: options.cgroupProcsFiles ?? [],
    onStdoutLine: (line) => {
      const match = LISTENING.exec(line);
      if (match) resolvePort(Number(match[1]));
    },
  });
  options.onSpawn?.(child);
  const timeoutMs = options.readyTimeoutMs ?? 20000;
  const deadline = Date.now() + timeoutMs;
  const fail = async (why: string): Promise<never> => {
    await child.terminate('SIGKILL');
    throw new InfraError(
      `replica ${options.id} (${options.apiEntry}) did not start: ${why}.\nIts last output:\n${child.output().trim() || '(none)'}`,
      'environment',
    );
  };

  const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), timeoutMs).unref());
  const first = await Promise.race([portSeen, child.exited.then(() => 'exited' as const), timer]);
  if (first === 'exited') return fail(`it exited with ${child.describeExit()}`);
  if (first === 'timeout') return fail(`no "listening on host:port" line within ${timeoutMs} ms`);
  const port = first;
  const url = `http://127.0.0.1:${port}`;
  const ready = await Promise.race([
    waitForHttp(`${url}/readyz`, Math.max(1, deadline - Date.now()), () => child.hasExited()).then(
      () => null,
      (e: Error) => e.message,
    ),
    child.exited.then(() => `it exited with ${child.describeExit()}`),
  ]);
  if (ready !== null) return fail(ready);
  return { id: options.id, pid: child.pid, port, url, child };
}
