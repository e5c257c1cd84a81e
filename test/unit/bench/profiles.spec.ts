import { PROFILES } from '../../../bench/plan/plan.profiles';
import { allScenarioNames, scenarioNameProblems } from '../../../bench/runner/scenarios.bridge';

describe('shipped profiles', () => {
  it('name only scenarios that exist', () => {
    for (const profile of Object.values(PROFILES))
      expect(scenarioNameProblems([...profile.scenarios])).toEqual([]);
  });

  it('run every trade-off scenario in the full profile (issue 7) and none in quick (CI time)', () => {
    expect([...PROFILES.full.scenarios].sort()).toEqual([...allScenarioNames()].sort());
    expect(PROFILES.quick.scenarios).toEqual([]);
  });
});
