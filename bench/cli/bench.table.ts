/**
 * The compact table printed on stderr at the end of a bench job: one line per
 * summary cell, medians with their interval where it matters, so the answer
 * is readable without opening the report.
 */
import { tierMeasured } from '../results/tiers.measured';
import { tierNames, type Tier } from '../results/results.schema';
import type { Results } from '../results/results.schema';

const ms = (us: number) => (us / 1000).toFixed(2);

/** Column names of the per-tier CPU figures, in tierNames order. */
const TIER_SHORT: Record<Tier, string> = {
  replicas: 'replicas',
  nginx: 'nginx',
  redis: 'redis',
  'store-delay': 'delay',
  generator: 'gen',
};

export function renderSummaryTable(results: Results): string {
  const header = [
    'variant',
    'setup',
    'replicas',
    'req/s (CI)',
    'p50 ms',
    'p99 ms',
    'replica CPU us/req',
    'all tiers us/req',
    `${tierNames.map((t) => TIER_SHORT[t]).join('/')} us`,
    'scaling',
    'runs',
  ];
  const withSlo = results.summaries.some((s) => s.throughputAtSlo);
  if (withSlo) header.push(`req/s at p99<=${results.plan.sloP99Ms}ms`);
  const measured = (t: Tier) => tierMeasured(results.environment, t);
  const rows = results.summaries.map((s) => {
    const t = s.metrics.throughputRps;
    const tiers = s.cpuUsPerRequestByTier;
    return [
      s.variant,
      s.setup,
      String(s.replicas),
      `${t.median.toFixed(0)} (${t.ciLow.toFixed(0)}-${t.ciHigh.toFixed(0)})`,
      ms(s.metrics.p50Us.median),
      ms(s.metrics.p99Us.median),
      tiers && measured('replicas') ? tiers.replicas.toFixed(0) : '-',
      s.metrics.cpuUsPerRequest.n > 0 ? s.metrics.cpuUsPerRequest.median.toFixed(0) : '-',
      tiers ? tierNames.map((t) => (measured(t) ? tiers[t].toFixed(0) : '-')).join('/') : '-',
      s.scalingEfficiency === null ? '-' : s.scalingEfficiency.toFixed(2),
      `${s.validRuns}/${s.runIds.length}`,
      ...(withSlo ? [s.throughputAtSlo ? String(s.throughputAtSlo.ratePerSecond) : '-'] : []),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const out = [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
  if (results.warnings.length > 0)
    out.push('', ...results.warnings.map((w) => `warning (${w.code}): ${w.message}`));
  return `${out.join('\n')}\n`;
}
