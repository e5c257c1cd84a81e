/**
 * Scale-out under load: users log in on 2 replicas and keep sending; at
 * scaleAtSeconds the harness starts more replicas, waits until they are
 * ready, and reloads nginx with them (RunningTopology.addReplicas), as an
 * autoscaler does. Later a few new users log in. What is measured, per
 * second and per replica: who serves the existing users and the new ones,
 * when the load is first even, and the throughput before and after.
 */
import type { SetupDefinition } from '../../infra/setups.data';
import { buildTimeline, countByOutcome, isOk, Recorder, type Sample } from './driver/recorder';
import { sleepUntil } from './driver/user-loop';
import {
  check,
  type Check,
  type Outcome,
  type ScenarioImplementation,
  type TargetRun,
} from './scenario.runner';
import { loginUsers } from './scenario.users';
import type { ScaleOutParams } from './scenarios.data';
import { scalingLoad, type ScalingLoad } from './scaling.run';
import {
  firstEvenRun,
  okRate,
  replicaSeconds,
  sharePercent,
  USER_GROUPS,
  withReplicas,
} from './scaling.timeline';

interface ScaleOutObservation {
  injected: Outcome['injected'];
  generatorCpuPercent: number | null;
  oldIds: string[];
  newIds: string[];
  /** When nginx routed to the new replicas (reload done), ms since t0; null if it never happened. */
  scaleDoneMs: number | null;
  newUsersAtMs: number | null;
}

async function scaleOut(run: TargetRun, rec: Recorder, p: ScaleOutParams, o: ScaleOutObservation) {
  await sleepUntil(p.scaleAtSeconds * 1000, () => rec.now(), run.signal);
  if (run.signal.aborted) return;
  o.injected.push({ atSeconds: rec.now() / 1000, what: `start ${p.addReplicas} replica(s)` });
  const added = await run.topology.addReplicas(p.addReplicas);
  o.scaleDoneMs = rec.now();
  o.newIds = added.map((r) => r.id);
  o.injected.push({ atSeconds: o.scaleDoneMs / 1000, what: `nginx reloaded with ${o.newIds.join(', ')}` });
}

async function newUsersJoin(s: ScalingLoad, p: ScaleOutParams, o: ScaleOutObservation): Promise<void> {
  await sleepUntil(p.newUsersAtSeconds * 1000, () => s.rec.now(), s.run.signal);
  if (s.run.signal.aborted || p.newUsers === 0 || o.scaleDoneMs === null) return;
  o.newUsersAtMs = s.rec.now();
  o.injected.push({ atSeconds: o.newUsersAtMs / 1000, what: `${p.newUsers} new user(s) log in` });
  const fresh = await loginUsers(s.run, p.newUsers, 5000);
  await Promise.all(fresh.map((u) => s.load(u, 'new')));
}

export const scaleOutScenario: ScenarioImplementation<'scale-out'> = {
  async run(target: TargetRun, p: ScaleOutParams): Promise<Outcome> {
    const users = await loginUsers(target, p.users, 4000);
    const s = scalingLoad(target, p);
    const o: ScaleOutObservation = {
      injected: [],
      oldIds: target.topology.replicas.map((r) => r.id),
      newIds: [],
      scaleDoneMs: null,
      newUsersAtMs: null,
      generatorCpuPercent: null,
    };
    target.progress(
      `${users.length} users on ${o.oldIds.join(', ')}; +${p.addReplicas} replica(s) at ${p.scaleAtSeconds}s`,
    );
    const change = scaleOut(s.run, s.rec, p, o).then(() => newUsersJoin(s, p, o));
    await s.together(
      users.map((u) => s.load(u, 'load')),
      change,
    );
    o.generatorCpuPercent = s.generatorCpuPercent();
    return summarizeScaleOut(target.setup, p, s.rec, o);
  },
};

function afterScale(rec: Recorder, o: ScaleOutObservation, group: string): Sample[] {
  return rec.select((s) => s.group === group && o.scaleDoneMs !== null && s.atMs >= o.scaleDoneMs);
}

function scaleOutMeasurements(p: ScaleOutParams, rec: Recorder, o: ScaleOutObservation) {
  const seconds = replicaSeconds(rec.samples);
  const endMs = p.durationSeconds * 1000;
  const done = o.scaleDoneMs;
  const firstFull = done === null ? null : Math.ceil(done / 1000);
  const even =
    firstFull === null
      ? null
      : firstEvenRun(
          seconds,
          [...o.oldIds, ...o.newIds],
          { fromSecond: firstFull, lastSecond: p.durationSeconds - 1 },
          { tolerance: p.evenTolerancePercent / 100, runLength: p.evenSeconds },
        );
  // Closed model: the same users before and after; the window after ends when new users arrive.
  const before = okRate(rec.samples, ['load'], 1000, p.scaleAtSeconds * 1000);
  const after = done === null ? null : okRate(rec.samples, ['load'], done + 1000, o.newUsersAtMs ?? endMs);
  const users = rec.select((s) => USER_GROUPS.includes(s.group));
  const outcomes = countByOutcome(users.filter((s) => !isOk(s)));
  return {
    seconds,
    values: {
      scaleOutTookMs: done === null ? null : done - p.scaleAtSeconds * 1000,
      timeToEvenSeconds: even === null || done === null ? null : Math.max(0, even - done / 1000),
      throughputBeforeRps: before,
      throughputAfterRps: after,
      capacityGainPercent: before && after !== null ? (100 * (after - before)) / before : null,
      existingUsersOnNewReplicasPercent: sharePercent(afterScale(rec, o, 'load'), o.newIds),
      newUsersOnNewReplicasPercent: sharePercent(afterScale(rec, o, 'new'), o.newIds),
      status401Count: outcomes['401'] ?? 0,
      forcedReloginsCount: rec.select((s) => s.group === 'relogin').length,
      status5xxCount: Object.entries(outcomes).reduce((a, [k, n]) => (/^5\d\d$/.test(k) ? a + n : a), 0),
      // Keep-alive connections the reload closed under a request in flight (a client would retry the GET).
      networkErrorsCount: users.filter((s) => s.status === null).length,
      replicasServingAfterCount: new Set(
        afterScale(rec, o, 'load')
          .map((s) => s.replica)
          .filter(Boolean),
      ).size,
      generatorCpuPercent: o.generatorCpuPercent,
    },
  };
}

/** The shape each routing should show; measured, then checked against what the routing promises. */
function routingChecks(
  setup: SetupDefinition,
  m: Record<string, number | null>,
  o: ScaleOutObservation,
): Check[] {
  const onNew = m.existingUsersOnNewReplicasPercent;
  const newIds = o.newIds.join(', ');
  if (setup.routing === 'sticky')
    return [
      check(
        'existing users stay on the replicas holding their session',
        onNew === 0,
        `${onNew?.toFixed(1)}% of their requests after the reload reached ${newIds}`,
      ),
    ];
  if (setup.routing === 'ip-hash')
    return [
      check(
        'one client IP: everything still lands on one replica',
        m.replicasServingAfterCount === 1,
        `existing users' requests after the reload reached ${m.replicasServingAfterCount} replica(s)`,
      ),
    ];
  return [
    check(
      'existing users spread to the new replicas',
      (onNew ?? 0) > 0 && m.timeToEvenSeconds !== null,
      `${onNew?.toFixed(1)}% of their requests after the reload reached ${newIds}; even after ${m.timeToEvenSeconds ?? 'never'} s`,
    ),
  ];
}

export function summarizeScaleOut(
  setup: SetupDefinition,
  p: ScaleOutParams,
  rec: Recorder,
  o: ScaleOutObservation,
): Outcome {
  const { seconds, values: measurements } = scaleOutMeasurements(p, rec, o);
  const checks = [
    check('the new replicas joined', o.scaleDoneMs !== null, `added ${o.newIds.join(', ') || 'none'}`),
    ...routingChecks(setup, measurements, o),
    check(
      'no request was answered 5xx during the reload',
      measurements.status5xxCount === 0,
      `${measurements.status5xxCount} 5xx; ${measurements.networkErrorsCount} request(s) on a connection nginx closed (reported, not judged)`,
    ),
  ];
  return {
    injected: o.injected,
    measurements,
    timeline: withReplicas(buildTimeline(rec.samples), seconds),
    checks,
    notes: [
      `even: every replica's share of a second's user requests within ±${p.evenTolerancePercent}% of 1/N for ${p.evenSeconds} consecutive seconds; time to even counts from the reload`,
      'capacity: closed model (the same users, no think time) before the scale-out vs after it and before the new users arrive; the new replicas start cold (no warm-up), as in a real scale-out, and the first ones warm up during the window too: not a steady-state figure (the throughput runs measure steady states)',
      `generator: one Node thread; at ${o.generatorCpuPercent?.toFixed(0)}% of a core it may itself limit the throughput after`,
    ],
  };
}
