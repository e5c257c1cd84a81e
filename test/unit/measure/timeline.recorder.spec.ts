/**
 * A run's timeline buckets (bench/measure/timeline.recorder.ts): what each
 * bucket counts, its own percentiles, and CPU per tier and per replica from
 * the snapshots taken at its edges.
 */
import type { CpuSnapshot } from '../../../bench/measure/cpu.sampler';
import { TimelineRecorder } from '../../../bench/measure/timeline.recorder';

/** A snapshot where replica r0 (pid 10) has used `r0` s, r1 (pid 11) `r1` s and nginx (pid 20) `nginx` s. */
function snapshot(atMs: number, r0: number, r1: number, nginx: number): CpuSnapshot {
  const byPid = new Map([
    [10, { ref: { role: 'replica' as const, label: 'r0', pid: 10 }, seconds: r0 }],
    [11, { ref: { role: 'replica' as const, label: 'r1', pid: 11 }, seconds: r1 }],
    [20, { ref: { role: 'nginx' as const, label: 'nginx-master', pid: 20 }, seconds: nginx }],
  ]);
  return { atMs, byPid, generatorSeconds: atMs / 10_000, machineBusySeconds: null };
}

describe('a timeline bucket', () => {
  const snapshots = [snapshot(0, 1, 2, 0.5), snapshot(1000, 1.25, 2.2, 0.55), snapshot(2000, 1.5, 2.5, 0.6)];
  const recorder = new TimelineRecorder(1, () => snapshots.shift() ?? null);

  afterAll(() => recorder.stop());

  it('counts statuses, errors and timeouts, and each replica’s responses', () => {
    for (let i = 0; i < 98; i++) recorder.response(200, 1000 + i, i % 2 ? 'r1' : 'r0');
    recorder.response(401, 50_000, 'r0');
    recorder.response(503, 60_000, 'r1');
    recorder.error();
    recorder.timeout();
    const b = recorder.close();
    expect(b).toMatchObject({
      t: 1,
      phase: 'warmup',
      requests: 100,
      ok: 98,
      non2xx: 2,
      errors: 1,
      timeouts: 1,
    });
    expect(b.replicaRequests).toEqual({ r0: 50, r1: 50 });
  });

  it('reads its percentiles from its own histogram', () => {
    const b = recorder.buckets[0]!;
    expect(b.p50Us).toBeGreaterThanOrEqual(1045);
    expect(b.p50Us).toBeLessThanOrEqual(1052);
    expect(b.p99Us).toBeGreaterThan(49_000);
  });

  it('charges CPU between its edges to each tier and each replica', () => {
    const b = recorder.buckets[0]!;
    expect(b.cpuSeconds!.replicas).toBeCloseTo(0.45, 9);
    expect(b.cpuSeconds!.nginx).toBeCloseTo(0.05, 9);
    expect(b.replicaCpuSeconds.r0).toBeCloseTo(0.25, 9);
    expect(b.replicaCpuSeconds.r1).toBeCloseTo(0.2, 9);
  });

  it('starts the next bucket empty, in the phase set since, and has no percentiles without responses', () => {
    recorder.phase = 'measured';
    const b = recorder.close();
    expect(b).toMatchObject({ t: 2, phase: 'measured', requests: 0, p50Us: null, p99Us: null });
    expect(b.cpuSeconds!.replicas).toBeCloseTo(0.55, 9);
  });

  it('records no CPU when the processes could not be read', () => {
    expect(recorder.close().cpuSeconds).toBeNull();
  });
});
