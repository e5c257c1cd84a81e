/**
 * The base side of `authscale ab`: a temporary `git worktree` of the base
 * revision, its dependencies, its build. Removed again on success, failure
 * and Ctrl-C (registered with the teardown registry, which also covers a
 * process exit).
 *
 * Dependencies: when the base's package-lock.json is byte-identical to the
 * candidate's, node_modules is a symlink to the candidate's (the same lock
 * installs the same tree, and `npm ci` would cost a minute or more per job);
 * otherwise the worktree gets its own `npm ci`, so a PR that changes a
 * dependency is measured against the base's real dependencies.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EnvironmentError, UsageError } from '../../infra/errors';
import { registerTeardown } from '../../infra/process/teardown.registry';
import { API_ENTRIES, apiEntryOf } from '../../infra/package.root';

export interface BaseCheckout {
  dir: string;
  sha: string;
  apiEntry: string;
  dependencies: 'symlinked' | 'npm ci';
  /** Removes the worktree; idempotent. */
  remove(): Promise<void>;
}

type Log = (line: string) => void;

function git(cwd: string, args: string[]): { ok: boolean; out: string; err: string } {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.error)
    throw new EnvironmentError(
      `cannot run git (${r.error.message}): install git, authscale ab builds the base revision from it.`,
    );
  return { ok: r.status === 0, out: r.stdout, err: r.stderr.trim() };
}

export function repositoryRoot(cwd: string): string {
  const r = git(cwd, ['rev-parse', '--show-toplevel']);
  if (!r.ok)
    throw new UsageError([
      `${cwd} is not inside a git repository: run authscale ab from a clone of the project (${r.err}).`,
    ]);
  return r.out.trim();
}

export function resolveCommit(root: string, ref: string): string {
  const r = git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  if (!r.ok) {
    throw new UsageError([
      `--base ${ref}: no such commit in ${root}. Use a branch, tag or sha that exists here; in CI fetch enough history (actions/checkout with fetch-depth: 0) to reach it.`,
    ]);
  }
  return r.out.trim();
}

/** The candidate's revision, and whether its working tree carries uncommitted changes (which ab measures too). */
export function describeCandidate(root: string): { sha: string | null; dirty: boolean } {
  const head = git(root, ['rev-parse', 'HEAD']);
  const status = git(root, ['status', '--porcelain', '--untracked-files=no']);
  return { sha: head.ok ? head.out.trim() : null, dirty: status.ok && status.out.trim().length > 0 };
}

/** Runs a build step with its output on our stderr (stdout stays the comparison's). */
export function runStep(cwd: string, command: string, args: string[], what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 2, 2] });
    child.on('error', (err) =>
      reject(new EnvironmentError(`${what}: cannot start ${command} (${err.message}).`)),
    );
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else
        reject(
          new EnvironmentError(
            `${what} failed in ${cwd} (${signal ?? `exit ${code}`}); its output is above.`,
          ),
        );
    });
  });
}

/** Compiles a checkout with its own TypeScript, as `npm run build` does. */
export async function buildCheckout(dir: string, what: string): Promise<string> {
  if (!existsSync(join(dir, 'tsconfig.build.json'))) {
    throw new UsageError([
      `${what} at ${dir} has no tsconfig.build.json: it predates authscale's build layout, so ab cannot build it. Pick a newer --base.`,
    ]);
  }
  const tsc = join(dir, 'node_modules', 'typescript', 'bin', 'tsc');
  await runStep(dir, process.execPath, [tsc, '-p', 'tsconfig.build.json'], `building ${what}`);
  const entry = apiEntryOf(dir);
  if (entry === null)
    throw new UsageError([
      `${what} built, but has no ${API_ENTRIES.join(' or ')}: it is not an authscale API revision.`,
    ]);
  return entry;
}

/** Whether the base revision's package-lock.json is the candidate's, byte for byte (with node_modules installed). */
function sameLockFile(root: string, sha: string): boolean {
  const baseLock = git(root, ['show', `${sha}:package-lock.json`]);
  const ourLock = existsSync(join(root, 'package-lock.json'))
    ? readFileSync(join(root, 'package-lock.json'), 'utf8')
    : null;
  return (
    baseLock.ok && ourLock !== null && baseLock.out === ourLock && existsSync(join(root, 'node_modules'))
  );
}

/** node_modules for the worktree: the candidate's, symlinked, when the lock files match; its own npm ci otherwise. */
async function installDependencies(root: string, dir: string, sha: string, log: Log) {
  if (sameLockFile(root, sha)) {
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
    log('ab: base has the same package-lock.json: node_modules symlinked');
    return 'symlinked' as const;
  }
  log('ab: base has a different package-lock.json: npm ci in the worktree');
  await runStep(dir, 'npm', ['ci', '--no-audit', '--no-fund'], 'npm ci for the base');
  return 'npm ci' as const;
}

/** Removal of the worktree at `dir`, registered for Ctrl-C and exit until it has run once. */
function removalOf(root: string, dir: string): () => Promise<void> {
  let removed = false;
  const removeSync = () => {
    if (removed) return;
    removed = true;
    git(root, ['worktree', 'remove', '--force', dir]);
    rmSync(dir, { recursive: true, force: true });
    git(root, ['worktree', 'prune']);
  };
  const unregister = registerTeardown(async () => removeSync(), removeSync);
  return async () => {
    removeSync();
    unregister();
  };
}

export async function prepareBase(root: string, ref: string, log: Log): Promise<BaseCheckout> {
  const sha = resolveCommit(root, ref);
  const dir = mkdtempSync(join(tmpdir(), `authscale-base-${sha.slice(0, 8)}-`));
  const remove = removalOf(root, dir);
  try {
    log(`ab: checking out base ${ref} (${sha.slice(0, 12)}) in ${dir}`);
    const added = git(root, ['worktree', 'add', '--detach', dir, sha]);
    if (!added.ok) throw new EnvironmentError(`git worktree add failed: ${added.err}`);
    const dependencies = await installDependencies(root, dir, sha, log);
    const apiEntry = await buildCheckout(dir, `base ${ref}`);
    return { dir, sha, apiEntry, dependencies, remove };
  } catch (err) {
    await remove();
    throw err;
  }
}
