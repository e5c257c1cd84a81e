import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readResults, ResultsFileError } from '../../../bench/results/results.io';
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
      name: 'an older schema version',
      content: JSON.stringify({ schemaVersion: RESULTS_SCHEMA_VERSION - 1 }),
      message: /older than this authscale/,
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
