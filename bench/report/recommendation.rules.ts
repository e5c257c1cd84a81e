/**
 * The one-line recommendation per setup and the overall advice, derived from
 * measured facts by explicit thresholds (data below), never pasted prose.
 */
import { MAX_PLAUSIBLE_EFFICIENCY } from '../results/warnings.derive';
import { fmtDurationMs, fmtNumber, fmtPercent, fmtRps, fmtUs } from '../results/number.format';
import type { SetupFacts } from './setup.facts';

export const RULES = {
  /** Scaling efficiency at the largest replica count. */
  nearLinear: 0.85,
  sublinear: 0.6,
  /** Revocation at or under this counts as "immediate" for the advice. */
  immediateRevokeMs: 1000,
};

/** A cell of one run has no interval: its median alone cannot tell it from another cell. */
const singleRun = (f: SetupFacts) => (f.throughput?.n ?? 0) < 2;

/** A tie that comes from a single-run cell, not from overlapping intervals: say so instead of "statistically". */
const tiedBySingleRun = (f: SetupFacts, tiedWith: SetupFacts[]) =>
  tiedWith.length > 0 && [f, ...tiedWith].some(singleRun);

/**
 * Two medians are "tied" when their intervals overlap, or when either cell is
 * one run: ranking single runs read as a recommendation built on noise (a
 * quick run once put jwt-denylist, which does strictly more work, ahead of jwt).
 */
function overlaps(a: SetupFacts, b: SetupFacts): boolean {
  if (!a.throughput || !b.throughput) return false;
  if (singleRun(a) || singleRun(b)) return true;
  return a.throughput.ciLow <= b.throughput.ciHigh && b.throughput.ciLow <= a.throughput.ciHigh;
}

/**
 * Ranks and "least CPU" compare ways of keeping users logged in: the
 * baseline (no auth) is the reference, never a contender.
 */
function byThroughput(facts: SetupFacts[]): SetupFacts[] {
  return facts
    .filter((f) => f.throughput && !f.isBaseline)
    .sort((a, b) => b.throughput!.median - a.throughput!.median);
}

/**
 * The one sentence on what auth adds, from the auth-cost row: replica CPU
 * beyond the baseline's as a part of the setup's own, plus Redis where the
 * setup has one. Null when the row has nothing measured for this setup.
 */
export function authCostSentence(f: SetupFacts): string | null {
  const c = f.authCost;
  if (!c?.replicaCpuUs || c.replicaCpuTotalUs === null) return null;
  const added = Math.max(0, c.replicaCpuUs.median);
  // Hybrid's reads never reach Redis (only refresh does): "plus 0.0 µs in Redis" would say nothing.
  const inRedis = c.redisCpuUs !== null && c.redisCpuUs >= 0.05;
  const redis = inRedis ? `, plus ${fmtUs(c.redisCpuUs!)} in Redis` : '';
  const share = c.replicaCpuTotalUs > 0 ? ` (${fmtPercent(added / c.replicaCpuTotalUs)})` : '';
  return `auth adds ${fmtUs(added)} of the ${fmtUs(c.replicaCpuTotalUs)} of replica CPU per request${share} at ${replicasText(c.replicas)}${redis}`;
}

const replicasText = (n: number) => `${n} replica${n === 1 ? '' : 's'}`;

/** Efficiency means something only past one replica, and only below its physical bound. */
const plausible = (f: SetupFacts) => f.efficiency === null || f.efficiency <= MAX_PLAUSIBLE_EFFICIENCY;
const scalingKnown = (f: SetupFacts) => f.efficiency !== null && f.topReplicas > 1 && plausible(f);

function scalingPhrase(f: SetupFacts): string {
  if (!plausible(f)) return 'scaling not judged (above 100% of linear: a symptom, see Warnings)';
  if (!scalingKnown(f)) return 'scaling not measured (one replica count)';
  const at = `${fmtPercent(f.efficiency!)} of linear at ${replicasText(f.topReplicas)}`;
  if (f.efficiency! >= RULES.nearLinear) return `scales near-linearly (${at})`;
  if (f.efficiency! >= RULES.sublinear) return `scales sub-linearly (${at})`;
  return `does not scale out (${at})`;
}

function revocationPhrase(f: SetupFacts): string {
  if (!f.revocation) return 'revocation not measured';
  if (f.revocation.ms === null) return 'revocation not measurable here';
  return f.revocation.ms <= RULES.immediateRevokeMs
    ? `revokes in ${fmtDurationMs(f.revocation.ms)}`
    : `logout takes ${fmtDurationMs(f.revocation.ms)} to bite`;
}

export function recommendationFor(f: SetupFacts, all: SetupFacts[]): string {
  if (f.invalidRuns > 0 && !f.throughput) return 'No valid runs: fix the setup before deciding.';
  if (!f.throughput) return 'Not measured.';
  if (f.isBaseline)
    return "The reference without auth (the framework's own cost): not a way to keep users logged in, so not ranked.";
  const ranked = byThroughput(all);
  const rank = ranked.indexOf(f) + 1;
  const tiedWith = ranked.filter((o) => o !== f && overlaps(o, f));
  const unseparated = tiedBySingleRun(f, tiedWith) ? ' (one run per cell cannot separate them)' : '';
  const parts = [
    `${tiedWith.length > 0 ? 'tied ' : ''}#${rank} of ${ranked.length} in req/s at ${replicasText(f.topReplicas)}${unseparated}`,
    scalingPhrase(f),
    revocationPhrase(f),
  ];
  let line = parts.join('; ');
  line = line.charAt(0).toUpperCase() + line.slice(1);
  const fast = f.revocation?.ms != null && f.revocation.ms <= RULES.immediateRevokeMs;
  const scales = !scalingKnown(f) || f.efficiency! >= RULES.sublinear;
  const advice = !scales
    ? 'avoid when scaling out'
    : fast
      ? 'fits when logout must take effect at once'
      : f.revocation?.ms != null
        ? `fits when a credential may outlive logout by ${fmtDurationMs(f.revocation.ms)}`
        : 'measure revocation before choosing it for logout-sensitive apps';
  const caveat = f.invalidRuns > 0 ? ` (${f.invalidRuns} invalid run(s) left out)` : '';
  const cost = authCostSentence(f);
  return `${line}: ${advice}${caveat}.${cost ? ` ${cost.charAt(0).toUpperCase()}${cost.slice(1)}.` : ''}`;
}

/** The spread of what auth adds across the setups, or what to run to know it. */
function authCostRange(all: SetupFacts[], ranked: SetupFacts[]): string {
  const costs = ranked
    .filter((f) => f.authCost?.replicaCpuUs)
    .sort((a, b) => a.authCost!.replicaCpuUs!.median - b.authCost!.replicaCpuUs!.median);
  const least = costs[0];
  const most = costs[costs.length - 1];
  if (!least || !most)
    return all.some((f) => f.isBaseline)
      ? 'What auth adds per request is not measured: no setup shares a replica count with the baseline.'
      : 'What auth adds per request is not measured: run with the baseline setup (no auth) beside the others.';
  const at = (f: SetupFacts) => `${fmtUs(Math.max(0, f.authCost!.replicaCpuUs!.median))} (${f.setup})`;
  return least === most
    ? `Beyond the baseline (no auth), ${authCostSentence(least)} (${least.setup}).`
    : `Beyond the baseline (no auth), auth adds from ${at(least)} to ${at(most)} of replica CPU per request.`;
}

/** Sentences for the paragraph under the table: who wins on what, in numbers. */
export function overallAdvice(all: SetupFacts[]): string[] {
  const ranked = byThroughput(all);
  const best = ranked[0];
  if (!best) return ['No setup has a valid throughput summary, so there is nothing to recommend yet.'];
  const out: string[] = [];
  const tied = ranked.filter((o) => o !== best && overlaps(o, best));
  const ties =
    tied.length === 0
      ? ''
      : tiedBySingleRun(best, tied)
        ? `, not separable from ${tied.map((o) => o.setup).join(', ')} on one run per cell`
        : `, statistically tied with ${tied.map((o) => o.setup).join(', ')}`;
  out.push(
    `Most throughput at ${replicasText(best.topReplicas)}: ${best.setup} (${fmtRps(best.throughput!.median)})${ties}.`,
  );
  const cheapest = all
    .filter((f) => f.cpuUs && !f.isBaseline)
    .sort((a, b) => a.cpuUs!.median - b.cpuUs!.median)[0];
  if (cheapest)
    out.push(`Least CPU per request: ${cheapest.setup} (${fmtUs(cheapest.cpuUs!.median)} across all tiers).`);
  out.push(authCostRange(all, ranked));
  const revocable = ranked.filter(
    (f) => f.revocation?.ms != null && f.revocation.ms <= RULES.immediateRevokeMs,
  );
  if (revocable[0]) {
    const r = revocable[0];
    out.push(
      `If logout must take effect within ${fmtDurationMs(RULES.immediateRevokeMs)}: ${r.setup} gives the most throughput among setups that revoke that fast (${fmtRps(r.throughput!.median)}, revoked in ${fmtDurationMs(r.revocation!.ms!)}).`,
    );
  } else {
    out.push(
      'No setup has a measured revocation time here: run the trade-off scenarios (full profile) before choosing for logout-sensitive apps.',
    );
  }
  const poor = all.filter((f) => !f.isBaseline && scalingKnown(f) && f.efficiency! < RULES.sublinear);
  if (poor.length > 0) {
    out.push(
      `Does not scale out: ${poor.map((f) => `${f.setup} (${fmtPercent(f.efficiency!)} of linear at ${replicasText(f.topReplicas)})`).join(', ')}; the share-per-replica chart shows why.`,
    );
  }
  const fewest = Math.min(...ranked.map((f) => f.throughput!.n));
  if (fewest < 3) {
    out.push(
      `These ranks rest on as few as ${fewest} run(s) per cell: treat them as indicative; the full profile (3 repetitions) or 6+ repetitions give real intervals.`,
    );
  }
  out.push(
    `Thresholds: near-linear >= ${fmtNumber(RULES.nearLinear * 100)}% of linear, sub-linear >= ${fmtNumber(RULES.sublinear * 100)}%; "tied" means overlapping intervals, or a cell of one run.`,
  );
  return out;
}
