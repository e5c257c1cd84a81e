import { connectionsFor, rateFor } from '../../../bench/plan/plan.connections';

describe('the load at N replicas', () => {
  it.each([
    ['per replica: the same load on every replica', 'replica', 8, 4, 32],
    ['per replica at one replica', 'replica', 8, 1, 8],
    ['in total: the same connections on fewer or more replicas', 'total', 8, 4, 8],
  ] as const)('%s', (_name, connectionsPer, connections, replicas, expected) => {
    expect(connectionsFor({ connections, connectionsPer }, replicas)).toBe(expected);
  });

  it.each([
    ['scaled per replica like the connections', 'replica', 100, 2, 200],
    ['kept in total', 'total', 100, 2, 100],
    ['absent in the closed model', 'replica', null, 4, null],
  ] as const)('the open-model rate is %s', (_name, connectionsPer, ratePerSecond, replicas, expected) => {
    expect(rateFor({ ratePerSecond, connectionsPer }, replicas)).toBe(expected);
  });
});
