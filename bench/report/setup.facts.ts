/**
 * Facts per setup that both the comparison table and the recommendation use,
 * read from results.json only: throughput, scaling, CPU, latency at the
 * largest replica count, storage and revocation from the scenarios, and what
 * auth adds per request over the baseline setup (no auth) at the same
 * replica count.
 */
import { findSetup } from '../../infra/setups.data';
import type { MetricCi, Results, Summary } from '../results/results.schema';
import { findSummary, reportedReplicaCounts, reportedSetups, reportedVariant } from './report.select';

/** Measurement names the trade-off scenarios write (bench/scenarios), first match wins. */
export const SCENARIO_KEYS = {
  revocationMs: ['revocationTimeMaxMs'],
  acceptedAfterRevoke: ['requestsAcceptedAfterRevokeCount'],
  tokenTtlSeconds: ['tokenTtlSeconds'],
  bytesPerSession: ['bytesPerSession'],
  /** jwt-denylist stores an entry per logged-out token, not per logged-in user. */
  bytesPerRevokedToken: ['bytesPerRevokedToken'],
  credentialHeaderBytes: ['credentialHeaderBytesPerRequest'],
} as const;

/**
 * The first of `names` the measurements hold: its value (null = measured as not
 * measurable), or undefined when absent.
 */
export function measurement(
  measurements: Record<string, number | null>,
  names: readonly string[],
): number | null | undefined {
  const name = names.find((n) => n in measurements);
  return name === undefined ? undefined : (measurements[name] ?? null);
}

export interface Storage {
  bytes: number;
  /** Where the figure comes from, shown next to it. */
  source: 'scenario' | 'redis-keys' | 'design';
  /** When throughput runs disagree, their range. */
  range?: [number, number];
  /** What one entry stands for. */
  per: 'session' | 'revoked token';
}

export interface Revocation {
  /** null: the scenario ran but could not measure it here. */
  ms: number | null;
  acceptedAfter: number | null;
  /** Access-token lifetime the scenario ran with, when it set one. */
  tokenTtlSeconds: number | null;
  scenario: string;
}

/**
 * A setup's figure minus the baseline's at the same replica count. The
 * interval, where both summaries have one, is the conservative difference of
 * the two intervals' ends: [a.ciLow - b.ciHigh, a.ciHigh - b.ciLow].
 */
export interface Delta {
  median: number;
  /** Null when a side has no interval (one run, or a figure summarized without one). */
  interval: [number, number] | null;
}

/** What auth adds per request: this setup against the baseline setup (credential 'none'). */
export interface AuthCost {
  /** The replica count both were measured at (the largest they share). */
  replicas: number;
  /** Replica-tier CPU per request beyond the baseline's (medians of cpuUsPerRequestByTier: no interval). */
  replicaCpuUs: Delta | null;
  /** This setup's own replica CPU per request, the whole of which replicaCpuUs is a part. */
  replicaCpuTotalUs: number | null;
  /** Redis CPU per request (the baseline has no Redis, so all of it is auth's); null: no Redis in this setup. */
  redisCpuUs: number | null;
  /** CPU per request across all tiers beyond the baseline's, with its interval. */
  allTiersCpuUs: Delta | null;
  /** p50 latency added. */
  p50Us: Delta | null;
}

export interface SetupFacts {
  setup: string;
  /** The reference without auth (credential 'none'): not a way of keeping users logged in. */
  isBaseline: boolean;
  where: string;
  topReplicas: number;
  throughput: MetricCi | undefined;
  efficiency: number | null;
  cpuUs: MetricCi | undefined;
  p99Us: MetricCi | undefined;
  storage: Storage | null;
  /** Bytes of credential header (cookie or Authorization) each request carries, from the server-state scenario. */
  credentialBytes: number | null;
  revocation: Revocation | null;
  invalidRuns: number;
  /** Null for the baseline itself and when the results hold no valid baseline summary (see authCostState). */
  authCost: AuthCost | null;
}

/** Why a setup has no auth cost: no baseline in the results, or none at a replica count it shares. */
export type AuthCostState =
  'measured' | 'no-baseline' | 'baseline-invalid' | 'no-common-replicas' | 'is-baseline';

/** Where a setup keeps login state, read from its definition rather than its name. */
export function describeStorage(setupName: string): string {
  const def = findSetup(setupName);
  if (!def) return 'unknown setup (not in infra/setups.data.ts)';
  const env: Readonly<Record<string, string>> = def.appEnv;
  if (def.credential === 'bearer') {
    return env.REVOCATION === 'denylist'
      ? 'client (bearer token); Redis holds revoked token ids'
      : 'client only (bearer token); nothing on the server';
  }
  if (def.credential === 'hybrid') return 'client access token; refresh session in Redis';
  if (def.credential === 'none') return 'nowhere: no login (the baseline without auth)';
  return env.SESSION_STORE === 'redis'
    ? 'server: one shared Redis'
    : 'server: memory of the replica that created it';
}

/** Plain bearer tokens keep nothing on the server: zero by construction, shown as such rather than "not measured". */
function statelessByDesign(setupName: string): boolean {
  const def = findSetup(setupName);
  return def !== undefined && (def.credential === 'bearer' || def.credential === 'none') && !def.needsRedis;
}

export function isBaselineSetup(setupName: string): boolean {
  return findSetup(setupName)?.credential === 'none';
}

function validSummary(results: Results, setup: string, replicas: number): Summary | undefined {
  const s = findSummary(results, setup, replicas);
  return s && s.validRuns > 0 ? s : undefined;
}

export function deltaOf(a: MetricCi | undefined, b: MetricCi | undefined): Delta | null {
  if (!a || !b || a.n === 0 || b.n === 0) return null;
  const interval: [number, number] | null =
    a.n > 1 && b.n > 1 ? [a.ciLow - b.ciHigh, a.ciHigh - b.ciLow] : null;
  return { median: a.median - b.median, interval };
}

/** The baseline setup of these results, if one was measured with a valid run. */
function baselineOf(results: Results): string | undefined {
  const counts = reportedReplicaCounts(results);
  return reportedSetups(results).find(
    (s) => isBaselineSetup(s) && counts.some((n) => validSummary(results, s, n)),
  );
}

export function authCostState(results: Results, setup: string): AuthCostState {
  if (isBaselineSetup(setup)) return 'is-baseline';
  if (!baselineOf(results)) {
    const ran = results.runs.some((r) => r.variant === reportedVariant(results) && isBaselineSetup(r.setup));
    return ran ? 'baseline-invalid' : 'no-baseline';
  }
  return authCostOf(results, setup) ? 'measured' : 'no-common-replicas';
}

/** This setup against the baseline at the largest replica count where both have valid runs. */
export function authCostOf(results: Results, setup: string): AuthCost | null {
  const base = baselineOf(results);
  if (!base || isBaselineSetup(setup)) return null;
  const replicas = [...reportedReplicaCounts(results)]
    .reverse()
    .find((n) => validSummary(results, setup, n) && validSummary(results, base, n));
  if (replicas === undefined) return null;
  const a = validSummary(results, setup, replicas)!;
  const b = validSummary(results, base, replicas)!;
  const aReplica = a.cpuUsPerRequestByTier?.replicas;
  const bReplica = b.cpuUsPerRequestByTier?.replicas;
  return {
    replicas,
    replicaCpuUs:
      aReplica !== undefined && bReplica !== undefined
        ? { median: aReplica - bReplica, interval: null }
        : null,
    replicaCpuTotalUs: aReplica ?? null,
    redisCpuUs: findSetup(setup)?.needsRedis ? (a.cpuUsPerRequestByTier?.redis ?? null) : null,
    allTiersCpuUs: deltaOf(a.metrics.cpuUsPerRequest, b.metrics.cpuUsPerRequest),
    p50Us: deltaOf(a.metrics.p50Us, b.metrics.p50Us),
  };
}

function storageOf(results: Results, setup: string): Storage | null {
  for (const s of results.scenarios.filter((x) => x.setup === setup)) {
    const bytes = measurement(s.measurements, SCENARIO_KEYS.bytesPerSession);
    if (typeof bytes === 'number') return { bytes, source: 'scenario', per: 'session' };
    const revoked = measurement(s.measurements, SCENARIO_KEYS.bytesPerRevokedToken);
    if (typeof revoked === 'number') return { bytes: revoked, source: 'scenario', per: 'revoked token' };
  }
  const perKey = results.runs
    .filter(
      (r) =>
        r.variant === reportedVariant(results) &&
        r.setup === setup &&
        r.valid &&
        r.redis?.bytesPerKey != null,
    )
    .map((r) => r.redis!.bytesPerKey!);
  if (perKey.length === 0)
    return statelessByDesign(setup) ? { bytes: 0, source: 'design', per: 'session' } : null;
  const lo = Math.min(...perKey);
  const hi = Math.max(...perKey);
  return lo === hi
    ? { bytes: lo, source: 'redis-keys', per: 'session' }
    : { bytes: hi, source: 'redis-keys', range: [lo, hi], per: 'session' };
}

function firstMeasurement(results: Results, setup: string, names: readonly string[]): number | null {
  for (const s of results.scenarios.filter((x) => x.setup === setup)) {
    const v = measurement(s.measurements, names);
    if (typeof v === 'number') return v;
  }
  return null;
}

function revocationOf(results: Results, setup: string): Revocation | null {
  const s = results.scenarios.find(
    (x) => x.setup === setup && measurement(x.measurements, SCENARIO_KEYS.revocationMs) !== undefined,
  );
  if (!s) return null;
  return {
    ms: measurement(s.measurements, SCENARIO_KEYS.revocationMs) ?? null,
    acceptedAfter: measurement(s.measurements, SCENARIO_KEYS.acceptedAfterRevoke) ?? null,
    tokenTtlSeconds: measurement(s.measurements, SCENARIO_KEYS.tokenTtlSeconds) ?? null,
    scenario: s.scenario,
  };
}

export function setupFacts(results: Results): SetupFacts[] {
  const counts = reportedReplicaCounts(results);
  return reportedSetups(results).map((setup) => {
    const top =
      [...counts].reverse().find((n) => findSummary(results, setup, n)) ?? counts[counts.length - 1] ?? 1;
    const summary = findSummary(results, setup, top);
    const valid = summary && summary.validRuns > 0;
    return {
      setup,
      isBaseline: isBaselineSetup(setup),
      where: describeStorage(setup),
      topReplicas: top,
      throughput: valid ? summary.metrics.throughputRps : undefined,
      efficiency: summary?.scalingEfficiency ?? null,
      cpuUs: valid ? summary.metrics.cpuUsPerRequest : undefined,
      p99Us: valid ? summary.metrics.p99Us : undefined,
      storage: storageOf(results, setup),
      // The baseline sends no credential: zero by construction, like a stateless setup's storage.
      credentialBytes: isBaselineSetup(setup)
        ? 0
        : firstMeasurement(results, setup, SCENARIO_KEYS.credentialHeaderBytes),
      revocation: revocationOf(results, setup),
      invalidRuns: results.runs.filter(
        (r) => r.variant === reportedVariant(results) && r.setup === setup && !r.valid,
      ).length,
      authCost: authCostOf(results, setup),
    };
  });
}
