/**
 * CPU budgets for the docker runtime, the same as the process runtime's:
 * each replica's quota as the container's CFS quota and period, the
 * replicas alone on every CPU but the last (cpuset), nginx and Redis on the
 * last CPU with the load generator, which stays a host process and is
 * placed by a host cpuset (infra/cpu-budget, placement only).
 */
import { applyCpuBudget, DEFAULT_CFS_PERIOD_US, type CpuBudget } from '../cpu-budget/cpu-budget';
import type { BudgetDescription, TopologyOptions } from '../topology.types';
import type { CpuSpec } from './docker.container';

export type ContainerRole = 'replica' | 'nginx' | 'redis';

export interface DockerBudget {
  description: BudgetDescription;
  cpuFor(role: ContainerRole): CpuSpec;
  /** The host cpuset the load generator joins (its cgroups are this run's). */
  host: CpuBudget;
}

export function dockerBudget(options: TopologyOptions, cgroupVersion: 'v1' | 'v2' | null): DockerBudget {
  const cpuPerReplica = options.cpuPerReplica ?? null;
  const period = options.cfsPeriodUs ?? DEFAULT_CFS_PERIOD_US;
  const host = applyCpuBudget({
    cpuPerReplica: null,
    cfsPeriodUs: options.cfsPeriodUs,
    placement: options.placement ?? cpuPerReplica !== null,
  });
  const placement = host.description.placement;
  const quotaUs = cpuPerReplica === null ? undefined : Math.round(cpuPerReplica * period);
  // The host budget says why placement was not applied, or that nothing was requested.
  const reason = placement === null ? host.description.reason : null;
  return {
    description: {
      enforced: quotaUs !== undefined || placement !== null,
      reason,
      cgroupVersion,
      cpuPerReplica,
      cfsPeriodUs: quotaUs === undefined ? null : period,
      placement,
    },
    cpuFor: (role) => ({
      ...(role === 'replica' && quotaUs !== undefined ? { quotaUs, periodUs: period } : {}),
      ...(placement ? { cpus: role === 'replica' ? placement.replicas : placement[role] } : {}),
    }),
    host,
  };
}
