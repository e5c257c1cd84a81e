/**
 * The seed table says which Redis hop its runs measured: none added, or the
 * round trip --store-rtt asked for with its mechanism and measured value.
 */
import { storeHopSentence } from '../../../bench/report/seed-table.section';
import { buildSyntheticResults } from '../../fixtures/results/synthetic-results.fixture';

describe('the seed table’s store hop sentence', () => {
  it('says no round trip was added when the runs had no delayed hop', () => {
    expect(storeHopSentence(buildSyntheticResults('clean'))).toMatch(/no added round trip/);
  });

  it('names the round trip, the mechanism and the measured value when the reported runs had one', () => {
    const results = buildSyntheticResults('clean');
    for (const run of results.runs)
      run.storeHop = {
        askedMs: 1,
        mechanism: 'proxy',
        reason: 'no netem in this kernel',
        measured: { hopMs: 1.2, directMs: 0.17, addedMs: 1.03, samples: 50 },
      };
    expect(storeHopSentence(results)).toBe(
      'The Redis hop of these runs had 1 ms of round trip added (proxy, 1.03 ms measured); see "Environment and budgets".',
    );
  });
});
