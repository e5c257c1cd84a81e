/**
 * `authscale ab` end to end on a throwaway git repository with two commits:
 * the second turns the calibration knob up (CALIBRATION_CPU_US, burned on
 * every authenticated request) in the API's entry point, as a regressing pull
 * request would. Real worktree, real builds, real topologies (nginx, API
 * replicas with CPU budgets), real load. Takes about two minutes: one setup,
 * one replica, six interleaved pairs of short runs, the CPU metric only (so
 * six pairs can reach significance without a Holm family to pay for).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gitIn } from '../../fixtures/git.fixture';

const project = resolve(__dirname, '../../..');
const cli = join(project, 'dist/bench/cli/main.js');
/** Microseconds of CPU the "regressing commit" adds per authenticated request. */
const INJECTED_US = 600;

let repo: string;
let child: ChildProcess | null = null;

const git = (...args: string[]): string => gitIn(repo, ...args);

/** The API's entry source, wherever the API keeps it. */
function apiEntrySource(root: string): string {
  const found = ['apps/api/main.ts', 'apps/api/src/main.ts']
    .map((p) => join(root, p))
    .find((p) => existsSync(p));
  if (!found)
    throw new Error('no API entry source (apps/api/main.ts or apps/api/src/main.ts) in this checkout');
  return found;
}

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), 'authscale-ab-e2e-'));
  for (const entry of [
    'apps',
    'bench',
    'infra',
    'package.json',
    'package-lock.json',
    'tsconfig.json',
    'tsconfig.build.json',
  ]) {
    cpSync(join(project, entry), join(repo, entry), { recursive: true });
  }
  writeFileSync(join(repo, '.gitignore'), 'node_modules\ndist\nreports\n');
  symlinkSync(join(project, 'node_modules'), join(repo, 'node_modules'), 'dir');
  // This checkout's build output (ignored by git) with its incremental build
  // info: the candidate's build then recompiles only what the commit changed.
  if (existsSync(join(project, 'dist')))
    cpSync(join(project, 'dist'), join(repo, 'dist'), { recursive: true });
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('commit', '-q', '-m', 'base');
  const entry = apiEntrySource(repo);
  const source = readFileSync(entry, 'utf8');
  // Before any import is evaluated, so the config loader sees it.
  writeFileSync(
    entry,
    `process.env.CALIBRATION_CPU_US = process.env.CALIBRATION_CPU_US || '${INJECTED_US}';\n${source}`,
  );
  git('commit', '-q', '-am', 'candidate: burn CPU on every authenticated request');
});

afterAll(() => {
  // Only the CLI this test started, by pid; its own teardown stops the topologies it started.
  if (child?.pid && child.exitCode === null) child.kill('SIGTERM');
  rmSync(repo, { recursive: true, force: true });
});

function runAb(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    let stdout = '';
    let stderr = '';
    child = spawn(process.execPath, [cli, 'ab', ...args], {
      cwd: repo,
      env: { ...process.env, GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '' },
    });
    child.stdout!.on('data', (d) => {
      stdout += d;
    });
    child.stderr!.on('data', (d) => {
      stderr += d;
    });
    child.on('exit', (code) => done({ code, stdout, stderr }));
  });
}

describe('authscale ab on a throwaway repository', () => {
  it('builds HEAD~1 in a worktree, runs both interleaved, finds the CPU regression, exits 1 and cleans up', async () => {
    const out = join(repo, 'reports/ab');
    const tmpBefore = readdirSync(tmpdir()).filter((d) => d.startsWith('authscale-base-'));
    const started = Date.now();
    const r = await runAb([
      '--base',
      'HEAD~1',
      '--setups',
      'jwt',
      '--replicas',
      '1',
      '--runs',
      '6',
      '--connections',
      '4',
      '--warmup',
      '1',
      '--max-warmup',
      '0',
      '--duration',
      '2',
      '--metrics',
      'cpu',
      '--out',
      out,
    ]);
    const seconds = (Date.now() - started) / 1000;
    process.stderr.write(`ab end to end: ${seconds.toFixed(0)} s\n`);
    expect(r.stderr).toMatch(/node_modules symlinked/);
    expect(r.stdout).toMatch(/### authscale compare: FAIL/);
    expect(r.code).toBe(1);

    const comparison = JSON.parse(readFileSync(join(out, 'comparison.json'), 'utf8'));
    const cpu = comparison.rows.find((row: { metric: string }) => row.metric === 'cpu');
    expect(comparison.paired).toBe(true);
    expect(cpu.verdict).toBe('FAIL');
    expect(cpu.n).toEqual({ base: 6, candidate: 6 });
    expect(cpu.change.value).toBeGreaterThan(0.2);

    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(new Set(results.runs.map((run: { variant: string }) => run.variant))).toEqual(
      new Set(['base', 'candidate']),
    );
    expect(results.abGroup).toMatch(/^ab-/);

    expect(git('worktree', 'list', '--porcelain').match(/^worktree /gm)).toHaveLength(1);
    expect(readdirSync(tmpdir()).filter((d) => d.startsWith('authscale-base-'))).toEqual(tmpBefore);
  }, 600_000);
});
