/**
 * Section 1: the seed comparison (docs/seed-comparison.md: Storage, Scalability, Revocation,
 * Use case) as one table with a column per setup and measured values in the
 * cells.
 */
import { MAX_PLAUSIBLE_EFFICIENCY } from '../results/warnings.derive';
import { metric } from '../results/metrics.registry';
import type { Results } from '../results/results.schema';
import { overallAdvice, recommendationFor } from './recommendation.rules';
import {
  fmtBytes,
  fmtCi,
  fmtDurationMs,
  fmtMs,
  fmtNumber,
  fmtPercent,
  fmtRps,
  fmtUs,
  NOT_MEASURED,
} from '../results/number.format';
import { list, table, text, type Section } from './report.model';
import { findSummary, reportedReplicaCounts, reportedVariant } from './report.select';
import { authCostState, setupFacts, type Delta, type SetupFacts } from './setup.facts';
import { scaleInCell, scaleOutCell } from './scaling.cells';

const MILLION = 1_000_000;

function storageCell(f: SetupFacts): string {
  if (!f.storage) return NOT_MEASURED;
  if (f.storage.source === 'design') return '0 B by design (no server-side store)';
  const source =
    f.storage.source === 'scenario' ? 'server-state scenario' : 'Redis MEMORY USAGE per key, throughput runs';
  const value = f.storage.range
    ? `${fmtBytes(f.storage.range[0])}–${fmtBytes(f.storage.range[1])}`
    : fmtBytes(f.storage.bytes);
  return `${value}${f.storage.per === 'session' ? '' : ` per ${f.storage.per}`} (${source})`;
}

function perMillionCell(f: SetupFacts): string {
  if (!f.storage) return NOT_MEASURED;
  if (f.storage.bytes === 0) return '0 B';
  return `${fmtBytes(f.storage.bytes * MILLION)}${f.storage.per === 'session' ? '' : ` per million ${f.storage.per}s`}`;
}

function revocationCell(f: SetupFacts): string {
  if (f.isBaseline) return 'not applicable (no login)';
  if (!f.revocation) return NOT_MEASURED;
  if (f.revocation.ms === null) return `not measurable here (${f.revocation.scenario} scenario)`;
  const after =
    f.revocation.acceptedAfter === null
      ? ''
      : `; ${fmtNumber(f.revocation.acceptedAfter)} requests accepted after logout`;
  const ttl =
    f.revocation.tokenTtlSeconds === null
      ? ''
      : ` (token lifetime ${fmtNumber(f.revocation.tokenTtlSeconds)} s)`;
  return `${fmtDurationMs(f.revocation.ms)}${ttl}${after}`;
}

export const AUTH_COST_NO_BASELINE = 'not measured (run with the baseline setup)';

/** "+1.2 µs" or "−0.3 ms": a difference always shows its sign. */
const signed = (x: number, format: (x: number) => string) => (x < 0 ? `−${format(-x)}` : `+${format(x)}`);

/** A signed difference with its interval in brackets, or why it has none. */
function fmtDelta(d: Delta | null, format: (x: number) => string): string {
  if (!d) return NOT_MEASURED;
  return d.interval
    ? `${signed(d.median, format)} [${signed(d.interval[0], format)}, ${signed(d.interval[1], format)}]`
    : `${signed(d.median, format)} (1 run: no interval)`;
}

function authCostCell(results: Results, f: SetupFacts): string {
  const state = authCostState(results, f.setup);
  if (state === 'is-baseline') {
    const s = findSummary(results, f.setup, f.topReplicas);
    const cpu = s?.cpuUsPerRequestByTier?.replicas;
    return `the reference${cpu === undefined ? '' : `: ${fmtUs(cpu)} replica CPU per request`} at ${f.topReplicas} replica${f.topReplicas > 1 ? 's' : ''}`;
  }
  if (state === 'no-baseline') return AUTH_COST_NO_BASELINE;
  if (state === 'baseline-invalid') return 'not measured (the baseline setup has no valid run: see Warnings)';
  const c = f.authCost;
  if (!c) return 'not measured (no baseline run at the same replica count)';
  const replica = c.replicaCpuUs
    ? `replica CPU ${signed(c.replicaCpuUs.median, fmtUs)} per request${c.replicaCpuTotalUs === null ? '' : ` (of ${fmtUs(c.replicaCpuTotalUs)})`}`
    : `replica CPU ${NOT_MEASURED}`;
  const redis = c.redisCpuUs === null ? 'no Redis' : `Redis CPU ${fmtUs(c.redisCpuUs)} per request`;
  return [
    replica,
    redis,
    `all tiers ${fmtDelta(c.allTiersCpuUs, fmtUs)}`,
    `p50 ${fmtDelta(c.p50Us, fmtMs)}`,
    `at ${c.replicas} replica${c.replicas > 1 ? 's' : ''}`,
  ].join('; ');
}

/**
 * The Redis hop the table's runs had (bench --store-rtt): a store two racks
 * away changes the scalability rows, so the table says which one they measured.
 */
export function storeHopSentence(results: Results): string {
  const variant = reportedVariant(results);
  const hops = results.runs.filter((r) => r.variant === variant && r.storeHop).map((r) => r.storeHop!);
  const first = hops[0];
  if (!first || first.askedMs === 0)
    return 'The Redis hop of these runs had no added round trip (replicas and Redis on one machine).';
  const added = first.measured ? `${first.measured.addedMs.toFixed(2)} ms measured` : 'not measured';
  return `The Redis hop of these runs had ${first.askedMs} ms of round trip added (${first.mechanism}, ${added}); see "Environment and budgets".`;
}

export function seedTableSection(results: Results): Section {
  const facts = setupFacts(results);
  const counts = reportedReplicaCounts(results);
  const row = (label: string, cell: (f: SetupFacts) => string) => [label, ...facts.map(cell)];
  const rows: string[][] = [
    row('Storage: where login state lives', (f) => f.where),
    row('Storage: server-side bytes per session', storageCell),
    row('Storage: per million users (bytes per session × 10⁶)', perMillionCell),
    row('Storage: client credential bytes sent with every request', (f) =>
      f.credentialBytes === null ? NOT_MEASURED : fmtBytes(f.credentialBytes),
    ),
    ...counts.map((n) =>
      row(`Scalability: throughput, ${n} replica${n > 1 ? 's' : ''}`, (f) => {
        const s = findSummary(results, f.setup, n);
        return s && s.validRuns > 0 ? fmtCi(s.metrics.throughputRps, fmtRps) : NOT_MEASURED;
      }),
    ),
    ...counts
      .filter((n) => n > 1)
      .map((n) =>
        row(`Scalability: efficiency, ${n} replicas`, (f) => {
          const e = findSummary(results, f.setup, n)?.scalingEfficiency;
          if (e == null) return NOT_MEASURED;
          return e > MAX_PLAUSIBLE_EFFICIENCY ? `${fmtPercent(e)} (impossible: see Warnings)` : fmtPercent(e);
        }),
      ),
    row('Scalability: replicas added under load (scale-out scenario)', (f) =>
      f.isBaseline ? 'not applicable (no login)' : scaleOutCell(results, f.setup),
    ),
    row('Scalability: a replica removed under load (scale-in scenario)', (f) =>
      f.isBaseline ? 'not applicable (no login)' : scaleInCell(results, f.setup),
    ),
    row(`Cost: ${metric('cpuAllTiers').label}, largest replica count`, (f) =>
      f.cpuUs ? fmtCi(f.cpuUs, fmtUs) : NOT_MEASURED,
    ),
    row('Cost: p99 latency, largest replica count', (f) => (f.p99Us ? fmtCi(f.p99Us, fmtMs) : NOT_MEASURED)),
    row('Cost: what auth adds per request (beyond the baseline, same replica count)', (f) =>
      authCostCell(results, f),
    ),
    row('Revocation: time until a logged-out credential is refused', revocationCell),
    row('Use case: recommendation from these numbers', (f) => recommendationFor(f, facts)),
  ];
  return {
    id: 'comparison',
    title: 'The seed comparison, measured',
    blocks: [
      text(
        "The explainer this project grew from (docs/seed-comparison.md) compares sessions and tokens on storage, scalability, revocation and use case in words. This table has the same rows with what this run measured; brackets hold the distribution-free interval the bench computed for the median over repetitions (ciLow–ciHigh in results.json; with few repetitions it is simply the min–max range), and efficiency is throughput at N replicas divided by N times the 1-replica throughput. \"What auth adds\" is the setup's median minus the baseline setup's (no auth) at the largest replica count both ran; its brackets are conservative, the setup's interval ends minus the baseline's opposite ends ([a.ciLow − b.ciHigh, a.ciHigh − b.ciLow]); replica and Redis CPU per tier are summarized as medians without an interval.",
      ),
      text(storeHopSentence(results)),
      table({
        head: ['Property', ...facts.map((f) => f.setup)],
        rows,
        align: ['left', ...facts.map(() => 'left' as const)],
      }),
      list(overallAdvice(facts)),
    ],
  };
}
