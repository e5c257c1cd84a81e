/**
 * `authscale images [--offline]`: the images the docker runtime and Compose
 * use. Normally pulls the official Redis, nginx and Node images and builds
 * the API image; with --offline (no registry answers) builds stand-ins under
 * the official names from Debian packages first. The logic lives in
 * infra/docker; this file only maps flags.
 */
import type { Command } from 'commander';
import { buildApiImage, pullImages } from '../../infra/docker/api-image';
import { requireEngine } from '../../infra/docker/docker.cli';
import { IMAGE_KEYS, IMAGES, resolveImages, type ImageKey } from '../../infra/docker/images.data';
import { buildOfflineImages } from '../../infra/docker/offline-images';

interface ImagesFlags {
  offline?: boolean;
  force?: boolean;
  api: boolean;
  [imageFlag: string]: string | boolean | undefined;
}

/** commander's attribute name for a flag: --node-slim-image -> nodeSlimImage. */
const attribute = (flag: string) =>
  flag.replace(/^--/, '').replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());

function tagFlags(flags: ImagesFlags): Partial<Record<ImageKey, string>> {
  const out: Partial<Record<ImageKey, string>> = {};
  for (const key of IMAGE_KEYS) {
    const value = flags[attribute(IMAGES[key].flag)];
    if (typeof value === 'string') out[key] = value;
  }
  return out;
}

async function images(flags: ImagesFlags): Promise<void> {
  const tags = resolveImages(tagFlags(flags));
  process.stderr.write(`Docker engine ${requireEngine()}\n`);
  if (flags.offline) await buildOfflineImages(tags, { force: flags.force });
  else await pullImages(tags);
  if (flags.api) {
    process.stderr.write(`building ${tags.api} from infra/compose/Dockerfile\n`);
    await buildApiImage(tags);
  }
  process.stdout.write(`${IMAGE_KEYS.map((k) => `${k} ${tags[k]}`).join('\n')}\n`);
}

export function registerImagesCommand(program: Command): void {
  const command = program
    .command('images')
    .description(
      'Get the images of the docker runtime: pull the official ones (or build offline stand-ins), build the API image.',
    )
    .option(
      '--offline',
      'no registry: build stand-ins with the official names from Debian packages (root, debootstrap)',
    )
    .option('--force', 'with --offline: rebuild stand-ins that exist')
    .option('--no-api', 'do not build the API image');
  for (const key of IMAGE_KEYS)
    command.option(
      `${IMAGES[key].flag} <tag>`,
      `${IMAGES[key].what} (env ${IMAGES[key].env}, default ${IMAGES[key].tag})`,
    );
  command.action((flags: ImagesFlags) => images(flags));
}
