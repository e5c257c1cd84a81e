import { SETUPS, SETUP_NAMES, findSetup } from '../../../infra/setups.data';
import { targetsInPlan } from '../../../bench/scenarios';
import {
  SCENARIOS,
  SCENARIO_NAMES,
  findScenario,
  scenarioNameProblems,
  sizedFor,
} from '../../../bench/scenarios/scenarios.data';
import { expectedRevocation, tokenExpiry } from '../../../bench/scenarios/revocation.scenario';
import { sessionsLiveInReplicas, busiestReplica } from '../../../bench/scenarios/replica-fault.scenario';
import { tamper } from '../../../bench/scenarios/store-outage.scenario';
import { credentialHeaderBytes } from '../../../bench/scenarios/server-state.scenario';
import { cloneKey } from '../../../bench/scenarios/store-fill.redis';
import { CookieJar } from '../../../bench/client/cookie-jar';
import type { VirtualUser } from '../../../bench/client/virtual-user';

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

  it('a scenario runs only on the setups the plan covers', () => {
    const outage = findScenario('store-outage')!;
    expect(targetsInPlan(outage, ['jwt', 'jwt-denylist']).map((t) => t.variant)).toEqual([
      'fail-closed',
      'fail-open',
    ]);
    expect(targetsInPlan(outage, ['jwt'])).toEqual([]);
  });
});

describe('expected shapes derived from the setup data', () => {
  it.each([
    ['jwt', 'at-expiry'],
    ['jwt-denylist', 'immediate'],
    ['session-redis', 'immediate'],
    ['session-sticky', 'immediate'],
    ['session-iphash', 'immediate'],
    ['hybrid', 'at-expiry'],
  ])('%s revokes %s', (setup, expected) => {
    expect(expectedRevocation(findSetup(setup)!)).toBe(expected);
  });

  it.each([
    ['session-sticky', true],
    ['session-iphash', true],
    ['session-redis', false],
    ['jwt', false],
    ['hybrid', false],
  ])('sessions of %s live in replica memory: %s', (setup, expected) => {
    expect(sessionsLiveInReplicas(findSetup(setup)!)).toBe(expected);
  });

  it('the victim is the replica most users logged in on', () => {
    const users = ['r1', 'r0', 'r1', null].map((loginReplica) => ({ loginReplica }) as VirtualUser);
    expect(busiestReplica(users, ['r0', 'r1'])).toBe('r1');
    expect(busiestReplica([], ['r0', 'r1'])).toBe('r0');
  });
});

describe('helpers', () => {
  it('a token expiry is read from its exp claim, and anything else has none', () => {
    const body = Buffer.from(JSON.stringify({ sub: '1', exp: 1_800_000_000 })).toString('base64url');
    expect(tokenExpiry(`x.${body}.sig`)).toBe(1_800_000_000_000);
    expect(tokenExpiry(null)).toBeNull();
    expect(tokenExpiry('not-a-jwt')).toBeNull();
    expect(tokenExpiry(`x.${Buffer.from('{"sub":"1"}').toString('base64url')}.sig`)).toBeNull();
  });

  it('tamper changes exactly one character', () => {
    const value = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.AAAAsignature';
    const changed = tamper(value);
    expect(changed).toHaveLength(value.length);
    expect([...changed].filter((c, i) => c !== value[i])).toHaveLength(1);
  });

  it('credential header bytes count name, separator, value and line end', () => {
    expect(credentialHeaderBytes({ authorization: 'Bearer abc' })).toBe(
      'authorization: Bearer abc\r\n'.length,
    );
    const jar = new CookieJar();
    jar.store(['sid=s%3Aabc.def; Path=/; HttpOnly']);
    expect(credentialHeaderBytes({ cookie: jar.header()! })).toBe('cookie: sid=s%3Aabc.def\r\n'.length);
  });

  it('cloned Redis keys keep the prefix and length and differ from the original', () => {
    const key = 'sess:Xy3kLq9vTz0aBc1dEf2gHi3jKl4mNo5p';
    const copy = cloneKey(key);
    expect(copy.startsWith('sess:')).toBe(true);
    expect(copy).toHaveLength(key.length);
    expect(copy).not.toBe(key);
  });
});
