/**
 * bench --cpu-profile end to end: a real 1-replica jwt topology (nginx, the
 * built API), one measured run and its profiled twin, the .cpuprofile next
 * to results.json, the attribution in results.json and both reports. Needs
 * `npm run build` first. The CLI tears its topology down itself; the test
 * kills the CLI if it outlives its bound.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { CPU_GROUP_NAMES } from '../../../bench/measure/cpu-profile.groups';
import { cpuProfileFileSchema } from '../../../bench/measure/cpu-profile.attribute';
import { resultsSchema } from '../../../bench/results/results.schema';

const CLI = join(__dirname, '../../../dist/bench/cli/main.js');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const outDir = mkdtempSync(join(tmpdir(), 'authscale-cpuprof-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

function runCli(
  args: string[],
  boundMs: number,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, CI: 'true' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const timer = setTimeout(() => child.kill('SIGINT'), boundMs);
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}

/** The HTML report in headless chromium: the stacked chart is drawn and its legend names every group. */
async function expectChartInBrowser(html: string): Promise<void> {
  const browser = await chromium.launchPersistentContext(join(outDir, 'chromium-profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
    ],
  });
  try {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(html).href, { waitUntil: 'load', timeout: 15_000 });
    const svg = page.locator('section#cpu-profile figure[data-chart="cpu-profile"] svg').first();
    expect((await svg.boundingBox())?.width).toBeGreaterThan(200);
    expect(await svg.locator('g.mark-rect path').count()).toBeGreaterThan(0);
    const legend = await svg.locator('g.role-legend text').allTextContents();
    for (const group of CPU_GROUP_NAMES) expect(legend).toContain(group);
    expect(await page.locator('section#cpu-profile table').textContent()).toContain('jwt');
  } finally {
    await browser.close();
  }
}

describe('authscale bench --cpu-profile', () => {
  test('refuses the docker runtime with exit 2 and says what to do', () => {
    const r = spawnSync(process.execPath, [CLI, 'bench', '--cpu-profile', '--runtime', 'docker'], {
      encoding: 'utf8',
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--cpu-profile works on the process runtime only');
  });

  test('profiles a real 1-replica run: files, attribution, overhead, both reports, no summary from it', async () => {
    const { code, stdout, stderr } = await runCli(
      [
        'bench',
        '--cpu-profile',
        '--setups',
        'jwt',
        '--replicas',
        '1',
        '--connections',
        '4',
        '--warmup',
        '1',
        '--max-warmup',
        '0',
        '--duration',
        '3',
        '--cpu-per-replica',
        'none',
        '--out',
        outDir,
        '--json',
      ],
      120_000,
    );
    expect({ code, stderr: stderr.slice(-800) }).toMatchObject({ code: 0 });
    const summary = JSON.parse(stdout) as { results: string; report: string };
    const dir = dirname(summary.results);
    const results = resultsSchema.parse(JSON.parse(readFileSync(summary.results, 'utf8')));
    expect(results.runs.map((r) => r.profiled === true)).toEqual([false, true]);

    const profiled = results.runs[1]!;
    const attribution = profiled.cpuProfile!;
    expect(attribution.missing).toEqual([]);
    expect(attribution.files).toEqual(['cpuprofiles/jwt-r1-replica0.cpuprofile']);
    const file = join(dir, attribution.files[0]!);
    expect(cpuProfileFileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8'))).success).toBe(true);
    const groupsTotal = Object.values(attribution.groupsMs).reduce((a, b) => a + b, 0);
    expect(groupsTotal).toBeCloseTo(attribution.busyMs, 3);
    // A jwt replica under load spends time in the framework, auth and Node's HTTP code.
    for (const group of ['framework', 'auth', 'node-http-net'])
      expect(attribution.groupsMs[group]).toBeGreaterThan(0);
    expect(attribution.overhead?.unprofiledRunId).toBe(results.runs[0]!.id);

    expect(results.summaries).toHaveLength(1);
    expect(results.summaries[0]!.runIds).toEqual([results.runs[0]!.id]);
    const markdown = readFileSync(join(dir, 'report.md'), 'utf8');
    expect(markdown).toContain('Where the CPU goes (profiled runs)');
    expect(markdown).toContain('cpuprofiles/jwt-r1-replica0.cpuprofile');
    expect(existsSync(join(dir, 'charts', 'cpu-profile.svg'))).toBe(true);
    await expectChartInBrowser(summary.report);
  }, 150_000);
});
