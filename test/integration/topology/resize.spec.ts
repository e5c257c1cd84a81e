/**
 * Adding and removing replicas of a running topology (process runtime):
 * real replicas, real nginx reloaded by SIGHUP. Added replicas serve once
 * addReplicas returns, a removed one serves nothing and is gone, and stop()
 * ends the added ones too.
 */
import type { RunningTopology } from '../../../infra/topology.types';
import { isAlive } from '../../../infra/process/proc-tree';
import { start } from './topology.fixture';
import { countBy, TestUser } from './topology.client';

const ROUND_TRIPS = 24;

/**
 * A reload closes the old workers' idle keep-alive connections; a request
 * racing that close on a reused connection fails before any answer, and
 * real clients retry such an idempotent GET once. So does this one.
 */
async function getOnce(topology: RunningTopology, user: TestUser): Promise<string | null> {
  try {
    return (await user.request(topology.url, '/api/me')).replica;
  } catch (err) {
    if (!/other side closed/.test(String((err as Error).cause))) throw err;
    return (await user.request(topology.url, '/api/me')).replica;
  }
}

async function replicasAnswering(topology: RunningTopology, user: TestUser): Promise<Record<string, number>> {
  const replicas: (string | null)[] = [];
  for (let i = 0; i < ROUND_TRIPS; i++) replicas.push(await getOnce(topology, user));
  return countBy(replicas);
}

describe('a running topology gains and loses replicas', () => {
  let topology: RunningTopology | null = null;
  afterAll(async () => {
    await topology?.stop();
  });

  it('serves from added replicas once addReplicas returns, not from a removed one, and stop() ends them all', async () => {
    topology = await start('jwt', 2);
    const user = new TestUser(1, 'bearer');
    await user.login(topology.url);
    const firstPids = topology.replicas.map((r) => r.pid);

    const added = await topology.addReplicas(2);
    expect(added.map((r) => r.id)).toEqual(['r2', 'r3']);
    expect(topology.replicas.map((r) => r.id)).toEqual(['r0', 'r1', 'r2', 'r3']);
    const afterAdd = await replicasAnswering(topology, user);
    expect(Object.keys(afterAdd).sort()).toEqual(['r0', 'r1', 'r2', 'r3']);

    const removed = topology.replicas.find((r) => r.id === 'r0')!;
    await topology.removeReplica('r0');
    expect(isAlive(removed.pid)).toBe(false);
    expect(topology.replicas.map((r) => r.id)).toEqual(['r1', 'r2', 'r3']);
    const afterRemove = await replicasAnswering(topology, user);
    expect(Object.keys(afterRemove).sort()).toEqual(['r1', 'r2', 'r3']);
    expect(topology.failure()).toBeNull();

    const allPids = [...firstPids, ...added.map((r) => r.pid), topology.nginx.pid];
    await topology.stop();
    expect(allPids.filter(isAlive)).toEqual([]);
  }, 60_000);

  it('refuses bad sizes and removing the last replica, naming the problem', async () => {
    topology = await start('jwt', 1);
    await expect(topology.addReplicas(0)).rejects.toThrow(/whole number of replicas >= 1/);
    await expect(topology.removeReplica('r9')).rejects.toThrow(/no replica "r9".*it has r0/);
    await expect(topology.removeReplica('r0')).rejects.toThrow(/last replica/);
    await topology.stop();
  }, 60_000);
});
