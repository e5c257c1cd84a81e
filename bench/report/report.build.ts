/**
 * Assembles the ReportModel from results.json, section by section, in the
 * order a reader needs them: verdict and warnings first, so a report never
 * looks clean when its data is not.
 */
import type { Results } from '../results/results.schema';
import { prepareCharts, type PreparedChart } from './charts.data';
import { environmentSection, warningsSection } from './environment.section';
import { cpuSection, latencySection, shareSection, throughputSection } from './metrics.sections';
import type { ReportModel } from './report.model';
import { reportedVariant } from './report.select';
import { collectWarnings, verdictOf } from './report.warnings';
import { scenariosSection } from './scenarios.section';
import { seedTableSection } from './seed-table.section';
import { steadyStateSection } from './steady-state.section';
import { cpuProfileSection } from './cpu-profile.section';

export interface BuiltReport {
  model: ReportModel;
  charts: Map<string, PreparedChart>;
}

export function buildReport(results: Results): BuiltReport {
  const charts = prepareCharts(results);
  const warnings = collectWarnings(results);
  const revision = results.environment.git.revision
    ? `, revision ${results.environment.git.revision.slice(0, 12)}`
    : '';
  const variant = reportedVariant(results);
  const others = [...new Set(results.summaries.map((s) => s.variant))].filter((v) => v !== variant);
  const otherText = others.length
    ? ` This file also holds variant(s) ${others.join(', ')}, not shown here: compare them with \`authscale compare\`.`
    : '';
  const model: ReportModel = {
    title: 'authscale report: what each way of staying logged in costs when scaled out',
    subtitle: `Profile ${results.plan.profile}, results of ${results.createdAt}${revision}${variant !== 'candidate' ? `, variant ${variant}` : ''}${results.interrupted ? ' (INTERRUPTED: partial results)' : ''}.${otherText}`,
    verdict: verdictOf(warnings),
    warnings,
    sections: [
      warningsSection(results, warnings),
      seedTableSection(results),
      throughputSection(results, charts),
      latencySection(results, charts),
      cpuSection(results, charts),
      ...[cpuProfileSection(results, charts)].filter((s) => s !== null),
      shareSection(results, charts),
      steadyStateSection(results, charts),
      scenariosSection(results, charts),
      environmentSection(results),
    ],
  };
  return { model, charts };
}
