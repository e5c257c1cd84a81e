/**
 * Sections 2-5: throughput, latency, CPU per request and replica share, each a
 * chart (when there is data) and the table of the numbers behind it.
 */
import { tierMeasured } from '../results/tiers.measured';
import { metric } from '../results/metrics.registry';
import { tierNames, type Results, type Summary } from '../results/results.schema';
import type { PreparedChart } from './charts.data';
import { fmtCi, fmtMs, fmtNumber, fmtPercent, fmtRps, fmtUs, NOT_MEASURED } from '../results/number.format';
import { table, text, type Block, type Section } from './report.model';
import { reportedSummaries } from './report.select';

type Charts = Map<string, PreparedChart>;

function chartBlock(charts: Charts, name: string): Block[] {
  const c = charts.get(name);
  return c ? [{ kind: 'chart', chart: c.ref }] : [text('No valid runs carry the data for this chart.')];
}

const key = (s: Summary) => [s.setup, String(s.replicas)];
const flaggedRows = (summaries: Summary[]) =>
  summaries.flatMap((s, i) => (s.validRuns < s.runIds.length ? [i] : []));
const runsCell = (s: Summary) => `${s.validRuns} of ${s.runIds.length}`;

export function throughputSection(results: Results, charts: Charts): Section {
  const summaries = reportedSummaries(results);
  return {
    id: 'throughput',
    title: 'Throughput against replica count',
    blocks: [
      ...chartBlock(charts, 'throughput'),
      table({
        head: [
          'setup',
          'replicas',
          'throughput (median [interval])',
          'efficiency',
          'run-to-run CV',
          'valid runs',
        ],
        align: ['left', 'right', 'right', 'right', 'right', 'right'],
        rows: summaries.map((s) => [
          ...key(s),
          s.validRuns > 0 ? fmtCi(s.metrics.throughputRps, fmtRps) : NOT_MEASURED,
          s.scalingEfficiency == null ? '–' : fmtPercent(s.scalingEfficiency),
          s.metrics.throughputRps?.cv == null ? '–' : fmtPercent(s.metrics.throughputRps.cv, 1),
          runsCell(s),
        ]),
        flagged: flaggedRows(summaries),
      }),
      ...sloBlocks(summaries),
    ],
  };
}

/**
 * The throughput-at-SLO search, when the plan asked for one: the highest probed
 * arrival rate whose p99 met the objective.
 */
function sloBlocks(summaries: Summary[]): Block[] {
  const searched = summaries.filter((s) => s.throughputAtSlo);
  if (searched.length === 0) return [];
  return [
    text(
      'Throughput at a latency objective: open-model probes at increasing arrival rates; the figure is the highest probed rate whose p99 met the objective with only 2xx answers (0 when none did).',
    ),
    table({
      head: [
        'setup',
        'replicas',
        'p99 objective',
        'highest rate meeting it',
        'probes met',
        'first probe that missed',
      ],
      align: ['left', 'right', 'right', 'right', 'right', 'left'],
      rows: searched.map((s) => {
        const slo = s.throughputAtSlo!;
        const missed = slo.probes.find((p) => !p.met);
        return [
          ...key(s),
          `${fmtNumber(slo.sloP99Ms, 1)} ms`,
          fmtRps(slo.ratePerSecond),
          `${slo.probes.filter((p) => p.met).length} of ${slo.probes.length}`,
          missed ? `${fmtRps(missed.ratePerSecond)}: ${missed.reason ?? 'missed'}` : '–',
        ];
      }),
    }),
  ];
}

export function latencySection(results: Results, charts: Charts): Section {
  const summaries = reportedSummaries(results);
  const ms = (s: Summary, m: 'p50Us' | 'p90Us' | 'p99Us' | 'p999Us') =>
    s.validRuns > 0 ? fmtCi(s.metrics[m], fmtMs) : NOT_MEASURED;
  return {
    id: 'latency',
    title: 'Latency',
    blocks: [
      ...chartBlock(charts, 'latency'),
      text(
        `Percentiles below are medians over repetitions of each run's own percentile, with their intervals; the chart uses the merged histogram, so its curve and these medians can differ slightly. Load model: ${results.plan.model}${results.plan.model === 'open' && results.plan.ratePerSecond ? ` at ${fmtNumber(results.plan.ratePerSecond)} arrivals per second (latency from the intended send time)` : ` with ${fmtNumber(results.plan.connections)} connections`}.`,
      ),
      table({
        head: ['setup', 'replicas', 'p50', 'p90', 'p99', 'p99.9'],
        align: ['left', 'right', 'right', 'right', 'right', 'right'],
        rows: summaries.map((s) => [
          ...key(s),
          ms(s, 'p50Us'),
          ms(s, 'p90Us'),
          ms(s, 'p99Us'),
          ms(s, 'p999Us'),
        ]),
        flagged: flaggedRows(summaries),
      }),
    ],
  };
}

export function cpuSection(results: Results, charts: Charts): Section {
  const summaries = reportedSummaries(results);
  return {
    id: 'cpu',
    title: 'CPU per request, by tier',
    blocks: [
      ...chartBlock(charts, 'cpu'),
      table({
        head: [
          'setup',
          'replicas',
          ...tierNames.map((t) => `${t} µs`),
          `${metric('cpuAllTiers').label} (median [interval])`,
        ],
        align: ['left', 'right', ...tierNames.map(() => 'right' as const), 'right'],
        rows: summaries.map((s) => [
          ...key(s),
          ...tierNames.map((t) =>
            s.cpuUsPerRequestByTier && tierMeasured(results.environment, t)
              ? fmtNumber(s.cpuUsPerRequestByTier[t] ?? 0, 1)
              : NOT_MEASURED,
          ),
          s.validRuns > 0 && s.metrics.cpuUsPerRequest && s.metrics.cpuUsPerRequest.n > 0
            ? fmtCi(s.metrics.cpuUsPerRequest, fmtUs)
            : NOT_MEASURED,
        ]),
        flagged: flaggedRows(summaries),
      }),
    ],
  };
}

export function shareSection(results: Results, charts: Charts): Section {
  const summaries = reportedSummaries(results);
  const shareText = (s: Summary) => {
    const entries = Object.entries(s.replicaShare);
    const total = entries.reduce((a, [, n]) => a + n, 0);
    if (total === 0) return NOT_MEASURED;
    return entries.map(([id, n]) => `${id} ${fmtPercent(n / total)}`).join(', ');
  };
  const busiest = (s: Summary) => {
    const counts = Object.values(s.replicaShare);
    const total = counts.reduce((a, b) => a + b, 0);
    return total === 0 ? '–' : fmtPercent(Math.max(...counts) / total);
  };
  return {
    id: 'share',
    title: 'Share of requests per replica',
    blocks: [
      ...chartBlock(charts, 'share'),
      table({
        head: ['setup', 'replicas', 'busiest replica', 'fair share', 'responses per replica'],
        align: ['left', 'right', 'right', 'right', 'left'],
        rows: summaries.map((s) => [...key(s), busiest(s), fmtPercent(1 / s.replicas), shareText(s)]),
        flagged: flaggedRows(summaries),
      }),
    ],
  };
}
