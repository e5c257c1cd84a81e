/**
 * The scaling scenarios on real replicas behind a real nginx that is
 * reloaded under load, with short bounded load: the shapes each routing
 * promises (round robin spreads, sticky keeps users where their session is),
 * re-logins on scale-in only where sessions live in replica memory, and no
 * replica left running afterwards, added ones included.
 */
import { isAlive } from '../../../infra/process/proc-tree';
import { runTarget, type ScenarioImplementation } from '../../../bench/scenarios/scenario.runner';
import type { ScenarioDefinition } from '../../../bench/scenarios/scenarios.data';
import { failedChecks, measurement, runScenario, shortened, testContext } from './scenario.context';

const t = testContext();
afterAll(() => t.stopAll());

// Light, bounded load: a think time keeps it from filling the shared 2-core machine.
const common = { users: 8, thinkMs: 20, maxRelogins: 2, requestTimeoutMs: 2000 };
const out = {
  ...common,
  scaleAtSeconds: 1.5,
  durationSeconds: 8,
  addReplicas: 2,
  newUsers: 4,
  newUsersAtSeconds: 6,
  evenTolerancePercent: 20,
  evenSeconds: 2,
};
const scaleIn = { ...common, scaleAtSeconds: 1.5, durationSeconds: 5 };

function replicaPids(): number[] {
  return t.started.flatMap((topology) => topology.replicas.map((r) => r.pid));
}

describe('scale-out and scale-in under load (shortened)', () => {
  it('jwt: after the reload existing users spread to the new replicas and the load becomes even; nobody logs in again', async () => {
    const result = await runScenario(t, shortened('scale-out', out, 2), { setup: 'jwt' });
    expect(failedChecks(result)).toEqual([]);
    expect(measurement(result, 'existingUsersOnNewReplicasPercent')).toBeGreaterThan(25);
    expect(measurement(result, 'timeToEvenSeconds')).toBeGreaterThanOrEqual(0);
    expect(measurement(result, 'forcedReloginsCount')).toBe(0);
    const last = result.timeline[result.timeline.length - 2]!;
    expect(Object.keys(last.byReplica ?? {}).sort()).toEqual(['r0', 'r1', 'r2', 'r3']);
  }, 90_000);

  it('session-sticky: existing users stay on the old replicas; only new users reach the new ones', async () => {
    const result = await runScenario(t, shortened('scale-out', out, 2), { setup: 'session-sticky' });
    expect(failedChecks(result)).toEqual([]);
    expect(measurement(result, 'existingUsersOnNewReplicasPercent')).toBe(0);
    expect(measurement(result, 'status401Count')).toBe(0);
    expect(result.measurements.timeToEvenSeconds).toBeNull();
  }, 90_000);

  it('scale-in on session-sticky: the removed replica takes its sessions with it, its users log in again', async () => {
    const result = await runScenario(t, shortened('scale-in', scaleIn, 3), { setup: 'session-sticky' });
    expect(failedChecks(result)).toEqual([]);
    expect(measurement(result, 'forcedReloginsCount')).toBeGreaterThan(0);
    expect(measurement(result, 'usersElsewhereForcedCount')).toBe(0);
  }, 90_000);

  it('scale-in on jwt: nobody is logged out', async () => {
    const result = await runScenario(t, shortened('scale-in', scaleIn, 3), { setup: 'jwt' });
    expect(failedChecks(result)).toEqual([]);
    expect(measurement(result, 'forcedReloginsCount')).toBe(0);
    expect(measurement(result, 'status401Count')).toBe(0);
  }, 90_000);

  it('leaves no replica running, added ones included, also when a scenario fails after adding', async () => {
    expect(replicaPids().length).toBeGreaterThan(8);
    expect(replicaPids().filter(isAlive)).toEqual([]);
    const added: number[] = [];
    const failsAfterAdding: ScenarioImplementation<'scale-out'> = {
      async run(run) {
        added.push(...(await run.topology.addReplicas(2)).map((r) => r.pid));
        throw new Error('failed on purpose after adding');
      },
    };
    const definition = shortened('scale-out', out, 2) as Extract<ScenarioDefinition, { name: 'scale-out' }>;
    const result = await runTarget(t.ctx, definition, { setup: 'jwt' }, failsAfterAdding);
    expect(result.notes.join(' ')).toMatch(/failed on purpose/);
    expect(added).toHaveLength(2);
    expect([...added, ...replicaPids()].filter(isAlive)).toEqual([]);
  }, 90_000);
});
