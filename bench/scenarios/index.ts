/**
 * Entry point the bench calls after the throughput runs: every scenario the
 * plan names, against every target of that scenario whose setup the plan
 * covers, one topology per target, sized by the plan's profile.
 */
import type { ScenarioResult } from '../results/results.schema';
import { runTarget, type ScenarioImplementation } from './scenario.runner';
import type { RunScenarios, ScenarioContext } from './scenario.types';
import {
  findScenario,
  scenarioNameProblems,
  sizedFor,
  type ScenarioDefinition,
  type ScenarioName,
  type ScenarioTarget,
} from './scenarios.data';
import { revocation } from './revocation.scenario';
import { replicaLoss, replicaRestart } from './replica-fault.scenario';
import { storeOutage } from './store-outage.scenario';
import { serverState } from './server-state.scenario';
import { loginStorm } from './login-storm.scenario';
import { scaleOutScenario } from './scale-out.scenario';
import { scaleInScenario } from './scale-in.scenario';

const IMPLEMENTATIONS: { [N in ScenarioName]: ScenarioImplementation<N> } = {
  revocation: revocation,
  'replica-loss': replicaLoss,
  'replica-restart': replicaRestart,
  'store-outage': storeOutage,
  'server-state': serverState,
  'login-storm': loginStorm,
  'scale-out': scaleOutScenario,
  'scale-in': scaleInScenario,
};

/** The targets of a scenario that the plan's setups cover, in the scenario's order. */
export function targetsInPlan(
  definition: ScenarioDefinition,
  planSetups: readonly string[],
): ScenarioTarget[] {
  return definition.targets.filter((t) => planSetups.includes(t.setup));
}

export const runScenarios: RunScenarios = async (ctx: ScenarioContext): Promise<ScenarioResult[]> => {
  const problems = scenarioNameProblems(ctx.plan.scenarios);
  if (problems.length) throw new Error(problems.join('\n'));
  const results: ScenarioResult[] = [];
  for (const name of ctx.plan.scenarios) {
    const definition = sizedFor(findScenario(name)!, ctx.plan.profile);
    const targets = targetsInPlan(
      definition,
      ctx.setups.map((s) => s.name),
    );
    if (targets.length === 0)
      ctx.progress(
        `${name}: none of its setups (${definition.targets.map((t) => t.setup).join(', ')}) is in the plan; skipped`,
      );
    for (const target of targets) {
      if (ctx.signal.aborted) return results;
      results.push(await runOne(ctx, definition, target));
    }
  }
  return results;
};

/** Runs one scenario on one target (also what the tests call, with their own sizes). */
export function runOne(
  ctx: ScenarioContext,
  definition: ScenarioDefinition,
  target: ScenarioTarget,
): Promise<ScenarioResult> {
  // The union is narrowed by name; TypeScript cannot relate the two lookups, hence the casts.
  const implementation = IMPLEMENTATIONS[definition.name] as ScenarioImplementation<ScenarioName>;
  return runTarget(
    ctx,
    definition as Extract<ScenarioDefinition, { name: ScenarioName }>,
    target,
    implementation,
  );
}
