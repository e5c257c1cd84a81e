import { mixCycle } from '../../../bench/load/request-mix.util';

describe('the request mix as a per-connection cycle', () => {
  test.each([
    [[{ path: '/api/me', weight: 1 }], { '/api/me': 1 }],
    [
      [
        { path: '/api/me', weight: 3 },
        { path: '/api/items', weight: 1 },
      ],
      { '/api/me': 3, '/api/items': 1 },
    ],
    [
      [
        { path: '/a', weight: 0.5 },
        { path: '/b', weight: 1.5 },
      ],
      { '/a': 1, '/b': 3 },
    ],
  ])('mix %j gives each path its share of the cycle', (mix, expected) => {
    const cycle = mixCycle(mix);
    const counts: Record<string, number> = {};
    cycle.forEach((p) => {
      counts[p] = (counts[p] ?? 0) + 1;
    });
    expect(counts).toEqual(expected);
  });

  test('heavier paths are spread through the cycle, not sent in one block', () => {
    expect(
      mixCycle([
        { path: '/a', weight: 2 },
        { path: '/b', weight: 2 },
        { path: '/c', weight: 1 },
      ]).join(' '),
    ).toBe('/a /b /c /a /b');
  });

  test('extreme weight ratios are scaled down to a bounded cycle that keeps every path', () => {
    const cycle = mixCycle([
      { path: '/rare', weight: 1 },
      { path: '/common', weight: 10_000 },
    ]);
    expect(cycle.length).toBeLessThanOrEqual(101);
    expect(cycle).toContain('/rare');
  });
});
