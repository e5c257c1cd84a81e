import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseResults, readResults, ResultsFileError } from '../../../bench/results/results.io';
import { RESULTS_SCHEMA_VERSION } from '../../../bench/results/results.schema';

describe('readResults', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'authscale-io-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const write = (content: string) => {
    const file = join(dir, 'results.json');
    writeFileSync(file, content);
    return file;
  };

  it.each([
    { name: 'a missing file', content: null, message: /no such file/ },
    { name: 'a corrupt file', content: '{"schemaVersion": 1, "runs": [', message: /not valid JSON/ },
    {
      name: 'a file without a schema version',
      content: '{"hello": 1}',
      message: /not an authscale results file/,
    },
    {
      name: 'a schema version this authscale no longer reads',
      content: JSON.stringify({ schemaVersion: 0 }),
      message: /uses results schema version 0; this authscale reads versions 1 and 2/,
    },
    {
      name: 'a newer schema version',
      content: JSON.stringify({ schemaVersion: RESULTS_SCHEMA_VERSION + 1 }),
      message: /newer than this authscale/,
    },
    {
      name: 'a file with the right version but missing fields',
      content: JSON.stringify({ schemaVersion: RESULTS_SCHEMA_VERSION, tool: 'authscale' }),
      message: /createdAt/,
    },
  ])('rejects $name with a message that says what is wrong', ({ content, message }) => {
    const file = content === null ? join(dir, 'results.json') : write(content);
    let caught: unknown;
    try {
      readResults(dir);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ResultsFileError);
    expect((caught as Error).message).toMatch(message);
    expect((caught as Error).message).toContain(file);
  });
});

describe('reading a schema 1 file', () => {
  it('upgrades it: runs without timeline or steady-state record, plan with the old meaning of connections', () => {
    // The committed clean fixture as it was written in schema 1 (before timelines).
    const v1 = JSON.parse(
      readFileSync(join(__dirname, '../../fixtures/results/schema-1/results.json'), 'utf8'),
    );
    expect(v1.schemaVersion).toBe(1);
    const results = parseResults(v1);
    expect(results.schemaVersion).toBe(RESULTS_SCHEMA_VERSION);
    expect(results.runs.every((r) => r.timeline === null && r.steadyState === null)).toBe(true);
    expect(results.plan.connectionsPer).toBe('total');
    expect(results.plan.maxWarmupSeconds).toBeNull();
    expect(results.notes).toEqual([]);
    expect(results.runs[0]!.throughputRps).toBe(v1.runs[0].throughputRps);
  });
});
