/**
 * One nginx master (plus its workers) for one topology, in the foreground
 * (`daemon off`) so that its pid is ours, with a prefix of its own so that it
 * never reads /etc/nginx or writes /var/log/nginx.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findBinary } from '../process/find-binary';
import { InfraError } from '../process/infra-error';
import { spawnPlaced, type PlacedChild } from '../process/spawn-placed';
import { childPids } from '../process/proc-tree';
import { waitForHttp } from '../process/wait-ready';
import { renderNginxConfig, type NginxConfigInput, type NginxReplicaTarget } from './nginx-config.template';
import { reloadNginx } from './nginx.reload';

export interface NginxHandle {
  pid: number;
  port: number;
  version: string;
  configPath: string;
  child: PlacedChild;
  /** Worker pids, read from /proc (they are the master's children). */
  workerPids(): number[];
  /** Rewrites the upstreams and reloads (SIGHUP); resolves once the old workers have drained and exited. */
  reload(replicas: readonly NginxReplicaTarget[]): Promise<void>;
  stop(): Promise<void>;
}

export function nginxVersion(binary = findBinary('nginx')): string {
  // nginx prints its version on stderr.
  const res = spawnSync(binary, ['-v'], { encoding: 'utf8' });
  return /nginx\/(\S+)/.exec(`${res.stderr}${res.stdout}`)?.[1] ?? 'unknown';
}

export interface StartNginxOptions extends Omit<NginxConfigInput, 'runDir'> {
  /** Directory this nginx may use (created if missing). */
  runDir: string;
  cgroupProcsFiles?: readonly string[];
  readyTimeoutMs?: number;
  /** Told about the master as soon as it exists (before it is ready). */
  onSpawn?: (child: PlacedChild) => void;
}

export async function startNginx(options: StartNginxOptions): Promise<NginxHandle> {
  const binary = findBinary('nginx');
  const version = nginxVersion(binary);
  mkdirSync(options.runDir, { recursive: true, mode: 0o711 });
  const configPath = join(options.runDir, 'nginx.conf');
  writeFileSync(configPath, renderNginxConfig(options));
  const child = spawnPlaced(
    binary,
    ['-p', options.runDir, '-c', configPath, '-e', join(options.runDir, 'error.log')],
    { env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, cgroupProcsFiles: options.cgroupProcsFiles ?? [] },
  );
  options.onSpawn?.(child);
  // /healthz, not /readyz: the public entry answers /readyz and /metrics with 404
  // (nginx-config.template.ts); readiness of the replicas is read on their own ports.
  const url = `http://127.0.0.1:${options.listenPort}/healthz`;
  const outcome = await Promise.race([
    waitForHttp(url, options.readyTimeoutMs ?? 10000, () => child.hasExited()).then(
      () => 'ready' as const,
      (e: Error) => e,
    ),
    child.exited.then(() => 'exited' as const),
  ]);
  if (outcome !== 'ready') {
    await child.terminate('SIGQUIT');
    const log = child.output();
    if (/Address already in use/i.test(log)) {
      throw new InfraError(
        `nginx could not listen on 127.0.0.1:${options.listenPort}: the port is busy. Choose another --port or omit it to get a free one.`,
        'environment',
      );
    }
    const why = outcome === 'exited' ? `it exited (${child.describeExit()})` : outcome.message;
    throw new InfraError(
      `nginx did not become ready on port ${options.listenPort}: ${why}. nginx said: ${log.trim() || 'nothing'}`,
      'environment',
    );
  }
  return {
    pid: child.pid,
    port: options.listenPort,
    version,
    configPath,
    child,
    workerPids: () => childPids(child.pid),
    reload: (replicas) =>
      reloadNginx(
        { binary, child, configPath, runDir: options.runDir },
        renderNginxConfig({ ...options, replicas }),
      ),
    // SIGQUIT = graceful shutdown: workers finish in-flight requests first.
    stop: () => child.terminate('SIGQUIT'),
  };
}
