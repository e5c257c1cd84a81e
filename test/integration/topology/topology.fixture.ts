/**
 * Starts a real topology (real nginx, real Redis, the built API) for a test
 * file and guarantees it is stopped afterwards, failed test or not.
 * AUTHSCALE_API_ENTRY points the tests at another build of the API.
 *
 * The suites run on every runtime available (runtimesUnderTest): the docker
 * leg when an engine answers and the API image exists, and always under
 * CI=true, so that a CI machine without Docker fails instead of skipping.
 */
import { spawnSync } from 'node:child_process';
import { resolveImages } from '../../../infra/docker/images.data';
import type { RuntimeName } from '../../../infra/runtime/runtime.names';
import { findSetup, type SetupDefinition } from '../../../infra/setups.data';
import { startTopology } from '../../../infra/topology';
import type { RunningTopology, TopologyOptions } from '../../../infra/topology.types';

/** A small user directory keeps replica start-up quick; the tests use a few dozen users. */
export const TEST_APP_ENV = { USERS: '200' } as const;

export function setup(name: string): SetupDefinition {
  const found = findSetup(name);
  if (!found) throw new Error(`no setup ${name}`);
  return found;
}

let dockerReady: boolean | null = null;

/** An engine that answers and the API image in it (built by `authscale images`). */
export function dockerAvailable(): boolean {
  if (dockerReady === null) {
    const cli = process.env.AUTHSCALE_DOCKER_BIN || 'docker';
    const image = resolveImages().api;
    const res = spawnSync(cli, ['image', 'inspect', '--format', '{{.Id}}', image], { timeout: 20000 });
    dockerReady = res.status === 0;
  }
  return dockerReady;
}

/** AUTHSCALE_TEST_RUNTIMES=process,docker chooses; else process, plus docker when available or in CI. */
export function runtimesUnderTest(): RuntimeName[] {
  const chosen = process.env.AUTHSCALE_TEST_RUNTIMES;
  if (chosen) return chosen.split(',').map((r) => r.trim()) as RuntimeName[];
  return dockerAvailable() || process.env.CI === 'true' ? ['process', 'docker'] : ['process'];
}

export function apiEntry(): string | undefined {
  return process.env.AUTHSCALE_API_ENTRY || undefined;
}

export async function start(
  name: string,
  replicas: number,
  extra: Partial<TopologyOptions> = {},
): Promise<RunningTopology> {
  const entry = apiEntry();
  return startTopology({
    setup: setup(name),
    replicas,
    ...(entry ? { apiEntry: entry } : {}),
    ...extra,
    appEnv: { ...TEST_APP_ENV, ...(extra.appEnv ?? {}) },
  });
}

/** One topology per describe block: started in beforeAll, stopped in afterAll. */
export function useTopology(
  name: string,
  replicas: number,
  extra: Partial<TopologyOptions> = {},
): () => RunningTopology {
  let topology: RunningTopology | null = null;
  beforeAll(async () => {
    topology = await start(name, replicas, extra);
  });
  afterAll(async () => {
    await topology?.stop();
  });
  return () => {
    if (!topology) throw new Error(`topology ${name} did not start`);
    return topology;
  };
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
