/**
 * A weighted request mix as the fixed cycle of paths each connection walks
 * through. Smooth weighted round robin (the one nginx uses) spreads the
 * heavier paths evenly through the cycle instead of in one block, so a short
 * window still sees the intended proportions.
 */
export interface MixEntry {
  path: string;
  weight: number;
}

/** Longest cycle built; weights are scaled down to fit, keeping every path at least once. */
const MAX_CYCLE = 100;

export function mixCycle(mix: readonly MixEntry[]): string[] {
  if (mix.length === 0) throw new Error('request mix is empty');
  const smallest = Math.min(...mix.map((m) => m.weight));
  let counts = mix.map((m) => Math.max(1, Math.round(m.weight / smallest)));
  const total = counts.reduce((a, b) => a + b, 0);
  if (total > MAX_CYCLE) counts = counts.map((c) => Math.max(1, Math.round((c * MAX_CYCLE) / total)));

  const cycleLength = counts.reduce((a, b) => a + b, 0);
  const current = counts.map(() => 0);
  const cycle: string[] = [];
  for (let step = 0; step < cycleLength; step++) {
    let best = 0;
    for (let i = 0; i < counts.length; i++) {
      current[i] = (current[i] ?? 0) + (counts[i] ?? 0);
      if ((current[i] ?? 0) > (current[best] ?? 0)) best = i;
    }
    current[best] = (current[best] ?? 0) - cycleLength;
    cycle.push(mix[best]?.path ?? '/');
  }
  return cycle;
}
