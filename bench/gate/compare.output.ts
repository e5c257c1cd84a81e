/**
 * Where a comparison goes: stdout (markdown, or JSON with --json), the GitHub
 * job summary when $GITHUB_STEP_SUMMARY is set, and workflow annotations when
 * running in GitHub Actions (on stderr with --json, so stdout stays JSON).
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Comparison } from './compare.types';
import { renderAnnotations, renderMarkdown } from './compare.render';

export interface OutputTarget {
  json: boolean;
  env?: NodeJS.ProcessEnv;
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
}

export function emitComparison(c: Comparison, target: OutputTarget): void {
  const env = target.env ?? process.env;
  const stdout = target.stdout ?? ((t: string) => void process.stdout.write(t));
  const stderr = target.stderr ?? ((t: string) => void process.stderr.write(t));
  const markdown = renderMarkdown(c);
  stdout(target.json ? `${JSON.stringify(c, null, 2)}\n` : markdown);
  if (env.GITHUB_ACTIONS === 'true') {
    const annotations = renderAnnotations(c)
      .map((a) => `${a}\n`)
      .join('');
    if (annotations) (target.json ? stderr : stdout)(annotations);
  }
  if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, `${markdown}\n`);
}

/** comparison.json and comparison.md beside the results, for artifacts. */
export function writeComparisonFiles(c: Comparison, dir: string): { json: string; markdown: string } {
  mkdirSync(dir, { recursive: true });
  const json = join(dir, 'comparison.json');
  const markdown = join(dir, 'comparison.md');
  writeFileSync(json, `${JSON.stringify(c, null, 2)}\n`);
  writeFileSync(markdown, renderMarkdown(c));
  return { json, markdown };
}
