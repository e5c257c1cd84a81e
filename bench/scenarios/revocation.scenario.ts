/**
 * Revocation: half the users log out while the others keep the load going;
 * each logged-out user then keeps replaying its old credential (a stolen
 * cookie or token) through nginx and directly at every replica, so "refused
 * on every replica" is measured, not assumed. Revocation time per user = last
 * accepted replay minus the moment logout returned (0 when none got through).
 */
import type { Agent } from 'node:http';
import type { SetupDefinition } from '../../infra/setups.data';
import type { VirtualUser } from '../client/virtual-user';
import { keepAliveAgent, send } from './driver/http.client';
import { buildTimeline, isOk, percentileOrNull, Recorder, type Sample } from './driver/recorder';
import { boundedLoop, sleepUntil } from './driver/user-loop';
import {
  check,
  type Check,
  type Outcome,
  type ScenarioImplementation,
  type TargetRun,
} from './scenario.runner';
import { loginUsers, protectedGet, userLoad } from './scenario.users';
import type { RevocationParams } from './scenarios.data';

/** What a setup does with a logged-out credential: refuse it at once, or only once the access token expires. */
export function expectedRevocation(setup: SetupDefinition): 'immediate' | 'at-expiry' {
  if (setup.credential === 'cookie') return 'immediate';
  if (setup.credential === 'bearer' && setup.appEnv.REVOCATION === 'denylist') return 'immediate';
  return 'at-expiry';
}

export function observationFor(setup: SetupDefinition, params: RevocationParams): number {
  return setup.credential === 'cookie' ? params.observeSessionSeconds : params.observeSeconds;
}

/** Where replays go: round robin through nginx and directly at each replica. */
interface ReplayTarget {
  via: string;
  url: string;
}

/** What a revocation run shares between its users while they run. */
interface RevocationRun {
  run: TargetRun;
  params: RevocationParams;
  rec: Recorder;
  agent: Agent;
  revokeAtMs: number;
  endMs: number;
  targets: ReplayTarget[];
  observed: Observed;
}

/** A user who does not log out keeps the load going until the end (re-logging in at token expiry). */
async function controlUser(r: RevocationRun, user: VirtualUser): Promise<void> {
  r.observed.controlRelogins += await userLoad(r.rec, r.run, r.agent, user, {
    untilMs: r.endMs,
    thinkMs: r.params.thinkMs,
    timeoutMs: r.params.requestTimeoutMs,
    maxRelogins: 3,
    group: 'control',
  });
}

/** POST /auth/logout with the user's credential, recorded; when it returned is noted per user. */
async function logOut(r: RevocationRun, user: VirtualUser, stolen: Record<string, string>): Promise<void> {
  const { rec, observed } = r;
  const at = rec.now();
  const result = await send(new URL('/auth/logout', r.run.topology.url).toString(), {
    method: 'POST',
    headers: stolen,
    timeoutMs: r.params.requestTimeoutMs,
    agent: r.agent,
  });
  rec.record(user.index, 'logout', 'nginx', at, result);
  observed.logoutStatuses.push(result.status ?? 0);
  observed.logoutEnds.set(user.index, rec.now());
}

/** Replays the old credential at every target in turn until the observation window ends. */
async function replay(r: RevocationRun, user: VirtualUser, stolen: Record<string, string>): Promise<void> {
  const { rec, params, targets } = r;
  let next = 0;
  await boundedLoop(
    {
      untilMs: r.endMs,
      thinkMs: params.thinkMs,
      maxRequests: Math.ceil(r.endMs / params.thinkMs) + 10,
      signal: r.run.signal,
    },
    () => rec.now(),
    async () => {
      const target = targets[next++ % targets.length]!;
      await protectedGet(
        rec,
        r.agent,
        target.url,
        target.via,
        user.index,
        'revoked',
        stolen,
        params.requestTimeoutMs,
      );
    },
  );
}

/** A revoked user: load until the revocation moment, log out, then replay the copy of its credential. */
async function revokedUser(r: RevocationRun, user: VirtualUser): Promise<void> {
  await userLoad(r.rec, r.run, r.agent, user, {
    untilMs: r.revokeAtMs,
    thinkMs: r.params.thinkMs,
    timeoutMs: r.params.requestTimeoutMs,
    maxRelogins: 0,
    group: 'before-logout',
  });
  await sleepUntil(r.revokeAtMs, () => r.rec.now(), r.run.signal);
  const stolen = user.headers();
  const exp = tokenExpiry(user.accessToken);
  if (exp !== null) r.observed.expiries.set(user.index, exp);
  await logOut(r, user, stolen);
  await replay(r, user, stolen);
}

export const revocation: ScenarioImplementation<'revocation'> = {
  appEnv(params, setup): Record<string, string> {
    return setup.credential === 'cookie' ? {} : { JWT_TTL_SECONDS: String(params.tokenTtlSeconds) };
  },

  async run(run, params: RevocationParams): Promise<Outcome> {
    const loginStarted = performance.now();
    const users = await loginUsers(run, params.users, 1000);
    const targets = [
      { via: 'nginx', url: run.topology.url },
      ...run.topology.replicas.map((r) => ({ via: r.id, url: r.url })),
    ];
    const revokeAtMs = params.revokeAtSeconds * 1000;
    const observeSeconds = observationFor(run.setup, params);
    const r: RevocationRun = {
      run,
      params,
      rec: new Recorder(),
      agent: keepAliveAgent(),
      revokeAtMs,
      endMs: revokeAtMs + observeSeconds * 1000,
      targets,
      observed: {
        logoutEnds: new Map(),
        logoutStatuses: [],
        expiries: new Map(),
        controlRelogins: 0,
        vias: targets.map((t) => t.via),
        loginPhaseMs: performance.now() - loginStarted,
      },
    };
    try {
      run.progress(
        `${params.revokedUsers} user(s) log out at ${params.revokeAtSeconds}s, replays observed for ${observeSeconds}s`,
      );
      await Promise.all(
        users.map((user, i) => (i >= params.revokedUsers ? controlUser(r, user) : revokedUser(r, user))),
      );
    } finally {
      r.agent.destroy();
    }
    return summarizeRevocation(run.setup, params, r.rec, r.observed);
  },
};

/** What the users of a revocation run observed, besides their requests. */
export interface Observed {
  /** Revoked user -> when its logout returned (recorder ms). */
  logoutEnds: Map<number, number>;
  logoutStatuses: number[];
  /** Revoked user -> its access token's exp claim (ms since the epoch). */
  expiries: Map<number, number>;
  controlRelogins: number;
  vias: string[];
  loginPhaseMs: number;
}

/** The `exp` claim of a JWT in ms since the epoch (read, not verified: the server verifies), or null. */
export function tokenExpiry(token: string | null): number | null {
  const payload = token?.split('.')[1];
  if (!payload) return null;
  try {
    const exp = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp * 1000 : null;
  } catch {
    return null;
  }
}

/** Per revoked user: ms from logout to its last accepted replay, and how many were accepted in the last second. */
function revocationTimes(
  accepted: readonly Sample[],
  logoutEnds: ReadonlyMap<number, number>,
  endMs: number,
): { perUser: number[]; stillAcceptedAtEnd: number } {
  const perUser: number[] = [];
  let stillAcceptedAtEnd = 0;
  for (const [user, logoutEnd] of logoutEnds) {
    const mine = accepted.filter((s) => s.user === user);
    const lastOk = mine.reduce((m, s) => Math.max(m, s.endMs), logoutEnd);
    perUser.push(lastOk - logoutEnd);
    // Accepted within the last second of observation: not revoked within the window.
    if (mine.some((s) => s.atMs >= endMs - 1000)) stillAcceptedAtEnd++;
  }
  return { perUser, stillAcceptedAtEnd };
}

/** How long past its own exp claim each token was still accepted: the verifier's clock tolerance, measured. */
function pastExpiryMs(
  rec: Recorder,
  accepted: readonly Sample[],
  expiries: ReadonlyMap<number, number>,
): number[] {
  return [...expiries]
    .map(([user, exp]) =>
      accepted
        .filter((s) => s.user === user)
        .reduce((m, s) => Math.max(m, rec.wallClock(s.atMs) - exp), Number.NEGATIVE_INFINITY),
    )
    .filter(Number.isFinite);
}

function revocationMeasurements(
  setup: SetupDefinition,
  params: RevocationParams,
  rec: Recorder,
  observed: Observed,
): Record<string, number | null> {
  const { logoutEnds, logoutStatuses, expiries, controlRelogins, vias } = observed;
  const replays = rec.select((s) => s.group === 'revoked');
  const accepted = replays.filter(isOk);
  const endMs = (params.revokeAtSeconds + observationFor(setup, params)) * 1000;
  const { perUser, stillAcceptedAtEnd } = revocationTimes(accepted, logoutEnds, endMs);
  const revokedWithinWindow = stillAcceptedAtEnd === 0;
  const pastExpiry = pastExpiryMs(rec, accepted, expiries);
  const measurements: Record<string, number | null> = {
    tokenTtlSeconds: setup.credential === 'cookie' ? null : params.tokenTtlSeconds,
    revokedUsersCount: logoutEnds.size,
    logoutFailedCount: logoutStatuses.filter((s) => s < 200 || s >= 300).length,
    replayRequestsCount: replays.length,
    requestsAcceptedAfterRevokeCount: accepted.length,
    revocationTimeMaxMs: perUser.length && revokedWithinWindow ? Math.max(...perUser) : null,
    revocationTimeMedianMs: revokedWithinWindow ? percentileOrNull(perUser, 50) : null,
    usersStillAcceptedAtWindowEndCount: stillAcceptedAtEnd,
    acceptedPastTokenExpiryMaxMs: pastExpiry.length ? Math.max(0, ...pastExpiry) : null,
    controlReloginsCount: controlRelogins,
    controlFailedRequestsCount: rec.select((s) => s.group === 'control' && !isOk(s) && s.status !== 401)
      .length,
  };
  for (const via of vias)
    measurements[`acceptedAfterRevokeVia_${via}_count`] = accepted.filter((s) => s.via === via).length;
  return measurements;
}

function revocationNotes(setup: SetupDefinition, params: RevocationParams, observed: Observed): string[] {
  const notes = [
    `old credentials were replayed for ${observationFor(setup, params)}s after logout, round robin through nginx and directly at ${observed.vias.filter((v) => v !== 'nginx').join(', ')}`,
  ];
  if (setup.credential !== 'cookie') {
    const oldest = (observed.loginPhaseMs / 1000 + params.revokeAtSeconds).toFixed(1);
    notes.push(
      `access tokens were issued with JWT_TTL_SECONDS=${params.tokenTtlSeconds} and were ${params.revokeAtSeconds}-${oldest}s old at logout, so expiry was expected that much before the full lifetime`,
    );
  }
  return notes;
}

/** Measurements, expected-shape checks and notes of one revocation run. */
export function summarizeRevocation(
  setup: SetupDefinition,
  params: RevocationParams,
  rec: Recorder,
  observed: Observed,
): Outcome {
  const m = revocationMeasurements(setup, params, rec, observed);
  const checks: Check[] = [
    check(
      'every logout succeeded',
      m.logoutFailedCount === 0,
      `logout statuses: ${[...new Set(observed.logoutStatuses)].join(', ')}`,
    ),
    check(
      'users who did not log out kept being served (401 at token expiry excepted)',
      m.controlFailedRequestsCount === 0,
      `${m.controlFailedRequestsCount} request(s) of the other users failed otherwise`,
    ),
    ...shapeChecks(
      setup,
      params,
      m.requestsAcceptedAfterRevokeCount!,
      m.revocationTimeMaxMs ?? null,
      m.usersStillAcceptedAtWindowEndCount === 0,
      m.acceptedPastTokenExpiryMaxMs ?? null,
    ),
  ];
  return {
    injected: [
      {
        atSeconds: params.revokeAtSeconds,
        what: `${observed.logoutEnds.size} user(s) log out (POST /auth/logout)`,
      },
    ],
    measurements: m,
    timeline: buildTimeline(rec.samples),
    checks,
    notes: revocationNotes(setup, params, observed),
  };
}

/**
 * The most clock tolerance past `exp` the revocation check accepts: a minute,
 * beyond which a logged-out token lives on noticeably. The API allows 30 s
 * (docs/security.md, requirement 19).
 */
export const MAX_LEEWAY_MS = 60_000;

function shapeChecks(
  setup: SetupDefinition,
  params: RevocationParams,
  acceptedCount: number,
  maxMs: number | null,
  revokedWithinWindow: boolean,
  pastExpiryMs: number | null,
): Check[] {
  if (expectedRevocation(setup) === 'immediate') {
    return [
      check(
        'the revoked credential is refused at once on every replica',
        acceptedCount === 0,
        `${acceptedCount} replayed request(s) accepted after logout`,
      ),
    ];
  }
  const ttlMs = params.tokenTtlSeconds * 1000;
  return [
    check(
      'the old access token is still accepted after logout (no server-side revocation)',
      acceptedCount > 0,
      `${acceptedCount} replayed request(s) accepted after logout`,
    ),
    check(
      "the old access token is refused once its lifetime (plus the verifier's clock tolerance) has passed",
      revokedWithinWindow && maxMs !== null && maxMs <= ttlMs + MAX_LEEWAY_MS,
      revokedWithinWindow
        ? `last accepted ${maxMs?.toFixed(0)} ms after logout, ${pastExpiryMs?.toFixed(0) ?? '?'} ms past its exp; lifetime ${ttlMs} ms`
        : `still accepted at the end of the ${observationFor(setup, params)}s window`,
    ),
  ];
}
