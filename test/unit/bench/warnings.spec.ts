import { buildPlan } from '../../../bench/plan/plan.build';
import type { Environment, RunResult, Summary } from '../../../bench/results/results.schema';
import { collectWarnings } from '../../../bench/runner/warnings.collect';

const env = (enforced: boolean) =>
  ({
    budgets: {
      enforced,
      reason: enforced ? null : 'not root',
      cgroupVersion: null,
      cpuPerReplica: 0.25,
      cfsPeriodUs: null,
      placement: null,
    },
  }) as unknown as Environment;
const run = (id: string, extra: Partial<RunResult>) =>
  ({
    id,
    variant: 'candidate',
    setup: 'jwt',
    replicas: 1,
    generatorBound: false,
    valid: true,
    invalidReasons: [],
    ...extra,
  }) as unknown as RunResult;
const summary = (cv: number | null) =>
  ({
    variant: 'candidate',
    setup: 'jwt',
    replicas: 1,
    runIds: ['candidate/jwt/x1/rep0'],
    metrics: { throughputRps: { cv } },
  }) as unknown as Summary;

describe('warnings next to the numbers', () => {
  const plan = buildPlan({ repetitions: '6' });

  test('a clean job with enough repetitions on a quiet machine carries no warning', () => {
    const quiet = {
      cpu: { windowSeconds: 5, machine: { cpus: 2, busySeconds: 2, otherSeconds: 0.5 } } as RunResult['cpu'],
    };
    expect(
      collectWarnings(plan, env(true), [run('candidate/jwt/x1/rep0', quiet)], [summary(0.02)], false),
    ).toEqual([]);
  });

  test.each([
    ['generator-bound', { runs: [run('candidate/jwt/x1/rep0', { generatorBound: true })] }],
    ['budgets-not-enforced', { env: env(false) }],
    [
      'invalid-run',
      { runs: [run('candidate/jwt/x1/rep0', { valid: false, invalidReasons: ['non-2xx: 401 x 3'] })] },
    ],
    ['high-variation', { summaries: [summary(0.25)] }],
    ['interrupted', { interrupted: true }],
    ['few-repetitions', { plan: buildPlan({ repetitions: '3' }) }],
    [
      'other',
      {
        runs: [
          run('candidate/jwt/x1/rep0', {
            cpu: {
              windowSeconds: 5,
              machine: { cpus: 2, busySeconds: 6, otherSeconds: 4 },
            } as RunResult['cpu'],
          }),
        ],
      },
    ],
  ] as const)('%s is reported when it happens', (code, change) => {
    const c = change as {
      runs?: RunResult[];
      env?: Environment;
      summaries?: Summary[];
      interrupted?: boolean;
      plan?: typeof plan;
    };
    const warnings = collectWarnings(
      c.plan ?? plan,
      c.env ?? env(true),
      c.runs ?? [run('candidate/jwt/x1/rep0', {})],
      c.summaries ?? [summary(0.02)],
      c.interrupted ?? false,
    );
    expect(warnings.map((w) => w.code)).toContain(code);
  });

  test('an invalid run says why, and a cell left with no valid run says it has no summary', () => {
    const bad = run('candidate/jwt/x1/rep0', { valid: false, invalidReasons: ['non-2xx: 401 x 3'] });
    const messages = collectWarnings(plan, env(true), [bad], [], false).map((w) => w.message);
    expect(messages).toContain('run candidate/jwt/x1/rep0 is invalid: non-2xx: 401 x 3.');
    expect(messages).toContain('candidate/jwt/x1: no valid run, so no summary.');
  });
});
