/**
 * The base checkout of `authscale ab` on a throwaway git repository: real git,
 * real tsc, real npm ci (of a lock file without dependencies: no network).
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { prepareBase, repositoryRoot, resolveCommit } from '../../../bench/ab/ab.worktree';
import { gitIn } from '../../fixtures/git.fixture';

const project = resolve(__dirname, '../../..');
let repo: string;
const logs: string[] = [];
const log = (line: string) => logs.push(line);

const git = (...args: string[]): string => gitIn(repo, ...args);

function worktrees(): string[] {
  return git('worktree', 'list', '--porcelain')
    .split('\n')
    .filter((l) => l.startsWith('worktree '))
    .map((l) => l.slice(9));
}

beforeEach(() => {
  repo = mkdtempSync(join(tmpdir(), 'authscale-ab-repo-'));
  git('init', '-q', '-b', 'main');
  mkdirSync(join(repo, 'apps/api'), { recursive: true });
  writeFileSync(join(repo, 'apps/api/main.ts'), 'export const version: number = 1;\n');
  writeFileSync(
    join(repo, 'tsconfig.build.json'),
    JSON.stringify({
      compilerOptions: { outDir: 'dist', rootDir: '.', module: 'commonjs', target: 'ES2022', strict: true },
      include: ['apps/**/*.ts'],
    }),
  );
  writeFileSync(join(repo, '.gitignore'), 'node_modules\ndist\n');
  writeFileSync(join(repo, 'package-lock.json'), readFileSync(join(project, 'package-lock.json')));
  // The candidate's node_modules: this project's, as a developer's clone has it.
  execFileSync('ln', ['-s', join(project, 'node_modules'), join(repo, 'node_modules')]);
  git('add', '.');
  git('commit', '-q', '-m', 'base');
  writeFileSync(join(repo, 'apps/api/main.ts'), 'export const version: number = 2;\n');
  git('commit', '-q', '-am', 'candidate');
});

afterEach(() => {
  rmSync(repo, { recursive: true, force: true });
});

describe('the base checkout of authscale ab', () => {
  it('builds the base revision in a temporary worktree with node_modules symlinked when the lock file is the same, then removes it', async () => {
    const base = await prepareBase(repositoryRoot(repo), 'HEAD~1', log);
    try {
      expect(base.dependencies).toBe('symlinked');
      expect(lstatSync(join(base.dir, 'node_modules')).isSymbolicLink()).toBe(true);
      expect(readFileSync(base.apiEntry, 'utf8')).toMatch(/version = 1/);
      expect(base.sha).toBe(resolveCommit(repo, 'HEAD~1'));
      expect(worktrees()).toContain(base.dir);
    } finally {
      await base.remove();
    }
    expect(existsSync(base.dir)).toBe(false);
    expect(worktrees()).not.toContain(base.dir);
  });

  it('runs npm ci when the lock file differs, and removes the worktree when the build then fails', async () => {
    writeFileSync(
      join(repo, 'package-lock.json'),
      JSON.stringify({
        name: 'x',
        version: '1.0.0',
        lockfileVersion: 3,
        requires: true,
        packages: { '': { name: 'x', version: '1.0.0' } },
      }),
    );
    writeFileSync(join(repo, 'package.json'), JSON.stringify({ name: 'x', version: '1.0.0' }));
    git('add', '.');
    git('commit', '-q', '-m', 'a base without dependencies');
    git('commit', '-q', '--allow-empty', '-m', 'candidate');
    // The candidate's lock differs from the base's from here on.
    writeFileSync(join(repo, 'package-lock.json'), readFileSync(join(project, 'package-lock.json')));
    const before = worktrees().length;
    await expect(prepareBase(repo, 'HEAD~1', log)).rejects.toThrow(
      /building base HEAD~1: cannot start|building base HEAD~1 failed/,
    );
    expect(logs.some((l) => /different package-lock.json: npm ci/.test(l))).toBe(true);
    expect(worktrees()).toHaveLength(before);
  });

  it('removes the worktree when the process gets Ctrl-C (SIGINT) while holding it', async () => {
    const worktreeModule = join(project, 'dist/bench/ab/ab.worktree.js');
    const script = `require(${JSON.stringify(worktreeModule)}).prepareBase(${JSON.stringify(repo)}, 'HEAD~1', () => {})
      .then((b) => { process.stdout.write(b.dir + '\\n'); setInterval(() => {}, 1000); });`;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const dir = await new Promise<string>((ready, fail) => {
        child.stdout!.on('data', (d) => ready(String(d).trim()));
        child.on('exit', (code) => fail(new Error(`child left early with ${code}`)));
      });
      expect(worktrees()).toContain(dir);
      const exited = new Promise<NodeJS.Signals | null>((done) =>
        child.on('exit', (_code, signal) => done(signal)),
      );
      child.kill('SIGINT');
      expect(await exited).toBe('SIGINT');
      expect(worktrees()).not.toContain(dir);
      expect(existsSync(dir)).toBe(false);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });

  it('refuses a ref that is not a commit, with the fix', async () => {
    await expect(prepareBase(repo, 'no-such-branch', log)).rejects.toThrow(
      /--base no-such-branch: no such commit.*fetch-depth: 0/,
    );
  });
});
