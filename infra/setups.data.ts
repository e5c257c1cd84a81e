/**
 * The setups (README.md, "Setups") as data. Adding a setup is adding one entry here;
 * the launcher, the nginx template and the bench interpret these fields.
 */
/** How nginx can spread requests; the nginx template renders each. */
export const ROUTINGS = ['round-robin', 'sticky', 'ip-hash'] as const;
export type Routing = (typeof ROUTINGS)[number];
/** 'none': the baseline setup; virtual users do not log in and send no credential. */
export type CredentialKind = 'none' | 'cookie' | 'bearer' | 'hybrid';

export interface SetupDefinition {
  /** Stable identifier used on the command line and in results.json. */
  name: string;
  /** What the setup demonstrates, one sentence for reports and --help. */
  summary: string;
  /** Environment given to every replica (see docs/api-contract.md). */
  appEnv: Readonly<Record<string, string>>;
  /** Whether the topology starts a private redis-server for this setup. */
  needsRedis: boolean;
  /** How nginx spreads requests across replicas. */
  routing: Routing;
  /** How a virtual user presents its credential after login. */
  credential: CredentialKind;
}

export const SETUPS = [
  {
    name: 'baseline',
    summary:
      "No auth at all (AUTH_MODE=none), round robin: the framework's own cost, which every other setup pays before auth.",
    appEnv: { AUTH_MODE: 'none' },
    needsRedis: false,
    routing: 'round-robin',
    credential: 'none',
  },
  {
    name: 'jwt',
    summary: 'Stateless bearer tokens, round robin: the verify cost per request and nothing shared.',
    appEnv: { AUTH_MODE: 'jwt', REVOCATION: 'none' },
    needsRedis: false,
    routing: 'round-robin',
    credential: 'bearer',
  },
  {
    name: 'jwt-denylist',
    summary:
      'Bearer tokens plus a Redis denylist checked on every request: revocable, at a store hop per request.',
    appEnv: { AUTH_MODE: 'jwt', REVOCATION: 'denylist' },
    needsRedis: true,
    routing: 'round-robin',
    credential: 'bearer',
  },
  {
    name: 'session-redis',
    summary:
      'Cookie sessions in one shared Redis, round robin: a network hop and a shared bottleneck per request.',
    appEnv: { AUTH_MODE: 'session', SESSION_STORE: 'redis' },
    needsRedis: true,
    routing: 'round-robin',
    credential: 'cookie',
  },
  {
    name: 'session-sticky',
    summary:
      "Cookie sessions in each replica's memory, routed back to the replica that holds them: no shared store, sessions die with their replica.",
    appEnv: { AUTH_MODE: 'session', SESSION_STORE: 'memory' },
    needsRedis: false,
    routing: 'sticky',
    credential: 'cookie',
  },
  {
    name: 'session-iphash',
    summary: 'Cookie sessions in memory behind ip_hash: every user behind one IP lands on one replica.',
    appEnv: { AUTH_MODE: 'session', SESSION_STORE: 'memory' },
    needsRedis: false,
    routing: 'ip-hash',
    credential: 'cookie',
  },
  {
    name: 'hybrid',
    summary: 'Short-lived access JWT for API calls plus a revocable refresh session in Redis.',
    appEnv: { AUTH_MODE: 'hybrid' },
    needsRedis: true,
    routing: 'round-robin',
    credential: 'hybrid',
  },
] as const satisfies readonly SetupDefinition[];

export type SetupName = (typeof SETUPS)[number]['name'];

export const SETUP_NAMES: readonly SetupName[] = SETUPS.map((s) => s.name);

export function findSetup(name: string): SetupDefinition | undefined {
  return SETUPS.find((s) => s.name === name);
}

/** The setups with a Redis hop (the ones --store-rtt can delay). */
export function storeSetupNames(): SetupName[] {
  return SETUPS.filter((s) => s.needsRedis).map((s) => s.name);
}
