/**
 * The data and pure rules of the docker runtime: image tags (flag > env >
 * default), which engines cannot give host networking, container statuses
 * read like process exits, and the Debian mirror the offline base uses.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeStatus } from '../../../infra/docker/docker.container';
import { hostNetworkProblem } from '../../../infra/docker/docker.preflight';
import { IMAGES, IMAGE_KEYS, resolveImages } from '../../../infra/docker/images.data';
import { debianMirror } from '../../../infra/docker/offline-images';

describe('resolveImages', () => {
  it('gives the official names by default', () => {
    expect(resolveImages({}, {})).toEqual({
      redis: 'redis:7-bookworm',
      nginx: 'nginx:1.22',
      node: 'node:20-bookworm',
      nodeSlim: 'node:20-bookworm-slim',
      api: 'authscale-api:local',
    });
  });

  it.each(IMAGE_KEYS.map((k) => [k]))('lets the flag win over the environment for %s', (key) => {
    expect(resolveImages({}, { [IMAGES[key].env]: 'from-env:1' })[key]).toBe('from-env:1');
    expect(resolveImages({ [key]: 'from-flag:2' }, { [IMAGES[key].env]: 'from-env:1' })[key]).toBe(
      'from-flag:2',
    );
  });

  it('names every flag and variable once', () => {
    const flags = IMAGE_KEYS.map((k) => IMAGES[k].flag);
    const envs = IMAGE_KEYS.map((k) => IMAGES[k].env);
    expect(new Set(flags).size).toBe(IMAGE_KEYS.length);
    expect(new Set(envs).size).toBe(IMAGE_KEYS.length);
  });
});

describe('hostNetworkProblem', () => {
  it.each([
    [{ OSType: 'linux', SecurityOptions: ['name=seccomp,profile=default'] }, null],
    [{ OSType: 'windows' }, 'the engine runs windows containers'],
    [{ OSType: 'linux', SecurityOptions: ['name=seccomp', 'name=rootless'] }, 'the engine is rootless'],
    [
      { OSType: 'linux', SecurityOptions: ['name=userns'] },
      'the engine remaps user namespaces (userns-remap)',
    ],
  ])('for %j says %p', (info, problem) => {
    expect(hostNetworkProblem(info)).toBe(problem);
  });
});

describe('describeStatus', () => {
  it.each([
    [0, 'code 0'],
    [1, 'code 1'],
    [137, 'signal SIGKILL (status 137)'],
    [143, 'signal SIGTERM (status 143)'],
    [undefined, 'an unknown status'],
  ])('reads %p as %p', (code, text) => {
    expect(describeStatus(code)).toBe(text);
  });
});

describe('debianMirror', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'authscale-mirror-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['Types: deb\nURIs: http://mirror.example/debian\nSuites: bookworm\n', 'http://mirror.example/debian'],
    ['deb [arch=amd64] http://other.example/debian/ bookworm main\n', 'http://other.example/debian'],
    ['# nothing here\n', 'http://deb.debian.org/debian'],
  ])('reads %j as %s', (text, mirror) => {
    writeFileSync(join(dir, 'sources'), text);
    expect(debianMirror([join(dir, 'sources')])).toBe(mirror);
  });
});

describe('the image tags of Compose and Kubernetes', () => {
  const read = (path: string) => readFileSync(join(__dirname, '../../../infra', path), 'utf8');

  it.each([
    ['compose/compose.yaml', ['api', 'redis', 'nginx']],
    ['k8s/base/deployment.yaml', ['api']],
    ['k8s/components/redis/redis.yaml', ['redis']],
  ] as const)('%s uses the tags of images.data.ts', (path, keys) => {
    const images = [...read(path).matchAll(/^\s*image:\s*(\S+)/gm)].map((m) => m[1]);
    for (const key of keys) expect(images).toContain(IMAGES[key].tag);
  });

  it('compose/Dockerfile defaults its base images to the node tags', () => {
    const dockerfile = read('compose/Dockerfile');
    expect(dockerfile).toContain(`ARG NODE_IMAGE=${IMAGES.node.tag}`);
    expect(dockerfile).toContain(`ARG NODE_SLIM_IMAGE=${IMAGES.nodeSlim.tag}`);
  });
});
