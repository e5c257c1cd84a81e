import type { Command } from 'commander';

// Placeholder: the bench command is being built (see its issue). It registers
// nothing yet so that the CLI builds.
export function registerBenchCommand(_program: Command): void {}
