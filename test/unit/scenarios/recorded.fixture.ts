/**
 * Hand-written recorded requests for the scenarios' unit tests: a sample is
 * an answer through nginx from r0 in 5 ms unless the test says otherwise.
 */
import { Recorder, type Sample } from '../../../bench/scenarios/driver/recorder';

export type SampleSpec = Partial<Sample> & Pick<Sample, 'user' | 'atMs'>;

/** Samples of one scenario: its usual group and status as defaults, each sample's own fields over them. */
export function sampleMaker(defaults: Pick<Sample, 'group' | 'status'>): (s: SampleSpec) => Sample {
  return (s) => ({
    ...defaults,
    endMs: s.atMs + 5,
    latencyUs: 5000,
    error: null,
    replica: 'r0',
    via: 'nginx',
    ...s,
  });
}

export function recorded(samples: Sample[]): Recorder {
  const rec = new Recorder();
  rec.samples.push(...samples);
  return rec;
}
