/**
 * Stand-ins for the official images, built from Debian bookworm packages
 * on the debootstrap base (offline-images.ts). They answer to the same
 * commands the docker runtime and infra/compose/Dockerfile use: `redis-server`
 * and `nginx` on PATH; node at /usr/local/bin with npm, a `node` user (uid
 * 1000) and, in the full image, python3/make/g++ for native modules. Data,
 * not code: one Dockerfile per image key.
 */
import type { ImageKey } from './images.data';

const APT = (packages: string) =>
  `RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${packages} \\
 && rm -rf /var/lib/apt/lists/* /usr/share/doc/* /usr/share/man/*`;

/**
 * Node from the host (no registry serves one here): the binary, npm and the
 * headers (node-gyp would otherwise download them), plus the host's CA
 * bundle, since the outbound proxy re-signs TLS.
 */
const NODE = `COPY node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
COPY ca.crt /usr/local/share/authscale/host-ca.crt
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \\
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \\
 && groupadd --gid 1000 node && useradd --uid 1000 --gid node --create-home --shell /bin/sh node
ENV NODE_EXTRA_CA_CERTS=/usr/local/share/authscale/host-ca.crt
CMD ["node"]`;

export type StandInKey = Exclude<ImageKey, 'api'>;

/** `{base}` is replaced by the base image's tag. */
export const STAND_IN_DOCKERFILES: Readonly<Record<StandInKey, string>> = {
  redis: `FROM {base}
${APT('redis-server')}
CMD ["redis-server", "--protected-mode", "no"]`,
  nginx: `FROM {base}
${APT('nginx-light')}
CMD ["nginx", "-g", "daemon off;"]`,
  node: `FROM {base}
${APT('ca-certificates python3 make g++')}
COPY include /usr/local/include/node
ENV npm_config_nodedir=/usr/local
${NODE}`,
  nodeSlim: `FROM {base}
${APT('ca-certificates')}
${NODE}`,
};

/** Which stand-ins need the host's node in their build context. */
export const NEEDS_HOST_NODE: Readonly<Record<StandInKey, boolean>> = {
  redis: false,
  nginx: false,
  node: true,
  nodeSlim: true,
};
