/**
 * `authscale merge <files...> --out <file>`: the results files of one sharded
 * run (one per `bench --shard i/N`) as one results file that `report` and
 * `compare` read like any other (bench/merge/results.merge.ts). Files from
 * different runs, plans or setups, or a duplicate or missing shard, exit 2
 * naming the difference. Per-shard and merged counts go to stderr, the path
 * of the merged file to stdout.
 */
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { mergeShardResults } from '../merge/results.merge';
import { readResults, writeResults } from '../results/results.io';
import type { Results } from '../results/results.schema';
import { fmtMs } from '../results/number.format';

function countsTable(files: readonly { source: string; results: Results }[], merged: Results): string {
  const row = (name: string, r: Results) =>
    r.runs
      .map(
        (run) =>
          `${name.padEnd(10)} ${run.id.padEnd(32)} ${String(run.requests.total).padStart(9)} req  ` +
          `p50 ${fmtMs(run.latencyUs.p50)}  p99 ${fmtMs(run.latencyUs.p99)}  ${run.throughputRps.toFixed(0)} req/s`,
      )
      .join('\n');
  const shards = files.map((f) =>
    row(`shard ${(f.results.shard?.index ?? 0) + 1}/${f.results.shard?.count}`, f.results),
  );
  return [...shards, row('merged', merged)].join('\n');
}

export function registerMergeCommand(program: Command): void {
  program
    .command('merge')
    .description('Merge the results files of one sharded run (bench --shard i/N) into one results file.')
    .argument('<files...>', "every shard's results.json (or the directory holding it)")
    .requiredOption('--out <file>', 'where the merged results.json goes (then: authscale report <file>)')
    .action((sources: string[], flags: { out: string }) => {
      const files = sources.map((source) => ({ source, results: readResults(source) }));
      const merged = mergeShardResults(files);
      const out = resolve(flags.out);
      writeResults(out, merged);
      process.stderr.write(`${countsTable(files, merged)}\n`);
      for (const w of merged.warnings) process.stderr.write(`warning: ${w.message}\n`);
      process.stdout.write(`${out}\n`);
    });
}
