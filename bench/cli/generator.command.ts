/**
 * `authscale generator-capacity`: the most requests per second one generator
 * process drives on one core, in both models, beside wrk
 * (bench/generator/generator.capacity.ts). Prints a markdown table and keeps
 * the figures in <out>/generator-capacity.json, where the bench's capacity
 * warning for sharded runs finds them (bench/plan/shard.capacity.ts).
 */
import type { Command } from 'commander';
import { measureCapacity, renderCapacity } from '../generator/generator.capacity';
import { writeCapacityRecord } from '../generator/capacity.record';
import { DEFAULT_OUT_DIR } from '../runner/results.write';

export function registerGeneratorCommand(program: Command): void {
  program
    .command('generator-capacity')
    .description(
      "Measure the load generator's own ceiling against nginx returning 200 on the other core, beside wrk.",
    )
    .option('--out <dir>', 'where generator-capacity.json goes (the bench reads it there)', DEFAULT_OUT_DIR)
    .action(async (flags: { out: string }) => {
      const log = (line: string) => void process.stderr.write(`generator capacity: ${line}\n`);
      const rows = await measureCapacity(log);
      process.stdout.write(renderCapacity(rows));
      const file = writeCapacityRecord(flags.out, rows);
      if (file) log(`kept in ${file}`);
    });
}
