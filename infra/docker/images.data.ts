/**
 * The images every Docker path uses (the docker runtime, `authscale images`,
 * infra/compose/Dockerfile's base images), in one place. The defaults are
 * the official names; each can be overridden by an environment variable or
 * the flag of the same row. `authscale images --offline` builds stand-ins
 * under these names where no registry answers, so the code that uses them
 * is the same everywhere.
 */
export const IMAGE_KEYS = ['redis', 'nginx', 'node', 'nodeSlim', 'api'] as const;
export type ImageKey = (typeof IMAGE_KEYS)[number];

export interface ImageEntry {
  tag: string;
  env: string;
  flag: string;
  what: string;
}

export const IMAGES: Readonly<Record<ImageKey, ImageEntry>> = {
  redis: {
    tag: 'redis:7-bookworm',
    env: 'AUTHSCALE_REDIS_IMAGE',
    flag: '--redis-image',
    what: 'Redis, for setups with a store',
  },
  nginx: { tag: 'nginx:1.22', env: 'AUTHSCALE_NGINX_IMAGE', flag: '--nginx-image', what: 'nginx in front' },
  node: {
    tag: 'node:20-bookworm',
    env: 'AUTHSCALE_NODE_IMAGE',
    flag: '--node-image',
    what: "the API image's build stage (has python3, make, g++)",
  },
  nodeSlim: {
    tag: 'node:20-bookworm-slim',
    env: 'AUTHSCALE_NODE_SLIM_IMAGE',
    flag: '--node-slim-image',
    what: "the API image's runtime stage",
  },
  api: {
    tag: 'authscale-api:local',
    env: 'AUTHSCALE_API_IMAGE',
    flag: '--api-image',
    what: 'the API under test, built from infra/compose/Dockerfile',
  },
};

/** The Debian base the offline stand-ins are built on (debootstrap + docker import); never pulled. */
export const OFFLINE_BASE_TAG = 'authscale-offline-base:bookworm';

/** Flag > environment variable > default, per image. */
export function resolveImages(
  flags: Partial<Record<ImageKey, string | undefined>> = {},
  env: NodeJS.ProcessEnv = process.env,
): Record<ImageKey, string> {
  const out = {} as Record<ImageKey, string>;
  for (const key of IMAGE_KEYS) out[key] = flags[key] || env[IMAGES[key].env] || IMAGES[key].tag;
  return out;
}
