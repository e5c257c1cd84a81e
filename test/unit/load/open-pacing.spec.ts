/**
 * The open model's pacing (bench/load/open-pacing.ts) against a stand-in for
 * autocannon's client: requests go out at their intended times, spread over
 * the connections; a request held up by a busy connection is timed from its
 * intended time (coordinated omission), an idle one from its actual send; and
 * the end of the window stops new sends but lets the backlog out.
 */
import type { Client } from 'autocannon';
import { paceClient } from '../../../bench/load/open-pacing';

/** What the pacer touches of autocannon's Client, recording every send. */
function standIn() {
  const sends: number[] = [];
  const client = {
    destroyed: false,
    timeoutTicker: { reschedule: () => undefined },
    _doRequest: () => sends.push(performance.now()),
  };
  return { client, sends, asClient: client as unknown as Client };
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('connection i of C is meant to send at t0 + (i + k*C) / rate: together one even stream', () => {
  // Every slot is long due, so each request goes out at once and carries its intended time exactly.
  const start = performance.now() - 10_000;
  const options = { connections: 2, ratePerSecond: 50, startMs: start, timeoutMs: 1000 };
  const a = standIn();
  const b = standIn();
  const pa = paceClient(a.asClient, { connectionIndex: 0, ...options });
  const pb = paceClient(b.asClient, { connectionIndex: 1, ...options });
  const intended: number[] = [];
  for (let k = 0; k < 3; k++) {
    a.client._doRequest();
    b.client._doRequest();
    intended.push(pa.takeStart()! - start, pb.takeStart()! - start);
  }
  // 50/s over 2 connections: one arrival every 20 ms overall, connection 1 offset by 20 ms.
  expect(intended).toEqual([0, 20, 40, 60, 80, 100]);
  expect(a.sends).toHaveLength(3);
  expect(b.sends).toHaveLength(3);
});

test('a request held up by a busy connection is timed from when it was meant to go, an idle one from its send', async () => {
  const s = standIn();
  const start = performance.now() - 100; // five slots (20 ms apart) are already due
  const pacer = paceClient(s.asClient, {
    connectionIndex: 0,
    connections: 1,
    ratePerSecond: 50,
    startMs: start,
    timeoutMs: 1000,
  });
  s.client._doRequest();
  // Behind schedule: sent at once, but its latency counts from the intended time 100 ms ago.
  expect(s.sends).toHaveLength(1);
  expect(pacer.takeStart()).toBe(start);
  const ahead = paceClient(standIn().asClient, {
    connectionIndex: 0,
    connections: 1,
    ratePerSecond: 10,
    startMs: performance.now() + 30,
    timeoutMs: 1000,
  });
  expect(ahead.takeStart()).toBeUndefined();
});

test('the end of the window stops sends intended after it, lets due ones out, and says when it is done', async () => {
  const s = standIn();
  const start = performance.now();
  const pacer = paceClient(s.asClient, {
    connectionIndex: 0,
    connections: 1,
    ratePerSecond: 20,
    startMs: start,
    timeoutMs: 1000,
  });
  let done = 0;
  s.client._doRequest(); // slot 0 at t0: goes now
  s.client._doRequest(); // slot 1 at t0 + 50 ms: waits on a timer
  pacer.stopAt(start + 40, () => done++);
  // The waiting slot is past the cutoff: nothing more to send, done at once.
  expect(done).toBe(1);
  await wait(80);
  expect(s.sends).toHaveLength(1);
  s.client._doRequest();
  expect(s.sends).toHaveLength(1);
  expect(done).toBe(1);
});
