/**
 * The warnings a report shows, with their level, and the one-line verdict on
 * top. The warnings come from results.json and from the same derivation the
 * bench stored them with (bench/results/warnings.derive.ts), so one wording
 * serves both and a file with an incomplete list never renders as clean.
 */
import type { Results } from '../results/results.schema';
import { WARNING_LEVELS, warningsOf } from '../results/warnings.derive';
import type { ReportWarning } from './report.model';

export function collectWarnings(results: Results): ReportWarning[] {
  const warnings = warningsOf(results).map((w) => ({ ...w, level: WARNING_LEVELS[w.code] }));
  return warnings.sort((a, b) => (a.level === b.level ? 0 : a.level === 'problem' ? -1 : 1));
}

export function verdictOf(warnings: ReportWarning[]): { clean: boolean; text: string } {
  const problems = warnings.filter((w) => w.level === 'problem').length;
  const cautions = warnings.length - problems;
  if (warnings.length === 0)
    return {
      clean: true,
      text: 'No warnings: every run was valid, budgets were enforced and the generator kept up.',
    };
  const parts = [problems ? `${problems} problem(s)` : '', cautions ? `${cautions} caution(s)` : '']
    .filter(Boolean)
    .join(' and ');
  return { clean: false, text: `Read with care: ${parts} in this data (listed below under Warnings).` };
}
