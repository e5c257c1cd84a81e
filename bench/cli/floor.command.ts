/**
 * `authscale app-floor` (npm run bench:app): CPU µs per authenticated request
 * of the API in each auth mode beside a minimal NestJS app and bare
 * node:http doing the same check (bench/floor/). This file reads the flags,
 * all problems at once; the measurement knows nothing of them.
 */
import type { Command } from 'commander';
import { UsageError } from '../../infra/errors';
import { FLOOR_MODES } from '../floor/floor.modes';
import { renderFloor } from '../floor/floor.render';
import { FLOOR_DEFAULTS, measureFloor, type FloorSettings } from '../floor/floor.run';
import { readList, readNumber, wholeFrom } from '../plan/flag.values';

interface FloorFlags {
  modes: string;
  rounds?: string;
  connections?: string;
  seconds?: string;
  maxWarmup?: string;
  json?: boolean;
}

const RULES = {
  rounds: { check: wholeFrom(1, 50), allowed: 'use a whole number from 1 to 50' },
  connections: { check: wholeFrom(1, 1000), allowed: 'use a whole number from 1 to 1000' },
  seconds: { check: (n: number) => n >= 0.5 && n <= 600, allowed: 'use seconds from 0.5 to 600, e.g. 5' },
  maxWarmup: { check: (n: number) => n >= 0 && n <= 600, allowed: 'use seconds from 0 to 600, e.g. 20' },
};

export function floorSettingsFrom(flags: FloorFlags): FloorSettings {
  const problems: string[] = [];
  const names = readList(flags.modes);
  const unknown = names.filter((n) => !FLOOR_MODES.some((m) => m.name === n));
  if (unknown.length > 0 || names.length === 0)
    problems.push(
      `--modes "${flags.modes}" is invalid: use a comma-separated list of ${FLOOR_MODES.map((m) => m.name).join(', ')}.`,
    );
  const rounds = readNumber('--rounds', flags.rounds, RULES.rounds, problems);
  const connections = readNumber('--connections', flags.connections, RULES.connections, problems);
  const seconds = readNumber('--seconds', flags.seconds, RULES.seconds, problems);
  const maxWarmup = readNumber('--max-warmup', flags.maxWarmup, RULES.maxWarmup, problems);
  if (problems.length > 0) throw new UsageError(problems);
  const windowSeconds = seconds ?? FLOOR_DEFAULTS.windowSeconds;
  const maxWarmupSeconds = maxWarmup ?? FLOOR_DEFAULTS.maxWarmupSeconds;
  return {
    modes: FLOOR_MODES.filter((m) => names.includes(m.name)),
    rounds: rounds ?? FLOOR_DEFAULTS.rounds,
    connections: connections ?? FLOOR_DEFAULTS.connections,
    windowSeconds,
    minWarmupSeconds: Math.min(FLOOR_DEFAULTS.minWarmupSeconds, maxWarmupSeconds),
    maxWarmupSeconds,
    // Short windows get short buckets, so the window is still several buckets long.
    bucketSeconds: Math.min(FLOOR_DEFAULTS.bucketSeconds, windowSeconds / 4),
  };
}

export function registerFloorCommand(program: Command): void {
  program
    .command('app-floor')
    .description(
      'CPU per authenticated request of the API in each auth mode beside a minimal NestJS app and bare node:http doing the same check, one pinned core each.',
    )
    .option('--modes <list>', 'comma-separated modes', FLOOR_MODES.map((m) => m.name).join(','))
    .option('--rounds <n>', `interleaved rounds (default ${FLOOR_DEFAULTS.rounds})`)
    .option(
      '--connections <n>',
      `connections, one logged-in user each (default ${FLOOR_DEFAULTS.connections})`,
    )
    .option('--seconds <s>', `measured window per run (default ${FLOOR_DEFAULTS.windowSeconds})`)
    .option('--max-warmup <s>', `warm-up limit per run (default ${FLOOR_DEFAULTS.maxWarmupSeconds})`)
    .option('--json', 'print the rows as JSON instead of the table')
    .action(async (flags: FloorFlags) => {
      const settings = floorSettingsFrom(flags);
      const log = (line: string) => void process.stderr.write(`app-floor: ${line}\n`);
      const rows = await measureFloor(settings, log);
      process.stdout.write(flags.json ? `${JSON.stringify(rows, null, 2)}\n` : renderFloor(rows));
    });
}
