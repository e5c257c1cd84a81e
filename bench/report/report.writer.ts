/**
 * writeReports: results.json -> index.html + report.md (+ charts/*.svg for
 * the markdown) in the same directory. The bench command calls it at the end
 * of every run; `authscale report` calls it on an existing file.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readResults, resolveResultsPath } from '../results/results.io';
import { renderCharts } from './charts.render';
import { renderHtml } from './html.render';
import { CHARTS_DIR, renderMarkdown } from './markdown.render';
import { buildReport } from './report.build';

export const HTML_FILE = 'index.html';
export const MARKDOWN_FILE = 'report.md';

export interface WrittenReports {
  html: string;
  markdown: string;
}

/** Accepts a results.json path or the directory holding it; bad files raise ResultsFileError (exit 2). */
export async function writeReports(resultsFile: string): Promise<WrittenReports> {
  const file = resolveResultsPath(resultsFile);
  const results = readResults(file);
  const { model, charts } = buildReport(results);
  const svgs = await renderCharts([...charts.values()].map((c) => c.job));
  const dir = dirname(file);
  const chartsDir = join(dir, CHARTS_DIR);
  mkdirSync(chartsDir, { recursive: true });
  // A chart from an earlier render of this directory (say, a scenario since removed) must not linger.
  for (const old of readdirSync(chartsDir).filter(isOurChart)) rmSync(join(chartsDir, old));
  for (const [name, svg] of Object.entries(svgs)) writeFileSync(join(chartsDir, `${name}.svg`), svg);
  const html = join(dir, HTML_FILE);
  const markdown = join(dir, MARKDOWN_FILE);
  writeFileSync(html, renderHtml(model, svgs));
  writeFileSync(markdown, renderMarkdown(model));
  return { html, markdown };
}

/** Only files this writer creates are ever removed. */
function isOurChart(file: string): boolean {
  return /^(throughput|latency|cpu|share|timeline-[A-Za-z0-9_-]+)\.svg$/.test(file);
}
