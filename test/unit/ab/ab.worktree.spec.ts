/**
 * The git and build-step helpers of `authscale ab` on a throwaway repository.
 * The worktree itself (prepareBase: npm ci, tsc, teardown on Ctrl-C) is
 * covered by test/integration/compare/ab-worktree.spec.ts.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildCheckout,
  describeCandidate,
  repositoryRoot,
  resolveCommit,
  runStep,
} from '../../../bench/ab/ab.worktree';
import { EnvironmentError, UsageError } from '../../../infra/errors';
import { gitIn } from '../../fixtures/git.fixture';

let repo: string;
let outside: string;

const git = (...args: string[]): string => gitIn(repo, ...args).trim();

/** The problems of the UsageError `f` throws. */
function problemsOf(f: () => unknown): string[] {
  try {
    f();
  } catch (err) {
    if (err instanceof UsageError) return err.problems;
    throw err;
  }
  throw new Error('expected a UsageError');
}

beforeEach(() => {
  // realpath: the temporary folder may be a symlink, and git answers with resolved paths.
  repo = realpathSync(mkdtempSync(join(tmpdir(), 'authscale-ab-unit-')));
  outside = realpathSync(mkdtempSync(join(tmpdir(), 'authscale-ab-outside-')));
  git('init', '-q', '-b', 'main');
  mkdirSync(join(repo, 'src'));
  writeFileSync(join(repo, 'src', 'a.txt'), 'one\n');
  git('add', '.');
  git('commit', '-q', '-m', 'first');
  writeFileSync(join(repo, 'src', 'a.txt'), 'two\n');
  git('commit', '-q', '-am', 'second');
  git('tag', 'v1', 'HEAD~1');
});

afterEach(() => {
  rmSync(repo, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

describe('finding the repository and the base revision', () => {
  it('the repository root is found from a folder inside it', () => {
    expect(repositoryRoot(join(repo, 'src'))).toBe(repo);
  });

  it('outside a repository, ab says to run from a clone', () => {
    expect(problemsOf(() => repositoryRoot(outside))).toEqual([
      expect.stringMatching(
        /^.* is not inside a git repository: run authscale ab from a clone of the project/,
      ),
    ]);
  });

  it.each([
    ['a branch', 'main', 'HEAD'],
    ['a tag', 'v1', 'HEAD~1'],
    ['a relative ref', 'HEAD~1', 'HEAD~1'],
  ])('%s resolves to its commit', (_name, ref, expected) => {
    const sha = resolveCommit(repo, ref);
    expect(sha).toMatch(/^[0-9a-f]{40}$/);
    expect(sha).toBe(git('rev-parse', expected));
  });

  it.each(['no-such-branch', 'HEAD~5'])('an unknown base "%s" is refused with the CI fix', (ref) => {
    expect(problemsOf(() => resolveCommit(repo, ref))).toEqual([
      expect.stringMatching(new RegExp(`^--base ${ref}: no such commit in .*fetch-depth: 0`)),
    ]);
  });
});

describe('describing the candidate', () => {
  it('a clean checkout is its HEAD and not dirty', () => {
    expect(describeCandidate(repo)).toEqual({ sha: git('rev-parse', 'HEAD'), dirty: false });
  });

  it('a changed tracked file makes it dirty', () => {
    writeFileSync(join(repo, 'src', 'a.txt'), 'three\n');
    expect(describeCandidate(repo).dirty).toBe(true);
  });

  it('an untracked file does not (ab measures what git would commit)', () => {
    writeFileSync(join(repo, 'src', 'new.txt'), 'x\n');
    expect(describeCandidate(repo).dirty).toBe(false);
  });

  it('a repository without commits has no sha', () => {
    const empty = join(outside, 'empty');
    mkdirSync(empty);
    execFileSync('git', ['init', '-q'], { cwd: empty });
    expect(describeCandidate(empty)).toEqual({ sha: null, dirty: false });
  });
});

describe('build steps', () => {
  it('a step that exits 0 resolves', async () => {
    await expect(
      runStep(repo, process.execPath, ['-e', 'process.exit(0)'], 'a step'),
    ).resolves.toBeUndefined();
  });

  it('a failing step names what failed, where, and its exit code', async () => {
    const failed = runStep(repo, process.execPath, ['-e', 'process.exit(3)'], 'building base v1');
    await expect(failed).rejects.toThrow(EnvironmentError);
    await expect(failed).rejects.toThrow(`building base v1 failed in ${repo} (exit 3); its output is above.`);
  });

  it('a command that cannot start is an environment problem, not a crash', async () => {
    await expect(runStep(repo, 'authscale-no-such-command', [], 'npm ci for the base')).rejects.toThrow(
      /^npm ci for the base: cannot start authscale-no-such-command \(.*ENOENT.*\)\.$/,
    );
  });

  it('a revision without tsconfig.build.json is refused before any build: pick a newer base', async () => {
    await expect(buildCheckout(repo, 'base v1')).rejects.toThrow(
      `base v1 at ${repo} has no tsconfig.build.json: it predates authscale's build layout`,
    );
  });
});
