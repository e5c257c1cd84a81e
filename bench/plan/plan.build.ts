/**
 * Turns a profile plus command-line overrides into a validated Plan. Every
 * problem is collected and reported at once, each naming the flag, the value
 * received and what is allowed (autocannon's validate.js / k6's Validate()
 * style); the CLI turns the list into exit code 2.
 */
import { readList, readNumber, whole } from './flag.values';
import { SETUP_NAMES } from '../../infra/setups.data';
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
}

const MAX_CONNECTIONS = 1000;
const MAX_DURATION_SECONDS = 3600;
const MAX_REPETITIONS = 100;

export function buildPlan(flags: PlanFlags): Plan {
  const problems: string[] = [];
  const profileName = (flags.profile ?? 'quick') as ProfileName;
  if (!PROFILE_NAMES.includes(profileName)) {
    problems.push(`--profile "${flags.profile}" is unknown: use one of ${PROFILE_NAMES.join(', ')}.`);
  }
  const plan = profilePlan(PROFILE_NAMES.includes(profileName) ? profileName : 'quick');

  const list = readList;
  const number = (flag: string, raw: string, check: (n: number) => boolean, allowed: string) =>
    readNumber(flag, raw, { check, allowed }, problems);
  const int = whole;

  if (flags.setups !== undefined) {
    const names = flags.setups === 'all' ? [...SETUP_NAMES] : list(flags.setups);
    const unknown = names.filter((n) => !(SETUP_NAMES as readonly string[]).includes(n));
    if (names.length === 0)
      problems.push(`--setups is empty: name at least one of ${SETUP_NAMES.join(', ')} (or "all").`);
    for (const name of unknown)
      problems.push(`--setups "${name}" is not a setup: use ${SETUP_NAMES.join(', ')} (or "all").`);
    plan.setups = [...new Set(names)];
  }
  if (flags.replicas !== undefined) {
    const counts = list(flags.replicas).map((r) =>
      number(
        '--replicas',
        r,
        (n) => int(n) && n >= 1 && n <= MAX_REPLICAS,
        `use whole numbers from 1 to ${MAX_REPLICAS}, comma separated (e.g. 1,2,4)`,
      ),
    );
    if (counts.length === 0) problems.push('--replicas is empty: give replica counts such as 1,2,4.');
    plan.replicas = [...new Set(counts.filter((n): n is number => n !== undefined))];
  }
  if (flags.model !== undefined) {
    if (flags.model === 'closed' || flags.model === 'open') plan.model = flags.model;
    else
      problems.push(
        `--model "${flags.model}" is invalid: use closed (N connections, maximum throughput) or open (fixed arrival rate, needs --rate).`,
      );
  }
  const set = <K extends keyof Plan>(key: K, value: Plan[K] | undefined) => {
    if (value !== undefined) plan[key] = value;
  };
  if (flags.connections !== undefined)
    set(
      'connections',
      number(
        '--connections',
        flags.connections,
        (n) => int(n) && n >= 1 && n <= MAX_CONNECTIONS,
        `use a whole number from 1 to ${MAX_CONNECTIONS}`,
      ),
    );
  if (flags.rate !== undefined)
    set(
      'ratePerSecond',
      number('--rate', flags.rate, (n) => n > 0, 'use a positive number of requests per second (open model)'),
    );
  if (flags.warmup !== undefined)
    set(
      'warmupSeconds',
      number(
        '--warmup',
        flags.warmup,
        (n) => n >= 0 && n <= MAX_DURATION_SECONDS,
        `use seconds from 0 to ${MAX_DURATION_SECONDS}`,
      ),
    );
  readWarmupFlags(flags, plan, problems);
  if (flags.duration !== undefined)
    set(
      'durationSeconds',
      number(
        '--duration',
        flags.duration,
        (n) => n > 0 && n <= MAX_DURATION_SECONDS,
        `use seconds above 0, at most ${MAX_DURATION_SECONDS}`,
      ),
    );
  if (flags.repetitions !== undefined)
    set(
      'repetitions',
      number(
        '--repetitions',
        flags.repetitions,
        (n) => int(n) && n >= 1 && n <= MAX_REPETITIONS,
        `use a whole number from 1 to ${MAX_REPETITIONS}`,
      ),
    );
  if (flags.cpuPerReplica !== undefined) {
    if (flags.cpuPerReplica === 'none') plan.cpuPerReplica = null;
    else
      set(
        'cpuPerReplica',
        number(
          '--cpu-per-replica',
          flags.cpuPerReplica,
          (n) => n > 0 && n <= 64,
          'use a positive number of CPUs (e.g. 0.25), or "none" for no budget',
        ),
      );
  }
  if (flags.sloP99Ms !== undefined) {
    if (flags.sloP99Ms === 'none') plan.sloP99Ms = null;
    else
      set(
        'sloP99Ms',
        number(
          '--slo-p99-ms',
          flags.sloP99Ms,
          (n) => n > 0 && n <= 60_000,
          'use a latency objective in milliseconds above 0 (e.g. 50), or "none"',
        ),
      );
  }
  if (flags.mix !== undefined) {
    const entries = list(flags.mix).map((item) => parseMixItem(item, problems));
    if (entries.length === 0)
      problems.push('--mix is empty: give path=weight pairs such as /api/me=3,/api/items=1.');
    plan.mix = entries.filter((e): e is Plan['mix'][number] => e !== null);
  }
  if (flags.scenarios !== undefined) {
    plan.scenarios =
      flags.scenarios === 'none'
        ? []
        : flags.scenarios === 'all'
          ? [...SCENARIO_NAMES]
          : list(flags.scenarios);
    problems.push(...scenarioNameProblems(plan.scenarios).map((p) => `--scenarios: ${p}.`));
  }

  if (plan.model === 'open' && plan.ratePerSecond === null && flags.rate === undefined) {
    problems.push('--model open needs --rate (arrivals per second across all connections), e.g. --rate 200.');
  }
  if (plan.model === 'closed' && flags.rate !== undefined) {
    problems.push('--rate applies to the open model only: add --model open, or drop --rate.');
  }
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
