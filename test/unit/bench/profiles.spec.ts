import { PROFILES } from '../../../bench/plan/plan.profiles';
import { SCENARIO_NAMES, scenarioNameProblems } from '../../../bench/scenarios/scenarios.data';

describe('shipped profiles', () => {
  it('name only scenarios that exist', () => {
    for (const profile of Object.values(PROFILES))
      expect(scenarioNameProblems([...profile.scenarios])).toEqual([]);
  });

  it('run every trade-off scenario in the full profile and none in quick (CI time)', () => {
    expect([...PROFILES.full.scenarios].sort()).toEqual([...SCENARIO_NAMES].sort());
    expect(PROFILES.quick.scenarios).toEqual([]);
  });
});
