/**
 * Which runs each side of a comparison takes. Two files: all runs of each (or
 * the named variant when a file holds several). One file: an A/B file from
 * `authscale ab` holding a "base" and a "candidate" variant.
 */
import { UsageError } from '../../infra/errors';
import { readResults, resolveResultsPath } from '../results/results.io';
import type { Results } from '../results/results.schema';
import type { ComparisonSide } from './comparability.check';

export const BASE_VARIANT = 'base';
export const CANDIDATE_VARIANT = 'candidate';

function variantsOf(results: Results): string[] {
  return [...new Set(results.runs.map((r) => r.variant))];
}

export function sideFrom(
  label: ComparisonSide['label'],
  file: string,
  results: Results,
  wanted: string | undefined,
  fallback: string,
): ComparisonSide {
  const variants = variantsOf(results);
  let variant: string | null = null;
  if (wanted !== undefined) {
    if (!variants.includes(wanted))
      throw new UsageError([
        `${file}: has no runs of variant "${wanted}" (it has: ${variants.join(', ') || 'no runs'}).`,
      ]);
    variant = wanted;
  } else if (variants.length > 1) {
    if (!variants.includes(fallback)) {
      throw new UsageError([
        `${file}: holds several variants (${variants.join(', ')}); say which is the ${label} with --${label}-variant <name>.`,
      ]);
    }
    variant = fallback;
  }
  // Profiled runs (bench --cpu-profile) carry the profiler's cost: never compared.
  const unprofiled = results.runs.filter((r) => !r.profiled);
  const runs = variant === null ? unprofiled : unprofiled.filter((r) => r.variant === variant);
  return { label, file, results, variant, runs };
}

export function loadSides(
  baseline: string,
  candidate: string | undefined,
  flags: { baseVariant?: string; candidateVariant?: string },
): { base: ComparisonSide; candidate: ComparisonSide } {
  const baseFile = resolveResultsPath(baseline);
  const baseResults = readResults(baseFile);
  if (candidate === undefined) {
    // One A/B file: both sides come from it, by variant.
    const wantedBase = flags.baseVariant ?? BASE_VARIANT;
    const wantedCandidate = flags.candidateVariant ?? CANDIDATE_VARIANT;
    return {
      base: sideFrom('base', baseFile, baseResults, wantedBase, wantedBase),
      candidate: sideFrom('candidate', baseFile, baseResults, wantedCandidate, wantedCandidate),
    };
  }
  const candidateFile = resolveResultsPath(candidate);
  const candidateResults = candidateFile === baseFile ? baseResults : readResults(candidateFile);
  return {
    base: sideFrom('base', baseFile, baseResults, flags.baseVariant, BASE_VARIANT),
    candidate: sideFrom(
      'candidate',
      candidateFile,
      candidateResults,
      flags.candidateVariant,
      CANDIDATE_VARIANT,
    ),
  };
}
