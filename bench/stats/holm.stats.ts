/**
 * Holm's step-down adjustment: controls the chance of any false "significant"
 * across a family of comparisons (every setup x metric row of one compare),
 * uniformly more powerful than Bonferroni and valid without independence.
 * Returns adjusted p values in input order; NaN inputs (rows not tested) are
 * left out of the family and stay NaN.
 */
export function holmAdjust(pValues: readonly number[]): number[] {
  const tested = pValues
    .map((p, i) => ({ p, i }))
    .filter((e) => !Number.isNaN(e.p))
    .sort((a, b) => a.p - b.p);
  const m = tested.length;
  const adjusted = pValues.map(() => Number.NaN);
  let running = 0;
  tested.forEach((entry, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * entry.p));
    adjusted[entry.i] = running;
  });
  return adjusted;
}
