/**
 * The trade-off scenarios (bench/scenarios/README.md), declared as data: which setups each
 * applies to (and with which extra replica environment), how many replicas,
 * and its parameters at full size. `QUICK` shrinks them for the quick profile;
 * tests pass their own, smaller parameters. The *.scenario.ts files interpret
 * these; nothing here runs anything.
 */
import { SETUPS, type SetupName } from '../../infra/setups.data';

/** One setup a scenario runs against; `variant` names a setting shown side by side (fail-open vs fail-closed). */
export interface ScenarioTarget {
  setup: SetupName;
  variant?: string;
  appEnv?: Readonly<Record<string, string>>;
}

export interface RevocationParams {
  users: number;
  /** How many of them log out mid-run; the rest keep the load going. */
  revokedUsers: number;
  thinkMs: number;
  /** Logout happens this long after the window begins. */
  revokeAtSeconds: number;
  /**
   * How long the old credential keeps being replayed after logout, where it is expected to live on:
   * must exceed the token lifetime plus the verifier's clock tolerance (the API allows 30 s).
   */
  observeSeconds: number;
  /**
   * The same for cookie sessions, which have no expiry claim to outlive: a late acceptance still shows.
   * Token setups (the denylist too) are observed for observeSeconds, past exp plus tolerance,
   * so a denylist entry that lapses before the verifier stops accepting the token shows.
   */
  observeSessionSeconds: number;
  /** Access-token lifetime given to jwt and hybrid replicas, so plain JWT expiry is observable. */
  tokenTtlSeconds: number;
  requestTimeoutMs: number;
}

export interface ReplicaFaultParams {
  users: number;
  thinkMs: number;
  faultAtSeconds: number;
  durationSeconds: number;
  /** A user answered 401 logs in again, at most this many times (a forced re-login). */
  maxRelogins: number;
  requestTimeoutMs: number;
}

export interface StoreOutageParams {
  users: number;
  thinkMs: number;
  outageAtSeconds: number;
  outageSeconds: number;
  /** Observation after Redis is back. */
  recoverySeconds: number;
  maxRelogins: number;
  requestTimeoutMs: number;
}

export interface ServerStateParams {
  /** Session counts to fill the store with (clones of a real session record). */
  sessionCounts: number[];
  /** Real logins whose records are inspected and whose headers are measured. */
  sampleLogins: number;
  /** Users to project memory for. */
  projectUsers: number;
}

export interface LoginStormParams {
  /** Already logged-in users whose traffic continues through the storm. */
  backgroundUsers: number;
  thinkMs: number;
  /** Users logging in all at once. */
  stormUsers: number;
  /** Background traffic before the storm, the baseline for latency. */
  baselineSeconds: number;
  /** Upper bound on the storm; logins still pending then count as timed out. */
  stormTimeoutSeconds: number;
  /** Background traffic after the storm ended. */
  afterSeconds: number;
  requestTimeoutMs: number;
}

/** Parameters both scaling scenarios share. */
interface ScalingParams {
  users: number;
  /** 0 = closed model at full speed: the users saturate the replicas, so capacity gained shows. */
  thinkMs: number;
  /** When the replicas are added or removed, seconds into the window. */
  scaleAtSeconds: number;
  durationSeconds: number;
  maxRelogins: number;
  requestTimeoutMs: number;
}

export interface ScaleOutParams extends ScalingParams {
  addReplicas: number;
  /** Users who log in this long after the scale-out (and join the load): where new users land. */
  newUsers: number;
  newUsersAtSeconds: number;
  /** "Even": every replica's share of a second's responses within this many percent of 1/N... */
  evenTolerancePercent: number;
  /** ...for this many consecutive seconds. */
  evenSeconds: number;
}

export type ScaleInParams = ScalingParams;

interface Base {
  summary: string;
  replicas: number;
  targets: readonly ScenarioTarget[];
}

export type ScenarioDefinition =
  | (Base & { name: 'revocation'; params: RevocationParams })
  | (Base & { name: 'replica-loss'; params: ReplicaFaultParams })
  | (Base & { name: 'replica-restart'; params: ReplicaFaultParams })
  | (Base & { name: 'store-outage'; params: StoreOutageParams })
  | (Base & { name: 'server-state'; params: ServerStateParams })
  | (Base & { name: 'login-storm'; params: LoginStormParams })
  | (Base & { name: 'scale-out'; params: ScaleOutParams })
  | (Base & { name: 'scale-in'; params: ScaleInParams });

export type ScenarioName = ScenarioDefinition['name'];
export type ParamsOf<N extends ScenarioName> = Extract<ScenarioDefinition, { name: N }>['params'];

/**
 * Every setup with a credential, derived from infra/setups.data.ts so a new
 * setup is never silently left out. The baseline (credential 'none') is left
 * out on purpose: revocation, replica loss and restart and the login storm
 * are about credentials (logout, lost sessions, re-logins, password
 * hashing), and a setup without login has none of them to show.
 */
const SETUPS_WITH_CREDENTIAL: readonly ScenarioTarget[] = SETUPS.filter((s) => s.credential !== 'none').map(
  (s): ScenarioTarget => ({ setup: s.name }),
);

const replicaFault: ReplicaFaultParams = {
  users: 30,
  thinkMs: 50,
  faultAtSeconds: 4,
  durationSeconds: 14,
  maxRelogins: 3,
  requestTimeoutMs: 3000,
};

export const SCENARIOS: readonly ScenarioDefinition[] = [
  {
    name: 'revocation',
    summary:
      'Users log out while load continues: how long the old credential is still accepted, on every replica.',
    replicas: 2,
    targets: SETUPS_WITH_CREDENTIAL,
    params: {
      users: 20,
      revokedUsers: 10,
      thinkMs: 100,
      revokeAtSeconds: 2,
      observeSeconds: 60,
      observeSessionSeconds: 8,
      tokenTtlSeconds: 20,
      requestTimeoutMs: 3000,
    },
  },
  {
    name: 'replica-loss',
    summary:
      'One replica is killed with SIGKILL mid-run: failed requests, forced re-logins, time back to zero errors.',
    replicas: 2,
    targets: SETUPS_WITH_CREDENTIAL,
    params: replicaFault,
  },
  {
    name: 'replica-restart',
    summary: 'One replica is restarted mid-run: what a rolling deploy costs each setup.',
    replicas: 2,
    targets: SETUPS_WITH_CREDENTIAL,
    params: replicaFault,
  },
  {
    name: 'store-outage',
    summary:
      'Redis stops (or hangs: SIGSTOP) for a few seconds and comes back: statuses during and after, recovery time, fail-open vs fail-closed. Plain jwt and the memory-store setups have no store to stop.',
    replicas: 2,
    targets: [
      { setup: 'session-redis' },
      { setup: 'jwt-denylist', variant: 'fail-closed', appEnv: { REVOCATION_FAIL_MODE: 'closed' } },
      { setup: 'jwt-denylist', variant: 'fail-open', appEnv: { REVOCATION_FAIL_MODE: 'open' } },
      { setup: 'hybrid' },
      // Frozen (SIGSTOP) instead of stopped: sockets stay open and nothing answers.
      { setup: 'session-redis', variant: 'hung' },
    ],
    params: {
      users: 20,
      thinkMs: 50,
      outageAtSeconds: 3,
      outageSeconds: 4,
      recoverySeconds: 8,
      maxRelogins: 3,
      requestTimeoutMs: 2000,
    },
  },
  {
    name: 'server-state',
    summary:
      'What keeping users logged in costs in memory: Redis bytes per session, replica heap per memory-store session, credential bytes per request.',
    replicas: 1,
    targets: [
      { setup: 'session-redis' },
      { setup: 'hybrid' },
      { setup: 'session-sticky' },
      { setup: 'jwt' },
      { setup: 'jwt-denylist' },
    ],
    params: { sessionCounts: [10_000, 100_000], sampleLogins: 8, projectUsers: 1_000_000 },
  },
  {
    name: 'login-storm',
    summary:
      'Everyone logs in at once with the default password hash: login throughput and latency, and what it does to logged-in traffic.',
    replicas: 2,
    targets: SETUPS_WITH_CREDENTIAL,
    params: {
      backgroundUsers: 10,
      thinkMs: 50,
      stormUsers: 200,
      baselineSeconds: 3,
      stormTimeoutSeconds: 60,
      afterSeconds: 2,
      requestTimeoutMs: 5000,
    },
  },
  {
    name: 'scale-out',
    summary:
      'Two replicas serve logged-in users; two more are started, then nginx is reloaded with them under load: which replicas the existing and new users reach, how long until the load is even, capacity before and after.',
    replicas: 2,
    targets: SETUPS_WITH_CREDENTIAL,
    params: {
      users: 24,
      thinkMs: 0,
      scaleAtSeconds: 6,
      durationSeconds: 26,
      addReplicas: 2,
      newUsers: 8,
      newUsersAtSeconds: 18,
      evenTolerancePercent: 20,
      evenSeconds: 3,
      maxRelogins: 3,
      requestTimeoutMs: 3000,
    },
  },
  {
    name: 'scale-in',
    summary:
      'One of three replicas is removed gracefully under load (out of nginx by reload, in-flight requests drained, then stopped): sessions lost and re-logins per setup.',
    replicas: 3,
    targets: SETUPS_WITH_CREDENTIAL,
    params: {
      users: 24,
      thinkMs: 0,
      scaleAtSeconds: 5,
      durationSeconds: 14,
      maxRelogins: 3,
      requestTimeoutMs: 3000,
    },
  },
];

/** The quick profile's shorter versions (only what differs). */
export const QUICK: { [N in ScenarioName]: Partial<ParamsOf<N>> } = {
  revocation: { users: 8, revokedUsers: 4, observeSeconds: 38, observeSessionSeconds: 3, tokenTtlSeconds: 3 },
  'replica-loss': { users: 12, faultAtSeconds: 2, durationSeconds: 6 },
  'replica-restart': { users: 12, faultAtSeconds: 2, durationSeconds: 6 },
  'store-outage': { users: 8, outageAtSeconds: 2, outageSeconds: 2, recoverySeconds: 4 },
  'server-state': { sessionCounts: [10_000], sampleLogins: 4 },
  'login-storm': { backgroundUsers: 4, stormUsers: 40, baselineSeconds: 2 },
  'scale-out': { users: 12, scaleAtSeconds: 3, durationSeconds: 14, newUsers: 4, newUsersAtSeconds: 10 },
  'scale-in': { users: 12, scaleAtSeconds: 3, durationSeconds: 8 },
};

export const SCENARIO_NAMES: readonly ScenarioName[] = SCENARIOS.map((s) => s.name);

export function findScenario(name: string): ScenarioDefinition | undefined {
  return SCENARIOS.find((s) => s.name === name);
}

/** The definition with the profile's sizes applied ("quick" shrinks, anything else is full size). */
export function sizedFor(definition: ScenarioDefinition, profile: string): ScenarioDefinition {
  if (profile !== 'quick') return definition;
  const quick = QUICK[definition.name] as Partial<ScenarioDefinition['params']>;
  return { ...definition, params: { ...definition.params, ...quick } } as ScenarioDefinition;
}

/** Unknown scenario names, each with the names that exist; empty when all are known. */
export function scenarioNameProblems(names: readonly string[]): string[] {
  return names
    .filter((n) => !findScenario(n))
    .map((n) => `unknown scenario "${n}": choose from ${SCENARIO_NAMES.join(', ')}`);
}
