/**
 * Reaches bench/scenarios/index.ts (issue 7) at run time. The scenarios are
 * built in parallel with the bench; loading them lazily keeps the bench
 * usable (and its build green) in a tree where they are missing or broken,
 * and says so instead of crashing when a plan asks for them.
 */
import type { RunScenarios, ValidateScenarioNames } from '../scenarios/scenario.types';

interface ScenariosModule {
  SCENARIO_NAMES?: readonly string[];
  runScenarios?: RunScenarios;
  validateScenarioNames?: ValidateScenarioNames;
}

let cached: ScenariosModule | Error | undefined;

function load(): ScenariosModule | Error {
  if (cached === undefined) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      cached = require('../scenarios/index') as ScenariosModule;
    } catch (err) {
      cached = err as Error;
    }
  }
  return cached;
}

export function scenarioNameProblems(names: readonly string[]): string[] {
  if (names.length === 0) return [];
  const mod = load();
  if (mod instanceof Error || !mod.validateScenarioNames) {
    return [
      `scenarios are not available in this build (${mod instanceof Error ? mod.message.split('\n')[0] : 'no validateScenarioNames export'}); run without --scenarios`,
    ];
  }
  return mod.validateScenarioNames(names);
}

/** Every scenario the build knows, for `--scenarios all`; empty when scenarios are unavailable. */
export function allScenarioNames(): string[] {
  const mod = load();
  return mod instanceof Error ? [] : [...(mod.SCENARIO_NAMES ?? [])];
}

export function scenarioRunner(): RunScenarios | null {
  const mod = load();
  return mod instanceof Error ? null : (mod.runScenarios ?? null);
}
