/**
 * What the report says about a delayed Redis hop (--store-rtt): per variant,
 * the round trip asked for, the mechanism that added it (netem or the
 * user-space proxy, and why), and the added round trip measured on it after
 * start-up (median over the variant's runs), so a reader sees both.
 */
import type { Results } from '../results/results.schema';
import { fmtNumber } from '../results/number.format';

export function storeHopLines(results: Results): string[] {
  const byVariant = new Map<string, NonNullable<Results['runs'][number]['storeHop']>[]>();
  for (const run of results.runs) {
    if (!run.storeHop) continue;
    byVariant.set(run.variant, [...(byVariant.get(run.variant) ?? []), run.storeHop]);
  }
  return [...byVariant].map(([variant, hops]) => {
    const added = hops.flatMap((h) => (h.measured ? [h.measured.addedMs] : [])).sort((a, b) => a - b);
    const median = added.length > 0 ? added[Math.floor(added.length / 2)] : undefined;
    const first = hops[0]!;
    const measured = median === undefined ? 'not measured' : `measured +${fmtNumber(median, 2)} ms`;
    return `${variant}: +${fmtNumber(first.askedMs, 2)} ms asked, by ${first.mechanism}, ${measured} (PING through the hop minus PING direct, ${added.length} run(s)); ${first.reason}`;
  });
}
