/**
 * `authscale report` through the built CLI (dist/, as users run it; `npm test`
 * builds first): writes both files for a good results file, and answers a
 * missing, corrupt, older or newer file with a clear message and exit code 2.
 * Input is the SYNTHETIC clean fixture.
 */
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ExitCode } from '../../../bench/cli/exit-codes';
import { RESULTS_SCHEMA_VERSION } from '../../../bench/results/results.schema';

const ROOT = resolve(__dirname, '../../..');
const CLI = join(ROOT, 'dist/bench/cli/main.js');
const FIXTURE = join(ROOT, 'test/fixtures/results/synthetic-clean/results.json');

function runCli(args: string[], cwd = ROOT) {
  const started = Date.now();
  const r = spawnSync(process.execPath, [CLI, 'report', ...args], { cwd, encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - started };
}

describe('authscale report (built CLI)', () => {
  let work: string;
  beforeAll(() => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test does).`);
    work = mkdtempSync(join(tmpdir(), 'authscale-report-cli-'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('writes index.html, report.md and the chart SVGs next to results.json, drops its own stale charts and prints the paths', () => {
    const dir = join(work, 'good');
    mkdirSync(dir);
    copyFileSync(FIXTURE, join(dir, 'results.json'));
    mkdirSync(join(dir, 'charts'));
    writeFileSync(join(dir, 'charts', 'timeline-gone.svg'), '<svg/>');
    writeFileSync(join(dir, 'charts', 'notes.txt'), 'not ours');
    const r = runCli([dir]);
    expect(r.stderr).toMatch(/report rendered in \d+ ms/);
    expect(r.code).toBe(ExitCode.ok);
    expect(r.stdout.trim().split('\n')).toEqual([join(dir, 'index.html'), join(dir, 'report.md')]);
    for (const chart of ['throughput', 'latency', 'cpu', 'share']) {
      expect(readFileSync(join(dir, 'charts', `${chart}.svg`), 'utf8')).toMatch(/^<svg[\s\S]*<\/svg>$/);
    }
    expect(existsSync(join(dir, 'charts', 'timeline-gone.svg'))).toBe(false);
    expect(readFileSync(join(dir, 'charts', 'notes.txt'), 'utf8')).toBe('not ours');
    // The whole command, node start-up included, for a 54-run file (larger than the quick profile's).
    process.stderr.write(`authscale report on the synthetic 54-run fixture took ${r.ms} ms\n`);
    expect(r.ms).toBeLessThan(10_000);
  });

  const cases: { name: string; content: string | null; message: RegExp }[] = [
    { name: 'a missing file', content: null, message: /no such file\. Run `authscale bench` first/ },
    { name: 'a corrupt file', content: '{"schemaVersion": 1, "runs": [', message: /not valid JSON/ },
    {
      name: 'a schema version no longer read',
      content: JSON.stringify({ schemaVersion: 0 }),
      message: /uses results schema version 0; this authscale reads versions 1 and 2/,
    },
    {
      name: 'a newer schema version',
      content: JSON.stringify({ schemaVersion: RESULTS_SCHEMA_VERSION + 1 }),
      message: /newer than this authscale understands.*Upgrade authscale/,
    },
  ];
  it.each(cases)(
    'answers $name with a clear message, no stack trace and exit code 2',
    ({ name, content, message }) => {
      const dir = join(work, name.replace(/\W+/g, '-'));
      mkdirSync(dir);
      if (content !== null) writeFileSync(join(dir, 'results.json'), content);
      const r = runCli([join(dir, 'results.json')]);
      expect(r.code).toBe(ExitCode.usage);
      expect(r.stderr).toMatch(/^authscale: /);
      expect(r.stderr).toContain(join(dir, 'results.json'));
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stdout).toBe('');
      expect(existsSync(join(dir, 'index.html'))).toBe(false);
    },
  );

  it('reads reports/latest by default and says so when it is absent', () => {
    const r = runCli([], work);
    expect(r.code).toBe(ExitCode.usage);
    expect(r.stderr).toMatch(/authscale: reports\/latest: no such file/);
  });
});
