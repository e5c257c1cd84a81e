/**
 * `authscale images --offline`: stand-ins for the official images where no
 * registry answers. A Debian bookworm minbase (debootstrap) imported as a
 * base image, then one `docker build --network host` per stand-in that
 * installs Debian's packages (offline.dockerfiles.ts). Root and debootstrap
 * are needed; about 1 min and 550 MB the first time, seconds afterwards
 * (existing images are kept unless `force`).
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { findBinary } from '../process/find-binary';
import { InfraError } from '../process/infra-error';
import { imageExists, runDocker } from './docker.cli';
import { OFFLINE_BASE_TAG, type ImageKey } from './images.data';
import { NEEDS_HOST_NODE, STAND_IN_DOCKERFILES, type StandInKey } from './offline.dockerfiles';

const DEFAULT_MIRROR = 'http://deb.debian.org/debian';
/** Removed from the base: documentation and translations nobody reads in a container. */
const TRIM = [
  'usr/share/doc',
  'usr/share/man',
  'usr/share/locale',
  'usr/share/info',
  'var/cache/apt/archives',
];

/** The Debian mirror this machine's apt uses (deb822 `URIs:` or a one-line `deb` entry). */
export function debianMirror(
  files = ['/etc/apt/sources.list', '/etc/apt/sources.list.d/debian.sources'],
): string {
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const uri =
      /^URIs:\s*(\S+debian)\/?\s*$/m.exec(text)?.[1] ??
      /^deb\s+(?:\[[^\]]*\]\s+)?(\S+debian)\/?\s/m.exec(text)?.[1];
    if (uri) return uri;
  }
  return DEFAULT_MIRROR;
}

function run(command: string, args: string[], log: (s: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let tail = '';
    child.stderr?.on('data', (d: Buffer) => (tail = (tail + d.toString()).slice(-4000)));
    child.once('error', reject);
    child.once('close', (code) => {
      if (code === 0) return resolve();
      log(tail);
      reject(
        new InfraError(`${command} failed (exit ${code}): ${tail.trim().split('\n').pop()}`, 'environment'),
      );
    });
  });
}

async function buildBase(log: (s: string) => void): Promise<void> {
  if (process.getuid?.() !== 0)
    throw new InfraError(
      'images --offline builds a Debian base with debootstrap: run it as root.',
      'environment',
    );
  const debootstrap = findBinary('debootstrap');
  const root = mkdtempSync(join(tmpdir(), 'authscale-rootfs-'));
  try {
    const mirror = debianMirror();
    log(`debootstrap --variant=minbase bookworm from ${mirror} (about 40 s)\n`);
    await run(debootstrap, ['--variant=minbase', 'bookworm', root, mirror], log);
    for (const dir of TRIM) rmSync(join(root, dir), { recursive: true, force: true });
    const tar = spawn('tar', ['-C', root, '-c', '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
    if (!tar.stdout) throw new Error('tar has no stdout');
    await runDocker(['import', '-', OFFLINE_BASE_TAG], tar.stdout, log);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** The host's node, npm, headers and CA bundle, laid out as the stand-in Dockerfiles COPY them. */
function hostNodeContext(dir: string): void {
  const node = process.execPath;
  const prefix = dirname(dirname(node)); // /usr or /usr/local
  const npm = [
    join(prefix, 'lib', 'node_modules', 'npm'),
    '/usr/lib/node_modules/npm',
    '/usr/local/lib/node_modules/npm',
  ];
  const npmDir = npm.find((d) => existsSync(join(d, 'package.json')));
  if (!npmDir)
    throw new InfraError(`npm was not found beside ${node}: install npm on the host.`, 'environment');
  cpSync(node, join(dir, 'node'));
  cpSync(npmDir, join(dir, 'npm'), { recursive: true });
  cpSync(join(prefix, 'include', 'node'), join(dir, 'include'), { recursive: true });
  cpSync(process.env.NODE_EXTRA_CA_CERTS || '/etc/ssl/certs/ca-certificates.crt', join(dir, 'ca.crt'));
}

async function buildStandIn(key: StandInKey, tag: string, log: (s: string) => void): Promise<void> {
  const context = mkdtempSync(join(tmpdir(), 'authscale-standin-'));
  try {
    writeFileSync(join(context, 'Dockerfile'), STAND_IN_DOCKERFILES[key].replace('{base}', OFFLINE_BASE_TAG));
    if (NEEDS_HOST_NODE[key]) hostNodeContext(context);
    await runDocker(
      ['build', '--network', 'host', '--label', 'org.authscale.stand-in=true', '-t', tag, context],
      undefined,
      log,
    );
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
}

/** Builds every stand-in that is missing (all of them with `force`); returns the tags built. */
export async function buildOfflineImages(
  images: Record<ImageKey, string>,
  options: { force?: boolean; log?: (s: string) => void } = {},
): Promise<string[]> {
  const log = options.log ?? ((s) => process.stderr.write(s));
  const built: string[] = [];
  if (options.force || !imageExists(OFFLINE_BASE_TAG)) {
    await buildBase(log);
    built.push(OFFLINE_BASE_TAG);
  }
  for (const key of Object.keys(STAND_IN_DOCKERFILES) as StandInKey[]) {
    if (!options.force && imageExists(images[key])) continue;
    log(`building ${images[key]} (stand-in from Debian packages)\n`);
    await buildStandIn(key, images[key], log);
    built.push(images[key]);
  }
  return built;
}
