/**
 * Which parts of results.json a report shows, decided once for every view.
 * A results file from an A/B job holds two variants; the report describes the
 * candidate (the comparison itself is the gate's job).
 */
import type { Results, ScenarioResult, Summary } from '../results/results.schema';

export function reportedVariant(results: Results): string {
  const variants = [...new Set(results.summaries.map((s) => s.variant))];
  return variants.includes('candidate') ? 'candidate' : (variants[0] ?? 'candidate');
}

/** Summaries of the reported variant, in plan order: setups as planned, replicas ascending. */
export function reportedSummaries(results: Results): Summary[] {
  const variant = reportedVariant(results);
  const setupRank = (s: string) => {
    const i = results.plan.setups.indexOf(s);
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  return results.summaries
    .filter((s) => s.variant === variant)
    .sort(
      (a, b) =>
        setupRank(a.setup) - setupRank(b.setup) || a.setup.localeCompare(b.setup) || a.replicas - b.replicas,
    );
}

export function reportedSetups(results: Results): string[] {
  return [...new Set(reportedSummaries(results).map((s) => s.setup))];
}

export function reportedReplicaCounts(results: Results): number[] {
  return [...new Set(reportedSummaries(results).map((s) => s.replicas))].sort((a, b) => a - b);
}

export function findSummary(results: Results, setup: string, replicas: number): Summary | undefined {
  return reportedSummaries(results).find((s) => s.setup === setup && s.replicas === replicas);
}

/** A scenario target's column label: its setup, variant, and replica count where several were run. */
export function scenarioTargetLabel(r: ScenarioResult, all: ScenarioResult[]): string {
  const variant = typeof r.params.variant === 'string' ? ` (${r.params.variant})` : '';
  const replicaCounts = new Set(all.filter((o) => o.scenario === r.scenario).map((o) => o.replicas));
  return `${r.setup}${variant}${replicaCounts.size > 1 ? ` · ${r.replicas}` : ''}`;
}
