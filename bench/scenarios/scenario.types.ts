/**
 * The seam between the bench command (issue 4) and the trade-off scenarios
 * (issue 7). The bench builds a ScenarioContext and calls `runScenarios(ctx)`
 * exported from bench/scenarios/index.ts after the throughput runs, once per
 * variant. The scenarios engineer owns everything else in this folder.
 *
 * Kept deliberately small: scenarios start their own topologies through the
 * context (so the variant's API entry, app env and CPU budget are applied the
 * same way as in throughput runs) and return data, never print.
 */
import type { Plan, ScenarioResult } from '../results/results.schema';
import type { SetupDefinition } from '../../infra/setups.data';
import type { RunningTopology, TopologyOptions } from '../../infra/topology.types';

/** One side of an A/B job (or the only side of a normal run). */
export interface Variant {
  /** "candidate" normally; "base" / "candidate" in an A/B job. */
  name: string;
  /** Built API entry (dist/apps/api/main.js of a worktree); undefined = this checkout's. */
  apiEntry?: string;
  /** Extra replica environment for this variant (calibration knob, ...). */
  appEnv: Readonly<Record<string, string>>;
  /** What runs the topology (infra/runtime); undefined = processes. */
  runtime?: TopologyOptions['runtime'];
  /** docker runtime: the API image; undefined = infra/docker/images.data.ts's. */
  apiImage?: string;
}

/** What a scenario may override when it starts a topology; the rest comes from the plan and variant. */
export type ScenarioTopologyOptions = Pick<TopologyOptions, 'setup' | 'replicas'> &
  Partial<Pick<TopologyOptions, 'storeRttMs' | 'cfsPeriodUs' | 'cpuPerReplica'>> & {
    /** Merged over the variant's appEnv (e.g. a short JWT_TTL_SECONDS). */
    appEnv?: Readonly<Record<string, string>>;
  };

export interface ScenarioContext {
  /** The validated plan; `plan.scenarios` lists the scenario names to run, in order. */
  plan: Plan;
  /** Setups the plan covers, resolved from infra/setups.data.ts. */
  setups: readonly SetupDefinition[];
  variant: Variant;
  /**
   * Starts a topology with the variant's API entry and app env and the plan's
   * CPU budget applied. The bench stops every topology started through here
   * when the job ends or is interrupted; scenarios should still stop their own
   * in a finally block.
   */
  startTopology(options: ScenarioTopologyOptions): Promise<RunningTopology>;
  /** Aborted on Ctrl-C / SIGTERM: stop early and return what was measured. */
  signal: AbortSignal;
  /** One line of progress for stderr (the bench decides how it is shown). */
  progress(message: string): void;
}

/** Unknown scenario names must be reported here, all at once, before anything runs. */
export type ValidateScenarioNames = (names: readonly string[]) => string[];

/** bench/scenarios/index.ts exports `runScenarios` (and `validateScenarioNames`) with these shapes. */
export type RunScenarios = (ctx: ScenarioContext) => Promise<ScenarioResult[]>;
