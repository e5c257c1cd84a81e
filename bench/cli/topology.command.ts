/**
 * `authscale topology up`: start one setup by hand, print where it is, keep it
 * up until Ctrl-C (or SIGTERM), then tear it down. Useful to poke at a setup
 * with curl or a browser before benchmarking it.
 */
import { readNumber } from '../plan/flag.values';
import type { Command } from 'commander';
import { UsageError, EnvironmentError } from '../../infra/errors';
import { SETUP_NAMES, findSetup } from '../../infra/setups.data';
import { startTopology } from '../../infra/topology';
import { topologyOptionProblems } from '../../infra/topology.options';
import type { RunningTopology, StoreHopDescription, TopologyOptions } from '../../infra/topology.types';
import { parseStoreRtt } from '../../infra/store-delay/store-rtt.parse';

interface UpFlags {
  setup?: string;
  replicas: string;
  cpuPerReplica?: string;
  cfsPeriodUs?: string;
  port?: string;
  apiEntry?: string;
  runtime?: string;
  apiImage?: string;
  storeRtt?: string;
  json?: boolean;
}

function parseNumber(flag: string, raw: string | undefined, problems: string[], example: string) {
  return readNumber(
    flag,
    raw,
    { check: () => true, allowed: `not a number; use e.g. ${flag} ${example}` },
    problems,
  );
}

/** Every problem with the flags at once; the options when there is none. */
export function parseUpFlags(flags: UpFlags): TopologyOptions {
  const problems: string[] = [];
  const setup = flags.setup === undefined ? undefined : findSetup(flags.setup);
  if (flags.setup === undefined) problems.push(`--setup is required: use one of ${SETUP_NAMES.join(', ')}.`);
  else if (!setup) problems.push(`unknown setup "${flags.setup}": use one of ${SETUP_NAMES.join(', ')}.`);
  const replicas = parseNumber('--replicas', flags.replicas, problems, '3');
  const cpuPerReplica = parseNumber('--cpu-per-replica', flags.cpuPerReplica, problems, '0.25');
  const cfsPeriodUs = parseNumber('--cfs-period-us', flags.cfsPeriodUs, problems, '10000');
  const port = parseNumber('--port', flags.port, problems, '8080');
  const rtt = flags.storeRtt === undefined ? undefined : parseStoreRtt('--store-rtt', flags.storeRtt);
  if (rtt && 'problem' in rtt) problems.push(rtt.problem);
  const storeRttMs = rtt && 'ms' in rtt ? rtt.ms : undefined;
  const options: TopologyOptions = {
    setup: setup ?? {
      name: flags.setup ?? '',
      summary: '',
      appEnv: {},
      needsRedis: false,
      routing: 'round-robin',
      credential: 'cookie',
    },
    replicas: replicas ?? 1,
    cpuPerReplica: cpuPerReplica ?? null,
    ...(cfsPeriodUs !== undefined ? { cfsPeriodUs } : {}),
    ...(port !== undefined ? { port } : {}),
    ...(flags.apiEntry ? { apiEntry: flags.apiEntry } : {}),
    ...(flags.runtime ? { runtime: flags.runtime as TopologyOptions['runtime'] } : {}),
    ...(flags.apiImage ? { apiImage: flags.apiImage } : {}),
    ...(storeRttMs ? { storeRttMs } : {}),
  };
  // Number-shaped but out of range (replicas 0, port 70000...) is the launcher's rule: ask it.
  if (
    replicas !== undefined ||
    cpuPerReplica !== undefined ||
    port !== undefined ||
    flags.runtime ||
    storeRttMs
  ) {
    problems.push(...topologyOptionProblems(options).filter((p) => !p.startsWith('setup ')));
  }
  if (problems.length > 0) throw new UsageError(problems);
  return options;
}

function describeHop(hop: StoreHopDescription): string {
  const m = hop.measured;
  const measured = m
    ? `measured +${m.addedMs.toFixed(3)} ms (PING ${m.hopMs.toFixed(3)} ms through the hop, ${m.directMs.toFixed(3)} ms direct)`
    : 'not measured';
  return `+${hop.askedMs} ms round trip asked, by ${hop.mechanism}; ${measured}; ${hop.reason}`;
}

function describe(t: RunningTopology): string {
  const b = t.description.budgets;
  const budget = b.enforced
    ? `enforced (cgroup ${b.cgroupVersion}; ${b.cpuPerReplica ?? 'no'} CPU per replica${b.cfsPeriodUs ? `, CFS period ${b.cfsPeriodUs} us` : ''}` +
      `${b.placement ? `; replicas alone on CPU ${b.placement.replicas}; nginx, Redis and the load generator on CPU ${b.placement.generator}` : ''})${b.reason ? `; ${b.reason}` : ''}`
    : `not enforced: ${b.reason}`;
  return [
    `setup    ${t.description.setup} (routing ${t.description.routing}, ${t.replicas.length} replica${t.replicas.length === 1 ? '' : 's'}, ${t.description.runtime} runtime)`,
    `entry    ${t.url}`,
    ...t.replicas.map((r) => `replica  ${r.id.padEnd(4)} pid ${String(r.pid).padEnd(8)} ${r.url}`),
    `nginx    pid ${t.nginx.pid} (${t.description.versions.nginx})`,
    ...(t.redis ? [`redis    pid ${t.redis.pid} ${t.redis.url} (${t.description.versions.redis})`] : []),
    ...(t.description.storeHop ? [`store    ${describeHop(t.description.storeHop)}`] : []),
    `budgets  ${budget}`,
    `generator placement: ${t.generatorPlacement().cpus ?? 'none'}`,
  ].join('\n');
}

async function up(flags: UpFlags): Promise<void> {
  const options = parseUpFlags(flags);
  let failed: Error | null = null;
  let wake: () => void = () => undefined;
  const ended = new Promise<void>((resolve) => (wake = resolve));
  // Kept for the life of the process: a signal during teardown must not kill us half-way.
  const onSignal = () => wake();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.stderr.write(`starting ${options.setup.name} with ${options.replicas} replica(s)...\n`);
  const topology = await startTopology({
    ...options,
    onFailure: (err) => {
      failed = err;
      wake();
    },
  });
  process.stdout.write(
    flags.json
      ? `${JSON.stringify({ url: topology.url, replicas: topology.replicas, nginx: topology.nginx, redis: topology.redis, description: topology.description })}\n`
      : `${describe(topology)}\n`,
  );
  process.stderr.write('up; press Ctrl-C to stop.\n');
  await ended;
  process.stderr.write('stopping...\n');
  await topology.stop();
  if (failed) throw new EnvironmentError((failed as Error).message);
  process.stderr.write('stopped; every process, directory and cgroup of this topology is gone.\n');
}

export function registerTopologyCommand(program: Command): void {
  const topology = program
    .command('topology')
    .description('Start a setup by hand (nginx + N replicas + Redis when needed).');
  topology
    .command('up')
    .description('Start a setup, print its entry URL and replicas, stay up until Ctrl-C, then clean up.')
    .option('--setup <name>', `one of ${SETUP_NAMES.join(', ')}`)
    .option('--replicas <n>', 'number of API replicas', '2')
    .option('--cpu-per-replica <cpus>', 'CPU limit per replica, e.g. 0.25 (cgroups; needs root)')
    .option('--cfs-period-us <us>', 'CFS period for the CPU limit, microseconds (default 10000)')
    .option('--port <port>', 'entry port of nginx (default: a free port)')
    .option('--api-entry <path>', 'built API entry (default: dist/apps/api/main.js)')
    .option('--runtime <name>', 'process (default) or docker (containers; see `authscale images`)')
    .option('--api-image <tag>', 'docker runtime: the API image (default authscale-api:local)')
    .option('--store-rtt <rtt>', 'round trip added to the Redis hop only, e.g. 1ms or 500us')
    .option('--json', 'print the topology as JSON on stdout')
    .action((flags: UpFlags) => up(flags));
}
