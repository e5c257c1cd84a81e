import { parseCpuReading } from '../../../bench/measure/replica-metrics';

describe('parseCpuReading', () => {
  it.each([
    [
      'the API format, with the replica label',
      '# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total{replica="r1"} 0.529287\n',
      { seconds: 0.529287, replica: 'r1' },
    ],
    ['a sample without labels', 'process_cpu_seconds_total 12.5\n', { seconds: 12.5, replica: null }],
    [
      'the replica label among others',
      'process_cpu_seconds_total{pod="a",replica="api-7f"} 3\n',
      { seconds: 3, replica: 'api-7f' },
    ],
    [
      'the user and system counters are not the total',
      'process_cpu_user_seconds_total{replica="r0"} 1\nprocess_cpu_seconds_total{replica="r0"} 2\n',
      { seconds: 2, replica: 'r0' },
    ],
  ])('reads %s', (_name, text, expected) => {
    expect(parseCpuReading(text)).toEqual(expected);
  });

  it('returns null when the counter is missing or not a number', () => {
    expect(parseCpuReading('process_cpu_user_seconds_total 1\n')).toBeNull();
    expect(parseCpuReading('process_cpu_seconds_total NaN\n')).toBeNull();
  });
});
