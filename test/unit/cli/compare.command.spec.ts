/**
 * `authscale compare` end to end through the CLI's one error handler: real
 * files on disk, exit codes per verdict, job summary, annotations, --json.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../bench/cli/main';
import { makeResults, series, type RunValues } from '../gate/compare.fixture';

let dir: string;
let out: string;
let err: string;
const saved = { summary: process.env.GITHUB_STEP_SUMMARY, actions: process.env.GITHUB_ACTIONS };

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'authscale-compare-'));
  out = '';
  err = '';
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err += String(chunk);
    return true;
  });
  delete process.env.GITHUB_STEP_SUMMARY;
  delete process.env.GITHUB_ACTIONS;
  process.exitCode = undefined;
});

afterEach(() => {
  jest.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
  process.exitCode = undefined;
  if (saved.summary === undefined) delete process.env.GITHUB_STEP_SUMMARY;
  else process.env.GITHUB_STEP_SUMMARY = saved.summary;
  if (saved.actions === undefined) delete process.env.GITHUB_ACTIONS;
  else process.env.GITHUB_ACTIONS = saved.actions;
});

function abFile(name: string, base: RunValues[], candidate: RunValues[]): string {
  const file = join(dir, name);
  writeFileSync(
    file,
    JSON.stringify(
      makeResults([
        { variant: 'base', runs: base },
        { variant: 'candidate', runs: candidate },
      ]),
    ),
  );
  return file;
}

const run = (...args: string[]) => main(['node', 'authscale', 'compare', ...args]);

describe('authscale compare', () => {
  it.each([
    ['a regression exits 1', { cpu: 1.2 }, 0.03, 10, [] as string[], 1, 'FAIL'],
    ['no change exits 0', {}, 0.03, 10, [], 0, 'PASS'],
    ['too few runs exits 3', {}, 0.03, 4, [], 3, 'INVALID'],
    ['inconclusive exits 0 by default', { cpu: 1.06 }, 0.12, 6, ['--metrics', 'cpu'], 0, 'INCONCLUSIVE'],
    [
      'inconclusive exits 3 with --fail-on-inconclusive',
      { cpu: 1.06 },
      0.12,
      6,
      ['--metrics', 'cpu', '--fail-on-inconclusive'],
      3,
      'INCONCLUSIVE',
    ],
  ])('%s', async (_name, factors, noise, n, flags, code, verdict) => {
    const file = abFile('ab.json', series(n, {}, noise, 7), series(n, factors, noise, 8));
    expect(await run(file, ...flags)).toBe(code);
    expect(out).toContain(`### authscale compare: ${verdict}`);
  });

  it('takes two separate files and compares them unpaired', async () => {
    const a = join(dir, 'a.json');
    const b = join(dir, 'b.json');
    writeFileSync(
      a,
      JSON.stringify(
        makeResults([{ variant: 'candidate', runs: series(10, {}, 0.03, 1) }], { abGroup: null }),
      ),
    );
    writeFileSync(
      b,
      JSON.stringify(
        makeResults([{ variant: 'candidate', runs: series(10, { throughput: 0.8 }, 0.03, 2) }], {
          abGroup: null,
        }),
      ),
    );
    expect(await run(a, b)).toBe(1);
    expect(out).toMatch(/Unpaired runs: Wilcoxon rank-sum/);
  });

  it('appends the table to $GITHUB_STEP_SUMMARY and annotates in GitHub Actions', async () => {
    const summary = join(dir, 'summary.md');
    writeFileSync(summary, '# earlier step\n');
    process.env.GITHUB_STEP_SUMMARY = summary;
    process.env.GITHUB_ACTIONS = 'true';
    const file = abFile('ab.json', series(10, {}, 0.03, 3), series(10, { cpu: 1.2 }, 0.03, 4));
    expect(await run(file)).toBe(1);
    const written = readFileSync(summary, 'utf8');
    expect(written.startsWith('# earlier step\n### authscale compare: FAIL')).toBe(true);
    expect(out).toMatch(/^::error title=FAIL%3A jwt x2 replica CPU per request::/m);
  });

  it('prints machine-readable JSON with --json, annotations going to stderr', async () => {
    process.env.GITHUB_ACTIONS = 'true';
    const file = abFile('ab.json', series(10, {}, 0.03, 5), series(10, { cpu: 1.2 }, 0.03, 6));
    expect(await run(file, '--json')).toBe(1);
    const parsed = JSON.parse(out);
    expect(parsed.verdict).toBe('FAIL');
    expect(parsed.rows).toHaveLength(4);
    expect(err).toMatch(/^::error/m);
  });

  it('lists every bad flag at once and exits 2', async () => {
    const file = abFile('ab.json', series(6, {}, 0.03, 9), series(6, {}, 0.03, 10));
    expect(
      await run(file, '--alpha', '2', '--floor', 'cpu=150%', '--metrics', 'cpu,latency', '--min-runs', '1'),
    ).toBe(2);
    expect(err).toMatch(/--alpha "2" is invalid: use a number between 0 and 0.5/);
    expect(err).toMatch(/--floor cpu=150%: the percentage must be above 0% and below 100%/);
    expect(err).toMatch(/--metrics cpu,latency: unknown latency/);
    expect(err).toMatch(/--min-runs "1" is invalid: use a whole number of at least 2/);
  });

  it('refuses a file from another schema version with exit 2 and says what to do', async () => {
    const file = abFile('ab.json', series(6, {}, 0.03, 11), series(6, {}, 0.03, 12));
    const old = join(dir, 'old.json');
    writeFileSync(old, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), schemaVersion: 0 }));
    expect(await run(old, file)).toBe(2);
    expect(err).toMatch(/schema version 0; this authscale reads versions 1 and 2/);
  });

  it('asks which variant to use when a file holds several and none is named base', async () => {
    const file = join(dir, 'odd.json');
    writeFileSync(
      file,
      JSON.stringify(
        makeResults([
          { variant: 'x', runs: series(6, {}, 0.03, 13) },
          { variant: 'y', runs: series(6, {}, 0.03, 14) },
        ]),
      ),
    );
    const other = abFile('ab.json', series(6, {}, 0.03, 15), series(6, {}, 0.03, 16));
    expect(await run(file, other)).toBe(2);
    expect(err).toMatch(/holds several variants \(x, y\); say which is the base with --base-variant <name>/);
    expect(await run(file, other, '--base-variant', 'x')).toBe(0);
  });
});
