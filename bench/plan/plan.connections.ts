/**
 * How many connections (one logged-in virtual user each) a run at N replicas
 * opens. With `connectionsPer: "replica"` every replica is offered the same
 * load at every replica count, so 1 -> 2 -> 4 replicas compares like with
 * like; with "total" the same connections queue on fewer or more replicas.
 */
import type { Plan } from '../results/results.schema';

export function connectionsFor(plan: Pick<Plan, 'connections' | 'connectionsPer'>, replicas: number): number {
  return plan.connectionsPer === 'replica' ? plan.connections * replicas : plan.connections;
}

/** The open model's arrival rate at N replicas, scaled like the connections. */
export function rateFor(
  plan: Pick<Plan, 'ratePerSecond' | 'connectionsPer'>,
  replicas: number,
): number | null {
  if (plan.ratePerSecond === null) return null;
  return plan.connectionsPer === 'replica' ? plan.ratePerSecond * replicas : plan.ratePerSecond;
}
