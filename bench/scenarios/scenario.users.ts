/**
 * Virtual-user traffic shared by the scenarios: log users in through
 * bench/client, send their authenticated requests through the recorder, and
 * log a user in again when the API answers 401 (a forced re-login, what a
 * real client does when its session is gone), a bounded number of times.
 */
import type { Agent } from 'node:http';
import type { CookieJar } from '../client/cookie-jar';
import { LoginError, loginVirtualUser, loginVirtualUsers, type VirtualUser } from '../client/virtual-user';
import { send } from './driver/http.client';
import type { Recorder, Sample } from './driver/recorder';
import { boundedLoop } from './driver/user-loop';
import type { TargetRun } from './scenario.runner';

/** The protected route the scenarios exercise: small, so the auth work dominates. */
export const PROTECTED_PATH = '/api/me';

export async function loginUsers(run: TargetRun, count: number, firstIndex: number): Promise<VirtualUser[]> {
  run.progress(`logging in ${count} user(s)`);
  return loginVirtualUsers(run.topology.url, run.setup.credential, count, { firstIndex, concurrency: 4 });
}

/** One authenticated GET of the protected route, recorded. `via` "nginx" or a replica id. */
export async function protectedGet(
  rec: Recorder,
  agent: Agent,
  baseUrl: string,
  via: string,
  user: number,
  group: string,
  headers: Record<string, string>,
  timeoutMs: number,
  jar?: CookieJar,
): Promise<Sample> {
  const at = rec.now();
  const result = await send(new URL(PROTECTED_PATH, baseUrl).toString(), { headers, timeoutMs, agent });
  // A real client keeps every cookie it is given (nginx re-pins sticky users with one).
  const setCookie = result.headers['set-cookie'];
  if (jar && setCookie) jar.store(setCookie);
  return rec.record(user, group, via, at, result);
}

/** Logs `user` in again, recording the login as a "relogin" sample; null when the login failed. */
export async function relogin(
  rec: Recorder,
  run: TargetRun,
  user: VirtualUser,
  timeoutMs: number,
): Promise<VirtualUser | null> {
  const at = rec.now();
  const started = performance.now();
  const latencyUs = () => Math.round((performance.now() - started) * 1000);
  try {
    const fresh = await loginVirtualUser(run.topology.url, run.setup.credential, user.index, timeoutMs);
    rec.record(user.index, 'relogin', 'nginx', at, {
      status: 200,
      error: null,
      latencyUs: latencyUs(),
      headers: {},
      body: '',
      replica: fresh.loginReplica,
    });
    return fresh;
  } catch (err) {
    const status = err instanceof LoginError ? err.status : null;
    rec.record(user.index, 'relogin', 'nginx', at, {
      status,
      error: status === null ? (err as Error).message : null,
      latencyUs: latencyUs(),
      headers: {},
      body: '',
      replica: null,
    });
    return null;
  }
}

export interface LoadOptions {
  untilMs: number;
  thinkMs: number;
  timeoutMs: number;
  /** Forced re-logins allowed per user; 0 = keep replaying the same credential. */
  maxRelogins: number;
  group: string;
  maxRequests?: number;
}

/** Runs one user's bounded loop of protected GETs through nginx; returns how often it had to log in again. */
export async function userLoad(
  rec: Recorder,
  run: TargetRun,
  agent: Agent,
  initial: VirtualUser,
  options: LoadOptions,
): Promise<number> {
  let user = initial;
  let relogins = 0;
  const bounds = {
    untilMs: options.untilMs,
    thinkMs: options.thinkMs,
    maxRequests: options.maxRequests ?? Math.ceil(options.untilMs / Math.max(1, options.thinkMs)) + 10,
    signal: run.signal,
  };
  await boundedLoop(
    bounds,
    () => rec.now(),
    async () => {
      const sample = await protectedGet(
        rec,
        agent,
        run.topology.url,
        'nginx',
        user.index,
        options.group,
        user.headers(),
        options.timeoutMs,
        user.jar,
      );
      if (sample.status === 401 && relogins < options.maxRelogins) {
        relogins++;
        user = (await relogin(rec, run, user, options.timeoutMs * 5)) ?? user;
      }
    },
  );
  return relogins;
}
