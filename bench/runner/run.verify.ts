/**
 * Verify before measuring (TechEmpower's --mode verify): one authenticated
 * request through nginx per run, its status, body and x-replica checked, so
 * a misconfigured setup fails fast with what it got instead of producing a
 * benchmark of 401s. The baseline setup (credential 'none') is verified the
 * same way with no credential at all: 200 for the API's synthetic user.
 */
import type { VirtualUser } from '../client/virtual-user';
import { EnvironmentError } from '../../infra/errors';
import type { SetupDefinition } from '../../infra/setups.data';
import type { RunningTopology } from '../../infra/topology.types';

export const VERIFY_PATH = '/api/me';

export async function verifySetup(
  topology: RunningTopology,
  setup: SetupDefinition,
  user: VirtualUser,
  timeoutMs = 10_000,
): Promise<void> {
  const url = new URL(VERIFY_PATH, topology.url);
  const headers = user.headers();
  let status: number;
  let body: string;
  let replica: string | null;
  try {
    const response = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
    status = response.status;
    body = await response.text();
    replica = response.headers.get('x-replica');
  } catch (err) {
    throw new EnvironmentError(
      `setup ${setup.name} failed verification: GET ${url} got no response (${(err as Error).message}). Is the API built (npm run build) and nginx running?`,
    );
  }
  const problems: string[] = [];
  // A baseline user that carried a credential would measure its parsing, not the framework alone.
  if (setup.credential === 'none' && Object.keys(headers).length > 0)
    problems.push(`a credential was sent (${Object.keys(headers).join(', ')}) where none is expected`);
  if (status !== 200) problems.push(`status ${status} (expected 200)`);
  let username: unknown;
  try {
    username = (JSON.parse(body) as { username?: unknown }).username;
  } catch {
    username = undefined;
  }
  if (username !== user.username)
    problems.push(
      `body ${JSON.stringify(body.slice(0, 200))} (expected {"username":"${user.username}",...})`,
    );
  const ids = topology.replicas.map((r) => r.id);
  // A remote target without --replica-metrics has no known ids: any x-replica shows it is the API.
  if (replica === null || (ids.length > 0 && !ids.includes(replica)))
    problems.push(
      `x-replica ${JSON.stringify(replica)} (expected ${ids.length > 0 ? `one of ${ids.join(', ')}` : 'a replica id'})`,
    );
  // Sticky routing must bring the user back to the replica that holds its session.
  if (setup.routing === 'sticky' && user.loginReplica && replica !== user.loginReplica) {
    problems.push(
      `x-replica ${replica} but the session was created on ${user.loginReplica} (sticky routing is not sticking)`,
    );
  }
  if (problems.length > 0) {
    throw new EnvironmentError(
      `setup ${setup.name} failed verification: GET ${VERIFY_PATH} as ${user.username}${setup.credential === 'none' ? ' (no credential)' : ''} through nginx got ${problems.join('; ')}.`,
    );
  }
}
