/**
 * Checks of TopologyOptions before anything starts: every problem at once,
 * each naming the option, the value received and what is allowed.
 */
import { InfraError } from './process/infra-error';
import { ROUTINGS, storeSetupNames } from './setups.data';
import { MAX_STORE_RTT_MS } from './store-delay/store-rtt.parse';
import type { TopologyOptions } from './topology.types';
import { validateBudgetRequest } from './cpu-budget/cpu-budget';
import { RUNTIME_NAMES } from './runtime/runtime.names';

/** More replicas than this on one machine measures the scheduler, not auth. */
export const MAX_REPLICAS = 32;

export function topologyOptionProblems(options: TopologyOptions): string[] {
  const problems: string[] = [];
  if (!ROUTINGS.includes(options.setup?.routing)) {
    problems.push(
      `setup "${options.setup?.name}" has routing "${String(options.setup?.routing)}": use one of ${ROUTINGS.join(', ')}.`,
    );
  }
  if (!Number.isInteger(options.replicas) || options.replicas < 1 || options.replicas > MAX_REPLICAS) {
    problems.push(
      `replica count ${String(options.replicas)} is invalid: use a whole number from 1 to ${MAX_REPLICAS}.`,
    );
  }
  if (
    options.port !== undefined &&
    (!Number.isInteger(options.port) || options.port < 1 || options.port > 65535)
  ) {
    problems.push(`port ${String(options.port)} is invalid: use 1-65535, or omit it to get a free port.`);
  }
  if (options.runtime !== undefined && !RUNTIME_NAMES.includes(options.runtime)) {
    problems.push(`runtime "${String(options.runtime)}" is unknown: use one of ${RUNTIME_NAMES.join(', ')}.`);
  }
  problems.push(...storeRttProblems(options));
  problems.push(
    ...validateBudgetRequest({
      cpuPerReplica: options.cpuPerReplica ?? null,
      cfsPeriodUs: options.cfsPeriodUs,
    }),
  );
  return problems;
}

/** A delay on a Redis hop that does not exist would measure nothing: refused, like an absurd delay. */
function storeRttProblems({ storeRttMs, setup }: TopologyOptions): string[] {
  if (storeRttMs === undefined || storeRttMs === 0) return [];
  if (!Number.isFinite(storeRttMs) || storeRttMs < 0 || storeRttMs > MAX_STORE_RTT_MS)
    return [`store round trip ${String(storeRttMs)} ms is invalid: use 0 to ${MAX_STORE_RTT_MS} ms.`];
  if (!setup?.needsRedis)
    return [
      `setup "${setup?.name}" has no store, so --store-rtt has no hop to delay: use it with ${storeSetupNames().join(', ')}, or drop it.`,
    ];
  return [];
}

export function validateTopologyOptions(options: TopologyOptions): void {
  const problems = topologyOptionProblems(options);
  if (problems.length > 0) throw new InfraError(problems.join('\n'), 'usage');
}
