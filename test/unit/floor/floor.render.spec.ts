import { floorSettingsFrom } from '../../../bench/cli/floor.command';
import { renderFloor, roundRatios } from '../../../bench/floor/floor.render';
import type { FloorRow, FloorSample } from '../../../bench/floor/floor.run';
import { UsageError } from '../../../infra/errors';

const sample = (round: number, cpu: number, steady = true): FloorSample => ({
  round,
  cpuMicrosPerRequest: cpu,
  requestsPerSecond: 1000,
  serverCpuShare: 0.9,
  steady,
});

const row: FloorRow = {
  mode: 'jwt',
  samples: {
    api: [sample(0, 110), sample(1, 120)],
    nest: [sample(0, 100), sample(1, 100)],
    bare: [sample(0, 30), sample(1, 40, false)],
  },
};

describe('app-floor table', () => {
  test('ratios pair the API with the minimal Nest app round by round', () => {
    expect(roundRatios(row)).toEqual([1.1, 1.2]);
  });

  test('a row shows median (min–max) per server and the ratio, and marks unsteady runs', () => {
    const text = renderFloor([row]);
    expect(text).toContain(
      '| jwt | 115 (110–120) | 100 (100–100) | 35.0 (30.0–40.0) † | 1.15 (1.10–1.20) (goal ≤ 1.1) |',
    );
    expect(text).toContain('† at least one run');
  });
});

describe('app-floor flags', () => {
  test('every bad flag is listed at once', () => {
    expect(() => floorSettingsFrom({ modes: 'jwt,nope', rounds: '0', seconds: 'x' })).toThrow(UsageError);
    try {
      floorSettingsFrom({ modes: 'jwt,nope', rounds: '0', seconds: 'x' });
    } catch (err) {
      expect((err as UsageError).problems).toHaveLength(3);
    }
  });

  test('a short window gets buckets short enough to hold several', () => {
    const settings = floorSettingsFrom({ modes: 'jwt', seconds: '1' });
    expect(settings.modes.map((m) => m.name)).toEqual(['jwt']);
    expect(settings.bucketSeconds).toBe(0.25);
  });
});
