/**
 * Every warning a report shows. The bench writes warnings into results.json;
 * the report also reads the flags they summarise (run.valid,
 * run.generatorBound, budgets.enforced, interrupted) so that a file whose
 * warnings list is incomplete still never renders as clean.
 */
import type { Results } from '../results/results.schema';
import type { ReportWarning, WarningLevel } from './report.model';

/** Problems mean some numbers are wrong or missing; cautions mean they need care when read. */
const LEVELS: Record<string, WarningLevel> = {
  'invalid-run': 'problem',
  interrupted: 'problem',
  'generator-bound': 'problem',
  'budgets-not-enforced': 'caution',
  'high-variation': 'caution',
  'few-repetitions': 'caution',
  other: 'caution',
};

const DERIVED_NOTE = '(flag found in the data; results.json listed no warning for it)';

export function collectWarnings(results: Results): ReportWarning[] {
  const warnings: ReportWarning[] = results.warnings.map((w) => ({
    code: w.code,
    level: LEVELS[w.code] ?? 'caution',
    message: w.message,
    runIds: w.runIds,
  }));
  const covered = (code: string, runId?: string) =>
    results.warnings.some((w) => w.code === code && (runId === undefined || w.runIds.includes(runId)));

  if (results.interrupted && !covered('interrupted')) {
    warnings.push({
      code: 'interrupted',
      level: 'problem',
      message: `The benchmark was interrupted: some planned runs or scenarios are missing ${DERIVED_NOTE}.`,
      runIds: [],
    });
  }
  const budgets = results.environment.budgets;
  if (!budgets.enforced && !covered('budgets-not-enforced')) {
    warnings.push({
      code: 'budgets-not-enforced',
      level: 'caution',
      message: `CPU budgets were not enforced${budgets.reason ? ` (${budgets.reason})` : ''}: replicas competed for the same cores, so scaling figures understate what separate machines would give ${DERIVED_NOTE}.`,
      runIds: [],
    });
  }
  const invalid = results.runs.filter((r) => !r.valid && !covered('invalid-run', r.id));
  if (invalid.length > 0) {
    warnings.push({
      code: 'invalid-run',
      level: 'problem',
      message: `${invalid.length} run(s) are invalid and left out of the summaries: ${invalid.map((r) => `${r.id} (${r.invalidReasons.join('; ') || 'no reason given'})`).join(', ')} ${DERIVED_NOTE}.`,
      runIds: invalid.map((r) => r.id),
    });
  }
  const bound = results.runs.filter((r) => r.generatorBound && !covered('generator-bound', r.id));
  if (bound.length > 0) {
    warnings.push({
      code: 'generator-bound',
      level: 'problem',
      message: `The load generator was saturated in ${bound.map((r) => r.id).join(', ')}: those runs measured the generator, not the API ${DERIVED_NOTE}.`,
      runIds: bound.map((r) => r.id),
    });
  }
  for (const sc of results.scenarios) {
    for (const check of sc.checks.filter((c) => !c.passed)) {
      warnings.push({
        code: 'scenario-check-failed',
        level: 'caution',
        message: `Scenario ${sc.scenario} on ${sc.setup} (${sc.replicas} replicas) did not show the expected shape: ${check.name} (${check.detail}).`,
        runIds: [],
      });
    }
  }
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
