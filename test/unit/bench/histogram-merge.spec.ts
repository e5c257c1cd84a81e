import {
  createLatencyHistogram,
  decodeHistogram,
  encodeHistogram,
  mergeHistograms,
  recordMicros,
  summarizeHistogram,
} from '../../../bench/measure/histogram.util';

/** Deterministic pseudo-random latencies (xorshift), spread from microseconds to seconds. */
function samples(seed: number, count: number): number[] {
  let x = seed;
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    const u = (x >>> 0) / 2 ** 32;
    out.push(Math.round(10 ** (1 + u * 5))); // 10 us .. 1 s, log-uniform
  }
  return out;
}

function histogramOf(values: number[]) {
  const h = createLatencyHistogram();
  values.forEach((v) => recordMicros(h, v));
  return h;
}

describe('merging encoded histograms', () => {
  test.each([
    [
      'three runs of different sizes',
      [
        [1, 1000],
        [2, 50],
        [3, 20_000],
      ],
    ],
    ['one run', [[7, 5000]]],
    [
      'runs with a multi-second outlier',
      [
        [11, 300],
        [12, 300],
      ],
    ],
  ] as const)('the merge of %s equals the histogram of all their samples', (_name, runs) => {
    const parts = runs.map(([seed, n]) => samples(seed, n));
    if (_name.includes('outlier')) parts[0]?.push(45_000_000);
    const merged = decodeHistogram(mergeHistograms(parts.map((p) => encodeHistogram(histogramOf(p))))!);
    const direct = histogramOf(parts.flat());
    expect(merged.totalCount).toBe(direct.totalCount);
    for (const p of [0, 1, 10, 25, 50, 75, 90, 99, 99.9, 99.99, 100]) {
      expect(merged.getValueAtPercentile(p)).toBe(direct.getValueAtPercentile(p));
    }
    expect(summarizeHistogram(merged)).toEqual(summarizeHistogram(direct));
  });

  test('merging nothing gives null rather than an empty histogram that would read as zero latency', () => {
    expect(mergeHistograms([])).toBeNull();
  });

  test('an encoded histogram decodes to the same percentiles at microsecond resolution', () => {
    const values = [101, 102, 103, 250, 999, 1001, 5000];
    const h = histogramOf(values);
    const back = decodeHistogram(encodeHistogram(h));
    expect(back.totalCount).toBe(values.length);
    expect(back.getValueAtPercentile(0)).toBe(101);
    expect(back.getValueAtPercentile(50)).toBe(250);
    expect(summarizeHistogram(back).max).toBeGreaterThanOrEqual(5000);
    expect(summarizeHistogram(back).max).toBeLessThan(5005);
  });
});
