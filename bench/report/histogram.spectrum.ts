/**
 * The percentile spectrum of a stored HDR histogram: latency at percentiles
 * spaced evenly on a log scale of 1 / (1 - q), the usual HdrHistogram plot.
 * Decoded with the bench's own decodeHistogram and read with
 * getValueAtPercentile, as the bench reads its percentiles, so the chart and
 * the tables agree.
 */
import { decodeHistogram } from '../measure/histogram.util';
import type { EncodedHistogram } from '../measure/histogram.util';

export interface SpectrumPoint {
  /** 0..100 */
  percentile: number;
  /** 1 / (1 - percentile/100): the log-scale x position. */
  inverse: number;
  latencyUs: number;
}

/** Steps per decade of 1/(1-q): 0%, ~37%, 60%, 75%, 84%, 90%, ... */
const STEPS_PER_DECADE = 5;

export function percentileSpectrum(encoded: EncodedHistogram): SpectrumPoint[] {
  const h = decodeHistogram(encoded);
  try {
    const count = h.totalCount;
    if (count === 0) return [];
    const points: SpectrumPoint[] = [];
    // Stop where one more step would resolve less than one sample: beyond it
    // the line only repeats the maximum.
    for (let k = 0; ; k++) {
      const inverse = 10 ** (k / STEPS_PER_DECADE);
      if (inverse > count) break;
      const percentile = 100 * (1 - 1 / inverse);
      points.push({ percentile, inverse, latencyUs: h.getValueAtPercentile(percentile) });
    }
    points.push({ percentile: 100, inverse: count, latencyUs: h.maxValue });
    return points;
  } finally {
    h.destroy();
  }
}
