/**
 * Where this authscale checkout (or installed package) lives, and where a
 * built checkout keeps the API's entry point: one answer for every module
 * that needs either, whether it runs from the sources (ts-jest) or from dist/.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The nearest directory above this file whose package.json names authscale. */
export function packageRoot(): string {
  let dir = __dirname;
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'authscale'
    )
      return dir;
    if (dirname(dir) === dir) return process.cwd();
    dir = dirname(dir);
  }
}

/** The version in authscale's package.json. */
export function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as {
    version?: string;
  };
  return manifest.version ?? 'unknown';
}

/** Where a built checkout keeps the API entry, in the order they are tried. */
export const API_ENTRIES = [
  join('dist', 'apps', 'api', 'main.js'),
  join('dist', 'apps', 'api', 'src', 'main.js'),
];

/** The built API entry of the checkout at `dir`; null when it is not built. */
export function apiEntryOf(dir: string): string | null {
  return API_ENTRIES.map((e) => join(dir, e)).find((e) => existsSync(e)) ?? null;
}
