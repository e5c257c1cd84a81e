/**
 * The HTML report in a real headless browser (Debian's chromium driven by
 * playwright-core). Uses the SYNTHETIC fixtures: the numbers are invented,
 * the structure is a real results.json.
 * Screenshots land in .tmp/report-screenshots/ for a human to look at.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { tierNames } from '../../../bench/results/results.schema';
import { writeReports } from '../../../bench/report/report.writer';
import { buildSyntheticResults } from '../../fixtures/results/synthetic-results.fixture';

const FIXTURES = resolve(__dirname, '../../fixtures/results');
const SCREENSHOTS = resolve(__dirname, '../../../.tmp/report-screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

describe('the HTML report in headless chromium', () => {
  let work: string;
  let browser: BrowserContext | undefined;
  const html: Record<string, string> = {};

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'authscale-report-browser-'));
    // real-timeline: a short real run (jwt and session-redis at 1 and 2 replicas) on a busy machine.
    for (const variant of ['clean', 'troubled', 'real-timeline']) {
      const dir = join(work, variant);
      mkdirSync(dir);
      const source = variant === 'real-timeline' ? variant : `synthetic-${variant}`;
      copyFileSync(join(FIXTURES, source, 'results.json'), join(dir, 'results.json'));
      html[variant] = (await writeReports(dir)).html;
    }
    // A fresh profile directory per run (playwright passes it as --user-data-dir).
    browser = await chromium.launchPersistentContext(join(work, 'chromium-profile'), {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1366, height: 800 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    rmSync(work, { recursive: true, force: true });
  });

  /** Opens a report, recording console errors, page errors and any request that is not the file itself. */
  async function open(variant: string): Promise<{ page: Page; problems: string[]; requests: string[] }> {
    const page = await browser!.newPage();
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    const url = pathToFileURL(html[variant]!).href;
    page.on('request', (r) => {
      if (r.url() !== url) requests.push(r.url());
    });
    await page.goto(url, { waitUntil: 'load', timeout: 15_000 });
    return { page, problems, requests };
  }

  it('loads offline with no console errors and fetches nothing besides the file itself', async () => {
    const { page, problems, requests } = await open('clean');
    try {
      expect(problems).toEqual([]);
      expect(requests).toEqual([]);
      expect(await page.title()).toContain('authscale report');
      mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: join(SCREENSHOTS, 'synthetic-clean.png'), fullPage: true });
    } finally {
      await page.close();
    }
  });

  const results = buildSyntheticResults('clean');
  it.each([
    { chart: 'throughput', series: results.plan.setups },
    { chart: 'latency', series: results.plan.setups },
    { chart: 'cpu', series: [...tierNames] },
    { chart: 'share', series: ['r0', 'r1', 'r2', 'r3'] },
    { chart: 'timeline-revocation', series: ['ok', 'refused or failed'] },
  ])(
    'draws the $chart chart as a non-empty SVG whose legend names every expected series',
    async ({ chart, series }) => {
      const { page } = await open('clean');
      try {
        const svg = page.locator(`figure[data-chart="${chart}"] svg`).first();
        const box = await svg.boundingBox();
        expect(box?.width).toBeGreaterThan(200);
        expect(box?.height).toBeGreaterThan(100);
        // Marks are drawn as paths/rects with geometry, not just an empty frame.
        const marks = await svg
          .locator(
            'g.mark-line path, g.mark-rect path, g.mark-symbol path, g.mark-rule line, g.mark-rect rect',
          )
          .count();
        expect(marks).toBeGreaterThan(series.length);
        const legend = await svg.locator('g.role-legend text').allTextContents();
        for (const name of series) expect(legend).toContain(name);
        expect(await page.locator(`figure[data-chart="${chart}"] figcaption`).textContent()).toMatch(
          /\w+.*\./,
        );
        mkdirSync(SCREENSHOTS, { recursive: true });
        await page
          .locator(`figure[data-chart="${chart}"]`)
          .screenshot({ path: join(SCREENSHOTS, `chart-${chart}.png`) });
      } finally {
        await page.close();
      }
    },
  );

  it('draws every run over time with its measured window, and the steady-state verdict of each run', async () => {
    const { page, problems } = await open('real-timeline');
    try {
      expect(problems).toEqual([]);
      const figure = page.locator('figure[data-chart="run-timeline"]');
      const svg = figure.locator('svg').first();
      const box = await svg.boundingBox();
      expect(box?.width).toBeGreaterThan(400);
      expect(box?.height).toBeGreaterThan(200);
      // Three panels per cell (throughput, latency, CPU) of four cells: lines, plus one window band each.
      expect(await svg.locator('g.mark-line path').count()).toBeGreaterThanOrEqual(12);
      expect(await svg.locator('g.mark-rect path, g.mark-rect rect').count()).toBeGreaterThanOrEqual(12);
      const legend = await svg.locator('g.role-legend text').allTextContents();
      for (const name of ['req/s', 'p50', 'p99', 'replica CPU']) expect(legend).toContain(name);
      const section = await page.locator('section#steady-state').textContent();
      for (const cell of ['jwt/x1', 'jwt/x2', 'session-redis/x1', 'session-redis/x2'])
        expect(section).toContain(`candidate/${cell}/rep0`);
      expect(section).toContain('NO STEADY STATE');
      mkdirSync(SCREENSHOTS, { recursive: true });
      await figure.screenshot({ path: join(SCREENSHOTS, 'chart-run-timeline.png') });
    } finally {
      await page.close();
    }
  });

  it('shows the warnings, the invalid run and the missing scenarios of troubled results', async () => {
    const { page, problems } = await open('troubled');
    try {
      expect(problems).toEqual([]);
      expect(await page.locator('[data-verdict]').getAttribute('data-verdict')).toBe('unclean');
      const warnings = await page.locator('#warnings').textContent();
      for (const code of [
        'budgets-not-enforced',
        'invalid-run',
        'generator-bound',
        'high-variation',
        'interrupted',
      ])
        expect(warnings).toContain(code);
      expect(await page.locator('#warnings tr.flagged').allTextContents()).toEqual([
        expect.stringContaining('session-sticky-r2-1'),
      ]);
      expect(await page.locator('#scenarios').textContent()).toContain('not measured');
      await page.screenshot({ path: join(SCREENSHOTS, 'synthetic-troubled.png'), fullPage: true });
    } finally {
      await page.close();
    }
  });
});
