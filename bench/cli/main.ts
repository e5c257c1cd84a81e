#!/usr/bin/env node
/**
 * authscale: the one CLI. Each subcommand lives in its own *.command.ts file
 * and registers itself on the commander program; this file is the one place
 * that catches errors and turns them into messages and exit codes.
 */
import { Command, CommanderError } from 'commander';
import { AuthscaleError } from '../../infra/errors';
import { packageVersion } from '../../infra/package.root';
import { ExitCode, exitCodeForError } from './exit-codes';
import { registerBenchCommand } from './bench.command';
import { registerReportCommand } from './report.command';
import { registerCompareCommand } from './compare.command';
import { registerAbCommand } from './ab.command';
import { registerTopologyCommand } from './topology.command';
import { registerCalibrateCommand } from './calibrate.command';
import { registerGeneratorCommand } from './generator.command';
import { registerImagesCommand } from './images.command';
import { registerMergeCommand } from './merge.command';
import { registerFloorCommand } from './floor.command';

export function buildProgram(): Command {
  const program = new Command('authscale')
    .description(
      'Measure what session-based and token-based auth cost when an API is scaled out behind nginx.',
    )
    .version(packageVersion(), '-V, --version', 'print the version of authscale')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerBenchCommand(program);
  registerReportCommand(program);
  registerCompareCommand(program);
  registerAbCommand(program);
  registerTopologyCommand(program);
  registerCalibrateCommand(program);
  registerGeneratorCommand(program);
  registerImagesCommand(program);
  registerMergeCommand(program);
  registerFloorCommand(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version arrive here too, with exit code 0.
      return err.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    if (err instanceof AuthscaleError) {
      process.stderr.write(`authscale: ${err.message}\n`);
      return exitCodeForError(err.kind);
    }
    process.stderr.write(
      `authscale: unexpected error (a bug; please report it):\n${(err as Error)?.stack ?? String(err)}\n`,
    );
    return ExitCode.internal;
  }
}

if (require.main === module) {
  main(process.argv).then((code) => {
    process.exitCode = code;
  });
}
