import { runTarget, type ScenarioImplementation } from '../../../bench/scenarios/scenario.runner';
import { scenarioResultSchema } from '../../../bench/results/results.schema';
import type { RunningTopology } from '../../../infra/topology.types';
import { shortened, testContext } from './scenario.context';

const t = testContext();
afterAll(() => t.stopAll());

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('scenario runner', () => {
  it('tears the topology down and reports a failed check when a scenario throws half-way', async () => {
    let seen: RunningTopology | null = null;
    const broken: ScenarioImplementation<'server-state'> = {
      async run(run) {
        seen = run.topology;
        await run.topology.killReplica(run.topology.replicas[0]!.id);
        throw new Error('boom after a fault');
      },
    };
    const definition = shortened('server-state', {}, 2);
    if (definition.name !== 'server-state') throw new Error('wrong scenario');
    const result = scenarioResultSchema.parse(await runTarget(t.ctx, definition, { setup: 'jwt' }, broken));

    expect(result.checks).toEqual([
      { name: 'completed', passed: false, detail: 'the scenario stopped early: boom after a fault' },
    ]);
    expect(result.notes).toEqual(['error: boom after a fault']);
    const topology = seen as RunningTopology | null;
    expect(topology).not.toBeNull();
    const pids = [topology!.nginx.pid, ...topology!.replicas.map((r) => r.pid)];
    expect(pids.filter(alive)).toEqual([]);
  }, 30_000);
});
