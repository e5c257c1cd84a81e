/**
 * How many requests per second one load-generator process drives on one
 * core, in both models, against a server that does nothing (nginx answering
 * `return 200` on the other core), side by side with wrk on the same server.
 * The server is never the bottleneck here, so each figure is the
 * generator's own ceiling: a run asking for more than it measures itself.
 *
 *   npm run bench:generator   (authscale generator-capacity; needs nginx, and wrk for its row)
 *
 * Rounds interleave the tools so drift of the machine falls on all of them.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findBinary } from '../../infra/process/find-binary';
import { freePort } from '../../infra/process/free-port';
import { waitForHttp } from '../../infra/process/wait-ready';
import { runLoad } from '../load/load.driver';
import { median } from '../stats/ranks.stats';

const SECONDS = 5;
const CONNECTIONS = 32;
const ROUNDS = 3;
/** Open-model rates tried, per second; the ceiling is the highest one kept at 95% or more. */
const OPEN_RATES = [2_000, 4_000, 8_000, 12_000, 16_000, 24_000];

export interface CapacityRow {
  tool: string;
  model: string;
  rps: number[];
  generatorCpu: number[];
}

function nginxConfig(dir: string, port: number): string {
  const conf = join(dir, 'nginx.conf');
  writeFileSync(
    conf,
    `worker_processes 1;\ndaemon off;\npid ${dir}/nginx.pid;\nerror_log ${dir}/error.log;\nevents { worker_connections 1024; }\nhttp {\n  access_log off;\n  client_body_temp_path ${dir};\n  proxy_temp_path ${dir};\n  fastcgi_temp_path ${dir};\n  uwsgi_temp_path ${dir};\n  scgi_temp_path ${dir};\n  keepalive_requests 1000000;\n  server { listen 127.0.0.1:${port}; location / { return 200 "ok"; } }\n}\n`,
  );
  return conf;
}

/** nginx on CPU 0; this process (the generator) moves to CPU 1. */
async function startServer(): Promise<{ url: string; stop(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'authscale-capacity-'));
  const port = await freePort();
  const child: ChildProcess = spawn(
    'taskset',
    ['-c', '0', findBinary('nginx'), '-c', nginxConfig(dir, port)],
    {
      stdio: 'ignore',
    },
  );
  const stop = () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', stop);
  try {
    await waitForHttp(`http://127.0.0.1:${port}/`, 10_000);
  } catch (err) {
    stop();
    throw err;
  }
  execFileSync('taskset', ['-cp', '1', String(process.pid)], { stdio: 'ignore' });
  return { url: `http://127.0.0.1:${port}`, stop };
}

const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

async function autocannonRps(url: string, rate: number | null): Promise<{ rps: number; cpu: number }> {
  const cpu0 = cpuSeconds();
  const wall0 = performance.now();
  const outcome = await runLoad({
    url,
    model: rate === null ? 'closed' : 'open',
    connections: CONNECTIONS,
    ratePerSecond: rate,
    warmup: { minSeconds: 1, maxSeconds: 1, ready: () => true },
    durationSeconds: SECONDS,
    mix: [{ path: '/', weight: 1 }],
    headersFor: () => ({}),
  });
  outcome.histogram.destroy();
  const cpu = (cpuSeconds() - cpu0) / ((performance.now() - wall0) / 1000);
  return { rps: outcome.responses / outcome.windowSeconds, cpu };
}

/** The highest open-model rate the generator keeps (achieved >= 95% of it). */
async function openCeiling(url: string): Promise<{ rps: number; cpu: number }> {
  let best = { rps: 0, cpu: 0 };
  for (const rate of OPEN_RATES) {
    const r = await autocannonRps(url, rate);
    if (r.rps < 0.95 * rate) break;
    best = r;
  }
  return best;
}

function wrkRps(url: string): { rps: number; cpu: number } | null {
  const out = spawnSync(
    'taskset',
    ['-c', '1', 'wrk', '-t1', `-c${CONNECTIONS}`, `-d${SECONDS}s`, `${url}/`],
    {
      encoding: 'utf8',
    },
  );
  if (out.error || out.status !== 0) return null;
  const m = /Requests\/sec:\s+([\d.]+)/.exec(out.stdout);
  return m ? { rps: Number(m[1]), cpu: NaN } : null;
}

export async function measureCapacity(log: (line: string) => void): Promise<CapacityRow[]> {
  const server = await startServer();
  const rows: CapacityRow[] = [
    {
      tool: 'authscale (autocannon)',
      model: `closed, ${CONNECTIONS} connections`,
      rps: [],
      generatorCpu: [],
    },
    { tool: 'authscale (autocannon)', model: 'open, paced (highest rate kept)', rps: [], generatorCpu: [] },
    { tool: 'wrk -t1', model: `closed, ${CONNECTIONS} connections`, rps: [], generatorCpu: [] },
  ];
  const haveWrk = spawnSync('wrk', ['--version']).error === undefined;
  try {
    for (let round = 0; round < ROUNDS; round++) {
      log(`round ${round + 1}/${ROUNDS}`);
      const results = [
        await autocannonRps(server.url, null),
        await openCeiling(server.url),
        haveWrk ? wrkRps(server.url) : null,
      ];
      results.forEach((r, i) => {
        if (!r) return;
        rows[i]!.rps.push(r.rps);
        rows[i]!.generatorCpu.push(r.cpu);
      });
    }
  } finally {
    server.stop();
  }
  if (!haveWrk) log('wrk not found: install it (apt-get install wrk) for its row');
  return rows;
}

export function renderCapacity(rows: readonly CapacityRow[]): string {
  const lines = [
    '| generator | model | req/s on one core (median, min-max) | generator CPU |',
    '|---|---|---|---|',
  ];
  for (const r of rows) {
    if (r.rps.length === 0) {
      lines.push(`| ${r.tool} | ${r.model} | not measured | – |`);
      continue;
    }
    const cpu = r.generatorCpu.filter(Number.isFinite);
    lines.push(
      `| ${r.tool} | ${r.model} | ${median(r.rps).toFixed(0)} (${Math.min(...r.rps).toFixed(0)}-${Math.max(...r.rps).toFixed(0)}) | ${cpu.length ? `${(median(cpu) * 100).toFixed(0)}%` : 'not measured'} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}
