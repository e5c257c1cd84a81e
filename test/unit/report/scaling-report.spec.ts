import { prepareCharts } from '../../../bench/report/charts.data';
import { scaleInCell, scaleOutCell } from '../../../bench/report/scaling.cells';
import { seedTableSection } from '../../../bench/report/seed-table.section';
import {
  scenarioResultSchema,
  type Results,
  type ScenarioResult,
} from '../../../bench/results/results.schema';
import { buildSyntheticResults } from '../../fixtures/results/synthetic-results.fixture';

const replicaSecond = (served: number) => ({ served, status401: 0, relogins: 0, p99Us: 900 });

function scaleOut(setup: string, measurements: ScenarioResult['measurements']): ScenarioResult {
  return scenarioResultSchema.parse({
    scenario: 'scale-out',
    setup,
    replicas: 2,
    startedAt: '2026-12-02T18:00:00.000Z',
    params: { addReplicas: 2 },
    injected: [{ atSeconds: 1.5, what: 'start 2 replica(s)' }],
    measurements,
    timeline: [
      {
        t: 0,
        ok: 20,
        byStatus: { '200': 20 },
        errors: 0,
        p99Us: 900,
        byReplica: { r0: replicaSecond(10), r1: replicaSecond(10) },
      },
      {
        t: 1,
        ok: 20,
        byStatus: { '200': 20 },
        errors: 0,
        p99Us: 900,
        byReplica: { r0: replicaSecond(5), r2: replicaSecond(15) },
      },
    ],
    checks: [{ name: 'completed', passed: true, detail: '' }],
    notes: [],
  });
}

function withScaling(): Results {
  const results = buildSyntheticResults('clean');
  results.plan.scenarios = [...results.plan.scenarios, 'scale-out'];
  results.scenarios = [
    ...results.scenarios,
    scaleOut('jwt', {
      timeToEvenSeconds: 1.2,
      existingUsersOnNewReplicasPercent: 49,
      throughputBeforeRps: 400,
      throughputAfterRps: 700,
      capacityGainPercent: 75,
      forcedReloginsCount: 0,
    }),
    scaleOut('session-sticky', {
      timeToEvenSeconds: null,
      existingUsersOnNewReplicasPercent: 0,
      throughputBeforeRps: 400,
      throughputAfterRps: 410,
      capacityGainPercent: 2.5,
      forcedReloginsCount: 0,
    }),
  ];
  return results;
}

describe('the scaling scenarios in the report', () => {
  it('draw a per-replica timeline with one series per replica', () => {
    const chart = prepareCharts(withScaling()).get('replicas-scale-out');
    expect(chart?.ref.series.sort()).toEqual(['r0', 'r1', 'r2']);
  });

  it('fill the Scalability rows with what happened, and say "not measured" where nothing ran', () => {
    const results = withScaling();
    expect(scaleOutCell(results, 'jwt')).toBe(
      "2 → 4 replicas; existing users' requests on the new replicas 49%; even after 1.2 s; 400 req/s → 700 req/s (+75%); 0 re-logins",
    );
    expect(scaleOutCell(results, 'session-sticky')).toMatch(
      /on the new replicas 0%; load never even in the window/,
    );
    expect(scaleInCell(results, 'jwt')).toBe('not measured (scale-in scenario)');
    const rows = seedTableSection(results).blocks.flatMap((b) => (b.kind === 'table' ? b.table.rows : []));
    expect(rows.map((r) => r[0])).toContain('Scalability: replicas added under load (scale-out scenario)');
  });
});
