/**
 * Where a bench job's results go: <out>/<timestamp>/results.json, written
 * through results.io (validated), and <out>/latest pointing at it so the
 * report and compare commands find the newest run without a path.
 */
import { lstatSync, mkdirSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { RESULTS_FILE_NAME, writeResults } from '../results/results.io';
import type { Results } from '../results/results.schema';

export const DEFAULT_OUT_DIR = 'reports';
export const LATEST_LINK = 'latest';

/** 2026-11-28T04-05-09Z: sortable, and safe in file names everywhere. */
export function timestampDirName(date = new Date()): string {
  return date
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/:/g, '-');
}

/** `suffix` tells files of one moment apart by name (shards of one run on one machine: -shard2of3). */
export function writeBenchResults(outDir: string, results: Results, date = new Date(), suffix = ''): string {
  const stem = `${timestampDirName(date)}${suffix}`;
  let name = stem;
  // Two jobs in the same second (an A/B job writes two files) must not overwrite each other.
  for (let n = 2; exists(join(outDir, name)); n++) name = `${stem}-${n}`;
  const dir = join(outDir, name);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, RESULTS_FILE_NAME);
  writeResults(file, results);
  // Replace the link atomically: a reader never sees "latest" missing.
  const link = join(outDir, LATEST_LINK);
  const tmp = `${link}.tmp-${process.pid}`;
  rmSync(tmp, { force: true });
  symlinkSync(name, tmp);
  renameSync(tmp, link);
  return file;
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
