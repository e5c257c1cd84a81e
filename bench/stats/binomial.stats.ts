/**
 * Exact (Clopper-Pearson) confidence interval for a proportion k/n: the gate's
 * own false-alarm and detection rates, measured over a finite number of
 * comparisons. Conservative by construction, which is what a claim like
 * "at most 5% false alarms" needs.
 */

/** P(X <= k) for X ~ Binomial(n, p), summed in log space to stay accurate for n in the thousands. */
export function binomialCdf(k: number, n: number, p: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  if (p <= 0) return 1;
  if (p >= 1) return 0;
  let logTerm = n * Math.log1p(-p); // P(X = 0)
  let sum = Math.exp(logTerm);
  for (let i = 1; i <= k; i += 1) {
    logTerm += Math.log((n - i + 1) / i) + Math.log(p) - Math.log1p(-p);
    sum += Math.exp(logTerm);
  }
  return Math.min(1, sum);
}

/** Finds p in [0, 1] with f(p) = target for a decreasing f, by bisection (60 halvings: ~1e-18). */
function solveDecreasing(f: (p: number) => number, target: number): number {
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 60; i += 1) {
    const mid = (lo + hi) / 2;
    if (f(mid) > target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

export function clopperPearson(k: number, n: number, confidence = 0.95): { low: number; high: number } {
  if (n <= 0) return { low: 0, high: 1 };
  const alpha = 1 - confidence;
  // low: P(X >= k | p) = alpha/2  <=>  P(X <= k-1 | p) = 1 - alpha/2
  const low = k === 0 ? 0 : solveDecreasing((p) => binomialCdf(k - 1, n, p), 1 - alpha / 2);
  // high: P(X <= k | p) = alpha/2
  const high = k === n ? 1 : solveDecreasing((p) => binomialCdf(k, n, p), alpha / 2);
  return { low, high };
}
