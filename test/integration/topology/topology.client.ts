/**
 * A small HTTP client for the topology tests: keeps cookies like a browser
 * (so nginx's route cookie works), logs a user in the way its setup expects
 * (cookie, bearer or hybrid) and reads x-replica from every answer.
 * Requests go to loopback only and each has a timeout.
 */
import type { CredentialKind } from '../../../infra/setups.data';

export interface Answer {
  status: number;
  replica: string | null;
  body: string;
}

const REQUEST_TIMEOUT_MS = 5000;

export class TestUser {
  private readonly cookies = new Map<string, string>();
  private bearer: string | null = null;

  constructor(
    readonly index: number,
    private readonly kind: CredentialKind,
  ) {}

  get username(): string {
    return `user${this.index}`;
  }

  /** Credentials as headers, to replay them elsewhere (directly on a replica). */
  headers(): Record<string, string> {
    const h: Record<string, string> = {};
    if (this.cookies.size > 0) h.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (this.bearer && this.kind !== 'cookie') h.authorization = `Bearer ${this.bearer}`;
    return h;
  }

  async request(
    base: string,
    path: string,
    init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<Answer> {
    const res = await fetch(`${base}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...this.headers(),
        ...(init.headers ?? {}),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair?.indexOf('=') ?? -1;
      if (!pair || eq < 1) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return { status: res.status, replica: res.headers.get('x-replica'), body: await res.text() };
  }

  /** Logs in through `base`; returns the replica that answered the login. */
  async login(base: string): Promise<string | null> {
    const answer = await this.request(base, '/auth/login', {
      method: 'POST',
      body: { username: this.username, password: `authscale-pw-${this.index % 16}` },
    });
    if (answer.status !== 200)
      throw new Error(`login of ${this.username} got ${answer.status}: ${answer.body}`);
    if (this.kind !== 'cookie')
      this.bearer = (JSON.parse(answer.body) as { accessToken: string }).accessToken;
    return answer.replica;
  }
}

/** Tally of x-replica values. */
export function countBy(values: readonly (string | null)[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[String(v)] = (counts[String(v)] ?? 0) + 1;
  return counts;
}
