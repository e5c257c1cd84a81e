/**
 * `authscale bench --target` against a topology started by `authscale
 * topology up`, both as separate CLI processes (the topology is torn down in
 * afterAll, also on failure): verify, run, results marked as a remote target
 * with replica CPU from each replica's /metrics; bad flag combinations
 * (exit 2); a target that does not answer (exit 4). Loopback only.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { CLI, endChild, TEST_TIMEOUT_MS } from '../topology/cli.harness';

const outDir = mkdtempSync(join(tmpdir(), 'authscale-bench-target-'));
const bench = (args: string[]) =>
  spawnSync(process.execPath, [CLI, 'bench', ...args], { encoding: 'utf8', timeout: 150_000 });

interface Up {
  url: string;
  replicas: { id: string; url: string }[];
}
let child: ChildProcess | null = null;
let exited: Promise<unknown> = Promise.resolve();
let up: Up | null = null;

beforeAll(async () => {
  child = spawn(process.execPath, [CLI, 'topology', 'up', '--setup', 'jwt', '--replicas', '2', '--json'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  exited = new Promise((resolve) => child!.once('exit', resolve));
  let out = '';
  up = await new Promise<Up>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('topology up did not print its JSON in 60 s')), 60_000);
    child!.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) {
        clearTimeout(timer);
        resolve(JSON.parse(out) as Up);
      }
    });
  });
}, 90_000);

afterAll(async () => {
  if (child) await endChild(child, exited);
  rmSync(outDir, { recursive: true, force: true });
});

describe('authscale bench --target', () => {
  test(
    'measures a running deployment, marks the results as a remote target and reads replica CPU from /metrics',
    () => {
      const metrics = up!.replicas.map((r) => `${r.url}/metrics`).join(',');
      const r = bench([
        '--target',
        up!.url,
        '--setup',
        'jwt',
        '--replica-metrics',
        metrics,
        '--connections',
        '2',
        '--warmup',
        '1',
        '--max-warmup',
        '10',
        '--duration',
        '2',
        '--repetitions',
        '1',
        '--out',
        outDir,
        '--no-report',
        '--json',
      ]);
      expect(r.stderr).toContain('jwt x2');
      expect(r.status).toBe(0);
      const { results: file } = JSON.parse(r.stdout) as { results: string };
      const results = JSON.parse(readFileSync(file, 'utf8'));
      expect(results.environment.target).toMatchObject({
        url: up!.url,
        setup: 'jwt',
        replicas: 2,
        replicasFrom: 'replica-metrics',
      });
      expect(Object.keys(results.environment.target.notMeasured).sort()).toEqual(['nginx', 'redis']);
      const run = results.runs[0];
      expect(run.runtime).toBe('target');
      expect(run.replicas).toBe(2);
      expect(run.requests.total).toBeGreaterThan(0);
      // CPU from /metrics, per replica id from its `replica` label.
      expect(run.cpu.usPerRequestByTier.replicas).toBeGreaterThan(0);
      expect(
        run.cpu.perProcess
          .filter((p: { role: string }) => p.role === 'replica')
          .map((p: { label: string }) => p.label)
          .sort(),
      ).toEqual(['r0', 'r1']);
      expect(run.replicaRssBytes).toEqual({});
    },
    TEST_TIMEOUT_MS,
  );

  test(
    'a declared setup the target does not run is refused before measuring (exit 4)',
    () => {
      const r = bench([
        '--target',
        up!.url,
        '--setup',
        'session-redis',
        '--connections',
        '1',
        '--duration',
        '1',
        '--out',
        outDir,
        '--no-report',
      ]);
      expect(r.status).toBe(4);
      expect(r.stderr).toMatch(/setup session-redis/);
    },
    TEST_TIMEOUT_MS,
  );

  test('flags that only make sense for local topologies are refused with exit 2, all at once', () => {
    const r = bench([
      '--target',
      'http://127.0.0.1:9',
      '--setup',
      'jwt',
      '--replicas',
      '1,2',
      '--cpu-per-replica',
      '0.25',
      '--runtime',
      'docker',
      '--scenarios',
      'replica-fault',
      '--store-rtt',
      '1ms',
      '--cpu-profile',
    ]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--replicas "1,2" cannot be a list with --target');
    expect(r.stderr).toContain('--cpu-per-replica cannot be used with --target');
    expect(r.stderr).toContain('--runtime cannot be used with --target');
    expect(r.stderr).toContain('--scenarios cannot be used with --target');
    expect(r.stderr).toContain('--store-rtt cannot be used with --target');
    expect(r.stderr).toContain('--cpu-profile cannot be used with --target');
  });

  test('--target without --setup, and --setup without --target, are refused with exit 2', () => {
    expect(bench(['--target', 'http://127.0.0.1:9']).stderr).toContain('--target needs --setup');
    const stray = bench(['--setup', 'jwt']);
    expect(stray.status).toBe(2);
    expect(stray.stderr).toContain('--setup can only be used with --target');
  });

  test(
    'a target that does not answer is named with the fix (exit 4)',
    async () => {
      // A port that was free a moment ago: nothing listens there.
      const port = await new Promise<number>((resolve) => {
        const s = createServer().listen(0, '127.0.0.1', () => {
          const p = (s.address() as { port: number }).port;
          s.close(() => resolve(p));
        });
      });
      const r = bench([
        '--target',
        `http://127.0.0.1:${port}`,
        '--setup',
        'jwt',
        '--out',
        outDir,
        '--no-report',
      ]);
      expect(r.status).toBe(4);
      expect(r.stderr).toContain(`--target http://127.0.0.1:${port} does not answer`);
    },
    TEST_TIMEOUT_MS,
  );
});
