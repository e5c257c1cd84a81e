/**
 * Revocation, from recorded replays to measurements and checks. The replays
 * are written by hand here; logging out of a real API and replaying against
 * real replicas is test/integration/scenarios/revocation.spec.ts.
 */
import type { Sample } from '../../../bench/scenarios/driver/recorder';
import { recorded, sampleMaker } from './recorded.fixture';
import {
  expectedRevocation,
  MAX_LEEWAY_MS,
  observationFor,
  revocation,
  summarizeRevocation,
  tokenExpiry,
  type Observed,
} from '../../../bench/scenarios/revocation.scenario';
import type { RevocationParams } from '../../../bench/scenarios/scenarios.data';
import { findSetup } from '../../../infra/setups.data';

const params: RevocationParams = {
  users: 4,
  revokedUsers: 2,
  thinkMs: 100,
  revokeAtSeconds: 1,
  observeSeconds: 34,
  observeSessionSeconds: 3,
  tokenTtlSeconds: 1,
  requestTimeoutMs: 1000,
};

const sample = sampleMaker({ group: 'revoked', status: 401 });

/** Users 0 and 1 logged out at 1 s (answered 200 at 1010 and 1020 ms); users 2 and 3 went on. */
function observed(o: Partial<Observed> = {}): Observed {
  return {
    logoutEnds: new Map([
      [0, 1010],
      [1, 1020],
    ]),
    logoutStatuses: [200, 200],
    expiries: new Map(),
    controlRelogins: 0,
    vias: ['nginx', 'r0', 'r1'],
    loginPhaseMs: 2500,
    ...o,
  };
}

/** Replays of both revoked users, every 500 ms from 1.1 s to `untilMs`, rotating over nginx, r0 and r1. */
function replays(untilMs: number, accepted: (atMs: number) => boolean): Sample[] {
  const out: Sample[] = [];
  const vias = ['nginx', 'r0', 'r1'];
  for (let atMs = 1100, i = 0; atMs < untilMs; atMs += 500, i++)
    for (const user of [0, 1])
      out.push(sample({ user, atMs, via: vias[i % 3]!, status: accepted(atMs) ? 200 : 401 }));
  return out;
}

const checksOf = (o: ReturnType<typeof summarizeRevocation>) =>
  o.checks.map((c) => `${c.passed ? 'pass' : 'FAIL'}: ${c.name}`);

describe('summarizing a revocation with session cookies (refused at once)', () => {
  const cookie = findSetup('session-redis')!;

  it('every replay refused: revocation time 0, every check passes', () => {
    const out = summarizeRevocation(cookie, params, recorded(replays(4000, () => false)), observed());
    expect(out.measurements).toEqual({
      tokenTtlSeconds: null,
      revokedUsersCount: 2,
      logoutFailedCount: 0,
      replayRequestsCount: 12,
      requestsAcceptedAfterRevokeCount: 0,
      revocationTimeMaxMs: 0,
      revocationTimeMedianMs: 0,
      usersStillAcceptedAtWindowEndCount: 0,
      acceptedPastTokenExpiryMaxMs: null,
      controlReloginsCount: 0,
      controlFailedRequestsCount: 0,
      acceptedAfterRevokeVia_nginx_count: 0,
      acceptedAfterRevokeVia_r0_count: 0,
      acceptedAfterRevokeVia_r1_count: 0,
    });
    expect(checksOf(out)).toEqual([
      'pass: every logout succeeded',
      'pass: users who did not log out kept being served (401 at token expiry excepted)',
      'pass: the revoked credential is refused at once on every replica',
    ]);
    expect(out.injected).toEqual([{ atSeconds: 1, what: '2 user(s) log out (POST /auth/logout)' }]);
    expect(out.notes).toEqual([
      'old credentials were replayed for 3s after logout, round robin through nginx and directly at r0, r1',
    ]);
  });

  it('a replay accepted by one replica after logout fails the check and is counted by where it went', () => {
    // The replays at 1.6 s go to r0: accepted there, refused everywhere else.
    const out = summarizeRevocation(cookie, params, recorded(replays(4000, (at) => at === 1600)), observed());
    expect(out.measurements).toMatchObject({
      requestsAcceptedAfterRevokeCount: 2,
      acceptedAfterRevokeVia_r0_count: 2,
      acceptedAfterRevokeVia_nginx_count: 0,
      revocationTimeMaxMs: 1605 - 1010,
      revocationTimeMedianMs: 1605 - 1020,
    });
    expect(checksOf(out)[2]).toBe('FAIL: the revoked credential is refused at once on every replica');
  });

  it('a credential still accepted in the last second was not revoked within the window: no revocation time', () => {
    const out = summarizeRevocation(cookie, params, recorded(replays(4000, () => true)), observed());
    expect(out.measurements).toMatchObject({
      usersStillAcceptedAtWindowEndCount: 2,
      revocationTimeMaxMs: null,
      revocationTimeMedianMs: null,
    });
  });

  it.each<[string, Partial<Observed>, Sample[], string, string]>([
    [
      'a failed logout',
      { logoutStatuses: [200, 500] },
      [],
      'FAIL: every logout succeeded',
      'logout statuses: 200, 500',
    ],
    [
      'another user refused otherwise than by a 401',
      {},
      [
        sample({ user: 2, atMs: 1500, group: 'control', status: 502 }),
        sample({ user: 3, atMs: 1500, group: 'control' }),
      ],
      'FAIL: users who did not log out kept being served (401 at token expiry excepted)',
      '1 request(s) of the other users failed otherwise',
    ],
  ])('%s fails its check', (_name, o, extra, check, detail) => {
    const out = summarizeRevocation(
      cookie,
      params,
      recorded([...replays(4000, () => false), ...extra]),
      observed(o),
    );
    const failed = out.checks.filter((c) => !c.passed);
    expect(failed.map((c) => `FAIL: ${c.name}`)).toEqual([check]);
    expect(failed[0]!.detail).toBe(detail);
  });
});

describe('summarizing a revocation with plain JWTs (accepted until expiry)', () => {
  const jwt = findSetup('jwt')!;

  /** Both tokens expired when the users logged out (1 s); accepted until `lastOkMs`. */
  function jwtRun(lastOkMs: number) {
    const rec = recorded(replays(35_000, (at) => at <= lastOkMs));
    const exp = rec.wallClock(1000);
    const o = observed({
      expiries: new Map([
        [0, exp],
        [1, exp],
      ]),
    });
    return summarizeRevocation(jwt, params, rec, o);
  }

  it('accepted for the clock tolerance past exp, then refused: both checks pass and the tolerance is measured', () => {
    const out = jwtRun(31_100);
    expect(out.measurements).toMatchObject({
      tokenTtlSeconds: 1,
      usersStillAcceptedAtWindowEndCount: 0,
      revocationTimeMaxMs: 31_105 - 1010,
      acceptedPastTokenExpiryMaxMs: 30_100,
    });
    expect(checksOf(out)).toEqual([
      'pass: every logout succeeded',
      'pass: users who did not log out kept being served (401 at token expiry excepted)',
      'pass: the old access token is still accepted after logout (no server-side revocation)',
      "pass: the old access token is refused once its lifetime (plus the verifier's clock tolerance) has passed",
    ]);
    expect(out.checks[3]!.detail).toBe(
      'last accepted 30095 ms after logout, 30100 ms past its exp; lifetime 1000 ms',
    );
    expect(out.notes[1]).toBe(
      'access tokens were issued with JWT_TTL_SECONDS=1 and were 1-3.5s old at logout, so expiry was expected that much before the full lifetime',
    );
  });

  it('refused at once fails the shape a plain JWT should show', () => {
    expect(checksOf(jwtRun(0))[2]).toBe(
      'FAIL: the old access token is still accepted after logout (no server-side revocation)',
    );
  });

  it('still accepted at the end of the window fails the expiry check', () => {
    const out = jwtRun(35_000);
    expect(checksOf(out)[3]).toMatch(/^FAIL: the old access token is refused once its lifetime/);
    expect(out.checks[3]!.detail).toBe('still accepted at the end of the 34s window');
  });

  it(`accepted past the lifetime plus ${MAX_LEEWAY_MS} ms of tolerance fails the expiry check`, () => {
    const longer = { ...params, observeSeconds: 70 };
    const rec = recorded(replays(71_000, (at) => at <= 63_000));
    const out = summarizeRevocation(
      jwt,
      longer,
      rec,
      observed({ expiries: new Map([[0, rec.wallClock(1000)]]) }),
    );
    expect(out.measurements.revocationTimeMaxMs).toBeGreaterThan(1000 + MAX_LEEWAY_MS);
    expect(checksOf(out)[3]).toMatch(/^FAIL: the old access token is refused once its lifetime/);
  });
});

describe('what each setup is expected to do', () => {
  it.each([
    ['jwt', 'at-expiry', 'observeSeconds', { JWT_TTL_SECONDS: '1' }],
    ['jwt-denylist', 'immediate', 'observeSeconds', { JWT_TTL_SECONDS: '1' }],
    ['session-redis', 'immediate', 'observeSessionSeconds', {}],
    ['session-sticky', 'immediate', 'observeSessionSeconds', {}],
    ['session-iphash', 'immediate', 'observeSessionSeconds', {}],
    ['hybrid', 'at-expiry', 'observeSeconds', { JWT_TTL_SECONDS: '1' }],
  ] as const)('%s revokes %s, is observed for %s, and gets %j', (name, expected, observe, env) => {
    const setup = findSetup(name)!;
    expect(expectedRevocation(setup)).toBe(expected);
    expect(observationFor(setup, params)).toBe(params[observe]);
    expect(revocation.appEnv!(params, setup)).toEqual(env);
  });
});

describe('reading a token expiry', () => {
  const encode = (payload: unknown) => Buffer.from(JSON.stringify(payload)).toString('base64url');

  it.each<[string, string | null, number | null]>([
    ['the exp claim, in ms', `x.${encode({ sub: '1', exp: 1_800_000_000 })}.sig`, 1_800_000_000_000],
    ['no token', null, null],
    ['not a JWT', 'not-a-jwt', null],
    ['no exp claim', `x.${encode({ sub: '1' })}.sig`, null],
    ['an exp that is not a number', `x.${encode({ exp: 'soon' })}.sig`, null],
    ['a payload that is not JSON', `x.${Buffer.from('{oops').toString('base64url')}.sig`, null],
  ])('%s', (_name, token, expected) => {
    expect(tokenExpiry(token)).toBe(expected);
  });
});
