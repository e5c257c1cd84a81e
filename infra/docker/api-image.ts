/**
 * The API image, built from infra/compose/Dockerfile (the one image for
 * Compose, Kubernetes and the docker runtime), and the official images
 * pulled where a registry answers. The build context is a tar of only what
 * the Dockerfile copies, streamed to `docker build -`, so node_modules and
 * dist of the checkout never travel to the engine.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { InfraError } from '../process/infra-error';
import { runDocker } from './docker.cli';
import type { ImageKey } from './images.data';

export const API_DOCKERFILE = 'infra/compose/Dockerfile';
/** What the Dockerfile COPYs, relative to the repository root. */
const CONTEXT = [
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'tsconfig.build.json',
  'apps',
  'bench',
  'infra',
];

export function repositoryRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

export async function buildApiImage(
  images: Record<ImageKey, string>,
  log: (s: string) => void = (s) => process.stderr.write(s),
): Promise<void> {
  const tar = spawn('tar', ['-C', repositoryRoot(), '-c', ...CONTEXT], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (!tar.stdout) throw new Error('tar has no stdout');
  await runDocker(
    [
      'build',
      // npm ci reaches the registry through the host's network (an engine without a bridge has no other).
      '--network',
      'host',
      '--build-arg',
      `NODE_IMAGE=${images.node}`,
      '--build-arg',
      `NODE_SLIM_IMAGE=${images.nodeSlim}`,
      '-f',
      API_DOCKERFILE,
      '-t',
      images.api,
      '-',
    ],
    tar.stdout,
    log,
  );
}

/** The official images, from their registry. */
export async function pullImages(
  images: Record<ImageKey, string>,
  log: (s: string) => void = (s) => process.stderr.write(s),
): Promise<void> {
  for (const key of ['redis', 'nginx', 'node', 'nodeSlim'] as const) {
    try {
      await runDocker(['pull', images[key]], undefined, log);
    } catch (err) {
      throw new InfraError(
        `${(err as Error).message}\nNo registry answers? \`authscale images --offline\` builds stand-ins under the same names.`,
        'environment',
      );
    }
  }
}
