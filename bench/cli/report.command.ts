import type { Command } from 'commander';

// Placeholder: the report command is being built (see its issue). It registers
// nothing yet so that the CLI builds.
export function registerReportCommand(_program: Command): void {}
