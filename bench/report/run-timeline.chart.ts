/**
 * The over-time chart of the throughput runs: for each cell (setup x
 * replicas), throughput, p50/p99 and replica CPU per request per timeline
 * bucket, from the first warm-up request to the end, with the measured window
 * shaded, so warm-up, steady state, stalls and throttling can be seen.
 */
import type { Results, RunResult } from '../results/results.schema';
import type { ChartTemplate } from './charts.specs';
import { chartBase } from './charts.specs';
import { reportedVariant } from './report.select';

export const RUN_TIMELINE_CHART = 'run-timeline';

const PANELS = ['throughput (req/s)', 'latency (ms)', 'replica CPU (µs/req)'] as const;

export const runTimelineChart: ChartTemplate = {
  name: RUN_TIMELINE_CHART,
  title: 'Each run over time',
  caption:
    'Per timeline bucket, from the first warm-up request: throughput, p50 and p99 latency, and replica CPU per request; one row per setup and replica count, one line per repetition. The grey band is the measured window: a curve still moving inside it, or a long warm-up before it, is what the steady-state column reports.',
  spec: {
    ...chartBase,
    data: { name: 'rows' },
    facet: {
      row: { field: 'cell', type: 'nominal', title: null, sort: null },
      column: { field: 'panel', type: 'nominal', title: null, sort: [...PANELS] },
    },
    spec: {
      width: 190,
      height: 60,
      layer: [
        {
          transform: [{ filter: "datum.kind === 'window'" }],
          mark: { type: 'rect', color: '#e8e8e8' },
          encoding: {
            x: { field: 'start', type: 'quantitative', title: 'seconds from the first warm-up request' },
            x2: { field: 'end' },
          },
        },
        {
          transform: [{ filter: "datum.kind === 'point'" }],
          mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.2 },
          encoding: {
            x: { field: 't', type: 'quantitative' },
            y: { field: 'value', type: 'quantitative', title: null },
            color: { field: 'series', type: 'nominal', title: 'series' },
            detail: { field: 'run' },
          },
        },
      ],
    },
    resolve: { scale: { y: 'independent', x: 'independent' } },
  },
};

const cellOf = (r: RunResult) => `${r.setup} · ${r.replicas}`;

function pointRows(run: RunResult) {
  const bucket = run.timeline!.bucketSeconds;
  return run.timeline!.buckets.flatMap((b) => {
    const base = { kind: 'point', cell: cellOf(run), run: run.id, t: b.t - bucket };
    const rows: (typeof base & { panel: string; series: string; value: number })[] = [
      { ...base, panel: PANELS[0], series: 'req/s', value: b.requests / bucket },
    ];
    if (b.p50Us !== null) rows.push({ ...base, panel: PANELS[1], series: 'p50', value: b.p50Us / 1000 });
    if (b.p99Us !== null) rows.push({ ...base, panel: PANELS[1], series: 'p99', value: b.p99Us / 1000 });
    if (b.cpuSeconds && b.requests > 0)
      rows.push({
        ...base,
        panel: PANELS[2],
        series: 'replica CPU',
        value: (b.cpuSeconds.replicas * 1e6) / b.requests,
      });
    return rows;
  });
}

function windowRows(run: RunResult) {
  const measured = run.timeline!.buckets.filter((b) => b.phase === 'measured');
  const first = measured[0];
  const last = measured[measured.length - 1];
  if (!first || !last) return [];
  const start = first.t - run.timeline!.bucketSeconds;
  return PANELS.map((panel) => ({ kind: 'window', cell: cellOf(run), panel, start, end: last.t }));
}

/** Rows for every run of the reported variant that has a timeline (files before schema 2 have none). */
export function runTimelineRows(results: Results): Record<string, unknown>[] {
  const runs = results.runs.filter(
    (r) => r.variant === reportedVariant(results) && r.timeline && !r.profiled,
  );
  return runs.flatMap((r) => [...windowRows(r), ...pointRows(r)]);
}
