/**
 * The docker CLI, for what testcontainers does not do: building and
 * importing images, and checking that the engine answers. The legacy
 * builder is used (DOCKER_BUILDKIT=0 unless set): it works with every
 * client and engine pairing, where BuildKit needs the buildx plugin.
 */
import { spawn, spawnSync } from 'node:child_process';
import { findBinary } from '../process/find-binary';
import { InfraError } from '../process/infra-error';

const QUERY_TIMEOUT_MS = 20000;

/** The docker CLI (AUTHSCALE_DOCKER_BIN, else PATH). */
export function dockerCli(): string {
  try {
    return findBinary('docker');
  } catch {
    throw new InfraError(
      'the docker CLI was not found: install Docker (Debian: `apt-get install docker.io`) or set AUTHSCALE_DOCKER_BIN, or use --runtime process.',
      'environment',
    );
  }
}

function dockerEnv(): NodeJS.ProcessEnv {
  return { ...process.env, DOCKER_BUILDKIT: process.env.DOCKER_BUILDKIT ?? '0' };
}

/** A quick query (inspect, version); never throws, returns status and output. */
export function dockerQuery(args: readonly string[]): { ok: boolean; stdout: string; stderr: string } {
  const res = spawnSync(dockerCli(), args, { encoding: 'utf8', timeout: QUERY_TIMEOUT_MS, env: dockerEnv() });
  return {
    ok: res.status === 0,
    stdout: res.stdout ?? '',
    stderr: `${res.stderr ?? ''}${res.error?.message ?? ''}`,
  };
}

/** The engine's version, or an InfraError naming the problem and the fix. */
export function requireEngine(): string {
  const res = dockerQuery(['version', '--format', '{{.Server.Version}}']);
  if (res.ok && res.stdout.trim()) return res.stdout.trim();
  throw new InfraError(
    `no Docker engine answers (${res.stderr.trim().split('\n').pop() || 'no answer'}): start dockerd (see infra/README.md, "Docker runtime") or set DOCKER_HOST, or use --runtime process.`,
    'environment',
  );
}

export function imageExists(tag: string): boolean {
  return dockerQuery(['image', 'inspect', '--format', '{{.Id}}', tag]).ok;
}

/** Runs docker with its output on our stderr (progress); rejects with the tail of it on failure. */
export function runDocker(
  args: readonly string[],
  input?: NodeJS.ReadableStream,
  onOutput: (chunk: string) => void = (c) => process.stderr.write(c),
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(dockerCli(), args, {
      env: dockerEnv(),
      stdio: [input ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    });
    let tail = '';
    const keep = (chunk: Buffer) => {
      const text = chunk.toString();
      tail = (tail + text).slice(-4000);
      onOutput(text);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    if (input && child.stdin) input.pipe(child.stdin);
    child.once('error', (err) => reject(err));
    child.once('close', (code) =>
      code === 0
        ? resolve()
        : reject(new InfraError(`docker ${args[0]} failed (exit ${code}):\n${tail.trim()}`, 'environment')),
    );
  });
}
