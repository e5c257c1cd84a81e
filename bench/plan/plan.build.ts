/**
 * Turns a profile plus command-line overrides into a validated Plan. Every
 * problem is collected and reported at once, each naming the flag, the value
 * received and what is allowed, so one attempt shows everything to fix; the
 * CLI turns the list into exit code 2.
 */
import { readList, readNumber, whole, type NumberRule } from './flag.values';
import { SETUP_NAMES, findSetup, storeSetupNames } from '../../infra/setups.data';
import { parseStoreRtt } from '../../infra/store-delay/store-rtt.parse';
import { MAX_REPLICAS } from '../../infra/topology.options';
import { UsageError } from '../../infra/errors';
import { planSchema, type Plan } from '../results/results.schema';
import { SCENARIO_NAMES, scenarioNameProblems } from '../scenarios/scenarios.data';
import { PROFILE_NAMES, profilePlan, type ProfileName } from './plan.profiles';

/** Raw flag values as typed (strings), all optional: unset means "the profile's value". */
export interface PlanFlags {
  profile?: string;
  setups?: string;
  replicas?: string;
  model?: string;
  connections?: string;
  rate?: string;
  warmup?: string;
  maxWarmup?: string;
  relaxedWarmup?: string;
  warmupRequests?: string;
  connectionsPer?: string;
  duration?: string;
  repetitions?: string;
  mix?: string;
  cpuPerReplica?: string;
  scenarios?: string;
  sloP99Ms?: string;
  /** --cpu-profile: a boolean switch, the one flag that is not a string. */
  cpuProfile?: boolean;
  storeRtt?: string;
}

const MAX_CONNECTIONS = 1000;
const MAX_DURATION_SECONDS = 3600;
const MAX_REPETITIONS = 100;

type NumericKey = 'connections' | 'ratePerSecond' | 'warmupSeconds' | 'durationSeconds' | 'repetitions';
type NullableKey = 'cpuPerReplica' | 'sloP99Ms';

/** A numeric flag: which plan field it sets, what is allowed, and whether "none" (null) is accepted. */
interface NumericFlag {
  flag: string;
  from: Exclude<keyof PlanFlags, 'cpuProfile'>;
  key: NumericKey | NullableKey;
  rule: NumberRule;
  noneAllowed?: boolean;
}

/** The load's numeric flags, in the order their problems are reported (before the warm-up rule's). */
const LOAD_FLAGS: readonly NumericFlag[] = [
  {
    flag: '--connections',
    from: 'connections',
    key: 'connections',
    rule: {
      check: (n) => whole(n) && n >= 1 && n <= MAX_CONNECTIONS,
      allowed: `use a whole number from 1 to ${MAX_CONNECTIONS}`,
    },
  },
  {
    flag: '--rate',
    from: 'rate',
    key: 'ratePerSecond',
    rule: { check: (n) => n > 0, allowed: 'use a positive number of requests per second (open model)' },
  },
  {
    flag: '--warmup',
    from: 'warmup',
    key: 'warmupSeconds',
    rule: {
      check: (n) => n >= 0 && n <= MAX_DURATION_SECONDS,
      allowed: `use seconds from 0 to ${MAX_DURATION_SECONDS}`,
    },
  },
];

/** The window's and budget's numeric flags, reported after the warm-up rule's. */
const RUN_FLAGS: readonly NumericFlag[] = [
  {
    flag: '--duration',
    from: 'duration',
    key: 'durationSeconds',
    rule: {
      check: (n) => n > 0 && n <= MAX_DURATION_SECONDS,
      allowed: `use seconds above 0, at most ${MAX_DURATION_SECONDS}`,
    },
  },
  {
    flag: '--repetitions',
    from: 'repetitions',
    key: 'repetitions',
    rule: {
      check: (n) => whole(n) && n >= 1 && n <= MAX_REPETITIONS,
      allowed: `use a whole number from 1 to ${MAX_REPETITIONS}`,
    },
  },
  {
    flag: '--cpu-per-replica',
    from: 'cpuPerReplica',
    key: 'cpuPerReplica',
    noneAllowed: true,
    rule: {
      check: (n) => n > 0 && n <= 64,
      allowed: 'use a positive number of CPUs (e.g. 0.25), or "none" for no budget',
    },
  },
  {
    flag: '--slo-p99-ms',
    from: 'sloP99Ms',
    key: 'sloP99Ms',
    noneAllowed: true,
    rule: {
      check: (n) => n > 0 && n <= 60_000,
      allowed: 'use a latency objective in milliseconds above 0 (e.g. 50), or "none"',
    },
  },
];

function applySetups(plan: Plan, raw: string, problems: string[]): void {
  const names = raw === 'all' ? [...SETUP_NAMES] : readList(raw);
  const unknown = names.filter((n) => !(SETUP_NAMES as readonly string[]).includes(n));
  if (names.length === 0)
    problems.push(`--setups is empty: name at least one of ${SETUP_NAMES.join(', ')} (or "all").`);
  for (const name of unknown)
    problems.push(`--setups "${name}" is not a setup: use ${SETUP_NAMES.join(', ')} (or "all").`);
  plan.setups = [...new Set(names)];
}

function applyReplicas(plan: Plan, raw: string, problems: string[]): void {
  const rule: NumberRule = {
    check: (n) => whole(n) && n >= 1 && n <= MAX_REPLICAS,
    allowed: `use whole numbers from 1 to ${MAX_REPLICAS}, comma separated (e.g. 1,2,4)`,
  };
  const counts = readList(raw).map((r) => readNumber('--replicas', r, rule, problems));
  if (counts.length === 0) problems.push('--replicas is empty: give replica counts such as 1,2,4.');
  plan.replicas = [...new Set(counts.filter((n): n is number => n !== undefined))];
}

function applyModel(plan: Plan, raw: string, problems: string[]): void {
  if (raw === 'closed' || raw === 'open') plan.model = raw;
  else
    problems.push(
      `--model "${raw}" is invalid: use closed (N connections, maximum throughput) or open (fixed arrival rate, needs --rate).`,
    );
}

function applyNumbers(plan: Plan, flags: PlanFlags, table: readonly NumericFlag[], problems: string[]): void {
  for (const { flag, from, key, rule, noneAllowed } of table) {
    const raw = flags[from];
    if (raw === undefined) continue;
    if (noneAllowed && raw === 'none') {
      plan[key as NullableKey] = null;
      continue;
    }
    const value = readNumber(flag, raw, rule, problems);
    if (value !== undefined) plan[key] = value;
  }
}

function applyMix(plan: Plan, raw: string, problems: string[]): void {
  const entries = readList(raw).map((item) => parseMixItem(item, problems));
  if (entries.length === 0)
    problems.push('--mix is empty: give path=weight pairs such as /api/me=3,/api/items=1.');
  plan.mix = entries.filter((e): e is Plan['mix'][number] => e !== null);
}

function applyScenarios(plan: Plan, raw: string, problems: string[]): void {
  plan.scenarios = raw === 'none' ? [] : raw === 'all' ? [...SCENARIO_NAMES] : readList(raw);
  problems.push(...scenarioNameProblems(plan.scenarios).map((p) => `--scenarios: ${p}.`));
}

/** --store-rtt 1ms (or 0,1ms): every listed setup must have a Redis hop to delay. */
function applyStoreRtt(plan: Plan, raw: string, problems: string[]): void {
  const parsed = readList(raw).map((item) => parseStoreRtt('--store-rtt', item));
  for (const p of parsed) if ('problem' in p) problems.push(p.problem);
  const rtts = [...new Set(parsed.flatMap((p) => ('ms' in p ? [p.ms] : [])))].sort((a, b) => a - b);
  if (parsed.length === 0) problems.push('--store-rtt is empty: give a round trip such as 1ms.');
  if (rtts.length > 0) plan.storeRttsMs = rtts;
  // Asked for by flag: every replica count of the plan, not only the profile's choice.
  plan.storeRttReplicas = null;
  const storeless = plan.setups.filter((name) => !findSetup(name)?.needsRedis);
  if (rtts.some((ms) => ms > 0) && storeless.length > 0)
    problems.push(
      `--store-rtt delays the Redis hop, and ${storeless.join(', ')} ha${storeless.length === 1 ? 's' : 've'} no store: pick setups from ${storeSetupNames().join(', ')}, or drop --store-rtt.`,
    );
}

/** The profile's delayed-hop replica counts that --replicas kept, or every one when it kept none. */
function keepStoreRttReplicasIn(plan: Plan): void {
  const kept = plan.storeRttReplicas?.filter((n) => plan.replicas.includes(n)) ?? [];
  plan.storeRttReplicas = kept.length > 0 ? kept : null;
}

/** The open model needs a rate; the closed model has none. */
function modelProblems(plan: Plan, flags: PlanFlags): string[] {
  const problems: string[] = [];
  if (plan.model === 'open' && plan.ratePerSecond === null && flags.rate === undefined) {
    problems.push('--model open needs --rate (arrivals per second across all connections), e.g. --rate 200.');
  }
  if (plan.model === 'closed' && flags.rate !== undefined) {
    problems.push('--rate applies to the open model only: add --model open, or drop --rate.');
  }
  return problems;
}

/** The profile named by --profile (quick when unset); an unknown name is a problem, and quick stands in for it. */
function basePlan(flags: PlanFlags, problems: string[]): Plan {
  const profileName = (flags.profile ?? 'quick') as ProfileName;
  const known = PROFILE_NAMES.includes(profileName);
  if (!known)
    problems.push(`--profile "${flags.profile}" is unknown: use one of ${PROFILE_NAMES.join(', ')}.`);
  return profilePlan(known ? profileName : 'quick');
}

export function buildPlan(flags: PlanFlags): Plan {
  const problems: string[] = [];
  const plan = basePlan(flags, problems);
  if (flags.setups !== undefined) applySetups(plan, flags.setups, problems);
  if (flags.replicas !== undefined) applyReplicas(plan, flags.replicas, problems);
  if (flags.replicas !== undefined) keepStoreRttReplicasIn(plan);
  if (flags.model !== undefined) applyModel(plan, flags.model, problems);
  applyNumbers(plan, flags, LOAD_FLAGS, problems);
  // After --warmup: the limit is checked against the minimum.
  readWarmupFlags(flags, plan, problems);
  applyNumbers(plan, flags, RUN_FLAGS, problems);
  if (flags.mix !== undefined) applyMix(plan, flags.mix, problems);
  if (flags.scenarios !== undefined) applyScenarios(plan, flags.scenarios, problems);
  if (flags.cpuProfile) plan.cpuProfile = true;
  if (flags.storeRtt !== undefined) applyStoreRtt(plan, flags.storeRtt, problems);
  problems.push(...modelProblems(plan, flags));
  if (problems.length > 0) throw new UsageError(problems);

  if (plan.model === 'closed') plan.ratePerSecond = null;
  // The schema is the last word: a bug above must not produce an invalid results file later.
  const parsed = planSchema.safeParse(plan);
  if (!parsed.success)
    throw new UsageError(parsed.error.issues.map((i) => `plan.${i.path.join('.')}: ${i.message}`));
  return parsed.data;
}

function parseMixItem(item: string, problems: string[]): Plan['mix'][number] | null {
  const [path, weightRaw] = item.split('=');
  const weight = weightRaw === undefined ? 1 : Number(weightRaw);
  if (!path?.startsWith('/') || !Number.isFinite(weight) || weight <= 0) {
    problems.push(
      `--mix "${item}" is invalid: use path=weight with a path starting with / and a positive weight (e.g. /api/me=3).`,
    );
    return null;
  }
  return { path, weight };
}

/** The steady-state rule's flags: --max-warmup (0 turns the rule off), --warmup-requests, --connections-per. */
function readWarmupFlags(flags: PlanFlags, plan: Plan, problems: string[]): void {
  const seconds = {
    check: (n: number) => n >= 0 && n <= MAX_DURATION_SECONDS,
    allowed: `use seconds from 0 to ${MAX_DURATION_SECONDS} (0: a fixed --warmup, no steady-state rule)`,
  };
  const relaxed = readNumber('--relaxed-warmup', flags.relaxedWarmup, seconds, problems);
  if (relaxed !== undefined) plan.relaxedWarmupSeconds = relaxed;
  const maxWarmup = readNumber('--max-warmup', flags.maxWarmup, seconds, problems);
  if (maxWarmup !== undefined) plan.maxWarmupSeconds = maxWarmup;
  const perReplica = {
    check: (n: number) => Number.isInteger(n) && n >= 0 && n <= 1_000_000,
    allowed: 'use a whole number of requests from 0 to 1000000',
  };
  const requests = readNumber('--warmup-requests', flags.warmupRequests, perReplica, problems);
  if (requests !== undefined) plan.warmupRequestsPerReplica = requests;
  if (flags.connectionsPer !== undefined) {
    if (flags.connectionsPer === 'replica' || flags.connectionsPer === 'total')
      plan.connectionsPer = flags.connectionsPer;
    else
      problems.push(
        `--connections-per "${flags.connectionsPer}" is invalid: use replica (the same load on every replica at every count) or total.`,
      );
  }
  if (
    plan.maxWarmupSeconds !== null &&
    plan.maxWarmupSeconds !== 0 &&
    plan.maxWarmupSeconds < plan.warmupSeconds
  )
    problems.push(
      `--max-warmup ${plan.maxWarmupSeconds} is below --warmup ${plan.warmupSeconds}: the limit must be at least the minimum (or 0 to turn the rule off).`,
    );
}
