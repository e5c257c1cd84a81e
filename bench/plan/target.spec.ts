/**
 * A deployment something else started (Compose, Kubernetes, a staging host)
 * that `bench --target` measures by URL. What the bench cannot see there it
 * says, not guesses: replica CPU comes only from the replicas' own /metrics,
 * nginx and Redis CPU are never measured, budgets are the deployment's.
 */
export interface TargetSpec {
  /** Entry URL of the deployment (its load balancer). */
  url: string;
  /** The setup the user declares the deployment runs (infra/setups.data.ts); verified before measuring. */
  setup: string;
  /** Replica count: the --replica-metrics endpoints, or --replicas as declared. */
  replicas: number;
  replicasFrom: 'replica-metrics' | 'declared';
  /** One /metrics URL per replica (DNS names already resolved to one URL per address); null: CPU not measured. */
  replicaMetrics: string[] | null;
}

/** Tiers a target run cannot measure, with why; the report prints "not measured" for each. */
export function tiersNotMeasured(target: TargetSpec): Record<string, string> {
  const out: Record<string, string> = {
    nginx: 'remote target: the load balancer runs elsewhere and exposes no CPU to the bench',
    redis: 'remote target: the store runs elsewhere and exposes no CPU to the bench',
  };
  if (!target.replicaMetrics)
    out['replicas'] = 'remote target without --replica-metrics: replica CPU is not visible to the bench';
  return out;
}
