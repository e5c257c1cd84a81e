/**
 * The shipped profiles, as data. A profile is a complete plan; flags override
 * any field (plan.build.ts). Sizes are chosen for a 2-core machine with a
 * 0.25 CPU budget per replica:
 *  - quick: every setup at 1 and 2 replicas, one repetition, about 4 minutes
 *    (247 s on a 2-core EPYC VM: 14 runs, each warming 7-15 s, the first 2 s
 *    with the quota lifted, then a 5 s window that must pass the steadiness
 *    test; about 3.5 s per run go to start, argon2id logins and stop).
 *    Short windows: good for "does it work and roughly where", not for the
 *    headline.
 *  - full: 1, 2 and 4 replicas, three interleaved repetitions and longer
 *    windows, with the store setups again at 1 ms added on the Redis hop at 2
 *    replicas (72 runs; `--scenarios none` measured 1574 s on a 2-core EPYC VM
 *    on 2026-12-04, over the 20-minute goal), then every trade-off scenario
 *    (~15 minutes more). A full run answers every question of the README in
 *    one go, so it includes the scenarios. Three repetitions give a median
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
    // 2 s with the quota lifted, then the 5 buckets under it that the 10-bucket test takes before a 5 s window.
    warmupSeconds: 7,
    // A run not steady after 30 s is flagged and left out; quick is for "roughly where", not a soak.
    maxWarmupSeconds: 30,
    warmupRequestsPerReplica: 3000,
    relaxedWarmupSeconds: 2,
    durationSeconds: 5,
    repetitions: 1,
    mix: AUTH_READ_MIX,
    cpuPerReplica: 0.25,
    scenarios: [],
    sloP99Ms: null,
    storeRttsMs: [0],
    storeRttReplicas: null,
  },
  full: {
    profile: 'full',
    setups: [...SETUP_NAMES],
    replicas: [1, 2, 4],
    model: 'closed',
    connections: 8,
    connectionsPer: 'replica',
    ratePerSecond: null,
    // 2 s with the quota lifted, then the 2 buckets under it that the 10-bucket test takes before an 8 s window.
    warmupSeconds: 4,
    maxWarmupSeconds: 45,
    warmupRequestsPerReplica: 3000,
    relaxedWarmupSeconds: 2,
    // 10 s windows would add 2.4 minutes to a run already past 20 (see the header).
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
    // Every store setup (session-redis, jwt-denylist, hybrid) also with 1 ms added on the Redis hop, so the
    // report shows what a store that is not on the same box costs. At 2 replicas only: 9 more runs, about
    // 2.5 minutes (at every replica count it was 27 runs, and the throughput-only run passed 20 minutes).
    storeRttsMs: [0, 1],
    storeRttReplicas: [2],
  },
} as const satisfies Record<string, Plan>;

export type ProfileName = keyof typeof PROFILES;
export const PROFILE_NAMES = Object.keys(PROFILES) as ProfileName[];

/** A fresh, mutable copy (profiles themselves are never modified). */
export function profilePlan(name: ProfileName): Plan {
  return structuredClone(PROFILES[name]) as unknown as Plan;
}
