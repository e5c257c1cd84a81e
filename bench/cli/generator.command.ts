/**
 * `authscale generator-capacity`: the most requests per second one generator
 * process drives on one core, in both models, beside wrk
 * (bench/generator/generator.capacity.ts). Prints a markdown table.
 */
import type { Command } from 'commander';
import { measureCapacity, renderCapacity } from '../generator/generator.capacity';

export function registerGeneratorCommand(program: Command): void {
  program
    .command('generator-capacity')
    .description(
      "Measure the load generator's own ceiling against nginx returning 200 on the other core, beside wrk.",
    )
    .action(async () => {
      const log = (line: string) => void process.stderr.write(`generator capacity: ${line}\n`);
      process.stdout.write(renderCapacity(await measureCapacity(log)));
    });
}
