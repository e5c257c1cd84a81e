import { SETUPS, SETUP_NAMES, findSetup } from '../../../infra/setups.data';
import {
  SCENARIOS,
  SCENARIO_NAMES,
  findScenario,
  scenarioNameProblems,
  sizedFor,
} from '../../../bench/scenarios/scenarios.data';
import { tamper } from '../../../bench/scenarios/store-outage.scenario';

describe('scenario declarations', () => {
  it.each(SCENARIOS.map((s) => [s.name, s] as const))(
    '%s targets only setups that exist',
    (_name, scenario) => {
      expect(scenario.targets.length).toBeGreaterThan(0);
      for (const t of scenario.targets) expect(SETUP_NAMES).toContain(t.setup);
    },
  );

  it('the credential scenarios target every setup with a credential and leave the baseline out', () => {
    const withCredential = SETUPS.filter((s) => s.credential !== 'none').map((s) => s.name);
    expect(withCredential).not.toContain('baseline');
    expect(withCredential.length).toBe(SETUP_NAMES.length - 1);
    for (const name of ['revocation', 'replica-loss', 'replica-restart', 'login-storm']) {
      expect(findScenario(name)!.targets.map((t) => t.setup)).toEqual(withCredential);
    }
    for (const s of SCENARIOS) expect(s.targets.map((t) => t.setup)).not.toContain('baseline');
  });

  it('store outage only targets setups that start a Redis, and shows both denylist fail modes', () => {
    const outage = findScenario('store-outage')!;
    for (const t of outage.targets) expect(findSetup(t.setup)!.needsRedis).toBe(true);
    const modes = outage.targets
      .filter((t) => t.setup === 'jwt-denylist')
      .map((t) => t.appEnv?.REVOCATION_FAIL_MODE);
    expect(modes.sort()).toEqual(['closed', 'open']);
  });

  it('the quick profile shrinks every scenario and leaves full size alone', () => {
    for (const s of SCENARIOS) {
      expect(sizedFor(s, 'full')).toBe(s);
      const quick = sizedFor(s, 'quick');
      expect(quick).not.toEqual(s);
      expect(Object.keys(quick.params).sort()).toEqual(Object.keys(s.params).sort());
    }
  });

  it('revocation observes each token past its lifetime plus a 30 s clock tolerance', () => {
    for (const profile of ['full', 'quick']) {
      const r = sizedFor(findScenario('revocation')!, profile);
      if (r.name !== 'revocation') throw new Error('wrong scenario');
      expect(r.params.observeSeconds).toBeGreaterThan(r.params.tokenTtlSeconds + 30);
    }
  });

  it('unknown scenario names are all reported at once with the names allowed', () => {
    const problems = scenarioNameProblems(['revocation', 'nope', 'storm']);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toContain('"nope"');
    expect(problems[0]).toContain(SCENARIO_NAMES.join(', '));
  });
});

describe('the store-outage helpers', () => {
  it('tamper changes exactly one character', () => {
    const value = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.AAAAsignature';
    const changed = tamper(value);
    expect(changed).toHaveLength(value.length);
    expect([...changed].filter((c, i) => c !== value[i])).toHaveLength(1);
  });
});
