/**
 * The processes of one mode's comparison: the API and the two floor fixtures
 * (floor.modes.ts), each one process pinned to CPU 0, and a private
 * redis-server when the mode needs one, on CPU 1 with the load generator
 * (its CPU is not what is measured). Secrets are fresh files, as for a
 * topology (infra/topology.secrets.ts). Everything stops by pid, also when
 * the parent is interrupted (infra/process/teardown.registry.ts).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { EnvironmentError } from '../../infra/errors';
import { packageRoot } from '../../infra/package.root';
import { startRedisServer, type RedisServerHandle } from '../../infra/process/redis-server';
import type { PlacedChild } from '../../infra/process/spawn-placed';
import { registerTeardown } from '../../infra/process/teardown.registry';
import { startReplica, type ReplicaProcess } from '../../infra/replica/replica.process';
import { writeTopologySecrets } from '../../infra/topology.secrets';
import { FLOOR_SERVERS, type FloorMode, type FloorServer } from './floor.modes';

export const SERVER_CPU = 0;
export const GENERATOR_CPU = 1;

export interface RunningServer {
  server: FloorServer;
  process: ReplicaProcess;
}

export interface ModeServers {
  servers: RunningServer[];
  stop(): Promise<void>;
}

/** All threads of `pid` onto `cpu` (taskset -a: libuv's pool and GC helpers too). */
export function pinToCpu(pid: number, cpu: number): void {
  try {
    execFileSync('taskset', ['-a', '-cp', String(cpu), String(pid)], { stdio: 'ignore' });
  } catch {
    throw new EnvironmentError(
      `could not pin pid ${pid} to CPU ${cpu} with taskset: install util-linux (taskset) and run where CPUs ${SERVER_CPU} and ${GENERATOR_CPU} are allowed.`,
    );
  }
}

/** The current affinity mask of `pid` (hex, as taskset prints it), to put back later. */
export function affinityOf(pid: number): string {
  const out = execFileSync('taskset', ['-p', String(pid)], { encoding: 'utf8' });
  return out.trim().split(/\s+/).pop() ?? 'ffffffff';
}

export function restoreAffinity(pid: number, mask: string): void {
  execFileSync('taskset', ['-a', '-p', mask, String(pid)], { stdio: 'ignore' });
}

export function checkPlacement(): void {
  if (cpus().length < 2)
    throw new EnvironmentError(
      'app-floor needs 2 CPUs: the server on one, the load generator on the other. Run it on a machine with 2 or more.',
    );
}

function modeEnv(
  mode: FloorMode,
  server: FloorServer,
  secrets: Record<string, string>,
  redis: string | null,
) {
  const common = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    ...secrets,
    ...(redis ? { REDIS_URL: redis } : {}),
  };
  return server.kind === 'api' ? { ...common, ...mode.apiEnv } : { ...common, FLOOR_MODE: mode.fixture };
}

export async function startModeServers(mode: FloorMode): Promise<ModeServers> {
  const dir = mkdtempSync(join(tmpdir(), 'authscale-floor-'));
  const started: PlacedChild[] = [];
  let redis: RedisServerHandle | null = null;
  const stop = async () => {
    await Promise.all(started.map((child) => child.terminate()));
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  const stopSync = () => {
    for (const child of started) if (!child.hasExited()) child.process.kill('SIGKILL');
    if (redis && !redis.child.hasExited()) redis.child.process.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  const unregister = registerTeardown(stop, stopSync);
  try {
    const secrets = writeTopologySecrets(dir, 'HS256');
    if (mode.needsRedis) {
      redis = await startRedisServer({ parentDir: dir });
      pinToCpu(redis.pid, GENERATOR_CPU);
    }
    const servers: RunningServer[] = [];
    for (const server of FLOOR_SERVERS) {
      const env = modeEnv(mode, server, secrets, redis?.url ?? null);
      const apiEntry = join(packageRoot(), server.entry);
      const proc = await startReplica({ id: server.kind, apiEntry, env, onSpawn: (c) => started.push(c) });
      pinToCpu(proc.pid, SERVER_CPU);
      servers.push({ server, process: proc });
    }
    return { servers, stop: () => stop().finally(unregister) };
  } catch (err) {
    await stop().finally(unregister);
    throw err;
  }
}
