import type { Command } from 'commander';
import { resolve } from 'node:path';
import { writeReports } from '../report/report.writer';

export const DEFAULT_RESULTS = 'reports/latest';

/**
 * `authscale report [results.json | dir]`: renders index.html and report.md
 * next to the results. Paths go to stdout (one per line) so scripts can pick
 * them up; unreadable or incompatible results exit 2 through main.ts.
 */
export function registerReportCommand(program: Command): void {
  program
    .command('report')
    .description('Render index.html and report.md next to a results.json (default: reports/latest).')
    .argument('[results]', 'a results.json file or the directory holding one', DEFAULT_RESULTS)
    .action(async (results: string) => {
      const started = Date.now();
      const written = await writeReports(results);
      process.stderr.write(`report rendered in ${Date.now() - started} ms\n`);
      process.stdout.write(`${resolve(written.html)}\n${resolve(written.markdown)}\n`);
    });
}
