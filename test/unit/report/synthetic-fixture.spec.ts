/**
 * The committed synthetic fixtures under test/fixtures/results/ are generated,
 * never edited by hand. Regenerate them with:
 *   UPDATE_FIXTURES=1 npx jest test/unit/report/synthetic-fixture.spec.ts
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readResults } from '../../../bench/results/results.io';
import { buildSyntheticResults, type FixtureVariant } from '../../fixtures/results/synthetic-results.fixture';

const FIXTURES = join(__dirname, '../../fixtures/results');
const variants: FixtureVariant[] = ['clean', 'troubled'];

describe('synthetic results fixtures', () => {
  it.each(variants)(
    'the committed %s fixture is exactly what the generator produces and passes the schema',
    (variant) => {
      const dir = join(FIXTURES, `synthetic-${variant}`);
      const generated = `${JSON.stringify(buildSyntheticResults(variant), null, 2)}\n`;
      if (process.env.UPDATE_FIXTURES === '1') {
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, 'results.json'), generated);
      }
      expect(readFileSync(join(dir, 'results.json'), 'utf8')).toBe(generated);
      expect(readResults(dir).plan.profile).toBe(`synthetic-${variant}`);
    },
  );

  it('gives the same output on every call, so snapshots stay stable', () => {
    expect(JSON.stringify(buildSyntheticResults('clean'))).toBe(
      JSON.stringify(buildSyntheticResults('clean')),
    );
  });
});
