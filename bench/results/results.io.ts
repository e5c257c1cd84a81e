/**
 * The only way results.json is written or read: validated against the schema
 * both ways, so a view never renders a file it does not understand and a bug
 * in the bench never writes one.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { z } from 'zod';
import { UsageError } from '../../infra/errors';
import {
  RESULTS_SCHEMA_VERSION,
  READABLE_SCHEMA_VERSIONS,
  resultsSchema,
  type Results,
} from './results.schema';

export const RESULTS_FILE_NAME = 'results.json';

/** Raised for files that cannot be read as results; exit code 2 through the CLI. */
export class ResultsFileError extends UsageError {
  constructor(
    readonly file: string,
    problems: string[],
  ) {
    super(problems.map((p) => `${file}: ${p}`));
    this.name = 'ResultsFileError';
  }
}

/** Accepts a results.json path or a directory holding one (e.g. reports/latest). */
export function resolveResultsPath(pathOrDir: string): string {
  if (existsSync(pathOrDir) && statSync(pathOrDir).isDirectory()) return join(pathOrDir, RESULTS_FILE_NAME);
  return pathOrDir;
}

export function readResults(pathOrDir: string): Results {
  const file = resolveResultsPath(pathOrDir);
  if (!existsSync(file)) {
    throw new ResultsFileError(file, [
      'no such file. Run `authscale bench` first, or pass the path of a results.json or of the directory holding it.',
    ]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ResultsFileError(file, [
      `not valid JSON (${(err as Error).message}); the file is corrupt or was cut short.`,
    ]);
  }
  return parseResults(raw, file);
}

/** Validates already-parsed JSON; `source` names it in messages. */
export function parseResults(raw: unknown, source = 'results'): Results {
  const version =
    typeof raw === 'object' && raw !== null ? (raw as { schemaVersion?: unknown }).schemaVersion : undefined;
  if (typeof version !== 'number') {
    throw new ResultsFileError(source, [
      'has no numeric schemaVersion: it is not an authscale results file.',
    ]);
  }
  if (
    !(READABLE_SCHEMA_VERSIONS as readonly number[]).includes(version) &&
    version < RESULTS_SCHEMA_VERSION
  ) {
    throw new ResultsFileError(source, [
      `uses results schema version ${version}; this authscale reads versions ${READABLE_SCHEMA_VERSIONS.join(' and ')}. Re-run the benchmark with this version, or read it with the authscale release that wrote it.`,
    ]);
  }
  if (version > RESULTS_SCHEMA_VERSION) {
    throw new ResultsFileError(source, [
      `uses results schema version ${version}, newer than this authscale understands (${RESULTS_SCHEMA_VERSION}). Upgrade authscale to read it.`,
    ]);
  }
  // Schema 1 lacks timelines, steady-state verdicts and the plan's warm-up and
  // connection settings: the schema's defaults fill them as "not recorded".
  const upgraded = version === 1 ? { ...(raw as object), schemaVersion: RESULTS_SCHEMA_VERSION } : raw;
  const parsed = resultsSchema.safeParse(upgraded);
  if (!parsed.success) throw new ResultsFileError(source, describeIssues(parsed.error));
  return parsed.data;
}

/** Validates, then writes atomically (temp file + rename) so a crash never leaves half a file. */
export function writeResults(file: string, results: Results): void {
  const parsed = resultsSchema.safeParse(results);
  if (!parsed.success) {
    // A bug in the bench, not bad input: say exactly which field is wrong.
    throw new Error(
      `refusing to write invalid results to ${file}:\n${describeIssues(parsed.error).join('\n')}`,
    );
  }
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(parsed.data, null, 2)}\n`);
  renameSync(tmp, file);
}

function describeIssues(error: z.ZodError): string[] {
  const issues = error.issues
    .slice(0, 20)
    .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
  if (error.issues.length > 20) issues.push(`... and ${error.issues.length - 20} more problems`);
  return issues;
}
