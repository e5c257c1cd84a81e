/**
 * What the docker runtime checks before it starts anything, each failure one
 * message naming the problem and the fix (exit 4 at the CLI): an engine that
 * answers, one that can give containers the host's network, and every
 * image present (nothing is pulled at start).
 */
import { InfraError } from '../process/infra-error';
import { dockerQuery, imageExists, requireEngine } from './docker.cli';
import { IMAGES, resolveImages, type ImageKey } from './images.data';

/**
 * testcontainers on these machines: /.dockerenv makes it look for a bridge
 * gateway that does not exist, and Ryuk is an image no registry serves here.
 * The run's own teardown and state file replace the reaper (infra/runs).
 */
export function testcontainersEnvironment(): void {
  process.env.TESTCONTAINERS_HOST_OVERRIDE ??= '127.0.0.1';
  process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
}

/** Host networking needs a Linux engine on this machine, not rootless and not user-namespaced. */
export function hostNetworkProblem(info: {
  OSType?: string;
  SecurityOptions?: string[];
  Name?: string;
}): string | null {
  const security = (info.SecurityOptions ?? []).join(' ');
  if (info.OSType && info.OSType !== 'linux') return `the engine runs ${info.OSType} containers`;
  if (/name=rootless/.test(security)) return 'the engine is rootless';
  if (/name=userns/.test(security)) return 'the engine remaps user namespaces (userns-remap)';
  return null;
}

export interface DockerPreflight {
  engineVersion: string;
  cgroupVersion: 'v1' | 'v2' | null;
  images: Record<ImageKey, string>;
}

export function dockerPreflight(needsRedis: boolean, apiImage?: string): DockerPreflight {
  testcontainersEnvironment();
  const engineVersion = requireEngine();
  const raw = dockerQuery(['info', '--format', '{{json .}}']);
  const info = raw.ok
    ? (JSON.parse(raw.stdout) as { OSType?: string; SecurityOptions?: string[]; CgroupVersion?: string })
    : {};
  const problem = hostNetworkProblem(info);
  if (problem)
    throw new InfraError(
      `this Docker engine cannot run containers on the host's network (${problem}), which the docker runtime needs to keep every address on 127.0.0.1: use a rootful Linux engine on this machine, or --runtime process.`,
      'environment',
    );
  const images = resolveImages({ api: apiImage });
  const wanted: ImageKey[] = ['api', 'nginx', ...(needsRedis ? (['redis'] as const) : [])];
  const missing = wanted.filter((k) => !imageExists(images[k]));
  if (missing.length > 0)
    throw new InfraError(
      `image${missing.length > 1 ? 's' : ''} ${missing.map((k) => images[k]).join(', ')} not found in the Docker engine, and the docker runtime never pulls: run \`authscale images\` (or \`authscale images --offline\` where no registry answers), or name other images with ${missing.map((k) => `${IMAGES[k].flag}/${IMAGES[k].env}`).join(', ')}.`,
      'environment',
    );
  const cgroupVersion = info.CgroupVersion === '1' ? 'v1' : info.CgroupVersion === '2' ? 'v2' : null;
  return { engineVersion, cgroupVersion, images };
}
