/**
 * Runs one scenario against one target: starts the topology it needs, hands
 * it to the scenario's code, and always ends with the topology torn down,
 * also when the scenario throws. A failing scenario still yields a
 * ScenarioResult (a failed "completed" check and the error in its notes) so
 * one broken setup does not discard the others' measurements.
 */
import type { ScenarioResult } from '../results/results.schema';
import { findSetup, type SetupDefinition } from '../../infra/setups.data';
import type { RunningTopology } from '../../infra/topology.types';
import { InfraError } from '../../infra/process/infra-error';
import type { ScenarioContext } from './scenario.types';
import type { ParamsOf, ScenarioDefinition, ScenarioName, ScenarioTarget } from './scenarios.data';

export type Check = ScenarioResult['checks'][number];
export type Outcome = Pick<ScenarioResult, 'injected' | 'measurements' | 'timeline' | 'checks' | 'notes'>;

/** What a scenario's code gets for one target. */
export interface TargetRun {
  topology: RunningTopology;
  setup: SetupDefinition;
  target: ScenarioTarget;
  /** Replica environment applied on top of the setup's (what the report should show). */
  appEnv: Readonly<Record<string, string>>;
  startTopology: ScenarioContext['startTopology'];
  signal: AbortSignal;
  progress(message: string): void;
}

export interface ScenarioImplementation<N extends ScenarioName> {
  /** Extra replica environment this scenario needs for a setup (e.g. a short token lifetime). */
  appEnv?(params: ParamsOf<N>, setup: SetupDefinition): Record<string, string>;
  run(run: TargetRun, params: ParamsOf<N>): Promise<Outcome>;
}

export function check(name: string, passed: boolean, detail: string): Check {
  return { name, passed, detail };
}

/** What every result of one run carries, whatever happens: which scenario, where, with which parameters. */
type ResultBase = Pick<ScenarioResult, 'scenario' | 'setup' | 'replicas' | 'startedAt' | 'params'>;

function resultBase(
  definition: ScenarioDefinition,
  setup: SetupDefinition,
  target: ScenarioTarget,
  appEnv: Readonly<Record<string, string>>,
): ResultBase {
  return {
    scenario: definition.name,
    setup: setup.name,
    replicas: definition.replicas,
    startedAt: new Date().toISOString(),
    params: {
      ...flatParams(definition.params),
      ...(target.variant ? { variant: target.variant } : {}),
      ...prefixed(appEnv),
    },
  };
}

/** A run that ended: its outcome behind a passed "completed" check, measurements rounded. */
function completed(base: ResultBase, outcome: Outcome): ScenarioResult {
  return {
    ...base,
    ...outcome,
    measurements: rounded(outcome.measurements),
    checks: [check('completed', true, 'the scenario ran to its end'), ...outcome.checks],
  };
}

/** A run that threw: no measurements, a failed "completed" check and the error in the notes. */
function stoppedEarly(base: ResultBase, message: string): ScenarioResult {
  return {
    ...base,
    injected: [],
    measurements: {},
    timeline: [],
    checks: [check('completed', false, `the scenario stopped early: ${message}`)],
    notes: [`error: ${message}`],
  };
}

export async function runTarget<N extends ScenarioName>(
  ctx: ScenarioContext,
  definition: Extract<ScenarioDefinition, { name: N }>,
  target: ScenarioTarget,
  implementation: ScenarioImplementation<N>,
): Promise<ScenarioResult> {
  const setup = findSetup(target.setup);
  if (!setup)
    throw new Error(`scenario ${definition.name}: unknown setup ${target.setup} in scenarios.data.ts`);
  const params = definition.params as ParamsOf<N>;
  const appEnv = { ...target.appEnv, ...implementation.appEnv?.(params, setup) };
  const base = resultBase(definition, setup, target, appEnv);
  const label = `${definition.name} on ${setup.name}${target.variant ? ` (${target.variant})` : ''}`;
  ctx.progress(`${label}: starting ${definition.replicas} replica(s)`);
  let topology: RunningTopology | null = null;
  try {
    topology = await ctx.startTopology({ setup, replicas: definition.replicas, appEnv });
    const run: TargetRun = {
      topology,
      setup,
      target,
      appEnv,
      startTopology: ctx.startTopology,
      signal: ctx.signal,
      progress: (m) => ctx.progress(`${label}: ${m}`),
    };
    const outcome = await implementation.run(run, params);
    const failed = outcome.checks.filter((c) => !c.passed).length;
    ctx.progress(`${label}: done, ${outcome.checks.length - failed}/${outcome.checks.length} checks passed`);
    return completed(base, outcome);
  } catch (err) {
    // The machine lacks something every scenario needs: let the CLI say so with its exit code.
    if (err instanceof InfraError && err.kind === 'environment' && topology === null) throw err;
    const message = err instanceof Error ? err.message : String(err);
    ctx.progress(`${label}: FAILED: ${message}`);
    return stoppedEarly(base, message);
  } finally {
    await topology?.stop();
  }
}

/** Sub-millisecond and sub-byte digits are clock and averaging noise: keep one decimal. */
function rounded(measurements: Record<string, number | null>): Record<string, number | null> {
  return Object.fromEntries(
    Object.entries(measurements).map(([k, v]) => [k, v === null ? null : Math.round(v * 10) / 10]),
  );
}

function flatParams(params: object): Record<string, string | number | boolean> {
  const flat: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(params)) {
    if (Array.isArray(value)) flat[key] = value.join(',');
    else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      flat[key] = value;
  }
  return flat;
}

function prefixed(appEnv: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(appEnv).map(([k, v]) => [`env.${k}`, v]));
}
