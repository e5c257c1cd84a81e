/**
 * The over-time chart draws one line per throughput run of a cell; a profiled
 * twin (bench --cpu-profile) is no throughput run and must not add a line.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseResults } from '../../../bench/results/results.io';
import { runTimelineRows } from '../../../bench/report/run-timeline.chart';

const file = join(__dirname, '../../fixtures/results/real-timeline/results.json');
const results = () => parseResults(JSON.parse(readFileSync(file, 'utf8')));
const runIds = (rows: Record<string, unknown>[]) =>
  new Set(rows.filter((row) => row.kind === 'point').map((row) => row.run));

describe('run timeline rows', () => {
  it('come from every run with a timeline', () => {
    const r = results();
    expect(runIds(runTimelineRows(r)).size).toBe(r.runs.filter((run) => run.timeline).length);
  });

  it('leave profiled runs out', () => {
    const r = results();
    const [first] = r.runs;
    r.runs.push({ ...first!, id: `${first!.id}/profiled`, profiled: true });
    expect(runIds(runTimelineRows(r))).not.toContain(`${first!.id}/profiled`);
    expect(runIds(runTimelineRows(r)).size).toBe(r.runs.filter((run) => run.timeline).length - 1);
  });
});
