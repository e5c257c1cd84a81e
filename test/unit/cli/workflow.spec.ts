/**
 * .github/workflows/bench.yml is not executed here, so test what it calls:
 * its shape for GitHub-hosted Ubuntu runners, and its `ab` command line,
 * parsed and planned by the real CLI (--dry-run resolves the base revision
 * and the plan without running anything).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { main } from '../../../bench/cli/main';

const root = join(__dirname, '../../..');
const workflow = parse(readFileSync(join(root, '.github/workflows/bench.yml'), 'utf8'));
const steps: { uses?: string; run?: string; with?: Record<string, unknown>; if?: string }[] =
  workflow.jobs.ab.steps;
const scripts = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts;

/** The ab invocation's arguments, after `main.js`, with the shell variable for the base replaced. */
function abArguments(): string[] {
  const line = steps
    .map((s) => s.run ?? '')
    .join('\n')
    .split('\n')
    .find((l) => l.includes('dist/bench/cli/main.js ab'))!;
  const args = line
    .slice(line.indexOf('main.js') + 'main.js'.length)
    .trim()
    .split(/\s+/);
  return args.map((a) => a.replace(/^"\$base"$/, 'HEAD'));
}

describe('the bench workflow', () => {
  it('runs on pull requests on a GitHub-hosted Ubuntu runner with a time limit', () => {
    expect(Object.keys(workflow.on)).toEqual(['pull_request']);
    expect(workflow.jobs.ab['runs-on']).toBe('ubuntu-latest');
    expect(workflow.jobs.ab['timeout-minutes']).toBeGreaterThan(0);
  });

  it('checks out the whole history (ab builds the merge base) and Node 20', () => {
    const checkout = steps.find((s) => s.uses?.startsWith('actions/checkout@'))!;
    expect(checkout.with?.['fetch-depth']).toBe(0);
    expect(steps.find((s) => s.uses?.startsWith('actions/setup-node@'))!.with?.['node-version']).toBe(20);
  });

  it('installs nginx and redis-server from apt, then the locked npm dependencies, then builds with a script that exists', () => {
    const runs = steps.map((s) => s.run ?? '').join('\n');
    expect(runs).toMatch(/apt-get install -y[^\n]* nginx redis-server/);
    expect(runs).toMatch(/^npm ci/m);
    expect(runs).toMatch(/^npm run build$/m);
    expect(scripts.build).toBeDefined();
  });

  it('runs ab against the merge base with the quick profile, and the CLI accepts that command line', async () => {
    const args = abArguments();
    expect(args.slice(0, 3)).toEqual(['ab', '--base', 'HEAD']);
    expect(args).toEqual(expect.arrayContaining(['--profile', 'quick']));
    let out = '';
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => {
      out += String(c);
      return true;
    });
    try {
      expect(await main(['node', 'authscale', ...args, '--dry-run'])).toBe(0);
    } finally {
      write.mockRestore();
    }
    expect(out).toMatch(/^base: +HEAD = [0-9a-f]{12}/m);
    expect(out).toMatch(/^plan: +quick: jwt, session-redis x 2 replicas, 10 pairs/m);
  });

  it('uploads the directory ab writes to, also when the gate fails', () => {
    const args = abArguments();
    const out = args[args.indexOf('--out') + 1];
    const upload = steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))!;
    expect(upload.if).toBe('always()');
    expect(String(upload.with?.path).replace(/\/$/, '')).toBe(out);
  });

  it('refuses an ab command line without --base, or with fewer pairs than the gate needs, listing both', async () => {
    let err = '';
    const write = jest.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => {
      err += String(c);
      return true;
    });
    try {
      expect(await main(['node', 'authscale', 'ab', '--runs', '3', '--dry-run'])).toBe(2);
    } finally {
      write.mockRestore();
    }
    expect(err).toMatch(/--base <git-ref> is required/);
    expect(err).toMatch(/--runs 3 is below --min-runs 6/);
  });
});
