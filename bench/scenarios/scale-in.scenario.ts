/**
 * Scale-in under load: users log in on 3 replicas and keep sending; at
 * scaleAtSeconds the replica most users logged in on is removed gracefully
 * (RunningTopology.removeReplica: out of nginx's upstreams by reload, its
 * in-flight requests drained, then SIGTERM). Sessions held in that
 * replica's memory go with it: its users are answered 401 and log in again.
 * Shared stores and tokens lose nothing.
 */
import type { SetupDefinition } from '../../infra/setups.data';
import { buildTimeline, countByOutcome, isOk, type Recorder } from './driver/recorder';
import { sleepUntil } from './driver/user-loop';
import { busiestReplica, sessionsLiveInReplicas } from './replica-fault.scenario';
import {
  check,
  type Check,
  type Outcome,
  type ScenarioImplementation,
  type TargetRun,
} from './scenario.runner';
import { loginUsers } from './scenario.users';
import type { ScaleInParams } from './scenarios.data';
import { scalingLoad, type ScalingLoad } from './scaling.run';
import { okRate, replicaSeconds, USER_GROUPS, withReplicas } from './scaling.timeline';

interface ScaleInObservation {
  injected: Outcome['injected'];
  victim: string;
  userCount: number;
  onVictim: ReadonlySet<number>;
  /** When the victim had left nginx and stopped, ms since t0; null if it never did. */
  removedMs: number | null;
  generatorCpuPercent: number | null;
}

async function scaleIn(s: ScalingLoad, p: ScaleInParams, o: ScaleInObservation): Promise<void> {
  await sleepUntil(p.scaleAtSeconds * 1000, () => s.rec.now(), s.run.signal);
  if (s.run.signal.aborted) return;
  o.injected.push({ atSeconds: s.rec.now() / 1000, what: `remove ${o.victim}` });
  await s.run.topology.removeReplica(o.victim);
  o.removedMs = s.rec.now();
  o.injected.push({ atSeconds: o.removedMs / 1000, what: `${o.victim} drained and stopped` });
}

export const scaleInScenario: ScenarioImplementation<'scale-in'> = {
  async run(target: TargetRun, p: ScaleInParams): Promise<Outcome> {
    const users = await loginUsers(target, p.users, 6000);
    const victim = busiestReplica(
      users,
      target.topology.replicas.map((r) => r.id),
    );
    const o: ScaleInObservation = {
      injected: [],
      victim,
      userCount: users.length,
      onVictim: new Set(users.filter((u) => u.loginReplica === victim).map((u) => u.index)),
      removedMs: null,
      generatorCpuPercent: null,
    };
    target.progress(
      `removing ${victim} (${o.onVictim.size}/${users.length} users there) at ${p.scaleAtSeconds}s`,
    );
    const s = scalingLoad(target, p);
    await s.together(
      users.map((u) => s.load(u, 'load')),
      scaleIn(s, p, o),
    );
    o.generatorCpuPercent = s.generatorCpuPercent();
    return summarizeScaleIn(target.setup, p, s.rec, o);
  },
};

function scaleInMeasurements(p: ScaleInParams, rec: Recorder, o: ScaleInObservation) {
  const users = rec.select((s) => USER_GROUPS.includes(s.group));
  const outcomes = countByOutcome(users.filter((s) => !isOk(s)));
  const relogins = rec.select((s) => s.group === 'relogin');
  const forced = new Set(relogins.map((s) => s.user));
  const before = okRate(rec.samples, ['load'], 1000, p.scaleAtSeconds * 1000);
  const done = o.removedMs;
  const after = done === null ? null : okRate(rec.samples, ['load'], done + 1000, p.durationSeconds * 1000);
  return {
    usersCount: o.userCount,
    usersWithSessionOnRemovedCount: o.onVictim.size,
    removalTookMs: done === null ? null : done - p.scaleAtSeconds * 1000,
    status401Count: outcomes['401'] ?? 0,
    forcedReloginsCount: relogins.length,
    usersForcedToReloginCount: forced.size,
    usersElsewhereForcedCount: [...forced].filter((u) => !o.onVictim.has(u)).length,
    sessionsLostPercent: o.userCount ? (100 * forced.size) / o.userCount : null,
    status5xxCount: Object.entries(outcomes).reduce((a, [k, n]) => (/^5\d\d$/.test(k) ? a + n : a), 0),
    // Keep-alive connections the reload closed under a request in flight (a client would retry the GET).
    networkErrorsCount: users.filter((s) => s.status === null).length,
    responsesFromRemovedAfterCount:
      done === null ? null : users.filter((s) => s.replica === o.victim && s.atMs >= done).length,
    throughputBeforeRps: before,
    throughputAfterRps: after,
    generatorCpuPercent: o.generatorCpuPercent,
  };
}

type ScaleInMeasurements = ReturnType<typeof scaleInMeasurements>;

function sessionChecks(setup: SetupDefinition, o: ScaleInObservation, m: ScaleInMeasurements): Check[] {
  if (!sessionsLiveInReplicas(setup))
    return [
      check(
        'no user was logged out',
        m.status401Count === 0 && m.forcedReloginsCount === 0,
        `${m.status401Count} response(s) 401, ${m.forcedReloginsCount} forced re-login(s)`,
      ),
    ];
  return [
    check(
      `users whose session lived on ${o.victim} had to log in again`,
      o.onVictim.size > 0 && m.usersForcedToReloginCount > 0,
      `${m.usersForcedToReloginCount} user(s) logged in again; ${o.onVictim.size} had their session on ${o.victim}`,
    ),
  ];
}

export function summarizeScaleIn(
  setup: SetupDefinition,
  p: ScaleInParams,
  rec: Recorder,
  o: ScaleInObservation,
): Outcome {
  const m = scaleInMeasurements(p, rec, o);
  return {
    injected: o.injected,
    measurements: m,
    timeline: withReplicas(buildTimeline(rec.samples), replicaSeconds(rec.samples)),
    checks: [
      check(`${o.victim} was removed`, o.removedMs !== null, `in ${m.removalTookMs?.toFixed(0)} ms`),
      ...sessionChecks(setup, o, m),
      check(
        'no request was answered 5xx during the graceful removal',
        m.status5xxCount === 0,
        `${m.status5xxCount} 5xx; ${m.networkErrorsCount} request(s) on a connection nginx closed (reported, not judged)`,
      ),
      check(
        `nothing was answered by ${o.victim} after it stopped`,
        m.responsesFromRemovedAfterCount === 0,
        `${m.responsesFromRemovedAfterCount} response(s)`,
      ),
    ],
    notes: [
      `removed: ${o.victim}, the replica most users logged in on; forced re-logins are users answered 401 who logged in again (at most ${p.maxRelogins} each)`,
      `generator: one Node thread at ${o.generatorCpuPercent?.toFixed(0)}% of a core`,
      'throughput before/after: the replicas start cold and warm up during the window, so after can exceed before; compare re-logins and errors, not these two figures',
    ],
  };
}
