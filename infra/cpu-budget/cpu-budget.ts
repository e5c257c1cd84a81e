/**
 * CPU budgets and placement for one topology.
 *
 * - Budget: each replica gets a CFS quota of `cpuPerReplica` CPUs (like a
 *   Kubernetes CPU limit), so that 1 -> 2 -> 4 replicas is a scaling
 *   experiment even on a 2-core machine.
 * - Placement: replicas get every CPU but the last, and nothing else runs
 *   there, so their summed budgets (4 x 0.25 = 1 CPU on a 2-core machine)
 *   fit without nginx or Redis eating into them; otherwise 4 replicas plus
 *   nginx overcommit one core and "scaling efficiency" measures that. The
 *   load generator, nginx and Redis share the last CPU: at the rates a few
 *   0.25-CPU replicas sustain, all three together use a fraction of it, and
 *   the bench reports each one's CPU and flags a generator-bound run.
 * - Period: a 0.25 CPU quota at the kernel's default 100 ms period lets a
 *   replica run 25 ms and then stall 75 ms, which shows up as p99 spikes
 *   that are an artefact of the period, not of the auth scheme. We default
 *   to 10 ms (see DEFAULT_CFS_PERIOD_US and the README for the measurement).
 *
 * When any of this cannot be done (not Linux, not root, no controller, one
 * CPU), the topology still starts and the description says why.
 */
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { BudgetDescription } from '../topology.types';
import { InfraError } from '../process/infra-error';
import {
  cgroupV1Backend,
  cgroupV2Backend,
  detectCgroups,
  sweepStaleGroups,
  type CgroupBackend,
  type Detected,
} from './cgroup.backend';
import { isAlive } from '../process/proc-tree';

export const DEFAULT_CFS_PERIOD_US = 10000;
/** The kernel refuses quotas below 1 ms and periods outside 1 ms..1 s. */
const MIN_QUOTA_US = 1000;
const PERIOD_RANGE_US = [1000, 1000000] as const;

export type PlacedRole = 'replica' | 'nginx' | 'redis' | 'store-delay';

export interface CpuBudgetRequest {
  cpuPerReplica: number | null;
  cfsPeriodUs?: number;
  /** Pin the generator to its own CPU (default: on when a budget is requested). */
  placement?: boolean;
  /** For tests: where cgroups are mounted. */
  mountRoot?: string;
  /** Create the replicas' groups with the quota lifted; enforceQuota(true) applies it (default false). */
  startRelaxed?: boolean;
}

export interface CpuBudget {
  description: BudgetDescription;
  /** cgroup.procs files a process of this role must join before it runs. */
  procsFiles(role: PlacedRole, replicaId?: string): string[];
  generatorPlacement(): { cpus: string | null; cgroupProcsFiles: string[] };
  /**
   * Lifts (false) or restores (true) the replicas' CPU quota, keeping their
   * placement: the bench starts and warms replicas at full speed and measures
   * them under their budget (bench/runner/run.steady.ts says why). A no-op
   * when no quota was set.
   */
  enforceQuota(enforced: boolean): void;
  /** Synchronous so the exit-time cleanup can call it. Idempotent. */
  destroy(): void;
}

export function parseCpuList(list: string): number[] {
  const cpus: number[] = [];
  for (const part of list.trim().split(',').filter(Boolean)) {
    const [a, b] = part.split('-').map(Number);
    if (a === undefined || !Number.isInteger(a)) continue;
    for (let c = a; c <= (b ?? a); c++) cpus.push(c);
  }
  return cpus;
}

function allowedCpus(d: Detected): number[] {
  const candidates =
    d.version === 'v1' && d.cpusetRoot
      ? [`${d.cpusetRoot}/cpuset.cpus`]
      : d.version === 'v2'
        ? [`${d.root}/cpuset.cpus.effective`]
        : [];
  for (const file of [...candidates, '/sys/fs/cgroup/cpuset/cpuset.cpus']) {
    try {
      const cpus = parseCpuList(readFileSync(file, 'utf8'));
      if (cpus.length > 0) return cpus;
    } catch {
      // try the next source
    }
  }
  return [];
}

/** Every problem with the request at once, as the CLI lists them. */
export function validateBudgetRequest(req: CpuBudgetRequest): string[] {
  const problems: string[] = [];
  const period = req.cfsPeriodUs ?? DEFAULT_CFS_PERIOD_US;
  const periodValid =
    Number.isInteger(period) && period >= PERIOD_RANGE_US[0] && period <= PERIOD_RANGE_US[1];
  if (!periodValid) {
    problems.push(
      `cfs period ${period} us is invalid: use an integer from ${PERIOD_RANGE_US[0]} to ${PERIOD_RANGE_US[1]}.`,
    );
  }
  if (req.cpuPerReplica !== null) {
    if (!Number.isFinite(req.cpuPerReplica) || req.cpuPerReplica <= 0) {
      problems.push(
        `--cpu-per-replica ${req.cpuPerReplica} is invalid: use a positive number of CPUs such as 0.25.`,
      );
    } else if (periodValid && Math.round(req.cpuPerReplica * period) < MIN_QUOTA_US) {
      problems.push(
        `--cpu-per-replica ${req.cpuPerReplica} at a ${period} us period is a quota under 1 ms, which the kernel refuses: raise it or the period.`,
      );
    }
  }
  return problems;
}

function notEnforced(req: CpuBudgetRequest, reason: string, version: 'v1' | 'v2' | null): CpuBudget {
  return {
    description: {
      enforced: false,
      reason,
      cgroupVersion: version,
      cpuPerReplica: req.cpuPerReplica,
      cfsPeriodUs: null,
      placement: null,
    },
    procsFiles: () => [],
    generatorPlacement: () => ({ cpus: null, cgroupProcsFiles: [] }),
    enforceQuota: () => undefined,
    destroy: () => undefined,
  };
}

function setQuota(
  backend: CgroupBackend,
  groups: Iterable<string>,
  quotaUs: number | 'max',
  periodUs: number,
) {
  for (const name of groups) backend.group(name, { quotaUs, periodUs });
}

function whyNoPlacement(
  detected: Extract<Detected, { version: 'v1' | 'v2' }>,
  cpus: number[],
): string | null {
  if (cpus.length < 2)
    return `only ${cpus.length || 'an unknown number of'} CPU(s): the load generator cannot get its own`;
  return detected.version === 'v1' && !detected.cpusetRoot ? 'no writable cpuset controller' : null;
}

/** Replicas keep every CPU but the last; nginx, Redis and the generator share the last. */
function placementOf(wantPlacement: boolean, placementReason: string | null, cpus: number[]) {
  return wantPlacement && placementReason === null
    ? { replicas: cpus.slice(0, -1).join(','), shared: String(cpus[cpus.length - 1]) }
    : null;
}

export function applyCpuBudget(req: CpuBudgetRequest): CpuBudget {
  const problems = validateBudgetRequest(req);
  if (problems.length > 0) throw new InfraError(problems.join('\n'), 'usage');
  const wantPlacement = req.placement ?? req.cpuPerReplica !== null;
  if (req.cpuPerReplica === null && !wantPlacement)
    return notEnforced(req, 'no CPU budget requested (--cpu-per-replica)', null);
  const detected = detectCgroups(req.mountRoot);
  if (detected.version === null) return notEnforced(req, detected.reason, null);

  sweepStaleGroups(
    detected.version === 'v1' ? [detected.cpuRoot, detected.cpusetRoot ?? ''] : [detected.root],
    isAlive,
  );
  const cpus = allowedCpus(detected);
  const placementReason = wantPlacement ? whyNoPlacement(detected, cpus) : null;
  const placement = placementOf(wantPlacement, placementReason, cpus);
  const period = req.cfsPeriodUs ?? DEFAULT_CFS_PERIOD_US;
  const base = `authscale-${process.pid}-${randomBytes(3).toString('hex')}`;
  const backend: CgroupBackend =
    detected.version === 'v1' ? cgroupV1Backend(detected, base) : cgroupV2Backend(detected, base);

  let destroyed = false;
  const destroy = () => {
    if (destroyed) return;
    destroyed = true;
    backend.destroy();
  };
  const quotaUs = req.cpuPerReplica === null ? undefined : Math.round(req.cpuPerReplica * period);
  if (quotaUs === undefined && placement === null) {
    return notEnforced(req, `placement not applied: ${placementReason ?? 'not requested'}`, detected.version);
  }
  const replicaGroups = new Set<string>();
  let quotaEnforced = req.startRelaxed !== true;
  const groupFiles = (role: PlacedRole, replicaId?: string): string[] => {
    const name = role === 'replica' ? `replica-${replicaId ?? 'x'}` : role;
    if (role === 'replica') replicaGroups.add(name);
    const cpus = role === 'replica' ? placement?.replicas : placement?.shared;
    const spec = {
      cpus,
      ...(role === 'replica' && quotaUs !== undefined
        ? { quotaUs: quotaEnforced ? quotaUs : ('max' as const), periodUs: period }
        : {}),
    };
    return spec.cpus === undefined && spec.quotaUs === undefined ? [] : backend.group(name, spec);
  };
  let generatorFiles: string[] = [];
  try {
    // Create the first groups now, so that a cgroup tree we may not write to
    // (a v2 container whose root holds processes, a read-only mount) turns
    // into "not enforced" here instead of a failed start later.
    groupFiles('replica', 'r0');
    generatorFiles = placement ? backend.group('generator', { cpus: placement.shared }) : [];
  } catch (err) {
    destroy();
    return notEnforced(req, `could not create cgroups: ${(err as Error).message}`, detected.version);
  }
  return {
    description: {
      enforced: true,
      reason: placementReason ? `placement not applied: ${placementReason}` : null,
      cgroupVersion: detected.version,
      cpuPerReplica: req.cpuPerReplica,
      cfsPeriodUs: quotaUs === undefined ? null : period,
      placement: placement
        ? {
            replicas: placement.replicas,
            nginx: placement.shared,
            redis: placement.shared,
            'store-delay': placement.shared,
            generator: placement.shared,
          }
        : null,
    },
    // After destroy() (a stop during start) creating groups again would leak them.
    procsFiles: (role, replicaId) => (destroyed ? [] : groupFiles(role, replicaId)),
    generatorPlacement: () => ({ cpus: placement?.shared ?? null, cgroupProcsFiles: generatorFiles }),
    enforceQuota: (enforced) => {
      if (destroyed || quotaUs === undefined || enforced === quotaEnforced) return;
      quotaEnforced = enforced;
      setQuota(backend, replicaGroups, enforced ? quotaUs : 'max', period);
    },
    destroy,
  };
}
