/**
 * The docker runtime: Redis, the replicas and nginx as containers of the
 * images in images.data.ts (the API from infra/compose/Dockerfile or
 * --api-image), through testcontainers, on the host's network with ports
 * chosen on the host, ready when 127.0.0.1:PORT answers. The nginx
 * configuration is the process runtime's (nginx-config.template.ts), mounted
 * read-only. Every container carries the run's label and is removed by id.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { renderNginxConfig } from '../nginx/nginx-config.template';
import { freePort } from '../process/free-port';
import { InfraError } from '../process/infra-error';
import { waitForPong } from '../process/redis-server';
import { waitForHttp } from '../process/wait-ready';
import type { NginxReplicaTarget } from '../nginx/nginx-config.template';
import type {
  RuntimeNginx,
  RuntimeRedis,
  RuntimeReplica,
  RuntimeStartContext,
  RuntimeVersions,
  TopologyRuntime,
} from '../runtime/runtime.types';
import { PRIVATE_REDIS_FLAGS } from '../process/redis-server';
import { dockerCli } from './docker.cli';
import { dockerBudget, type DockerBudget } from './docker.budget';
import { RUN_LABEL, startContainer, type ContainerPart, type ContainerSpec } from './docker.container';
import { dockerPreflight, type DockerPreflight } from './docker.preflight';

const SECRETS_DIR = '/run/authscale/secrets';
/** nginx writes its pid and temp files here: a tmpfs, so nothing root-owned lands on the host. */
const NGINX_DIR = '/run/authscale/nginx';
const NGINX_CONF = '/etc/authscale/nginx.conf';

/**
 * Secret files of the run directory, copied into the container (readable by
 * its unprivileged user) and the *_FILE variables pointed at the copies.
 */
function withSecrets(env: Readonly<Record<string, string>>, runDir: string) {
  const out: Record<string, string> = { ...env };
  const files: ContainerSpec['files'] = [];
  for (const [key, value] of Object.entries(env)) {
    if (!key.endsWith('_FILE') || !value.startsWith(runDir)) continue;
    const target = `${SECRETS_DIR}/${basename(value)}`;
    files.push({ content: readFileSync(value, 'utf8'), target, mode: 0o444 });
    out[key] = target;
  }
  return { env: out, files };
}

async function versionIn(id: string, cli: string, command: string[]): Promise<string> {
  const res = await promisify(execFile)(cli, ['exec', id, ...command], { timeout: 20000 }).catch(
    (e: { stdout?: string; stderr?: string }) => e,
  );
  const text = `${res.stdout ?? ''}${res.stderr ?? ''}`;
  return /(?:nginx\/|v=|^v)(\d[^\s]*)/m.exec(text)?.[1] ?? (text.trim() || 'unknown');
}

/** Resolves when `ready` does; rejects with `why` and the container's output when it exits or times out first. */
async function ready(part: ContainerPart, what: string, probe: Promise<void>): Promise<void> {
  const outcome = await Promise.race([
    probe.then(
      () => null,
      (e: Error) => e.message,
    ),
    part.exited.then(() => `it exited with ${part.describeExit()}`),
  ]);
  if (outcome === null) return;
  const output = part.output();
  await part.terminate('SIGKILL', 0);
  if (/Address already in use/i.test(output))
    throw new InfraError(`${what}: the port is busy.`, 'environment');
  throw new InfraError(
    `${what} did not become ready: ${outcome}.\nIts last output:\n${output.trim() || '(none)'}`,
    'environment',
  );
}

interface DockerContext {
  ctx: RuntimeStartContext;
  pre: DockerPreflight;
  cli: string;
  budget: DockerBudget;
  versions: RuntimeVersions;
  launch(spec: ContainerSpec): Promise<ContainerPart>;
}

async function redisPart(d: DockerContext, port?: number): Promise<RuntimeRedis> {
  const p = port ?? (await freePort());
  const part = await d.launch({
    image: d.pre.images.redis,
    role: 'redis',
    label: 'redis',
    command: ['redis-server', '--port', String(p), ...PRIVATE_REDIS_FLAGS],
    cpu: d.budget.cpuFor('redis'),
  });
  await ready(part, `redis on 127.0.0.1:${p}`, waitForPong(p, d.ctx.readyTimeoutMs));
  d.versions.redis ??= await versionIn(part.id, d.cli, ['redis-server', '--version']);
  return { child: part, port: p, url: `redis://127.0.0.1:${p}`, stop: () => part.terminate('SIGTERM', 3000) };
}

async function replicaPart(
  d: DockerContext,
  id: string,
  env: Readonly<Record<string, string>>,
  port?: number,
): Promise<RuntimeReplica> {
  const p = port ?? (await freePort());
  const secrets = withSecrets(env, d.ctx.runDir);
  const part = await d.launch({
    image: d.pre.images.api,
    role: 'replica',
    label: id,
    command: [],
    // With host networking every container has the host's hostname: the id must be explicit.
    env: { ...secrets.env, PORT: String(p), REPLICA_ID: id },
    files: secrets.files,
    cpu: d.budget.cpuFor('replica'),
  });
  const url = `http://127.0.0.1:${p}`;
  const probe = waitForHttp(`${url}/readyz`, d.ctx.readyTimeoutMs, () => part.hasExited());
  await ready(part, `replica ${id} (${d.pre.images.api})`, probe);
  if (d.versions.node === 'unknown')
    d.versions.node = `v${await versionIn(part.id, d.cli, ['node', '--version'])}`;
  return { id, port: p, url, child: part, terminate: (signal, graceMs) => part.terminate(signal, graceMs) };
}

async function nginxPart(
  d: DockerContext,
  replicas: readonly NginxReplicaTarget[],
  listenPort: number,
): Promise<RuntimeNginx> {
  const dir = join(d.ctx.runDir, 'nginx');
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  const config = join(dir, 'nginx.conf');
  const routing = d.ctx.options.setup.routing;
  writeFileSync(config, renderNginxConfig({ routing, listenPort, replicas, runDir: NGINX_DIR }), {
    mode: 0o644,
  });
  const part = await d.launch({
    image: d.pre.images.nginx,
    role: 'nginx',
    label: 'nginx',
    command: ['nginx', '-p', NGINX_DIR, '-c', NGINX_CONF, '-e', `${NGINX_DIR}/error.log`],
    bindMounts: [{ source: config, target: NGINX_CONF, mode: 'ro' }],
    tmpfs: { [NGINX_DIR]: 'rw,mode=755' },
    cpu: d.budget.cpuFor('nginx'),
  });
  const probe = waitForHttp(`http://127.0.0.1:${listenPort}/healthz`, d.ctx.readyTimeoutMs, () =>
    part.hasExited(),
  );
  await ready(part, `nginx could not listen on 127.0.0.1:${listenPort}`, probe);
  d.versions.nginx = await versionIn(part.id, d.cli, ['nginx', '-v']);
  // The container's cgroup counts the workers with the master: no per-worker refs.
  return { port: listenPort, child: part, workerPids: () => [], stop: () => part.terminate('SIGTERM', 3000) };
}

export async function startDockerRuntime(ctx: RuntimeStartContext): Promise<TopologyRuntime> {
  const { options, record } = ctx;
  const pre = dockerPreflight(options.setup.needsRedis, options.apiImage);
  const cli = dockerCli();
  record.useDocker(cli);
  const budget = dockerBudget(options, pre.cgroupVersion);
  const placed = budget.host.generatorPlacement().cgroupProcsFiles;
  record.addCgroups(placed.flatMap((f) => [dirname(f), dirname(dirname(f))]));
  const parts = new Set<ContainerPart>();
  const d: DockerContext = {
    ctx,
    pre,
    cli,
    budget,
    versions: { node: 'unknown', nginx: 'unknown', redis: null },
    launch: async (spec) => {
      const part = await startContainer(spec, record, cli);
      parts.add(part);
      return part;
    },
  };
  const removeSync = () => {
    // By id: what we know of, plus what the engine lists under this run's label (a container still being created).
    const listed = spawnSync(cli, ['ps', '-aq', '--filter', `label=${RUN_LABEL}=${record.runId}`], {
      encoding: 'utf8',
    });
    const ids = new Set([
      ...[...parts].map((p) => p.id),
      ...(listed.stdout ?? '').split('\n').filter(Boolean),
    ]);
    if (ids.size > 0)
      spawnSync(cli, ['rm', '--force', '--volumes', ...ids], { stdio: 'ignore', timeout: 60000 });
  };
  return {
    name: 'docker',
    budgets: budget.description,
    startRedis: (port) => redisPart(d, port),
    startReplica: (id, env, port) => replicaPart(d, id, env, port),
    startNginx: (replicas, listenPort) => nginxPart(d, replicas, listenPort),
    versions: () => ({ ...d.versions }),
    generatorPlacement: () => budget.host.generatorPlacement(),
    endAll: async () => {
      await Promise.all([...parts].map((p) => p.terminate('SIGKILL', 0)));
      removeSync();
    },
    endAllSync: removeSync,
    release: () => budget.host.destroy(),
  };
}
