/**
 * Turns chart templates plus data into SVG by running vega-lite and vega's
 * headless View in a child process (see vega.render-child.mjs for why).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ChartJob } from './charts.specs';

const CHILD = 'vega.render-child.mjs';
const RENDER_TIMEOUT_MS = 60_000;

/** Next to this module: in the sources, and in dist/ where `npm run build` copies it (tsc does not). */
export function childScriptPath(): string {
  const path = join(__dirname, CHILD);
  if (!existsSync(path))
    throw new Error(
      `chart renderer ${path} not found: the authscale build is incomplete; run \`npm run build\`.`,
    );
  return path;
}

/** Renders every job in one child process; returns name -> SVG markup with ids made unique per chart. */
export async function renderCharts(jobs: ChartJob[]): Promise<Record<string, string>> {
  if (jobs.length === 0) return {};
  const payload = JSON.stringify(jobs.map((j) => ({ name: j.name, spec: j.spec })));
  const script = childScriptPath();
  const { stdout, stderr, code } = await new Promise<{ stdout: string; stderr: string; code: number | null }>(
    (done, fail) => {
      const child = spawn(process.execPath, [script], { stdio: ['pipe', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      const timer = setTimeout(() => child.kill('SIGKILL'), RENDER_TIMEOUT_MS);
      child.stdout.on('data', (b: Buffer) => out.push(b));
      child.stderr.on('data', (b: Buffer) => err.push(b));
      child.on('error', (e) => {
        clearTimeout(timer);
        fail(e);
      });
      child.on('close', (c) => {
        clearTimeout(timer);
        done({
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8'),
          code: c,
        });
      });
      child.stdin.end(payload);
    },
  );
  if (code !== 0)
    throw new Error(
      `rendering the report charts failed (exit ${code ?? 'killed after timeout'}):\n${stderr.trim()}`,
    );
  const svgs = JSON.parse(stdout) as Record<string, string>;
  return Object.fromEntries(Object.entries(svgs).map(([name, svg]) => [name, scopeIds(name, svg)]));
}

/**
 * vega names clip paths and gradients clip1, gradient1... in every SVG. Several
 * SVGs inline in one HTML page would share those ids, and a chart would clip
 * to another chart's rectangle: prefix them with the chart name.
 */
export function scopeIds(prefix: string, svg: string): string {
  return svg
    .replace(/\bid="([^"]+)"/g, `id="${prefix}-$1"`)
    .replace(/url\(#([^)]+)\)/g, `url(#${prefix}-$1)`)
    .replace(/href="#([^"]+)"/g, `href="#${prefix}-$1"`);
}
