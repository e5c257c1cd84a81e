/**
 * Which scenarios a plan runs, and on which targets. Running one for real
 * needs a topology: test/integration/scenarios.
 */
import { runScenarios, targetsInPlan } from '../../../bench/scenarios';
import { buildPlan } from '../../../bench/plan/plan.build';
import type { ScenarioContext } from '../../../bench/scenarios/scenario.types';
import { findScenario } from '../../../bench/scenarios/scenarios.data';
import { findSetup } from '../../../infra/setups.data';

function context(scenarios: string, setups: string[], progress: string[] = []): ScenarioContext {
  return {
    plan: buildPlan({ scenarios, setups: setups.join(',') }),
    setups: setups.map((s) => findSetup(s)!),
    variant: { name: 'candidate', appEnv: {} },
    signal: new AbortController().signal,
    progress: (m) => progress.push(m),
    startTopology: () => Promise.reject(new Error('no topology in a unit test')),
  };
}

describe('the scenarios of a plan', () => {
  it('a scenario runs only on the setups the plan covers, in the scenario’s order', () => {
    const outage = findScenario('store-outage')!;
    expect(targetsInPlan(outage, ['jwt', 'jwt-denylist']).map((t) => t.variant)).toEqual([
      'fail-closed',
      'fail-open',
    ]);
    expect(targetsInPlan(outage, ['jwt'])).toEqual([]);
  });

  it('a scenario none of whose setups is in the plan is skipped, and says so', async () => {
    const progress: string[] = [];
    expect(await runScenarios(context('store-outage', ['jwt'], progress))).toEqual([]);
    expect(progress).toEqual([
      expect.stringMatching(
        /^store-outage: none of its setups \(.*jwt-denylist.*\) is in the plan; skipped$/,
      ),
    ]);
  });

  it('unknown scenario names are refused before anything runs', async () => {
    const ctx = context('none', ['jwt']);
    ctx.plan.scenarios = ['revocation', 'nope'];
    await expect(runScenarios(ctx)).rejects.toThrow(/"nope"/);
  });

  it('an aborted run starts no further scenario', async () => {
    const ctx = { ...context('revocation', ['jwt']), signal: AbortSignal.abort() };
    const start = jest.fn(ctx.startTopology);
    expect(await runScenarios({ ...ctx, startTopology: start })).toEqual([]);
    expect(start).not.toHaveBeenCalled();
  });
});
