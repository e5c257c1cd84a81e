/**
 * authscale as a user installs it: `npm pack` of this checkout, installed
 * into an empty directory, answers --help and --version and renders a report
 * from a results file, with nothing from the source tree on its path.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');
const FIXTURE = join(ROOT, 'test/fixtures/results/synthetic-clean/results.json');
const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

let work: string;
let cli: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'authscale-pack-'));
  // --ignore-scripts: prepack would rebuild dist/ under the feet of the suites running beside this one.
  const packed = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  const filename = (JSON.parse(packed) as { filename: string }[])[0]!.filename;
  const app = join(work, 'app');
  execFileSync('npm', ['init', '-y'], { cwd: join(work), stdio: 'ignore' });
  execFileSync('mkdir', ['-p', app]);
  execFileSync('npm', ['init', '-y'], { cwd: app, stdio: 'ignore' });
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', join(work, filename)], {
    cwd: app,
    stdio: 'ignore',
  });
  cli = join(app, 'node_modules/.bin/authscale');
}, 300_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

const run = (args: string[]) => spawnSync(cli, args, { cwd: work, encoding: 'utf8', timeout: 120_000 });

test('ships the built code and docs, not tests, fixtures or calibration data', () => {
  const pkg = join(work, 'app/node_modules/authscale');
  expect(existsSync(join(pkg, 'dist/bench/cli/main.js'))).toBe(true);
  expect(existsSync(join(pkg, 'dist/bench/report/vega.render-child.mjs'))).toBe(true);
  expect(existsSync(join(pkg, 'test'))).toBe(false);
  expect(existsSync(join(pkg, 'dist/test'))).toBe(false);
  expect(existsSync(join(pkg, 'docs/calibration'))).toBe(false);
});

test('answers --help and --version', () => {
  const help = run(['--help']);
  expect(help.status).toBe(0);
  expect(help.stdout).toMatch(/Usage: authscale/);
  for (const command of ['bench', 'report', 'compare', 'ab', 'topology', 'calibrate'])
    expect(help.stdout).toContain(command);
  const v = run(['--version']);
  expect(v.status).toBe(0);
  expect(v.stdout.trim()).toBe(version);
});

test('renders a report from a results file in a directory of its own', () => {
  const dir = join(work, 'results');
  cpSync(FIXTURE, join(dir, 'results.json'));
  const out = run(['report', join(dir, 'results.json')]);
  expect(out.stderr).toMatch(/^report rendered in \d+ ms\n$/);
  expect(out.status).toBe(0);
  const md = readFileSync(join(dir, 'report.md'), 'utf8');
  expect(md).toContain('## The seed comparison, measured');
  expect(readFileSync(join(dir, 'index.html'), 'utf8')).toContain('<svg');
});
