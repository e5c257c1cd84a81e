import type { TopologyOptions } from '../../infra/topology.types';
import type { TargetSpec } from './target.spec';

/**
 * One side of an A/B job, or the only side of a normal run: which built API
 * the replicas run and what extra environment they get. A plan runs every
 * cell once per variant.
 */
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
  /** bench --target: measure this deployment instead of starting a topology. */
  target?: TargetSpec;
}

export const DEFAULT_VARIANT: Variant = { name: 'candidate', appEnv: {} };
