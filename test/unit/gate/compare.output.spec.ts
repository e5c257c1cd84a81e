import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareSides } from '../../../bench/gate/compare.engine';
import { DEFAULT_OPTIONS } from '../../../bench/gate/compare.options';
import { emitComparison, writeComparisonFiles } from '../../../bench/gate/compare.output';
import { renderAnnotations, renderMarkdown } from '../../../bench/gate/compare.render';
import { sideFrom } from '../../../bench/gate/compare.sides';
import { makeResults, series } from './compare.fixture';

/** A paired comparison whose CPU row FAILs, so GitHub annotations are not empty. */
function failingComparison() {
  const ab = makeResults([
    { variant: 'base', runs: series(10, {}, 0.02, 31) },
    { variant: 'candidate', runs: series(10, { cpu: 1.2 }, 0.02, 32) },
  ]);
  return compareSides(
    sideFrom('base', 'ab.json', ab, 'base', 'base'),
    sideFrom('candidate', 'ab.json', ab, 'candidate', 'candidate'),
    DEFAULT_OPTIONS,
  );
}

const comparison = failingComparison();
const markdown = renderMarkdown(comparison);
const annotations = renderAnnotations(comparison)
  .map((a) => `${a}\n`)
  .join('');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'authscale-compare-output-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function emit(json: boolean, env: NodeJS.ProcessEnv): { stdout: string; stderr: string } {
  const out = { stdout: '', stderr: '' };
  emitComparison(comparison, {
    json,
    env,
    stdout: (t) => (out.stdout += t),
    stderr: (t) => (out.stderr += t),
  });
  return out;
}

describe('where a comparison is written', () => {
  it('the fixture has annotations to place (a FAIL row)', () => {
    expect(comparison.verdict).toBe('FAIL');
    expect(annotations).toMatch(/^::error /);
  });

  it.each([
    ['markdown on stdout, nothing else outside GitHub Actions', false, {}, () => markdown, () => ''],
    [
      'JSON alone on stdout with --json',
      true,
      {},
      () => `${JSON.stringify(comparison, null, 2)}\n`,
      () => '',
    ],
    [
      'annotations after the markdown in GitHub Actions',
      false,
      { GITHUB_ACTIONS: 'true' },
      () => markdown + annotations,
      () => '',
    ],
    [
      'annotations on stderr with --json in GitHub Actions, so stdout stays JSON',
      true,
      { GITHUB_ACTIONS: 'true' },
      () => `${JSON.stringify(comparison, null, 2)}\n`,
      () => annotations,
    ],
  ])('%s', (_name, json, env, stdout, stderr) => {
    expect(emit(json, env)).toEqual({ stdout: stdout(), stderr: stderr() });
  });

  it('appends the markdown to the GitHub job summary when $GITHUB_STEP_SUMMARY names a file', () => {
    const summary = join(dir, 'summary.md');
    writeFileSync(summary, 'earlier step\n');
    emit(true, { GITHUB_STEP_SUMMARY: summary });
    expect(readFileSync(summary, 'utf8')).toBe(`earlier step\n${markdown}\n`);
  });

  it('writes comparison.json and comparison.md for artifacts, creating the folder', () => {
    const target = join(dir, 'nested', 'out');
    const written = writeComparisonFiles(comparison, target);
    expect(written).toEqual({
      json: join(target, 'comparison.json'),
      markdown: join(target, 'comparison.md'),
    });
    expect(JSON.parse(readFileSync(written.json, 'utf8'))).toEqual(JSON.parse(JSON.stringify(comparison)));
    expect(readFileSync(written.markdown, 'utf8')).toBe(markdown);
  });
});
