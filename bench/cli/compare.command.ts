/**
 * `authscale compare <baseline> [candidate]`: the CI gate over results files.
 * Exit codes (bench/cli/exit-codes.ts): 0 pass (or inconclusive without
 * --fail-on-inconclusive), 1 regression, 2 bad usage or files that cannot be
 * compared, 3 invalid or (with the flag) inconclusive.
 */
import type { Command } from 'commander';
import { exitCodeForVerdict } from './exit-codes';
import { compareSides } from '../gate/compare.engine';
import { addGateFlags, gateOptionsFrom, type GateFlags } from './gate.flags';
import { emitComparison } from '../gate/compare.output';
import { loadSides } from '../gate/compare.sides';

interface CompareFlags extends GateFlags {
  baseVariant?: string;
  candidateVariant?: string;
}

export function registerCompareCommand(program: Command): void {
  const cmd = program
    .command('compare')
    .description(
      'Compare two results files (or the two variants of one A/B file) and decide: PASS, FAIL, INCONCLUSIVE or INVALID.',
    )
    .argument(
      '<baseline>',
      'results.json of the base (or a directory holding one); alone: an A/B file with "base" and "candidate" variants',
    )
    .argument('[candidate]', 'results.json of the candidate')
    .option('--base-variant <name>', 'variant to take as the base when a file holds several (default "base")')
    .option(
      '--candidate-variant <name>',
      'variant to take as the candidate when a file holds several (default "candidate")',
    );
  addGateFlags(cmd)
    .addHelpText(
      'after',
      `
Exit codes: 0 pass (inconclusive rows only warn unless --fail-on-inconclusive),
1 regression (a FAIL row), 2 bad usage or files that cannot be compared,
3 invalid comparison, or inconclusive with --fail-on-inconclusive.`,
    )
    .action((baseline: string, candidate: string | undefined, flags: CompareFlags) => {
      const options = gateOptionsFrom(flags);
      const sides = loadSides(baseline, candidate, flags);
      const comparison = compareSides(sides.base, sides.candidate, options);
      emitComparison(comparison, { json: flags.json === true });
      process.exitCode = exitCodeForVerdict(comparison.verdict, options.failOnInconclusive);
    });
}
