import { rateShareOf, readShard, shareOf } from '../../../bench/plan/shard.plan';
import { readStartAt, startAtProblem } from '../../../bench/plan/shard.start';

describe('shard shares', () => {
  it.each([
    [10, 3],
    [9, 3],
    [7, 4],
    [5, 5],
  ])('%i connections among %i shards sum exactly, in disjoint contiguous user blocks', (total, n) => {
    const parts = Array.from({ length: n }, (_, index) => shareOf(total, { index, count: n }));
    expect(parts.reduce((a, p) => a + p.count, 0)).toBe(total);
    parts.forEach((p, i) => expect(p.offset).toBe(i === 0 ? 0 : parts[i - 1]!.offset + parts[i - 1]!.count));
    expect(
      Math.max(...parts.map((p) => p.count)) - Math.min(...parts.map((p) => p.count)),
    ).toBeLessThanOrEqual(1);
  });

  it('splits an arrival rate so the shards sum to it', () => {
    const parts = [0, 1, 2].map((index) => rateShareOf(100.5, { index, count: 3 }));
    expect(parts).toEqual([34.5, 33, 33]);
  });
});

describe('readShard', () => {
  it('reads --shard i/N 1-based and JOB_COMPLETION_INDEX 0-based', () => {
    expect(readShard({ shard: '2/3' }, {}, [])).toEqual({ index: 1, count: 3 });
    expect(readShard({ shards: '3' }, { JOB_COMPLETION_INDEX: '2' }, [])).toEqual({ index: 2, count: 3 });
    expect(readShard({}, {}, [])).toBeNull();
  });

  it.each([
    [{ shard: '0/3' }, {}, /--shard "0\/3" is invalid/],
    [{ shard: '2/3', shards: '4' }, {}, /disagree/],
    [{ shards: '3' }, {}, /needs the shard too/],
    [
      { shards: '3' },
      { JOB_COMPLETION_INDEX: '3' },
      /JOB_COMPLETION_INDEX "3" is invalid: use a whole number from 0 to 2/,
    ],
  ])('names the problem with %j %j', (flags, env, message) => {
    const problems: string[] = [];
    readShard(flags, env, problems);
    expect(problems.join('\n')).toMatch(message);
  });
});

describe('start time', () => {
  it('reads ISO times with a zone and epoch ms', () => {
    expect(readStartAt('2026-12-02T18:00:00Z', [])).toBe(Date.UTC(2026, 11, 2, 18));
    expect(readStartAt('1796234400000', [])).toBe(1796234400000);
    const problems: string[] = [];
    expect(readStartAt('18:00', problems)).toBeUndefined();
    expect(problems[0]).toMatch(/--start-at "18:00" is invalid/);
  });

  it('refuses a start past the tolerance or more than 10 min away, and allows a little lateness', () => {
    const now = Date.UTC(2026, 11, 2, 18);
    expect(startAtProblem(now - 6000, now)).toMatch(/6\.0 s in the past at launch/);
    expect(startAtProblem(now + 11 * 60_000, now)).toMatch(/11\.0 min away/);
    expect(startAtProblem(now - 2000, now)).toBeNull();
    expect(startAtProblem(now + 60_000, now)).toBeNull();
  });
});
