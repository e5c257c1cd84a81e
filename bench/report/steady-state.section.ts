/**
 * "Warm-up and steady state": every throughput run over time (the chart) and
 * a table with each run's warm-up, the windows it tried, the steadiness test
 * its window had to pass, how its window drifted, and the verdict that
 * decided whether its figures entered the summaries.
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

type TestFigures = NonNullable<RunResult['steadyState']>['atOpen']['throughput'];

/** Trend (against its limit, when the file has one) / spread. */
const trendCell = (t: TestFigures) =>
  `${pct(t.trend)}${t.limit === null ? '' : ` (≤ ${pct(t.limit)})`} / ${pct(t.spread)}`;

/** The trend limit in words: fixed in files written before it followed the buckets' noise. */
function trendRuleText(rule: NonNullable<RunResult['steadyState']>['rule']): string {
  const floor = fmtPercent(rule.maxTrend);
  if (rule.trendSigmas === null || rule.maxTrendCeiling === null) return `by less than ${floor}`;
  return `by less than ${floor}, or ${fmtNumber(rule.trendSigmas)} standard errors of the buckets' own noise when that is wider (at most ${fmtPercent(rule.maxTrendCeiling)})`;
}

function row(r: RunResult): string[] {
  const s = r.steadyState!;
  const warm = Object.entries(s.warmupRequestsByReplica)
    .map(([id, n]) => `${id} ${fmtNumber(n)}`)
    .join(', ');
  // Files from before windows could be retried carry only the test at the window's opening.
  const test = s.atClose ?? s.atOpen;
  return [
    r.id,
    `${fmtNumber(s.warmupSeconds, 1)} s`,
    s.windowsTried === null ? '–' : fmtNumber(s.windowsTried),
    warm || '–',
    trendCell(test.throughput),
    test.cpu ? trendCell(test.cpu) : '–',
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
        `A run's figures count once it is steady. A window may open after at least ${fmtNumber(results.plan.warmupSeconds)} s of warm-up and ${fmtNumber(results.plan.warmupRequestsPerReplica)} requests per replica that takes traffic. When it closes, the means of the two halves of the last ${rule.windowBuckets} timeline buckets, the window's among them, must differ ${trendRuleText(rule)}, for throughput and for replica CPU per request, with no bucket far off (spread below ${fmtPercent(rule.maxSpread)}), and the window's own halves by at most ${fmtPercent(rule.maxWindowDrift)}, or three standard errors of the buckets' noise when that is wider. A window that fails becomes warm-up and the next one opens, until ${results.plan.maxWarmupSeconds === null ? 'the minimum' : `${fmtNumber(results.plan.maxWarmupSeconds)} s`} of warm-up. Runs with no window that passed are flagged and left out of every summary, chart of medians, ranking and the gate. (Profiled and sharded runs cannot retry a window: theirs opens only after the test passes over warm-up buckets alone.)`,
      ),
      table({
        head: [
          'run',
          'warm-up',
          'windows tried',
          'warm-up requests',
          'req/s trend (limit) / spread (test)',
          'CPU/req trend (limit) / spread (test)',
          'window drift req/s / CPU/req',
          'verdict',
        ],
        align: ['left', 'right', 'right', 'left', 'right', 'right', 'right', 'left'],
        rows: runs.map(row),
        flagged: unsteady,
      }),
    ],
  };
}
