/**
 * The rows each chart template draws, picked from results.json summaries.
 * Nothing is re-derived: medians, intervals, tier costs and replica counts are
 * the bench's; the ideal line is the 1-replica median times N, the same
 * definition the bench's scalingEfficiency uses.
 */
import { tierNames, type Results } from '../results/results.schema';
import {
  cpuChart,
  latencyChart,
  replicaTimelineChart,
  shareChart,
  throughputChart,
  timelineChart,
  withData,
  type ChartJob,
  type ChartTemplate,
} from './charts.specs';
import { percentileSpectrum } from './histogram.spectrum';
import { runTimelineChart, runTimelineRows } from './run-timeline.chart';
import { cpuProfileChart, cpuProfileRows } from './cpu-profile.chart';
import type { ChartRef } from './report.model';
import { findSummary, reportedSummaries, scenarioTargetLabel } from './report.select';

export interface PreparedChart {
  ref: ChartRef;
  job: ChartJob;
}

const valid = (results: Results) => reportedSummaries(results).filter((s) => s.validRuns > 0);

function throughputRows(results: Results) {
  return valid(results).flatMap((s) => {
    const m = s.metrics.throughputRps;
    if (!m) return [];
    const one = findSummary(results, s.setup, 1);
    const oneRps = one && one.validRuns > 0 ? one.metrics.throughputRps?.median : undefined;
    const measured = {
      setup: s.setup,
      replicas: s.replicas,
      kind: 'measured',
      rps: m.median,
      ciLow: m.ciLow,
      ciHigh: m.ciHigh,
    };
    return oneRps === undefined
      ? [measured]
      : [measured, { setup: s.setup, replicas: s.replicas, kind: 'ideal linear', rps: oneRps * s.replicas }];
  });
}

function latencyRows(results: Results) {
  return valid(results).flatMap((s) =>
    s.mergedHistogram
      ? percentileSpectrum(s.mergedHistogram).map((p) => ({
          setup: s.setup,
          replicas: s.replicas,
          percentile: p.percentile,
          inverse: p.inverse,
          latencyMs: p.latencyUs / 1000,
        }))
      : [],
  );
}

function cpuRows(results: Results) {
  return valid(results).flatMap((s) =>
    s.cpuUsPerRequestByTier
      ? tierNames.map((tier, tierOrder) => ({
          setup: s.setup,
          replicas: s.replicas,
          tier,
          tierOrder,
          us: s.cpuUsPerRequestByTier![tier] ?? 0,
        }))
      : [],
  );
}

function shareRows(results: Results) {
  return valid(results).flatMap((s) =>
    Object.entries(s.replicaShare).map(([replica, responses]) => ({
      label: `${s.setup} · ${s.replicas}`,
      setup: s.setup,
      replicas: s.replicas,
      replica,
      responses,
    })),
  );
}

/** byStatus holds every status seen, 2xx included: count the rest. */
function notOk(byStatus: Record<string, number>): number {
  return Object.entries(byStatus)
    .filter(([status]) => !/^2\d\d$/.test(status))
    .reduce((a, [, n]) => a + n, 0);
}

/** Successful vs refused-or-failed responses per second, plus the injected events, for one scenario. */
function timelineRows(results: Results, scenario: string) {
  return results.scenarios
    .filter((s) => s.scenario === scenario && s.timeline.length > 0)
    .flatMap((s) => {
      const setup = scenarioTargetLabel(s, results.scenarios);
      return [
        ...s.timeline.flatMap((p) => [
          { setup, t: p.t, series: 'ok', count: p.ok },
          { setup, t: p.t, series: 'refused or failed', count: notOk(p.byStatus) + p.errors },
        ]),
        ...s.injected.map((i) => ({ setup, t: i.atSeconds, series: 'injected', what: i.what })),
      ];
    });
}

/** Per second and replica, for the scenarios that record byReplica (scale-out, scale-in). */
function replicaTimelineRows(results: Results, scenario: string) {
  return results.scenarios
    .filter((s) => s.scenario === scenario && s.timeline.some((p) => p.byReplica))
    .flatMap((s) => {
      const setup = scenarioTargetLabel(s, results.scenarios);
      return [
        ...s.timeline.flatMap((p) =>
          Object.entries(p.byReplica ?? {}).map(([replica, r]) => ({
            setup,
            t: p.t,
            series: replica,
            served: r.served,
            status401: r.status401,
            relogins: r.relogins,
            p99Ms: r.p99Us === null ? null : r.p99Us / 1000,
          })),
        ),
        ...s.injected.map((i) => ({ setup, t: i.atSeconds, series: 'injected', what: i.what })),
      ];
    });
}

function prepare(
  template: ChartTemplate,
  rows: Record<string, unknown>[],
  seriesField: string,
  name = template.name,
  title = template.title,
): PreparedChart | null {
  if (rows.length === 0) return null;
  const series = [...new Set(rows.map((r) => String(r[seriesField])))].filter(
    (x) => x !== 'injected' && x !== 'undefined',
  );
  return {
    ref: { name, title, caption: template.caption, series },
    job: { ...withData(template, rows), name },
  };
}

export const timelineChartName = (scenario: string) => `timeline-${scenario.replace(/[^A-Za-z0-9_-]/g, '_')}`;
export const replicaTimelineChartName = (scenario: string) =>
  `replicas-${scenario.replace(/[^A-Za-z0-9_-]/g, '_')}`;

/** Every chart that has data; a chart without data is left out and its section says so. */
export function prepareCharts(results: Results): Map<string, PreparedChart> {
  const charts = [
    prepare(throughputChart, throughputRows(results), 'setup'),
    prepare(latencyChart, latencyRows(results), 'setup'),
    prepare(cpuChart, cpuRows(results), 'tier'),
    prepare(shareChart, shareRows(results), 'replica'),
    prepare(runTimelineChart, runTimelineRows(results), 'series'),
    prepare(cpuProfileChart, cpuProfileRows(results), 'group'),
    ...[...new Set(results.scenarios.map((s) => s.scenario))].map((scenario) =>
      prepare(
        timelineChart,
        timelineRows(results, scenario),
        'series',
        timelineChartName(scenario),
        `Timeline of the ${scenario} scenario`,
      ),
    ),
    ...[...new Set(results.scenarios.map((s) => s.scenario))].map((scenario) =>
      prepare(
        replicaTimelineChart,
        replicaTimelineRows(results, scenario),
        'series',
        replicaTimelineChartName(scenario),
        `Per-replica timeline of the ${scenario} scenario`,
      ),
    ),
  ].filter((c): c is PreparedChart => c !== null);
  return new Map(charts.map((c) => [c.ref.name, c]));
}
