import type { Command } from 'commander';

// Placeholder: the compare command is being built (see its issue). It registers
// nothing yet so that the CLI builds.
export function registerCompareCommand(_program: Command): void {}
