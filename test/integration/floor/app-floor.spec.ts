/**
 * `authscale app-floor` end to end with tiny bounded settings: the built CLI
 * starts the API, the minimal Nest app and bare node:http (and Redis), logs
 * users in, measures one round and prints rows. Structure and positive
 * finite figures only, never speed. The CLI stops every process it started;
 * the spawn is bounded and killed by its pid on timeout.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');

test('app-floor prints one row per mode with a CPU figure for each server', () => {
  const run = spawnSync(
    process.execPath,
    [
      'dist/bench/cli/main.js',
      'app-floor',
      ...['--modes', 'jwt,session-redis', '--rounds', '1', '--seconds', '0.5', '--max-warmup', '0.5'],
      ...['--connections', '2', '--json'],
    ],
    { cwd: ROOT, encoding: 'utf8', timeout: 120_000, killSignal: 'SIGKILL' },
  );
  expect(run.stderr).not.toMatch(/Error/);
  expect(run.status).toBe(0);
  const rows = JSON.parse(run.stdout) as {
    mode: string;
    samples: Record<string, { cpuMicrosPerRequest: number }[]>;
  }[];
  expect(rows.map((r) => r.mode)).toEqual(['jwt', 'session-redis']);
  for (const row of rows) {
    expect(Object.keys(row.samples).sort()).toEqual(['api', 'bare', 'nest']);
    for (const samples of Object.values(row.samples)) {
      expect(samples).toHaveLength(1);
      expect(Number.isFinite(samples[0]!.cpuMicrosPerRequest)).toBe(true);
      expect(samples[0]!.cpuMicrosPerRequest).toBeGreaterThan(0);
    }
  }
}, 150_000);
