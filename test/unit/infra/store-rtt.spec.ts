import { formatStoreRtt, parseStoreRtt } from '../../../infra/store-delay/store-rtt.parse';
import { DelayLine } from '../../../infra/store-delay/delay-line';
import { netemCommands } from '../../../infra/store-delay/netem.hop';

describe('reading --store-rtt', () => {
  it.each([
    ['0', 0],
    ['1ms', 1],
    ['0.5ms', 0.5],
    ['500us', 0.5],
    ['2ms', 2],
    ['1000ms', 1000],
  ])('reads %p as %p ms', (raw, ms) => {
    expect(parseStoreRtt('--store-rtt', raw)).toEqual({ ms });
  });

  it.each(['-1ms', 'abc', '1', '1s', '', '1001ms', '2000000us'])(
    'refuses %p, naming the flag and the fix',
    (raw) => {
      const parsed = parseStoreRtt('--store-rtt', raw);
      expect('problem' in parsed && parsed.problem).toMatch(
        /^--store-rtt ".*" is (invalid|too large): use a round trip such as 0, 500us/,
      );
    },
  );

  it('labels round trips for variant names', () => {
    expect([formatStoreRtt(0.5), formatStoreRtt(1), formatStoreRtt(2.5)]).toEqual(['500us', '1ms', '2.5ms']);
  });
});

describe('one direction of the delayed hop', () => {
  it('writes chunks only once due, in the order they were read, then the end', () => {
    let now = 0n;
    const out: string[] = [];
    const line = new DelayLine({
      delayNs: 1000n,
      write: (c) => out.push(c.toString()),
      end: () => out.push('<end>'),
      now: () => now,
    });
    line.push(Buffer.from('a'));
    now = 400n;
    line.push(Buffer.from('b'));
    line.finish();
    expect(line.pump()).toBe(600n);
    expect(out).toEqual([]);
    now = 1000n;
    line.pump();
    expect(out).toEqual(['a']);
    now = 1400n;
    expect(line.pump()).toBeNull();
    expect(out).toEqual(['a', 'b', '<end>']);
    line.close();
  });
});

describe('netem on the Redis port', () => {
  it('delays only traffic to and from that port, half the round trip each way', () => {
    const commands = netemCommands(6380, 1).map((c) => c.join(' '));
    expect(commands).toEqual([
      'qdisc add dev lo root handle 1: prio bands 4',
      'qdisc add dev lo parent 1:4 handle 40: netem delay 500us',
      'filter add dev lo parent 1: protocol ip prio 1 u32 match ip dport 6380 0xffff flowid 1:4',
      'filter add dev lo parent 1: protocol ip prio 1 u32 match ip sport 6380 0xffff flowid 1:4',
    ]);
  });
});
