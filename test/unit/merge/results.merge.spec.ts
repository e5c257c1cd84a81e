import { buildSyntheticResults } from '../../fixtures/results/synthetic-results.fixture';
import { mergeShardResults, type ShardFile } from '../../../bench/merge/results.merge';
import {
  createLatencyHistogram,
  decodeHistogram,
  encodeHistogram,
  recordMicros,
} from '../../../bench/measure/histogram.util';
import { parseResults } from '../../../bench/results/results.io';
import type { Results } from '../../../bench/results/results.schema';
import { UsageError } from '../../../infra/errors';

const T0 = Date.UTC(2026, 11, 2, 18, 0, 0);

/** A small real shard file: one run, a histogram of `values` (us), a window starting `offsetMs` after T0. */
function shardFile(index: number, count: number, values: number[], offsetMs = 0, runId = 'run-a'): ShardFile {
  const base = buildSyntheticResults('clean');
  const run = { ...base.runs[0]! };
  const h = createLatencyHistogram();
  for (const v of values) recordMicros(h, v);
  run.histogram = encodeHistogram(h);
  h.destroy();
  run.requests = { total: values.length, ok: values.length, non2xx: {}, errors: 0, timeouts: 0 };
  run.clock = {
    timelineStartEpochMs: T0 + offsetMs - 2000,
    windowStartEpochMs: T0 + offsetMs,
    windowEndEpochMs: T0 + offsetMs + 10_000,
  };
  const results: Results = {
    ...base,
    plan: { ...base.plan, setups: [run.setup], replicas: [run.replicas], repetitions: 1 },
    runs: [run],
    summaries: [],
    scenarios: [],
    warnings: [],
    shard: { index, count, runId, planHash: 'hash-1', startAt: new Date(T0).toISOString() },
  };
  return { source: `shard-${index + 1}.json`, results: parseResults(JSON.parse(JSON.stringify(results))) };
}

function refusal(files: ShardFile[]): string {
  try {
    mergeShardResults(files);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('merge did not refuse');
}

describe('mergeShardResults', () => {
  it('adds the histograms bucket by bucket and sums the counts', () => {
    const merged = mergeShardResults([shardFile(0, 2, [100, 200, 300]), shardFile(1, 2, [1000, 2000])]);
    const run = merged.runs[0]!;
    expect(run.requests.total).toBe(5);
    const h = decodeHistogram(run.histogram);
    expect(h.totalCount).toBe(5);
    expect(h.getValueAtPercentile(100)).toBeGreaterThanOrEqual(1999);
    h.destroy();
    expect(run.throughputRps).toBeCloseTo(5 / 10, 5);
    expect(merged.mergedFrom?.shards.map((s) => s.requests)).toEqual([3, 2]);
    expect(merged.shard).toBeUndefined();
    expect(merged.warnings.filter((w) => w.code === 'shard-window-overlap')).toEqual([]);
  });

  it('flags windows that overlap less than 90%', () => {
    const merged = mergeShardResults([shardFile(0, 2, [100]), shardFile(1, 2, [100], 3000)]);
    const flagged = merged.warnings.find((w) => w.code === 'shard-window-overlap');
    expect(flagged?.message).toMatch(/overlap 54% \(< 90%/);
    // Throughput over the time any window covered (13 s), not the shards' own.
    expect(merged.runs[0]!.throughputRps).toBeCloseTo(2 / 13, 5);
  });

  it.each([
    [
      'different runs',
      [shardFile(0, 2, [1]), shardFile(1, 2, [1], 0, 'run-b')],
      /has run id "run-b" but shard-1\.json has "run-a"/,
    ],
    ['a duplicate shard', [shardFile(0, 2, [1]), shardFile(0, 2, [1])], /shard 1\/2 appears twice/],
    ['a missing shard', [shardFile(0, 3, [1]), shardFile(2, 3, [1])], /shard\(s\) 2\/3 missing/],
    [
      'different shard counts',
      [shardFile(0, 2, [1]), shardFile(1, 3, [1])],
      /has shard count 3 but shard-1\.json has 2/,
    ],
  ])('refuses %s, naming the difference', (_name, files, message) => {
    expect(refusal(files)).toMatch(message);
  });

  it('refuses files of different plans and setups', () => {
    const other = shardFile(1, 2, [1]);
    other.results.shard!.planHash = 'hash-2';
    other.results.plan.setups = ['session-redis'];
    const message = refusal([shardFile(0, 2, [1]), other]);
    expect(message).toMatch(/plan hash "hash-2"/);
    expect(message).toMatch(/setups \["session-redis"\]/);
  });

  it('refuses a file that is not a shard', () => {
    const plain = shardFile(0, 1, [1]);
    delete plain.results.shard;
    expect(refusal([plain])).toMatch(/is not a shard's results/);
  });
});
