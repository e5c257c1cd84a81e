/**
 * Checks of TopologyOptions before anything starts: every problem at once,
 * each naming the option, the value received and what is allowed.
 */
import { InfraError } from './process/infra-error';
import { ROUTINGS } from './setups.data';
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
  problems.push(
    ...validateBudgetRequest({
      cpuPerReplica: options.cpuPerReplica ?? null,
      cfsPeriodUs: options.cfsPeriodUs,
    }),
  );
  return problems;
}

export function validateTopologyOptions(options: TopologyOptions): void {
  const problems = topologyOptionProblems(options);
  if (problems.length > 0) throw new InfraError(problems.join('\n'), 'usage');
}
