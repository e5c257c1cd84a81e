/**
 * Revocation: half the users log out while the others keep the load going;
 * each logged-out user then keeps replaying its old credential (a stolen
 * cookie or token) through nginx and directly at every replica, so "refused
 * on every replica" is measured, not assumed. Revocation time per user = last
 * accepted replay minus the moment logout returned (0 when none got through).
 */
import type { SetupDefinition } from '../../infra/setups.data';
import { keepAliveAgent, send } from './driver/http.client';
import { buildTimeline, isOk, percentileOrNull, Recorder } from './driver/recorder';
import { boundedLoop, sleepUntil } from './driver/user-loop';
import { check, type Check, type Outcome, type ScenarioImplementation } from './scenario.runner';
import { loginUsers, protectedGet, userLoad } from './scenario.users';
import type { RevocationParams } from './scenarios.data';

/** What the issue expects of each setup: refused at once, or only when the access token expires. */
export function expectedRevocation(setup: SetupDefinition): 'immediate' | 'at-expiry' {
  if (setup.credential === 'cookie') return 'immediate';
  if (setup.credential === 'bearer' && setup.appEnv.REVOCATION === 'denylist') return 'immediate';
  return 'at-expiry';
}

export function observationFor(setup: SetupDefinition, params: RevocationParams): number {
  return setup.credential === 'cookie' ? params.observeSessionSeconds : params.observeSeconds;
}

export const revocation: ScenarioImplementation<'revocation'> = {
  appEnv(params, setup): Record<string, string> {
    return setup.credential === 'cookie' ? {} : { JWT_TTL_SECONDS: String(params.tokenTtlSeconds) };
  },

  async run(run, params: RevocationParams): Promise<Outcome> {
    const loginStarted = performance.now();
    const users = await loginUsers(run, params.users, 1000);
    const loginPhaseMs = performance.now() - loginStarted;
    const agent = keepAliveAgent();
    const rec = new Recorder();
    const revokeAtMs = params.revokeAtSeconds * 1000;
    const observeSeconds = observationFor(run.setup, params);
    const endMs = revokeAtMs + observeSeconds * 1000;
    const targets = [
      { via: 'nginx', url: run.topology.url },
      ...run.topology.replicas.map((r) => ({ via: r.id, url: r.url })),
    ];
    const logoutEnds = new Map<number, number>();
    const logoutStatuses: number[] = [];
    /** Revoked user -> its access token's exp claim (ms since the epoch). */
    const expiries = new Map<number, number>();
    let controlRelogins = 0;
    try {
      run.progress(
        `${params.revokedUsers} user(s) log out at ${params.revokeAtSeconds}s, replays observed for ${observeSeconds}s`,
      );
      await Promise.all(
        users.map(async (user, i) => {
          if (i >= params.revokedUsers) {
            controlRelogins += await userLoad(rec, run, agent, user, {
              untilMs: endMs,
              thinkMs: params.thinkMs,
              timeoutMs: params.requestTimeoutMs,
              maxRelogins: 3,
              group: 'control',
            });
            return;
          }
          await userLoad(rec, run, agent, user, {
            untilMs: revokeAtMs,
            thinkMs: params.thinkMs,
            timeoutMs: params.requestTimeoutMs,
            maxRelogins: 0,
            group: 'before-logout',
          });
          await sleepUntil(revokeAtMs, () => rec.now(), run.signal);
          const stolen = user.headers();
          const exp = tokenExpiry(user.accessToken);
          if (exp !== null) expiries.set(user.index, exp);
          const at = rec.now();
          const result = await send(new URL('/auth/logout', run.topology.url).toString(), {
            method: 'POST',
            headers: stolen,
            timeoutMs: params.requestTimeoutMs,
            agent,
          });
          rec.record(user.index, 'logout', 'nginx', at, result);
          logoutStatuses.push(result.status ?? 0);
          logoutEnds.set(user.index, rec.now());
          let next = 0;
          await boundedLoop(
            {
              untilMs: endMs,
              thinkMs: params.thinkMs,
              maxRequests: Math.ceil(endMs / params.thinkMs) + 10,
              signal: run.signal,
            },
            () => rec.now(),
            async () => {
              const target = targets[next++ % targets.length]!;
              await protectedGet(
                rec,
                agent,
                target.url,
                target.via,
                user.index,
                'revoked',
                stolen,
                params.requestTimeoutMs,
              );
            },
          );
        }),
      );
    } finally {
      agent.destroy();
    }
    return summarize(run.setup, params, rec, {
      logoutEnds,
      logoutStatuses,
      expiries,
      controlRelogins,
      vias: targets.map((t) => t.via),
      loginPhaseMs,
    });
  },
};

interface Observed {
  logoutEnds: Map<number, number>;
  logoutStatuses: number[];
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

function summarize(
  setup: SetupDefinition,
  params: RevocationParams,
  rec: Recorder,
  observed: Observed,
): Outcome {
  const { logoutEnds, logoutStatuses, expiries, controlRelogins, vias, loginPhaseMs } = observed;
  const replays = rec.select((s) => s.group === 'revoked');
  const accepted = replays.filter(isOk);
  const observeSeconds = observationFor(setup, params);
  const endMs = (params.revokeAtSeconds + observeSeconds) * 1000;
  const perUser: number[] = [];
  let stillAcceptedAtEnd = 0;
  for (const [user, logoutEnd] of logoutEnds) {
    const mine = accepted.filter((s) => s.user === user);
    const lastOk = mine.reduce((m, s) => Math.max(m, s.endMs), logoutEnd);
    perUser.push(lastOk - logoutEnd);
    // Accepted within the last second of observation: not revoked within the window.
    if (mine.some((s) => s.atMs >= endMs - 1000)) stillAcceptedAtEnd++;
  }
  const revokedWithinWindow = stillAcceptedAtEnd === 0;
  // How long past its own exp claim a token was still accepted: the verifier's clock tolerance, measured.
  const pastExpiry = [...expiries]
    .map(([user, exp]) =>
      accepted
        .filter((s) => s.user === user)
        .reduce((m, s) => Math.max(m, rec.wallClock(s.atMs) - exp), Number.NEGATIVE_INFINITY),
    )
    .filter(Number.isFinite);
  const maxMs = perUser.length && revokedWithinWindow ? Math.max(...perUser) : null;
  const measurements: Record<string, number | null> = {
    tokenTtlSeconds: setup.credential === 'cookie' ? null : params.tokenTtlSeconds,
    revokedUsersCount: logoutEnds.size,
    logoutFailedCount: logoutStatuses.filter((s) => s < 200 || s >= 300).length,
    replayRequestsCount: replays.length,
    requestsAcceptedAfterRevokeCount: accepted.length,
    revocationTimeMaxMs: maxMs,
    revocationTimeMedianMs: revokedWithinWindow ? percentileOrNull(perUser, 50) : null,
    usersStillAcceptedAtWindowEndCount: stillAcceptedAtEnd,
    acceptedPastTokenExpiryMaxMs: pastExpiry.length ? Math.max(0, ...pastExpiry) : null,
    controlReloginsCount: controlRelogins,
    controlFailedRequestsCount: rec.select((s) => s.group === 'control' && !isOk(s) && s.status !== 401)
      .length,
  };
  for (const via of vias)
    measurements[`acceptedAfterRevokeVia_${via}_count`] = accepted.filter((s) => s.via === via).length;
  const checks: Check[] = [
    check(
      'every logout succeeded',
      measurements.logoutFailedCount === 0,
      `logout statuses: ${[...new Set(logoutStatuses)].join(', ')}`,
    ),
    check(
      'users who did not log out kept being served (401 at token expiry excepted)',
      measurements.controlFailedRequestsCount === 0,
      `${measurements.controlFailedRequestsCount} request(s) of the other users failed otherwise`,
    ),
    ...shapeChecks(
      setup,
      params,
      accepted.length,
      maxMs,
      revokedWithinWindow,
      measurements.acceptedPastTokenExpiryMaxMs ?? null,
    ),
  ];
  const notes = [
    `old credentials were replayed for ${observeSeconds}s after logout, round robin through nginx and directly at ${vias.filter((v) => v !== 'nginx').join(', ')}`,
  ];
  if (setup.credential !== 'cookie') {
    const oldest = (loginPhaseMs / 1000 + params.revokeAtSeconds).toFixed(1);
    notes.push(
      `access tokens were issued with JWT_TTL_SECONDS=${params.tokenTtlSeconds} and were ${params.revokeAtSeconds}-${oldest}s old at logout, so expiry was expected that much before the full lifetime`,
    );
  }
  return {
    injected: [
      { atSeconds: params.revokeAtSeconds, what: `${logoutEnds.size} user(s) log out (POST /auth/logout)` },
    ],
    measurements,
    timeline: buildTimeline(rec.samples),
    checks,
    notes,
  };
}

/** The most clock tolerance past `exp` that RFC 8725-minded checklists allow (security-checklist item 19). */
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
