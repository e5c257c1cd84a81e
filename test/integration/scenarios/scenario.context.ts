/**
 * A ScenarioContext for tests: real topologies (built API, real nginx, real
 * Redis) without CPU budgets, a small plan, progress kept for failure
 * messages. Every topology started through it is stopped by stopAll() in
 * afterAll, as a safety net behind the runner's own finally.
 */
import { startTopology } from '../../../infra/topology';
import { findSetup } from '../../../infra/setups.data';
import type { RunningTopology } from '../../../infra/topology.types';
import { runOne } from '../../../bench/scenarios';
import type { ScenarioContext } from '../../../bench/scenarios/scenario.types';
import {
  findScenario,
  type ParamsOf,
  type ScenarioDefinition,
  type ScenarioName,
  type ScenarioTarget,
} from '../../../bench/scenarios/scenarios.data';
import { scenarioResultSchema, type Plan, type ScenarioResult } from '../../../bench/results/results.schema';

export interface TestScenarioContext {
  ctx: ScenarioContext;
  progress: string[];
  /** Every topology started through ctx, in order (stopped ones too). */
  started: readonly RunningTopology[];
  stopAll(): Promise<void>;
}

export function testContext(): TestScenarioContext {
  const started: RunningTopology[] = [];
  const progress: string[] = [];
  const plan = {
    profile: 'test',
    setups: [],
    replicas: [2],
    model: 'closed',
    connections: 1,
    ratePerSecond: null,
    warmupSeconds: 0,
    durationSeconds: 1,
    repetitions: 1,
    mix: [{ path: '/api/me', weight: 1 }],
    cpuPerReplica: null,
    scenarios: [],
    sloP99Ms: null,
    connectionsPer: 'total',
    maxWarmupSeconds: null,
    warmupRequestsPerReplica: 0,
    relaxedWarmupSeconds: 0,
    storeRttsMs: [0],
    storeRttReplicas: null,
  } satisfies Plan;
  const ctx: ScenarioContext = {
    plan,
    setups: [],
    variant: { name: 'candidate', appEnv: {} },
    async startTopology(options) {
      const topology = await startTopology({
        ...options,
        ...(process.env.AUTHSCALE_API_ENTRY ? { apiEntry: process.env.AUTHSCALE_API_ENTRY } : {}),
        cpuPerReplica: null,
      });
      started.push(topology);
      return topology;
    },
    signal: new AbortController().signal,
    progress: (m) => progress.push(m),
  };
  return {
    ctx,
    progress,
    started,
    stopAll: async () => {
      await Promise.all(started.map((t) => t.stop()));
    },
  };
}

/** The declared scenario with test-sized parameters. */
export function shortened<N extends ScenarioName>(
  name: N,
  params: Partial<ParamsOf<N>>,
  replicas?: number,
): ScenarioDefinition {
  const definition = findScenario(name)!;
  return {
    ...definition,
    replicas: replicas ?? definition.replicas,
    params: { ...definition.params, ...params },
  } as ScenarioDefinition;
}

/** Runs one target and checks the result against the results.json schema. */
export async function runScenario(
  t: TestScenarioContext,
  definition: ScenarioDefinition,
  target: ScenarioTarget,
): Promise<ScenarioResult> {
  if (!findSetup(target.setup)) throw new Error(`no setup ${target.setup}`);
  const result = await runOne(t.ctx, definition, target);
  return scenarioResultSchema.parse(result);
}

/** Names and details of failed checks, so a failing test says which shape broke. */
export function failedChecks(result: ScenarioResult): string[] {
  return result.checks.filter((c) => !c.passed).map((c) => `${c.name}: ${c.detail}`);
}

export function measurement(result: ScenarioResult, name: string): number {
  const value = result.measurements[name];
  if (value === undefined || value === null)
    throw new Error(
      `${result.scenario}/${result.setup}: no measurement ${name} (have ${Object.keys(result.measurements).join(', ')}); notes: ${result.notes.join(' | ')}`,
    );
  return value;
}
