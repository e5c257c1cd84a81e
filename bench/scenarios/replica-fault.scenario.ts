/**
 * Replica loss (SIGKILL) and replica restart: users run their loops through
 * nginx; mid-run the harness kills or restarts the replica that holds the
 * most sessions (chosen from the login responses' x-replica, so ip_hash's
 * "everyone on one replica" shows as it is). Users answered 401 log in again;
 * those forced re-logins are the sessions the fault destroyed.
 */
import type { SetupDefinition } from '../../infra/setups.data';
import type { VirtualUser } from '../client/virtual-user';
import { keepAliveAgent } from './driver/http.client';
import { buildTimeline, countByOutcome, isOk, Recorder, type Sample } from './driver/recorder';
import { sleepUntil } from './driver/user-loop';
import {
  check,
  type Check,
  type Outcome,
  type ScenarioImplementation,
  type TargetRun,
} from './scenario.runner';
import { loginUsers, userLoad } from './scenario.users';
import type { ReplicaFaultParams } from './scenarios.data';

/** Sessions kept in each replica's memory die with it; shared stores and tokens do not. */
export function sessionsLiveInReplicas(setup: SetupDefinition): boolean {
  return setup.credential === 'cookie' && setup.appEnv.SESSION_STORE === 'memory';
}

/** The replica most users logged in on (ties: the first). */
export function busiestReplica(users: readonly VirtualUser[], replicaIds: readonly string[]): string {
  const counts = new Map(replicaIds.map((id) => [id, 0]));
  for (const u of users)
    if (u.loginReplica && counts.has(u.loginReplica))
      counts.set(u.loginReplica, counts.get(u.loginReplica)! + 1);
  let best = replicaIds[0] ?? 'r0';
  for (const [id, n] of counts) if (n > (counts.get(best) ?? 0)) best = id;
  return best;
}

export type Fault = 'kill' | 'restart';

/** What one fault run observed, besides its requests. */
export interface FaultObservation {
  fault: Fault;
  userCount: number;
  victim: string;
  /** Indexes of the users whose login was answered by the victim. */
  onVictim: ReadonlySet<number>;
  faultAtMs: number;
  /** When the kill returned, or the restarted replica was ready again. */
  faultDoneMs: number;
  injected: Outcome['injected'];
}

/** Kills or restarts the victim at faultAtMs; records what it did in `observed`. */
async function injectFault(run: TargetRun, rec: Recorder, observed: FaultObservation): Promise<void> {
  const { fault, victim } = observed;
  await sleepUntil(observed.faultAtMs, () => rec.now(), run.signal);
  if (run.signal.aborted) return;
  observed.injected.push({
    atSeconds: rec.now() / 1000,
    what: fault === 'kill' ? `SIGKILL ${victim}` : `restart ${victim}`,
  });
  if (fault === 'kill') {
    await run.topology.killReplica(victim, 'SIGKILL');
    observed.faultDoneMs = rec.now();
  } else {
    await run.topology.restartReplica(victim);
    observed.faultDoneMs = rec.now();
    observed.injected.push({ atSeconds: observed.faultDoneMs / 1000, what: `${victim} ready again` });
  }
}

function replicaFault<N extends 'replica-loss' | 'replica-restart'>(fault: Fault): ScenarioImplementation<N> {
  return {
    async run(run: TargetRun, params: ReplicaFaultParams): Promise<Outcome> {
      const users = await loginUsers(run, params.users, 2000);
      const victim = busiestReplica(
        users,
        run.topology.replicas.map((r) => r.id),
      );
      const onVictim = new Set(users.filter((u) => u.loginReplica === victim).map((u) => u.index));
      const faultAtMs = params.faultAtSeconds * 1000;
      const observed: FaultObservation = {
        fault,
        userCount: users.length,
        victim,
        onVictim,
        faultAtMs,
        faultDoneMs: faultAtMs,
        injected: [],
      };
      const agent = keepAliveAgent();
      const rec = new Recorder();
      try {
        run.progress(
          `${fault === 'kill' ? 'SIGKILL' : 'restart'} of ${victim} (${onVictim.size}/${users.length} users logged in there) at ${params.faultAtSeconds}s`,
        );
        const loads = users.map((u) =>
          userLoad(rec, run, agent, u, {
            untilMs: params.durationSeconds * 1000,
            thinkMs: params.thinkMs,
            timeoutMs: params.requestTimeoutMs,
            maxRelogins: params.maxRelogins,
            group: 'load',
          }),
        );
        await Promise.all([...loads, injectFault(run, rec, observed)]);
      } finally {
        agent.destroy();
      }
      return summarizeFault(run.setup, params, rec, observed);
    },
  };
}

export const replicaLoss = replicaFault<'replica-loss'>('kill');
export const replicaRestart = replicaFault<'replica-restart'>('restart');

/** The requests after the fault and the re-logins it forced. */
interface FaultSamples {
  after: Sample[];
  failed: Sample[];
  relogins: Sample[];
  forcedUsers: Set<number>;
  /** Users forced to log in again whose session was not on the victim. */
  forcedElsewhere: number;
  /** No request started in the last second of the run failed. */
  quietAtEnd: boolean;
  lastFailureMs: number;
}

function faultSamples(params: ReplicaFaultParams, rec: Recorder, o: FaultObservation): FaultSamples {
  const after = rec.select((s) => s.group === 'load' && s.atMs >= o.faultAtMs);
  const failed = after.filter((s) => !isOk(s));
  const relogins = rec.select((s) => s.group === 'relogin');
  const forcedUsers = new Set(relogins.map((s) => s.user));
  const endMs = params.durationSeconds * 1000;
  return {
    after,
    failed,
    relogins,
    forcedUsers,
    forcedElsewhere: [...forcedUsers].filter((u) => !o.onVictim.has(u)).length,
    quietAtEnd: !failed.some((s) => s.atMs >= endMs - 1000),
    lastFailureMs: failed.reduce((m, s) => Math.max(m, s.endMs), o.faultAtMs),
  };
}

function faultMeasurements(o: FaultObservation, s: FaultSamples): Record<string, number | null> {
  const outcomes = countByOutcome(s.after);
  return {
    usersCount: o.userCount,
    usersWithSessionOnVictimCount: o.onVictim.size,
    requestsAfterFaultCount: s.after.length,
    failedRequestsCount: s.failed.length,
    status401Count: outcomes['401'] ?? 0,
    status502Count: outcomes['502'] ?? 0,
    status503Count: outcomes['503'] ?? 0,
    status504Count: outcomes['504'] ?? 0,
    networkErrorsCount: s.after.filter((r) => r.status === null).length,
    forcedReloginsCount: s.relogins.length,
    usersForcedToReloginCount: s.forcedUsers.size,
    // More than one re-login: the user was moved again after its new session was made (ip_hash moving users back).
    usersReloggedMoreThanOnceCount: [...s.forcedUsers].filter(
      (u) => s.relogins.filter((r) => r.user === u).length > 1,
    ).length,
    sessionsLostPercent: o.userCount ? (100 * s.forcedUsers.size) / o.userCount : null,
    timeToZeroErrorsMs: s.quietAtEnd ? s.lastFailureMs - o.faultAtMs : null,
    // Answers carrying the victim's id for requests started after it was dead (kill only).
    responsesFromVictimAfterFaultCount:
      o.fault === 'kill'
        ? s.after.filter((r) => r.replica === o.victim && r.atMs >= o.faultDoneMs).length
        : null,
    victimDownMs: o.fault === 'restart' ? o.faultDoneMs - o.faultAtMs : null,
  };
}

/** Memory sessions: exactly the victim's users log in again. Shared stores and tokens: nobody does. */
function sessionChecks(
  setup: SetupDefinition,
  o: FaultObservation,
  s: FaultSamples,
  m: Record<string, number | null>,
): Check[] {
  if (!sessionsLiveInReplicas(setup)) {
    return [
      check(
        'no user was logged out',
        s.forcedUsers.size === 0 && m.status401Count === 0,
        `${m.status401Count} response(s) 401, ${s.forcedUsers.size} forced re-login(s)`,
      ),
    ];
  }
  return [
    check(
      `users whose session lived on ${o.victim} had to log in again`,
      o.onVictim.size > 0 && s.forcedUsers.size > 0,
      `${s.forcedUsers.size} forced re-login(s); ${o.onVictim.size} user(s) had their session on ${o.victim}`,
    ),
    check(
      'users whose session lived elsewhere kept it',
      s.forcedElsewhere === 0,
      `${s.forcedElsewhere} user(s) from other replicas were logged out`,
    ),
  ];
}

function faultChecks(
  setup: SetupDefinition,
  o: FaultObservation,
  s: FaultSamples,
  m: Record<string, number | null>,
): Check[] {
  const checks = [
    ...sessionChecks(setup, o, s, m),
    check(
      'errors stopped before the end of the run',
      s.quietAtEnd,
      s.quietAtEnd
        ? `last failure ${m.timeToZeroErrorsMs?.toFixed(0)} ms after the fault`
        : 'requests still failing in the last second',
    ),
  ];
  if (o.fault === 'kill') {
    checks.push(
      check(
        `nginx sent nothing to the killed ${o.victim} that it answered`,
        m.responsesFromVictimAfterFaultCount === 0,
        `${m.responsesFromVictimAfterFaultCount} response(s) carried x-replica ${o.victim} after the kill`,
      ),
    );
  }
  return checks;
}

/** Measurements, expected-shape checks and notes of one fault run. */
export function summarizeFault(
  setup: SetupDefinition,
  params: ReplicaFaultParams,
  rec: Recorder,
  o: FaultObservation,
): Outcome {
  const s = faultSamples(params, rec, o);
  const measurements = faultMeasurements(o, s);
  const notes = [
    `victim ${o.victim}: the replica most users logged in on; forced re-logins are users answered 401 who logged in again (at most ${params.maxRelogins} each)`,
    `failed requests by outcome after the fault: ${JSON.stringify(countByOutcome(s.failed))}; 502/504 mean nginx did not (or could not) retry another upstream`,
  ];
  return {
    injected: o.injected,
    measurements,
    timeline: buildTimeline(rec.samples),
    checks: faultChecks(setup, o, s, measurements),
    notes,
  };
}
