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
import { buildTimeline, countByOutcome, isOk, Recorder } from './driver/recorder';
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

type Fault = 'kill' | 'restart';

function replicaFault<N extends 'replica-loss' | 'replica-restart'>(fault: Fault): ScenarioImplementation<N> {
  return {
    async run(run: TargetRun, params: ReplicaFaultParams): Promise<Outcome> {
      const users = await loginUsers(run, params.users, 2000);
      const victim = busiestReplica(
        users,
        run.topology.replicas.map((r) => r.id),
      );
      const onVictim = new Set(users.filter((u) => u.loginReplica === victim).map((u) => u.index));
      const agent = keepAliveAgent();
      const rec = new Recorder();
      const faultAtMs = params.faultAtSeconds * 1000;
      const injected: Outcome['injected'] = [];
      let faultDoneMs = faultAtMs;
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
        const injector = (async () => {
          await sleepUntil(faultAtMs, () => rec.now(), run.signal);
          if (run.signal.aborted) return;
          injected.push({
            atSeconds: rec.now() / 1000,
            what: fault === 'kill' ? `SIGKILL ${victim}` : `restart ${victim}`,
          });
          if (fault === 'kill') {
            await run.topology.killReplica(victim, 'SIGKILL');
            faultDoneMs = rec.now();
          } else {
            await run.topology.restartReplica(victim);
            faultDoneMs = rec.now();
            injected.push({ atSeconds: faultDoneMs / 1000, what: `${victim} ready again` });
          }
        })();
        await Promise.all([...loads, injector]);
      } finally {
        agent.destroy();
      }
      return summarize(
        run.setup,
        params,
        fault,
        rec,
        users.length,
        victim,
        onVictim,
        faultAtMs,
        faultDoneMs,
        injected,
      );
    },
  };
}

export const replicaLoss = replicaFault<'replica-loss'>('kill');
export const replicaRestart = replicaFault<'replica-restart'>('restart');

function summarize(
  setup: SetupDefinition,
  params: ReplicaFaultParams,
  fault: Fault,
  rec: Recorder,
  userCount: number,
  victim: string,
  onVictim: Set<number>,
  faultAtMs: number,
  faultDoneMs: number,
  injected: Outcome['injected'],
): Outcome {
  const after = rec.select((s) => s.group === 'load' && s.atMs >= faultAtMs);
  const failed = after.filter((s) => !isOk(s));
  const relogins = rec.select((s) => s.group === 'relogin');
  const forcedUsers = new Set(relogins.map((s) => s.user));
  const forcedElsewhere = [...forcedUsers].filter((u) => !onVictim.has(u)).length;
  const lastFailure = failed.reduce((m, s) => Math.max(m, s.endMs), faultAtMs);
  const endMs = params.durationSeconds * 1000;
  const quietAtEnd = !failed.some((s) => s.atMs >= endMs - 1000);
  const outcomes = countByOutcome(after);
  const measurements: Record<string, number | null> = {
    usersCount: userCount,
    usersWithSessionOnVictimCount: onVictim.size,
    requestsAfterFaultCount: after.length,
    failedRequestsCount: failed.length,
    status401Count: outcomes['401'] ?? 0,
    status502Count: outcomes['502'] ?? 0,
    status503Count: outcomes['503'] ?? 0,
    status504Count: outcomes['504'] ?? 0,
    networkErrorsCount: after.filter((s) => s.status === null).length,
    forcedReloginsCount: relogins.length,
    usersForcedToReloginCount: forcedUsers.size,
    // More than one re-login: the user was moved again after its new session was made (ip_hash moving users back).
    usersReloggedMoreThanOnceCount: [...forcedUsers].filter(
      (u) => relogins.filter((s) => s.user === u).length > 1,
    ).length,
    sessionsLostPercent: userCount ? (100 * forcedUsers.size) / userCount : null,
    timeToZeroErrorsMs: quietAtEnd ? lastFailure - faultAtMs : null,
    // Answers carrying the victim's id for requests started after it was dead (kill only).
    responsesFromVictimAfterFaultCount:
      fault === 'kill' ? after.filter((s) => s.replica === victim && s.atMs >= faultDoneMs).length : null,
    victimDownMs: fault === 'restart' ? faultDoneMs - faultAtMs : null,
  };
  const checks: Check[] = [];
  if (sessionsLiveInReplicas(setup)) {
    checks.push(
      check(
        `users whose session lived on ${victim} had to log in again`,
        onVictim.size > 0 && forcedUsers.size > 0,
        `${forcedUsers.size} forced re-login(s); ${onVictim.size} user(s) had their session on ${victim}`,
      ),
      check(
        'users whose session lived elsewhere kept it',
        forcedElsewhere === 0,
        `${forcedElsewhere} user(s) from other replicas were logged out`,
      ),
    );
  } else {
    checks.push(
      check(
        'no user was logged out',
        forcedUsers.size === 0 && measurements.status401Count === 0,
        `${measurements.status401Count} response(s) 401, ${forcedUsers.size} forced re-login(s)`,
      ),
    );
  }
  checks.push(
    check(
      'errors stopped before the end of the run',
      quietAtEnd,
      quietAtEnd
        ? `last failure ${measurements.timeToZeroErrorsMs?.toFixed(0)} ms after the fault`
        : 'requests still failing in the last second',
    ),
  );
  if (fault === 'kill') {
    checks.push(
      check(
        `nginx sent nothing to the killed ${victim} that it answered`,
        measurements.responsesFromVictimAfterFaultCount === 0,
        `${measurements.responsesFromVictimAfterFaultCount} response(s) carried x-replica ${victim} after the kill`,
      ),
    );
  }
  const notes = [
    `victim ${victim}: the replica most users logged in on; forced re-logins are users answered 401 who logged in again (at most ${params.maxRelogins} each)`,
    `failed requests by outcome after the fault: ${JSON.stringify(countByOutcome(failed))}; 502/504 mean nginx did not (or could not) retry another upstream`,
  ];
  return { injected, measurements, timeline: buildTimeline(rec.samples), checks, notes };
}
