/**
 * The built CLI as a user meets it: bad flags, --help, and Ctrl-C in the
 * middle of a run. Needs `npm run build` first (npm test does it).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CLI = join(__dirname, '../../../dist/bench/cli/main.js');
const outDir = mkdtempSync(join(tmpdir(), 'authscale-bench-cli-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('authscale bench on the command line', () => {
  test('bad flags exit 2 and name every problem with its flag, value and the allowed values', () => {
    const r = spawnSync(
      process.execPath,
      [CLI, 'bench', '--setups', 'jwt,ldap', '--replicas', '0', '--model', 'fast', '--app-env', 'lower=1'],
      { encoding: 'utf8' },
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--setups "ldap" is not a setup: use baseline, jwt,');
    expect(r.stderr).toContain('--replicas "0" is invalid');
    expect(r.stderr).toContain('--model "fast" is invalid: use closed');
    expect(r.stderr).toContain('--app-env "lower=1" is invalid');
    expect(r.stdout).toBe('');
  });

  test('--help lists the flags and shows examples', () => {
    const r = spawnSync(process.execPath, [CLI, 'bench', '--help'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('--profile <name>');
    expect(r.stdout).toContain('Examples:');
    expect(r.stdout).toContain('authscale bench --profile full');
  });

  test('Ctrl-C in the middle of a run tears down, writes partial results marked interrupted and exits 130', async () => {
    const child = spawn(
      process.execPath,
      [
        CLI,
        'bench',
        '--setups',
        'session-redis',
        '--replicas',
        '1',
        '--connections',
        '2',
        '--warmup',
        '0',
        '--max-warmup',
        '0',
        '--duration',
        '30',
        '--cpu-per-replica',
        'none',
        '--out',
        outDir,
        '--no-report',
        '--json',
      ],
      { env: { ...process.env, CI: 'true' } },
    );
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      // Interrupt once the measured window is running.
      const deadline = Date.now() + 30_000;
      while (!stderr.includes('measuring') && Date.now() < deadline && child.exitCode === null)
        await new Promise((r) => setTimeout(r, 100));
      await new Promise((r) => setTimeout(r, 1500));
      child.kill('SIGINT');
      let timer: NodeJS.Timeout | undefined;
      const code = await Promise.race([
        exited,
        new Promise<'hung'>((r) => {
          timer = setTimeout(() => r('hung'), 20_000);
        }),
      ]);
      clearTimeout(timer);
      expect({ code, stderr: stderr.slice(-500) }).toMatchObject({ code: 130 });
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    const summary = JSON.parse(stdout) as { results: string; interrupted: boolean };
    expect(summary.interrupted).toBe(true);
    expect(existsSync(summary.results)).toBe(true);
    const results = JSON.parse(readFileSync(summary.results, 'utf8')) as {
      interrupted: boolean;
      runs: { valid: boolean; invalidReasons: string[]; requests: { total: number } }[];
    };
    expect(results.interrupted).toBe(true);
    expect(results.runs).toHaveLength(1);
    expect(results.runs[0]?.valid).toBe(false);
    expect(results.runs[0]?.invalidReasons).toContain('interrupted before the window ended');
    expect(results.runs[0]?.requests.total).toBeGreaterThan(0);
  }, 60_000);
});
