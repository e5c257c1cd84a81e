/** Per-account throttling and the hash gate, on a fake clock. */
import { AccountThrottle, HashGate } from '../../../apps/api/src/auth/login.guardrails';
import { ApiError } from '../../../apps/api/src/common/api-error';

function statusOf(fn: () => void): number | null {
  try {
    fn();
    return null;
  } catch (err) {
    return (err as ApiError).status;
  }
}

describe('AccountThrottle', () => {
  test('blocks an account after the configured failures, for the throttle window, then lets it try again', () => {
    let now = 1_000_000;
    const throttle = new AccountThrottle(3, 60, () => now);
    for (let i = 0; i < 2; i++) throttle.recordFailure('user1');
    expect(statusOf(() => throttle.admit('user1'))).toBeNull();
    throttle.recordFailure('user1');
    expect(statusOf(() => throttle.admit('user1'))).toBe(429);
    expect(statusOf(() => throttle.admit('user2'))).toBeNull();
    now += 60_001;
    expect(statusOf(() => throttle.admit('user1'))).toBeNull();
  });

  test('each further failure doubles the wait, capped at 16 times the window', () => {
    const now = 0;
    const throttle = new AccountThrottle(1, 10, () => now);
    const waits: number[] = [];
    for (let i = 0; i < 7; i++) {
      throttle.recordFailure('u');
      try {
        throttle.admit('u');
      } catch (err) {
        waits.push(Number((err as ApiError).headers['retry-after']));
      }
    }
    expect(waits).toEqual([10, 20, 40, 80, 160, 160, 160]);
  });

  test('a success resets the account', () => {
    const throttle = new AccountThrottle(2, 60, () => 0);
    throttle.recordFailure('u');
    throttle.recordSuccess('u');
    throttle.recordFailure('u');
    expect(statusOf(() => throttle.admit('u'))).toBeNull();
  });

  test('attempts in flight count: with 3 allowed, a 4th concurrent attempt is refused before any finishes', () => {
    const throttle = new AccountThrottle(3, 60, () => 0);
    const statuses = Array.from({ length: 6 }, () => statusOf(() => throttle.admit('u')));
    expect(statuses).toEqual([null, null, null, 429, 429, 429]);
    throttle.release('u');
    expect(statusOf(() => throttle.admit('u'))).toBeNull();
  });

  test('after a block expires, one attempt at a time is admitted until the next failure', () => {
    let now = 0;
    const throttle = new AccountThrottle(2, 10, () => now);
    for (let i = 0; i < 2; i++) {
      throttle.admit('u');
      throttle.recordFailure('u');
    }
    now += 10_001;
    expect(statusOf(() => throttle.admit('u'))).toBeNull();
    expect(statusOf(() => throttle.admit('u'))).toBe(429);
    throttle.recordFailure('u');
    expect(statusOf(() => throttle.admit('u'))).toBe(429);
  });

  test('a success while other attempts are in flight forgets the failures but keeps counting those attempts', () => {
    const throttle = new AccountThrottle(2, 60, () => 0);
    throttle.admit('u');
    throttle.admit('u');
    throttle.recordSuccess('u');
    expect(statusOf(() => throttle.admit('u'))).toBeNull();
    expect(statusOf(() => throttle.admit('u'))).toBe(429);
  });
});

describe('HashGate', () => {
  test('runs up to maxPending at once and refuses the next with 429 until one finishes', async () => {
    const gate = new HashGate(2);
    const releases: Array<() => void> = [];
    const hold = () => new Promise<void>((resolve) => releases.push(resolve));
    const a = gate.run(hold);
    const b = gate.run(hold);
    await expect(gate.run(hold)).rejects.toMatchObject({ status: 429 });
    releases.shift()?.();
    await a;
    const c = gate.run(async () => 'ran');
    await expect(c).resolves.toBe('ran');
    releases.shift()?.();
    await b;
  });
});
