import type { Command } from 'commander';

// Placeholder: the topology command is being built (see its issue). It registers
// nothing yet so that the CLI builds.
export function registerTopologyCommand(_program: Command): void {}
