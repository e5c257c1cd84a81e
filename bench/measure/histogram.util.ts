/**
 * Latency histograms in microseconds (HDR, 3 significant digits), their
 * encoded form in results.json, and merging. Percentiles are always read from
 * a histogram, never averaged: merging adds counts bucket by bucket, so the
 * merge of several runs equals the histogram of all their samples.
 */
import * as hdr from 'hdr-histogram-js';
import type { z } from 'zod';
import type { encodedHistogramSchema, latencySummarySchema } from '../results/results.schema';

export type EncodedHistogram = z.infer<typeof encodedHistogramSchema>;
export type LatencySummary = z.infer<typeof latencySummarySchema>;
export type Histogram = hdr.Histogram;

/** 1 us resolution, auto-resizing so a multi-second stall is still recorded exactly. */
export function createLatencyHistogram(): Histogram {
  return hdr.build({
    bitBucketSize: 32,
    autoResize: true,
    lowestDiscernibleValue: 1,
    highestTrackableValue: 60_000_000,
    numberOfSignificantValueDigits: 3,
  });
}

/** Records one latency given in microseconds (fractions rounded; below 1 us counts as 1 us). */
export function recordMicros(histogram: Histogram, micros: number): void {
  histogram.recordValue(Math.max(1, Math.round(micros)));
}

export function encodeHistogram(histogram: Histogram): EncodedHistogram {
  return { encoding: 'hdr-compressed-base64', unit: 'us', data: hdr.encodeIntoCompressedBase64(histogram) };
}

export function decodeHistogram(encoded: EncodedHistogram): Histogram {
  return hdr.decodeFromCompressedBase64(encoded.data, 32, false);
}

/** Adds every histogram into a fresh one; null when there is nothing to merge. */
export function mergeHistograms(encoded: readonly EncodedHistogram[]): EncodedHistogram | null {
  if (encoded.length === 0) return null;
  const merged = createLatencyHistogram();
  for (const item of encoded) {
    const h = decodeHistogram(item);
    merged.add(h);
    h.destroy();
  }
  const out = encodeHistogram(merged);
  merged.destroy();
  return out;
}

/**
 * Every figure is read from the buckets (min and max too, not the exact
 * extremes a live histogram also remembers), so a run's summary equals the
 * summary of its encoded histogram read back, and merges add up.
 */
export function summarizeHistogram(histogram: Histogram): LatencySummary {
  if (histogram.totalCount === 0) return { min: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 };
  return {
    min: histogram.getValueAtPercentile(0),
    mean: histogram.mean,
    p50: histogram.getValueAtPercentile(50),
    p90: histogram.getValueAtPercentile(90),
    p99: histogram.getValueAtPercentile(99),
    p999: histogram.getValueAtPercentile(99.9),
    max: histogram.getValueAtPercentile(100),
  };
}
