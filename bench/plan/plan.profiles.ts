/**
 * The shipped profiles, as data. A profile is a complete plan; flags override
 * any field (plan.build.ts). Sizes are chosen for a 2-core machine with a
 * 0.25 CPU budget per replica:
 *  - quick: every setup at 1 and 2 replicas, one repetition, ~4 minutes at
 *    most (CI runs it; measured 176 s here: 12 runs of ~7.7 s set-up + 7 s).
 *    Short windows: good for "does it work and roughly where", not for the
 *    headline.
 *  - full: 1, 2 and 4 replicas, three interleaved repetitions and longer
 *    windows (~18 minutes of throughput runs), then every trade-off scenario
 *    (~15 minutes more). A full run answers every question of the README in
 *    one go, so it includes the scenarios; `--scenarios none` gives the
 *    throughput-only run of about 20 minutes. Three repetitions give a median
 *    with a min-max range; use --repetitions 6 or more for a real 95% interval.
 */
import { SETUP_NAMES } from '../../infra/setups.data';
import type { Plan } from '../results/results.schema';

/** Authenticated small read: the request whose cost is the auth mechanism itself. */
const AUTH_READ_MIX: Plan['mix'] = [{ path: '/api/me', weight: 1 }];

export const PROFILES = {
  quick: {
    profile: 'quick',
    setups: [...SETUP_NAMES],
    replicas: [1, 2],
    model: 'closed',
    connections: 8,
    connectionsPer: 'replica',
    ratePerSecond: null,
    warmupSeconds: 5,
    maxWarmupSeconds: 45,
    warmupRequestsPerReplica: 3000,
    relaxedWarmupSeconds: 0,
    durationSeconds: 5,
    repetitions: 1,
    mix: AUTH_READ_MIX,
    cpuPerReplica: 0.25,
    scenarios: [],
    sloP99Ms: null,
  },
  full: {
    profile: 'full',
    setups: [...SETUP_NAMES],
    replicas: [1, 2, 4],
    model: 'closed',
    connections: 8,
    connectionsPer: 'replica',
    ratePerSecond: null,
    warmupSeconds: 5,
    maxWarmupSeconds: 60,
    warmupRequestsPerReplica: 3000,
    relaxedWarmupSeconds: 0,
    // 54 runs x (~8 s start/login/stop + 11 s) is about 18 minutes: 10 s windows would not fit in 20.
    durationSeconds: 8,
    repetitions: 3,
    mix: AUTH_READ_MIX,
    cpuPerReplica: 0.25,
    // The trade-off scenarios of bench/scenarios/README.md, about 15 minutes at full
    // size; names are checked against bench/scenarios/scenarios.data.ts when the plan is built.
    scenarios: [
      'revocation',
      'replica-loss',
      'replica-restart',
      'store-outage',
      'server-state',
      'login-storm',
      'scale-out',
      'scale-in',
    ],
    sloP99Ms: null,
  },
} as const satisfies Record<string, Plan>;

export type ProfileName = keyof typeof PROFILES;
export const PROFILE_NAMES = Object.keys(PROFILES) as ProfileName[];

/** A fresh, mutable copy (profiles themselves are never modified). */
export function profilePlan(name: ProfileName): Plan {
  return structuredClone(PROFILES[name]) as unknown as Plan;
}
