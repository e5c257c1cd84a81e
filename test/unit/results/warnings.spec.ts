import { buildPlan } from '../../../bench/plan/plan.build';
import type { Environment, RunResult, Summary } from '../../../bench/results/results.schema';
import { deriveNotes, deriveWarnings } from '../../../bench/results/warnings.derive';

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
    const input = {
      plan,
      environment: env(true),
      runs: [run('candidate/jwt/x1/rep0', quiet)],
      summaries: [summary(0.02)],
    };
    expect(deriveWarnings({ ...input, scenarios: [], interrupted: false })).toEqual([]);
    expect(deriveNotes(input)).toEqual([]);
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
    [
      'noisy-neighbours',
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
    const warnings = deriveWarnings({
      plan: c.plan ?? plan,
      environment: c.env ?? env(true),
      runs: c.runs ?? [run('candidate/jwt/x1/rep0', {})],
      summaries: c.summaries ?? [summary(0.02)],
      scenarios: [],
      interrupted: c.interrupted ?? false,
    });
    expect(warnings.map((w) => w.code)).toContain(code);
  });

  test('an invalid run says why, and a cell left with no valid run says it has no summary', () => {
    const bad = run('candidate/jwt/x1/rep0', { valid: false, invalidReasons: ['non-2xx: 401 x 3'] });
    const input = {
      plan,
      environment: env(true),
      runs: [bad],
      summaries: [],
      scenarios: [],
      interrupted: false,
    };
    const messages = deriveWarnings(input).map((w) => w.message);
    expect(messages).toContain('run candidate/jwt/x1/rep0 is invalid: non-2xx: 401 x 3.');
    expect(messages).toContain('candidate/jwt/x1: no valid run, so no summary.');
  });

  test('few repetitions is a note on how to read the intervals, not a warning', () => {
    const few = { plan: buildPlan({ repetitions: '3' }), runs: [run('candidate/jwt/x1/rep0', {})] };
    expect(deriveNotes(few)).toEqual([
      expect.stringMatching(/^3 repetition\(s\): below 6 no interval reaches 95%/),
    ]);
    const input = {
      ...few,
      environment: env(true),
      summaries: [summary(0.02)],
      scenarios: [],
      interrupted: false,
    };
    expect(deriveWarnings(input)).toEqual([]);
  });
});
