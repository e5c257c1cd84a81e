/**
 * `bench --target URL --setup S [--replica-metrics URL,...] [--replicas N]`:
 * the flags of a remote target, checked all at once (exit 2), then the
 * replicas' /metrics names resolved (exit 4 when one does not resolve).
 * Flags that only make sense for a topology the bench starts are refused.
 */
import { UsageError } from '../../infra/errors';
import { SETUP_NAMES, findSetup } from '../../infra/setups.data';
import { readList, readNumber, wholeFrom } from '../plan/flag.values';
import type { PlanFlags } from '../plan/plan.build';
import type { TargetSpec } from '../plan/target.spec';
import { resolveReplicaMetrics } from '../runner/target.resolve';

export interface TargetFlags {
  target?: string;
  setup?: string;
  replicaMetrics?: string;
  replicas?: string;
  setups?: string;
  cpuPerReplica?: string;
  runtime?: string;
  apiImage?: string;
  apiEntry?: string;
  appEnv: string[];
  scenarios?: string;
  storeRtt?: string;
  cpuProfile?: boolean;
}

/** Flags a target cannot honour, and why: the bench neither starts nor configures the deployment. */
const LOCAL_ONLY: readonly { key: keyof TargetFlags; flag: string; why: string }[] = [
  { key: 'cpuPerReplica', flag: '--cpu-per-replica', why: "the deployment's CPU limits are its own" },
  { key: 'runtime', flag: '--runtime', why: 'nothing is started: the deployment already runs' },
  { key: 'apiImage', flag: '--api-image', why: 'the deployment chose its image' },
  { key: 'apiEntry', flag: '--api-entry', why: 'the deployment runs its own build' },
  { key: 'setups', flag: '--setups', why: 'a target runs one setup: declare it with --setup' },
  {
    key: 'storeRtt',
    flag: '--store-rtt',
    why: "the bench does not sit between the deployment's replicas and its store",
  },
  { key: 'cpuProfile', flag: '--cpu-profile', why: 'the replicas are not processes of this machine' },
];

function httpUrl(flag: string, raw: string, problems: string[]): URL | null {
  try {
    const url = new URL(raw);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url;
  } catch {
    // reported below
  }
  problems.push(`${flag} "${raw}" is invalid: use an http(s) URL, e.g. ${flag} http://10.0.0.5:8080`);
  return null;
}

function localOnlyProblems(flags: TargetFlags): string[] {
  const problems = LOCAL_ONLY.filter((f) => flags[f.key] !== undefined).map(
    (f) => `${f.flag} cannot be used with --target: ${f.why}.`,
  );
  if (flags.appEnv.length > 0)
    problems.push("--app-env cannot be used with --target: the replicas' environment is the deployment's.");
  if (flags.scenarios !== undefined && flags.scenarios !== 'none')
    problems.push(
      '--scenarios cannot be used with --target: the scenarios kill and restart replicas and the store, which only a topology the bench started allows (use --scenarios none).',
    );
  return problems;
}

function replicasProblems(flags: TargetFlags, problems: string[]): number | undefined {
  if (flags.replicas === undefined) return undefined;
  const counts = readList(flags.replicas);
  if (counts.length !== 1) {
    problems.push(
      `--replicas "${flags.replicas}" cannot be a list with --target: the deployment has one replica count; declare it (e.g. --replicas 3) or give --replica-metrics.`,
    );
    return undefined;
  }
  const rule = { check: wholeFrom(1, 1000), allowed: 'use a whole number from 1 to 1000' };
  return readNumber('--replicas', counts[0], rule, problems);
}

/** Everything wrong with a --target command line, at once; null when --target is not given. */
export function checkTargetFlags(flags: TargetFlags):
  | (Omit<TargetSpec, 'replicas' | 'replicasFrom'> & {
      declaredReplicas: number | undefined;
      metricsUrls: string[] | null;
    })
  | null {
  if (flags.target === undefined) {
    const stray = [
      flags.setup !== undefined ? '--setup' : null,
      flags.replicaMetrics !== undefined ? '--replica-metrics' : null,
    ].filter(Boolean);
    if (stray.length > 0)
      throw new UsageError([
        `${stray.join(' and ')} can only be used with --target URL (use --setups for local runs).`,
      ]);
    return null;
  }
  const problems: string[] = [];
  httpUrl('--target', flags.target, problems);
  if (flags.setup === undefined)
    problems.push(`--target needs --setup: declare what it runs, one of ${SETUP_NAMES.join(', ')}.`);
  else if (!findSetup(flags.setup))
    problems.push(`--setup "${flags.setup}" is not a setup: use one of ${SETUP_NAMES.join(', ')}.`);
  const metricsUrls = flags.replicaMetrics === undefined ? null : readList(flags.replicaMetrics);
  for (const raw of metricsUrls ?? []) httpUrl('--replica-metrics', raw, problems);
  if (metricsUrls?.length === 0)
    problems.push('--replica-metrics is empty: give one /metrics URL per replica.');
  const declaredReplicas = replicasProblems(flags, problems);
  problems.push(...localOnlyProblems(flags));
  if (problems.length > 0) throw new UsageError(problems);
  return { url: flags.target, setup: flags.setup!, replicaMetrics: null, declaredReplicas, metricsUrls };
}

/** The target with its replicas known: resolved /metrics endpoints win, a declared count must agree. */
export async function resolveTarget(
  checked: NonNullable<ReturnType<typeof checkTargetFlags>>,
): Promise<TargetSpec> {
  const { declaredReplicas, metricsUrls, ...rest } = checked;
  if (!metricsUrls) return { ...rest, replicas: declaredReplicas ?? 1, replicasFrom: 'declared' };
  const urls = await resolveReplicaMetrics(metricsUrls);
  if (declaredReplicas !== undefined && declaredReplicas !== urls.length)
    throw new UsageError([
      `--replicas ${declaredReplicas} but --replica-metrics reaches ${urls.length} replica(s) (${urls.join(', ')}): drop --replicas or fix the list.`,
    ]);
  return { ...rest, replicaMetrics: urls, replicas: urls.length, replicasFrom: 'replica-metrics' };
}

/** The plan flags a target run uses: its one setup and replica count, no local budget, no scenarios. */
export function targetPlanFlags(flags: PlanFlags, target: TargetSpec): PlanFlags {
  return {
    ...flags,
    setups: target.setup,
    replicas: String(target.replicas),
    cpuPerReplica: 'none',
    scenarios: 'none',
  };
}
