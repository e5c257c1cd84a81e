/**
 * A private redis-server for one topology or one test: loopback only, a free
 * port, no persistence (no RDB snapshots, no AOF), its own temp directory.
 * Stopped by its pid; nothing else on the machine is touched.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findBinary } from './find-binary';
import { freePort } from './free-port';
import { InfraError } from './infra-error';
import { spawnPlaced, type PlacedChild } from './spawn-placed';

/**
 * How every runtime runs Redis: loopback only, protected, no persistence
 * (a restart is an empty store, which the store-outage scenario relies on).
 * The process and docker runtimes add only the port and, for processes, the dir.
 */
export const PRIVATE_REDIS_FLAGS = [
  '--bind',
  '127.0.0.1',
  '--protected-mode',
  'yes',
  '--save',
  '',
  '--appendonly',
  'no',
  '--loglevel',
  'warning',
] as const;

export interface RedisServerHandle {
  pid: number;
  port: number;
  url: string;
  version: string;
  /** The process, to watch for an unexpected exit. */
  child: PlacedChild;
  /** Its private working directory (removed by stop(); a last-chance cleanup removes it by path). */
  dir: string;
  /** Ends the server (SIGTERM, then SIGKILL after a grace period) and removes its directory. Idempotent. */
  stop(): Promise<void>;
}

export interface RedisServerOptions {
  /** Reuse a given port (to bring a stopped server back where clients expect it). */
  port?: number;
  /** How long to wait for PONG before giving up. */
  readyTimeoutMs?: number;
  /** cgroup.procs files to join before redis-server runs (CPU placement). */
  cgroupProcsFiles?: readonly string[];
  /** Told about the process as soon as it exists (before it is ready). */
  onSpawn?: (child: PlacedChild) => void;
  /** Where its private directory is created (a topology's run directory); default: the temp directory. */
  parentDir?: string;
}

export function redisVersion(binary = findBinary('redis-server')): string {
  const out = execFileSync(binary, ['--version'], { encoding: 'utf8' });
  return /v=(\S+)/.exec(out)?.[1] ?? out.trim();
}

export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServerHandle> {
  const binary = findBinary('redis-server');
  const version = redisVersion(binary);
  const attempts = options.port ? 1 : 3;
  let lastError: unknown;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const port = options.port ?? (await freePort());
    try {
      return await launch(binary, version, port, options);
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError;
}

async function launch(
  binary: string,
  version: string,
  port: number,
  options: RedisServerOptions,
): Promise<RedisServerHandle> {
  const readyTimeoutMs = options.readyTimeoutMs ?? 5000;
  const dir = mkdtempSync(join(options.parentDir ?? tmpdir(), 'authscale-redis-'));
  const child = spawnPlaced(
    binary,
    ['--port', String(port), ...PRIVATE_REDIS_FLAGS, '--dir', dir, '--daemonize', 'no'],
    { env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, cgroupProcsFiles: options.cgroupProcsFiles ?? [] },
  );
  options.onSpawn?.(child);
  const cleanupDir = () => rmSync(dir, { recursive: true, force: true });

  const ready = await Promise.race([
    waitForPong(port, readyTimeoutMs).then(
      () => 'ready' as const,
      () => 'timeout' as const,
    ),
    child.exited.then(() => 'exited' as const),
  ]);
  if (ready !== 'ready') {
    await child.terminate('SIGKILL');
    cleanupDir();
    const output = child.output();
    const busy = /address already in use/i.test(output);
    throw new InfraError(
      busy
        ? `redis-server could not bind 127.0.0.1:${port}: the port is busy. Free it or let authscale pick a port.`
        : `redis-server did not become ready on port ${port}: ${output.trim() || 'no output'}`,
      'environment',
    );
  }
  let stopped: Promise<void> | null = null;
  return {
    pid: child.pid,
    port,
    url: `redis://127.0.0.1:${port}`,
    version,
    child,
    dir,
    // SIGTERM: redis shuts down cleanly (no snapshot: persistence is off); SIGKILL after 3 s.
    stop: () => (stopped ??= child.terminate('SIGTERM', 3000).then(cleanupDir)),
  };
}

/** Resolves when the server answers PING; polls because redis binds after it forks its log. */
export async function waitForPong(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await pingOnce(port)) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no PONG from 127.0.0.1:${port} within ${timeoutMs} ms`);
}

function pingOnce(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}
