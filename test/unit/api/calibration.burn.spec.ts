/**
 * The calibration knob's exactness: burnCpu(us) must spend at least the
 * requested CPU and overshoot by little (measured, printed in the report).
 */
import { readFileSync } from 'node:fs';
import { burnCpu, createCalibration } from '../../../apps/api/src/calibration/calibration.burn';

const cpuNow = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

/** CPU of the calling (main JS) thread alone, in microseconds: GC helpers and
 * other workers' threads do not count, so a busy machine cannot inflate it. */
const mainThreadCpuNow = () =>
  Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1000;

describe('burnCpu', () => {
  // Let the loop get compiled before measuring it.
  beforeAll(() => burnCpu(20_000));

  test.each([50, 200, 1000, 5000])(
    'burning %i us spends that much process CPU per call on average, within 5%% + 20 us',
    (us) => {
      const rounds = Math.max(20, Math.round(100_000 / us));
      const batch = () => {
        const start = cpuNow();
        for (let i = 0; i < rounds; i++) burnCpu(us);
        return (cpuNow() - start) / rounds;
      };
      // Process CPU includes other threads (GC helpers, the test runner's own),
      // which on a busy machine only ever add: the least of three batches is
      // the knob's own cost.
      const perCall = Math.min(batch(), batch(), batch());
      expect(perCall).toBeGreaterThanOrEqual(us);
      expect(perCall).toBeLessThan(us * 1.05 + 20);
    },
  );

  test('zero costs nothing: the knob is off by default', async () => {
    const calibration = createCalibration(0, 0);
    expect(calibration.active).toBe(false);
    const start = mainThreadCpuNow();
    for (let i = 0; i < 1000; i++) burnCpu(0);
    expect(mainThreadCpuNow() - start).toBeLessThan(20_000);
  });

  test('CALIBRATION_DELAY_MS waits without burning CPU', async () => {
    const calibration = createCalibration(0, 30);
    const cpuStart = mainThreadCpuNow();
    const wallStart = Date.now();
    await calibration.apply();
    expect(Date.now() - wallStart).toBeGreaterThanOrEqual(29);
    // Burning would cost the main thread the whole 30 ms; waiting costs it almost nothing.
    expect(mainThreadCpuNow() - cpuStart).toBeLessThan(10_000);
  });
});
