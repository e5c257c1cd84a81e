/**
 * How one scenario run becomes a ScenarioResult, with the scenario's code
 * and the topology both stand-ins: parameters, environment, rounding, the
 * "completed" check, and the topology stopped in every case. Starting and
 * tearing down a real topology is test/integration/scenarios/runner.spec.ts.
 */
import type { ScenarioContext, ScenarioTopologyOptions } from '../../../bench/scenarios/scenario.types';
import {
  check,
  runTarget,
  type Outcome,
  type ScenarioImplementation,
  type TargetRun,
} from '../../../bench/scenarios/scenario.runner';
import type { ScenarioDefinition } from '../../../bench/scenarios/scenarios.data';
import { InfraError } from '../../../infra/process/infra-error';
import type { RunningTopology } from '../../../infra/topology.types';

type ServerState = Extract<ScenarioDefinition, { name: 'server-state' }>;

const definition: ServerState = {
  name: 'server-state',
  summary: 'test',
  replicas: 2,
  targets: [{ setup: 'session-redis' }],
  params: { sessionCounts: [10, 100], sampleLogins: 3, projectUsers: 1000 },
};

const outcome: Outcome = {
  injected: [{ atSeconds: 1, what: 'something' }],
  measurements: { bytesPerSession: 123.456, heapBytes: 99.94, missing: null },
  timeline: [],
  checks: [check('a shape', true, 'as expected')],
  notes: ['a note'],
};

let started: ScenarioTopologyOptions[];
let stopped: number;
let progress: string[];
let seen: TargetRun | null;

function context(startTopology?: ScenarioContext['startTopology']): ScenarioContext {
  return {
    plan: {} as ScenarioContext['plan'],
    setups: [],
    variant: { name: 'candidate', appEnv: {} },
    signal: new AbortController().signal,
    progress: (m) => progress.push(m),
    startTopology:
      startTopology ??
      (async (options) => {
        started.push(options);
        return {
          url: 'http://127.0.0.1:1',
          stop: async () => void (stopped += 1),
        } as unknown as RunningTopology;
      }),
  };
}

function implementation(run: (r: TargetRun) => Promise<Outcome>): ScenarioImplementation<'server-state'> {
  return {
    appEnv: () => ({ SESSION_TTL_SECONDS: '60', EXTRA: 'from the scenario' }),
    run: async (r) => {
      seen = r;
      return run(r);
    },
  };
}

beforeEach(() => {
  started = [];
  stopped = 0;
  progress = [];
  seen = null;
});

describe('running one scenario on one target', () => {
  it('records the parameters flat, the replica environment as env.*, and measurements to one decimal', async () => {
    const target = {
      setup: 'session-redis' as const,
      variant: 'short',
      appEnv: { EXTRA: 'from the target', A: '1' },
    };
    const result = await runTarget(
      context(),
      definition,
      target,
      implementation(async () => outcome),
    );
    expect(result).toMatchObject({
      scenario: 'server-state',
      setup: 'session-redis',
      replicas: 2,
      params: {
        sessionCounts: '10,100',
        sampleLogins: 3,
        projectUsers: 1000,
        variant: 'short',
        'env.EXTRA': 'from the scenario',
        'env.A': '1',
        'env.SESSION_TTL_SECONDS': '60',
      },
      measurements: { bytesPerSession: 123.5, heapBytes: 99.9, missing: null },
      injected: outcome.injected,
      notes: ['a note'],
    });
    expect(result.checks).toEqual([
      check('completed', true, 'the scenario ran to its end'),
      ...outcome.checks,
    ]);
    expect(Number.isNaN(Date.parse(result.startedAt))).toBe(false);
  });

  it('starts the topology the scenario needs and hands it over with the merged environment', async () => {
    await runTarget(
      context(),
      definition,
      { setup: 'session-redis', appEnv: { A: '1' } },
      implementation(async () => outcome),
    );
    const appEnv = { A: '1', SESSION_TTL_SECONDS: '60', EXTRA: 'from the scenario' };
    expect(started).toEqual([
      { setup: expect.objectContaining({ name: 'session-redis' }), replicas: 2, appEnv },
    ]);
    expect(seen).toMatchObject({
      appEnv,
      setup: { name: 'session-redis' },
      target: { setup: 'session-redis' },
    });
    expect(stopped).toBe(1);
  });

  it('prefixes the scenario’s progress with what runs where, and counts the checks passed', async () => {
    await runTarget(
      context(),
      definition,
      { setup: 'session-redis', variant: 'v' },
      implementation(async (r) => {
        r.progress('half way');
        return { ...outcome, checks: [...outcome.checks, check('another', false, 'no')] };
      }),
    );
    expect(progress).toEqual([
      'server-state on session-redis (v): starting 2 replica(s)',
      'server-state on session-redis (v): half way',
      'server-state on session-redis (v): done, 1/2 checks passed',
    ]);
  });

  it('a scenario that throws becomes a failed "completed" check, and its topology is still stopped', async () => {
    const result = await runTarget(
      context(),
      definition,
      { setup: 'session-redis' },
      implementation(async () => {
        throw new Error('boom');
      }),
    );
    expect(result).toMatchObject({
      injected: [],
      measurements: {},
      timeline: [],
      checks: [{ name: 'completed', passed: false, detail: 'the scenario stopped early: boom' }],
      notes: ['error: boom'],
    });
    expect(stopped).toBe(1);
    expect(progress.at(-1)).toBe('server-state on session-redis: FAILED: boom');
  });

  it('a machine that cannot start the topology at all is the CLI’s to report: the error is thrown', async () => {
    const missing = new InfraError('redis-server not found', 'environment');
    const ctx = context(async () => {
      throw missing;
    });
    await expect(
      runTarget(
        ctx,
        definition,
        { setup: 'session-redis' },
        implementation(async () => outcome),
      ),
    ).rejects.toBe(missing);
  });

  it('any other failure to start is a failed scenario, not a crash', async () => {
    const ctx = context(async () => {
      throw new Error('replica r1 exited');
    });
    const result = await runTarget(
      ctx,
      definition,
      { setup: 'session-redis' },
      implementation(async () => outcome),
    );
    expect(result.checks).toEqual([
      check('completed', false, 'the scenario stopped early: replica r1 exited'),
    ]);
  });

  it('an unknown setup in the scenario data is a bug, named', async () => {
    const target = { setup: 'nope' } as unknown as ServerState['targets'][number];
    await expect(
      runTarget(
        context(),
        definition,
        target,
        implementation(async () => outcome),
      ),
    ).rejects.toThrow('scenario server-state: unknown setup nope in scenarios.data.ts');
    expect(started).toEqual([]);
  });
});
