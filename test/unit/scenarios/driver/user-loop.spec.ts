import { boundedLoop, sleep, sleepUntil } from '../../../../bench/scenarios/driver/user-loop';

describe('bounded loop', () => {
  it('stops at the request bound even when time is left', async () => {
    const n = await boundedLoop(
      { untilMs: 60_000, maxRequests: 5, thinkMs: 0 },
      () => 0,
      async () => undefined,
    );
    expect(n).toBe(5);
  });

  it('stops at the deadline even when requests are left', async () => {
    let clock = 0;
    const n = await boundedLoop(
      { untilMs: 30, maxRequests: 1000, thinkMs: 0 },
      () => clock,
      async () => {
        clock += 10;
      },
    );
    expect(n).toBe(3);
  });

  it('stops when the run is aborted', async () => {
    const controller = new AbortController();
    const n = await boundedLoop(
      { untilMs: 60_000, maxRequests: 1000, thinkMs: 1, signal: controller.signal },
      () => 0,
      async (i) => {
        if (i === 1) controller.abort();
      },
    );
    expect(n).toBe(2);
  });

  it('stops when a step says this user is done', async () => {
    const n = await boundedLoop(
      { untilMs: 60_000, maxRequests: 1000, thinkMs: 0 },
      () => 0,
      async (i) => i < 2,
    );
    expect(n).toBe(3);
  });

  it('starts nothing once the deadline has passed or the run was aborted', async () => {
    const step = jest.fn(async () => undefined);
    const aborted = AbortSignal.abort();
    expect(await boundedLoop({ untilMs: 10, maxRequests: 5, thinkMs: 0 }, () => 10, step)).toBe(0);
    expect(
      await boundedLoop({ untilMs: 60_000, maxRequests: 5, thinkMs: 0, signal: aborted }, () => 0, step),
    ).toBe(0);
    expect(step).not.toHaveBeenCalled();
  });
});

// A sleep that ignored the abort would outlast these 10 s timeouts and fail the test.
describe('waiting', () => {
  it('a sleep ends as soon as the run is aborted, not at its end', async () => {
    const controller = new AbortController();
    const slept = sleep(60_000, controller.signal);
    controller.abort();
    await expect(slept).resolves.toBeUndefined();
  }, 10_000);

  it('an already aborted run does not sleep at all', async () => {
    await expect(sleep(60_000, AbortSignal.abort())).resolves.toBeUndefined();
  }, 10_000);

  it('waiting for a time already reached returns at once', async () => {
    await expect(sleepUntil(100, () => 500)).resolves.toBeUndefined();
  }, 10_000);

  it('waiting for a later time is ended by an abort too', async () => {
    const controller = new AbortController();
    const waited = sleepUntil(60_000, () => 0, controller.signal);
    controller.abort();
    await expect(waited).resolves.toBeUndefined();
  }, 10_000);
});
