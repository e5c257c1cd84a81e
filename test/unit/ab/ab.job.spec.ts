/**
 * What `authscale ab --dry-run` says it would do, on a throwaway repository.
 * The job itself (two builds, interleaved runs, the comparison) is covered by
 * test/integration/compare/ab-regression.spec.ts.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describeAbJob, type AbJobOptions } from '../../../bench/ab/ab.job';
import { DEFAULT_OPTIONS } from '../../../bench/gate/compare.options';
import { buildPlan } from '../../../bench/plan/plan.build';
import { UsageError } from '../../../infra/errors';

let repo: string;
let sha: string;

beforeAll(() => {
  repo = realpathSync(mkdtempSync(join(tmpdir(), 'authscale-ab-job-')));
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: 't',
    GIT_AUTHOR_EMAIL: 't@example.invalid',
    GIT_COMMITTER_NAME: 't',
    GIT_COMMITTER_EMAIL: 't@example.invalid',
  };
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, env, encoding: 'utf8' }).trim();
  git('init', '-q', '-b', 'main');
  writeFileSync(join(repo, 'a.txt'), 'a\n');
  git('add', '.');
  git('commit', '-q', '-m', 'base');
  sha = git('rev-parse', 'HEAD');
});

afterAll(() => rmSync(repo, { recursive: true, force: true }));

function options(o: Partial<AbJobOptions> = {}): AbJobOptions {
  return {
    base: 'main',
    // Every number the description shows is given, so a change of the quick profile leaves this test alone.
    plan: buildPlan({
      setups: 'jwt,hybrid',
      replicas: '1,2',
      repetitions: '3',
      connections: '16',
      warmup: '2',
      duration: '5',
      cpuPerReplica: '0.25',
    }),
    gate: DEFAULT_OPTIONS,
    outDir: 'reports/ab',
    buildCandidate: true,
    json: false,
    cwd: repo,
    ...o,
  };
}

describe('describing an A/B job without running it', () => {
  it('names the base commit, the candidate tree, the plan, the run count and the output', () => {
    // 2 setups x 2 replica counts x 3 pairs x 2 variants = 24 runs of 3 + 1.6 + 2 + 5 s each: about 5 minutes.
    expect(describeAbJob(options()).split('\n')).toEqual([
      `base:      main = ${sha.slice(0, 12)} (built in a temporary git worktree)`,
      `candidate: the working tree of ${repo} (built first)`,
      'plan:      quick: jwt, hybrid x 1, 2 replicas, 3 pairs, 16 connections, 2s warm-up + 5s window, 0.25 CPU per replica',
      'runs:      24 (about 5 minutes)',
      `output:    ${resolve('reports/ab')}`,
    ]);
  });

  // <repo> stands for the repository, which beforeAll makes after this table is read.
  it.each([
    [
      'a candidate used as built',
      { buildCandidate: false },
      1,
      `candidate: the working tree of ${'<repo>'} (as built)`,
    ],
    ['no CPU budget', { plan: buildPlan({ cpuPerReplica: 'none' }) }, 2, 'no CPU per replica'],
  ] as const)('says so for %s', (_name, o, line, expected) => {
    const text = describeAbJob(options(o)).split('\n')[line]!;
    expect(text).toContain(expected.replace('<repo>', repo));
  });

  it('refuses an unknown base before describing anything', () => {
    expect(() => describeAbJob(options({ base: 'no-such-ref' }))).toThrow(UsageError);
  });
});
