import { PROFILE_NAMES, PROFILES, profilePlan } from '../../../bench/plan/plan.profiles';
import { planSchema } from '../../../bench/results/results.schema';
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

  it.each(PROFILE_NAMES.map((name) => [name]))('%s is a complete, valid plan named after itself', (name) => {
    const parsed = planSchema.safeParse(PROFILES[name]);
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
    expect(PROFILES[name].profile).toBe(name);
  });

  it('hands out copies: changing one leaves the shipped profile as it was', () => {
    const plan = profilePlan('full');
    plan.replicas.push(8);
    plan.mix[0]!.weight = 9;
    expect(PROFILES.full.replicas).toEqual([1, 2, 4]);
    expect(PROFILES.full.mix[0]!.weight).toBe(1);
    expect(profilePlan('full')).toEqual(PROFILES.full);
  });
});
