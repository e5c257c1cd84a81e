import { InfraError } from '../../../infra/process/infra-error';
import { resizing } from '../../../infra/topology.resize';
import type { TopologyRun } from '../../../infra/topology.run';

/** A run whose runtime's nginx has no reload, as the docker runtime's has not. */
function runWithoutReload(): TopologyRun {
  const replica = { id: 'r0', port: 1, url: 'http://127.0.0.1:1' };
  return {
    stopped: false,
    runtime: { name: 'docker' },
    nginx: { port: 2, workerPids: () => [] },
    replicas: new Map([['r0', replica]]),
    launchReplica: () => Promise.reject(new Error('must not start a replica it cannot route to')),
  } as unknown as TopologyRun;
}

describe('resizing a topology', () => {
  it('refuses on a runtime that cannot reload nginx, before starting anything, and says what to use', async () => {
    const { addReplicas } = resizing(runWithoutReload(), []);
    const refusal = addReplicas(2);
    await expect(refusal).rejects.toBeInstanceOf(InfraError);
    await expect(refusal).rejects.toMatchObject({ kind: 'usage' });
    await expect(refusal).rejects.toThrow(/docker runtime cannot reload nginx.*--runtime process/);
  });
});
