import type { Command } from 'commander';

// Placeholder: the ab command is being built (see its issue). It registers
// nothing yet so that the CLI builds.
export function registerAbCommand(_program: Command): void {}
