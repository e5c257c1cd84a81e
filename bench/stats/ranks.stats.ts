/**
 * Ranking helpers shared by the rank tests.
 *
 * Ties get the mean of the ranks they span (midranks). Midranks are always
 * whole or half numbers, so the tests work on doubled ranks: integers, which
 * makes exact permutation distributions a plain integer subset-sum count.
 */

/**
 * Rounds away floating-point noise before ranking, so that values equal in
 * exact arithmetic (e.g. ln(1010/1000) and ln(2020/2000)) tie as they should.
 * 12 significant digits is far finer than any measurement we rank.
 */
export function cleanForRanking(value: number): number {
  if (value === 0 || !Number.isFinite(value)) return value;
  return Number(value.toPrecision(12));
}

/** Doubled midranks (2 x rank, 1-based) of `values`, in input order. */
export function doubledMidranks(values: readonly number[]): number[] {
  const order = values.map((v, i) => ({ v: cleanForRanking(v), i })).sort((a, b) => a.v - b.v);
  const ranks = new Array<number>(values.length).fill(0);
  let start = 0;
  while (start < order.length) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]!.v === order[start]!.v) end += 1;
    // Positions start..end (0-based) share ranks start+1..end+1; doubled mean = start+end+2.
    for (let k = start; k <= end; k += 1) ranks[order[k]!.i] = start + end + 2;
    start = end + 1;
  }
  return ranks;
}

/** Sizes of the groups of tied values (only groups larger than one). */
export function tieGroupSizes(values: readonly number[]): number[] {
  const counts = new Map<number, number>();
  for (const v of values) {
    const key = cleanForRanking(v);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts.values()].filter((c) => c > 1);
}

/** Two-sided p from a discrete null distribution: twice the smaller tail, capped at 1 (R's convention). */
export function twoSidedFromTails(lowerTail: number, upperTail: number): number {
  return Math.min(1, 2 * Math.min(lowerTail, upperTail));
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Standard normal CDF. Only large samples (past the exact limit) use it. */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/** Complementary error function: a Chebyshev-type fit with fractional error below 1.2e-7 everywhere. */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** Standard normal quantile (Acklam's algorithm, relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
    );
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}
