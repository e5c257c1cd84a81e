/**
 * Facts per setup that both the comparison table and the recommendation use,
 * read from results.json only: throughput, scaling, CPU, latency at the
 * largest replica count, storage and revocation from the scenarios.
 */
import { findSetup } from '../../infra/setups.data';
import type { MetricCi, Results } from '../results/results.schema';
import { findSummary, reportedReplicaCounts, reportedSetups } from './report.select';

/** Measurement names the trade-off scenarios write (see scenarioResultSchema). */
export const SCENARIO_KEYS = {
  revokeAfterMs: 'revokeAfterMs',
  requestsAcceptedAfterRevoke: 'requestsAcceptedAfterRevoke',
  bytesPerSession: 'bytesPerSession',
} as const;

export interface Storage {
  bytes: number;
  /** Where the figure comes from, shown next to it. */
  source: 'scenario' | 'redis-keys';
  /** When throughput runs disagree, their range. */
  range?: [number, number];
}

export interface Revocation {
  /** null: the scenario ran but could not measure it here. */
  ms: number | null;
  acceptedAfter: number | null;
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
  revocation: Revocation | null;
  invalidRuns: number;
}

/** Where a setup keeps login state, read from its definition rather than its name. */
export function describeStorage(setupName: string): string {
  const def = findSetup(setupName);
  if (!def) return 'unknown setup (not in infra/setups.data.ts)';
  const env: Readonly<Record<string, string>> = def.appEnv;
  if (def.credential === 'bearer') {
    return env.REVOCATION === 'denylist' ? 'client (bearer token); Redis holds revoked token ids' : 'client only (bearer token); nothing on the server';
  }
  if (def.credential === 'hybrid') return 'client access token; refresh session in Redis';
  return env.SESSION_STORE === 'redis' ? 'server: one shared Redis' : 'server: memory of the replica that created it';
}

function storageOf(results: Results, setup: string): Storage | null {
  const fromScenario = results.scenarios.find((s) => s.setup === setup && typeof s.measurements[SCENARIO_KEYS.bytesPerSession] === 'number');
  if (fromScenario) return { bytes: fromScenario.measurements[SCENARIO_KEYS.bytesPerSession]!, source: 'scenario' };
  const perKey = results.runs
    .filter((r) => r.setup === setup && r.valid && r.redis?.bytesPerKey != null)
    .map((r) => r.redis!.bytesPerKey!);
  if (perKey.length === 0) return null;
  const lo = Math.min(...perKey);
  const hi = Math.max(...perKey);
  return lo === hi ? { bytes: lo, source: 'redis-keys' } : { bytes: hi, source: 'redis-keys', range: [lo, hi] };
}

function revocationOf(results: Results, setup: string): Revocation | null {
  const s = results.scenarios.find((x) => x.setup === setup && SCENARIO_KEYS.revokeAfterMs in x.measurements);
  if (!s) return null;
  return {
    ms: s.measurements[SCENARIO_KEYS.revokeAfterMs] ?? null,
    acceptedAfter: s.measurements[SCENARIO_KEYS.requestsAcceptedAfterRevoke] ?? null,
    scenario: s.scenario,
  };
}

export function setupFacts(results: Results): SetupFacts[] {
  const counts = reportedReplicaCounts(results);
  return reportedSetups(results).map((setup) => {
    const top = [...counts].reverse().find((n) => findSummary(results, setup, n)) ?? counts[counts.length - 1] ?? 1;
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
      revocation: revocationOf(results, setup),
      invalidRuns: results.runs.filter((r) => r.setup === setup && !r.valid).length,
    };
  });
}
