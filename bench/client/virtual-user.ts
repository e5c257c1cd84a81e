/**
 * Virtual users: log each one in before any measured window, then hand out
 * the headers its requests must carry (Cookie and/or Authorization). Shared
 * by the throughput runs (bench) and the trade-off scenarios.
 *
 * The user directory of the API is deterministic (docs/api-contract.md):
 * user<i> with password authscale-pw-<i mod 16>. The baseline setup
 * (credential 'none') has no login: its users send no credential and the API
 * answers as one synthetic user.
 */
import type { CredentialKind } from '../../infra/setups.data';
import { CookieJar } from './cookie-jar';

export const PASSWORD_POOL_SIZE = 16;

/** Who AUTH_MODE=none answers as (docs/api-contract.md, "AUTH_MODE=none"). */
export const NO_AUTH_USERNAME = 'baseline';

export function credentialsOf(index: number): { username: string; password: string } {
  return { username: `user${index}`, password: `authscale-pw-${index % PASSWORD_POOL_SIZE}` };
}

export interface VirtualUser {
  index: number;
  username: string;
  jar: CookieJar;
  /** Bearer access token (jwt and hybrid). */
  accessToken: string | null;
  /** x-replica of the login response: where a sticky session lives. */
  loginReplica: string | null;
  /** Headers every authenticated request of this user carries. */
  headers(): Record<string, string>;
}

export interface LoginOptions {
  /** First user index (to give different runs different users). Default 0. */
  firstIndex?: number;
  /** Logins in flight at once; password hashing is slow by design. Default 8. */
  concurrency?: number;
  /** Per-login timeout. Default 30 s (a 0.25-CPU replica hashes slowly). */
  timeoutMs?: number;
}

/** Raised when a login fails: carries what the server answered so the bench can say it. */
export class LoginError extends Error {
  constructor(
    readonly username: string,
    readonly status: number | null,
    readonly body: string,
  ) {
    super(
      `login of ${username} failed: ${status === null ? 'no response' : `HTTP ${status}`} ${body.slice(0, 200)}`,
    );
    this.name = 'LoginError';
  }
}

export async function loginVirtualUser(
  baseUrl: string,
  credential: CredentialKind,
  index: number,
  timeoutMs = 30_000,
): Promise<VirtualUser> {
  // Nothing to log in to: a user without a credential, answered as the synthetic user.
  if (credential === 'none') return makeUser(index, NO_AUTH_USERNAME, new CookieJar(), null, null);
  const { username, password } = credentialsOf(index);
  const jar = new CookieJar();
  let response: Response;
  try {
    response = await fetch(new URL('/auth/login', baseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    throw new LoginError(username, null, (err as Error).message);
  }
  const body = await response.text();
  if (response.status !== 200) throw new LoginError(username, response.status, body);
  jar.store(response.headers.getSetCookie());
  let accessToken: string | null = null;
  if (credential === 'bearer' || credential === 'hybrid') {
    accessToken = parseAccessToken(body);
    if (!accessToken) throw new LoginError(username, response.status, `no accessToken in body: ${body}`);
  }
  return makeUser(index, username, jar, accessToken, response.headers.get('x-replica'));
}

export async function loginVirtualUsers(
  baseUrl: string,
  credential: CredentialKind,
  count: number,
  options: LoginOptions = {},
): Promise<VirtualUser[]> {
  const first = options.firstIndex ?? 0;
  const users: VirtualUser[] = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const slot = next++;
      users[slot] = await loginVirtualUser(baseUrl, credential, first + slot, options.timeoutMs);
    }
  };
  const workers = Array.from({ length: Math.min(count, options.concurrency ?? 8) }, worker);
  await Promise.all(workers);
  return users;
}

/** POST /auth/logout with the user's credential; returns the status. */
export async function logoutVirtualUser(
  baseUrl: string,
  user: VirtualUser,
  timeoutMs = 10_000,
): Promise<number> {
  const response = await fetch(new URL('/auth/logout', baseUrl), {
    method: 'POST',
    headers: user.headers(),
    signal: AbortSignal.timeout(timeoutMs),
  });
  user.jar.store(response.headers.getSetCookie());
  await response.arrayBuffer();
  return response.status;
}

function makeUser(
  index: number,
  username: string,
  jar: CookieJar,
  accessToken: string | null,
  loginReplica: string | null,
): VirtualUser {
  const user: VirtualUser = {
    index,
    username,
    jar,
    accessToken,
    loginReplica,
    headers() {
      const headers: Record<string, string> = {};
      const cookie = user.jar.header();
      if (cookie) headers.cookie = cookie;
      if (user.accessToken) headers.authorization = `Bearer ${user.accessToken}`;
      return headers;
    },
  };
  return user;
}

function parseAccessToken(body: string): string | null {
  try {
    const parsed = JSON.parse(body) as { accessToken?: unknown };
    return typeof parsed.accessToken === 'string' ? parsed.accessToken : null;
  } catch {
    return null;
  }
}
