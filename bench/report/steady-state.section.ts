/**
 * "Warm-up and steady state": every throughput run over time (the chart) and
 * a table with each run's warm-up, the steadiness test when its window
 * opened, how its window drifted, and the verdict that decided whether its
 * figures entered the summaries.
 */
import { fmtNumber, fmtPercent } from '../results/number.format';
import type { Results, RunResult } from '../results/results.schema';
import type { PreparedChart } from './charts.data';
import { table, text, type Section } from './report.model';
import { reportedVariant } from './report.select';
import { RUN_TIMELINE_CHART } from './run-timeline.chart';

const VERDICT_TEXT: Record<NonNullable<RunResult['steadyState']>['verdict'], string> = {
  flat: 'steady (flat)',
  warmup: 'steady after warm-up',
  slowdown: 'SLOWDOWN in window',
  'no-steady-state': 'NO STEADY STATE',
  unchecked: 'not checked',
};

const pct = (x: number | null | undefined) => (x == null || !Number.isFinite(x) ? '–' : fmtPercent(x, 1));
const signed = (x: number | null) => (x === null ? '–' : `${x > 0 ? '+' : ''}${pct(x)}`);

function row(r: RunResult): string[] {
  const s = r.steadyState!;
  const warm = Object.entries(s.warmupRequestsByReplica)
    .map(([id, n]) => `${id} ${fmtNumber(n)}`)
    .join(', ');
  return [
    r.id,
    `${fmtNumber(s.warmupSeconds, 1)} s`,
    warm || '–',
    `${pct(s.atOpen.throughput.trend)} / ${pct(s.atOpen.throughput.spread)}`,
    s.atOpen.cpu ? `${pct(s.atOpen.cpu.trend)} / ${pct(s.atOpen.cpu.spread)}` : '–',
    `${signed(s.windowDrift.throughput)} / ${signed(s.windowDrift.cpuPerRequest)}`,
    VERDICT_TEXT[s.verdict],
  ];
}

export function steadyStateSection(results: Results, charts: Map<string, PreparedChart>): Section {
  const runs = results.runs.filter((r) => r.variant === reportedVariant(results) && r.steadyState);
  const chart = charts.get(RUN_TIMELINE_CHART);
  if (runs.length === 0)
    return {
      id: 'steady-state',
      title: 'Warm-up and steady state',
      blocks: [
        text(
          'This results file has no timelines (written before schema 2): its runs were not checked for a steady state.',
        ),
      ],
    };
  const rule = runs[0]!.steadyState!.rule;
  const unsteady = runs.flatMap((r, i) =>
    r.steadyState!.verdict === 'slowdown' || r.steadyState!.verdict === 'no-steady-state' ? [i] : [],
  );
  return {
    id: 'steady-state',
    title: 'Warm-up and steady state',
    blocks: [
      ...(chart ? [{ kind: 'chart' as const, chart: chart.ref }] : []),
      text(
        `A run is measured once it is steady: after at least ${fmtNumber(results.plan.warmupSeconds)} s of warm-up and ${fmtNumber(results.plan.warmupRequestsPerReplica)} requests per replica that takes traffic, the means of the two halves of the last ${rule.windowBuckets} timeline buckets must differ by less than ${fmtPercent(rule.maxTrend)}, for throughput and for replica CPU per request, with no bucket far off (spread below ${fmtPercent(rule.maxSpread)}); the warm-up ends at ${results.plan.maxWarmupSeconds === null ? 'the minimum' : `${fmtNumber(results.plan.maxWarmupSeconds)} s`} at the latest. The window is then checked again: its halves may differ by at most ${fmtPercent(rule.maxWindowDrift)}, or three standard errors of the buckets' noise when that is wider. Runs that fail either test are flagged and left out of every summary, chart of medians, ranking and the gate.`,
      ),
      table({
        head: [
          'run',
          'warm-up',
          'warm-up requests',
          'req/s trend / spread at open',
          'CPU/req trend / spread at open',
          'window drift req/s / CPU/req',
          'verdict',
        ],
        align: ['left', 'right', 'left', 'right', 'right', 'right', 'left'],
        rows: runs.map(row),
        flagged: unsteady,
      }),
    ],
  };
}
