import { buildPlan } from '../../../bench/plan/plan.build';
import { capacityWarnings, DEFAULT_GENERATOR_CAPACITY } from '../../../bench/plan/shard.capacity';

describe('capacityWarnings', () => {
  const plan = buildPlan({ setups: 'jwt', replicas: '1', model: 'open', rate: '5000' });

  it('warns when the rate per generator exceeds one generator, naming the shards needed', () => {
    expect(capacityWarnings(plan, 2, DEFAULT_GENERATOR_CAPACITY)[0]).toMatch(
      /2500 req\/s per generator with 2 generator\(s\), above the 1500 req\/s .* use --shards 4 or more/,
    );
  });

  it('uses a measured capacity and is silent when the shards suffice', () => {
    expect(capacityWarnings(plan, 2, { openRps: 3000, source: 'measured' })).toEqual([]);
    expect(capacityWarnings(plan, 4, DEFAULT_GENERATOR_CAPACITY)).toEqual([]);
  });
});
