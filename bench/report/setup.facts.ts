/**
 * Facts per setup that both the comparison table and the recommendation use,
 * read from results.json only: throughput, scaling, CPU, latency at the
 * largest replica count, storage and revocation from the scenarios.
 */
import { findSetup } from '../../infra/setups.data';
import type { MetricCi, Results } from '../results/results.schema';
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

export interface SetupFacts {
  setup: string;
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
}

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
  return env.SESSION_STORE === 'redis'
    ? 'server: one shared Redis'
    : 'server: memory of the replica that created it';
}

/** Plain bearer tokens keep nothing on the server: zero by construction, shown as such rather than "not measured". */
function statelessByDesign(setupName: string): boolean {
  const def = findSetup(setupName);
  return def !== undefined && def.credential === 'bearer' && !def.needsRedis;
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
      where: describeStorage(setup),
      topReplicas: top,
      throughput: valid ? summary.metrics.throughputRps : undefined,
      efficiency: summary?.scalingEfficiency ?? null,
      cpuUs: valid ? summary.metrics.cpuUsPerRequest : undefined,
      p99Us: valid ? summary.metrics.p99Us : undefined,
      storage: storageOf(results, setup),
      credentialBytes: firstMeasurement(results, setup, SCENARIO_KEYS.credentialHeaderBytes),
      revocation: revocationOf(results, setup),
      invalidRuns: results.runs.filter(
        (r) => r.variant === reportedVariant(results) && r.setup === setup && !r.valid,
      ).length,
    };
  });
}
