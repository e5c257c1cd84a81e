/**
 * The last `authscale generator-capacity` measurement of this machine, kept
 * beside the reports (<out>/generator-capacity.json) so that the plan's
 * capacity warning (bench/plan/shard.capacity.ts) can use measured figures.
 * A record from another host or older than CAPACITY_MAX_AGE_MS is ignored.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { CAPACITY_MAX_AGE_MS, type GeneratorCapacity } from '../plan/shard.capacity';
import { median } from '../stats/ranks.stats';
import type { CapacityRow } from './generator.capacity';

export const CAPACITY_FILE = 'generator-capacity.json';

const recordSchema = z.object({
  measuredAt: z.string(),
  hostname: z.string(),
  /** Median over rounds of the highest open-model rate kept. */
  openRps: z.number().positive(),
  closedRps: z.number().positive().nullable(),
});
type CapacityRecord = z.infer<typeof recordSchema>;

/** Writes the record when the open-model row was measured; returns its path, or null. */
export function writeCapacityRecord(
  dir: string,
  rows: readonly CapacityRow[],
  now = new Date(),
): string | null {
  const [closed, open] = rows;
  if (!open || open.rps.length === 0 || median(open.rps) <= 0) return null;
  const record: CapacityRecord = {
    measuredAt: now.toISOString(),
    hostname: hostname(),
    openRps: Math.round(median(open.rps)),
    closedRps: closed && closed.rps.length > 0 ? Math.round(median(closed.rps)) : null,
  };
  mkdirSync(dir, { recursive: true });
  const file = join(dir, CAPACITY_FILE);
  writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
  return file;
}

/** This machine's recent measurement, or null (none, unreadable, another host, too old). */
export function readCapacityRecord(dir: string, now = Date.now()): GeneratorCapacity | null {
  const file = join(dir, CAPACITY_FILE);
  if (!existsSync(file)) return null;
  let parsed: CapacityRecord;
  try {
    parsed = recordSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return null;
  }
  const age = now - Date.parse(parsed.measuredAt);
  if (parsed.hostname !== hostname() || !(age >= 0 && age <= CAPACITY_MAX_AGE_MS)) return null;
  return {
    openRps: parsed.openRps,
    source: `measured by generator-capacity on ${parsed.measuredAt} (${file})`,
  };
}
