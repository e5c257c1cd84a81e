/**
 * Server-side state: what keeping users logged in costs in memory, per setup.
 * - Redis-backed setups: real logins (and, for the denylist, real logouts)
 *   write real records; copies of one fill Redis to each count; bytes per
 *   entry = growth of Redis's used_memory / count.
 * - Memory-store setups: heap per session of express-session's MemoryStore,
 *   with the real record shape (see memory-store.probe.ts).
 * - Every setup: bytes the credential adds to each request (Cookie or
 *   Authorization header), and per million requests.
 */
import { findSetup } from '../../infra/setups.data';
import { loginVirtualUsers, logoutVirtualUser, type VirtualUser } from '../client/virtual-user';
import { measureMemoryStoreHeap } from './memory-store.probe';
import { sessionsLiveInReplicas } from './replica-fault.scenario';
import {
  check,
  type Check,
  type Outcome,
  type ScenarioImplementation,
  type TargetRun,
} from './scenario.runner';
import { loginUsers } from './scenario.users';
import type { ServerStateParams } from './scenarios.data';
import {
  readEntries,
  usedMemoryBytes,
  withRedis,
  writeCopies,
  type Client,
  type RealEntry,
} from './store-fill.redis';

const FIRST_INDEX = 6000;

/** Bytes a credential adds to one HTTP/1.1 request: "name: value\r\n" per header. */
export function credentialHeaderBytes(headers: Record<string, string>): number {
  return Object.entries(headers).reduce(
    (sum, [name, value]) => sum + Buffer.byteLength(`${name}: ${value}\r\n`),
    0,
  );
}

export const serverState: ScenarioImplementation<'server-state'> = {
  async run(run, params: ServerStateParams): Promise<Outcome> {
    const users = await loginUsers(run, params.sampleLogins, FIRST_INDEX);
    const measurements: Record<string, number | null> = {};
    const checks: Check[] = [];
    const notes: string[] = [];
    const headerBytes = users.map((u) => credentialHeaderBytes(u.headers()));
    const perRequest = headerBytes.reduce((a, b) => a + b, 0) / headerBytes.length;
    measurements.credentialHeaderBytesPerRequest = perRequest;
    measurements.credentialBytesPerMillionRequests = perRequest * 1_000_000;
    if (users[0]?.accessToken) measurements.accessTokenBytes = Buffer.byteLength(users[0].accessToken);

    let perEntry: number | null = null;
    if (run.topology.redis) {
      perEntry = await measureRedis(run, users, params, measurements, checks, notes);
    } else if (sessionsLiveInReplicas(run.setup)) {
      perEntry = await measureMemoryStore(run, params, measurements, checks, notes);
    } else {
      notes.push('no server-side state: nothing is stored per logged-in user (the token carries it)');
    }
    // A denylist entry exists per logged-out token, not per logged-in user: named for what it is.
    const denylist = run.setup.appEnv.REVOCATION === 'denylist';
    measurements[denylist ? 'bytesPerRevokedToken' : 'bytesPerSession'] = perEntry;
    measurements[`projectedBytesFor${params.projectUsers}${denylist ? 'RevokedTokens' : 'Users'}`] =
      perEntry === null ? null : perEntry * params.projectUsers;
    checks.push(
      check(
        'the credential fits in a header under 4096 bytes',
        perRequest < 4096,
        `${perRequest.toFixed(0)} bytes per request`,
      ),
    );
    return { injected: [], measurements, timeline: [], checks, notes };
  },
};

async function measureRedis(
  run: TargetRun,
  users: VirtualUser[],
  params: ServerStateParams,
  measurements: Record<string, number | null>,
  checks: Check[],
  notes: string[],
): Promise<number | null> {
  const denylist = run.setup.appEnv.REVOCATION === 'denylist';
  if (denylist) {
    for (const u of users) await logoutVirtualUser(run.topology.url, u);
  }
  const url = run.topology.redis!.url;
  return withRedis(url, async (client) => {
    const entries = await readEntries(client);
    measurements.realEntriesCount = entries.length;
    const template = entries[0];
    if (!template) {
      checks.push(
        check('the logins left records in Redis', false, 'no string or hash key found after the logins'),
      );
      return null;
    }
    const usages = entries.map((e) => e.memoryUsageBytes);
    measurements.realEntryMemoryUsageBytes = usages.reduce((a, b) => a + b, 0) / usages.length;
    measurements.realEntryPayloadBytes = payloadBytes(template);
    const last = await fillRedis(run, client, template, params.sessionCounts, measurements);
    notes.push(redisNote(run, users.length, entries, template));
    checks.push(
      check(
        'a session costs Redis more than its payload',
        last !== null && last > payloadBytes(template),
        `${last?.toFixed(0)} bytes per entry in used_memory vs a ${payloadBytes(template)}-byte payload`,
      ),
    );
    return last;
  });
}

/** Fills Redis with copies of `template` up to each count; used_memory per entry at each, the last returned. */
async function fillRedis(
  run: TargetRun,
  client: Client,
  template: RealEntry,
  counts: readonly number[],
  measurements: Record<string, number | null>,
): Promise<number | null> {
  const base = await usedMemoryBytes(client);
  let written = 0;
  let last: number | null = null;
  for (const count of [...counts].sort((a, b) => a - b)) {
    run.progress(`filling Redis to ${count} copies of ${template.key.split(':')[0]}:*`);
    await writeCopies(client, template, count - written);
    written = count;
    last = ((await usedMemoryBytes(client)) - base) / count;
    measurements[`redisBytesPerEntryAt${count}`] = last;
  }
  return last;
}

/** What one Redis entry is for this setup, and which keys the real logins left. */
function redisNote(
  run: TargetRun,
  logins: number,
  entries: readonly RealEntry[],
  template: RealEntry,
): string {
  const kind =
    run.setup.appEnv.REVOCATION === 'denylist'
      ? 'denylisted token (jti until exp)'
      : run.setup.credential === 'hybrid'
        ? 'refresh session'
        : 'session';
  const keys = entries
    .map((e) => e.key.replace(/:[^:]*$/, ':*'))
    .filter((k, i, a) => a.indexOf(k) === i)
    .join(', ');
  return `entry = one ${kind}; Redis keys after ${logins} real login(s): ${keys}; copies of ${template.key.replace(/:[^:]*$/, ':*')} keep its value and TTL`;
}

async function measureMemoryStore(
  run: TargetRun,
  params: ServerStateParams,
  measurements: Record<string, number | null>,
  checks: Check[],
  notes: string[],
): Promise<number | null> {
  const record = await captureSessionRecord(run);
  measurements.sessionRecordBytes = Buffer.byteLength(record);
  const readings = await measureMemoryStoreHeap(record, params.sessionCounts);
  let last: number | null = null;
  for (const r of readings) {
    last = r.heapBytes / r.sessions;
    measurements[`heapBytesPerSessionAt${r.sessions}`] = last;
  }
  notes.push(
    'heap per session: express-session MemoryStore in a child Node process (--expose-gc), filled with the session record the API writes, read from a one-replica session-redis topology',
  );
  checks.push(
    check(
      'a memory-store session costs heap',
      last !== null && last > 0,
      `${last?.toFixed(0)} heap bytes per session`,
    ),
  );
  return last;
}

/** The JSON the API stores for one logged-in session (what MemoryStore keeps as a string). */
async function captureSessionRecord(run: TargetRun): Promise<string> {
  const setup = findSetup('session-redis')!;
  const topology = await run.startTopology({ setup, replicas: 1 });
  try {
    await loginVirtualUsers(topology.url, 'cookie', 1, { firstIndex: FIRST_INDEX });
    return await withRedis(topology.redis!.url, async (client) => {
      const entries = await readEntries(client);
      const session = entries.find((e) => e.type === 'string');
      if (!session) throw new Error('a session-redis login left no session record in Redis');
      return session.payload[0] ?? '';
    });
  } finally {
    await topology.stop();
  }
}

function payloadBytes(entry: RealEntry): number {
  return entry.payload.reduce((sum, p) => sum + Buffer.byteLength(p), 0);
}
