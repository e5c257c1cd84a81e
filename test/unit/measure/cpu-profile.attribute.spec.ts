import { Session } from 'node:inspector';
import { createSecretKey } from 'node:crypto';
import jwt from 'jsonwebtoken';
import {
  attributeProfile,
  classifyFrame,
  cpuProfileFileSchema,
  packageOf,
  type CpuProfileFile,
} from '../../../bench/measure/cpu-profile.attribute';
import { CPU_GROUP_NAMES } from '../../../bench/measure/cpu-profile.groups';

const post = (session: Session, method: string, params: object = {}) =>
  new Promise<unknown>((resolve, reject) =>
    session.post(method, params, (err, result) => (err ? reject(err) : resolve(result))),
  );

/** A real profile of this process verifying HS256 tokens with jsonwebtoken: bounded in count and time. */
async function recordJwtProfile(): Promise<CpuProfileFile> {
  const session = new Session();
  session.connect();
  try {
    await post(session, 'Profiler.enable');
    await post(session, 'Profiler.setSamplingInterval', { interval: 100 });
    await post(session, 'Profiler.start');
    const key = createSecretKey(Buffer.alloc(32, 7));
    const token = jwt.sign({ sub: 'u1' }, key, { algorithm: 'HS256' });
    const until = Date.now() + 300;
    for (let i = 0; i < 20_000 && Date.now() < until; i++) jwt.verify(token, key, { algorithms: ['HS256'] });
    const { profile } = (await post(session, 'Profiler.stop')) as { profile: unknown };
    return cpuProfileFileSchema.parse(profile);
  } finally {
    session.disconnect();
  }
}

describe('CPU profile attribution', () => {
  test('a recorded profile of jsonwebtoken verifies lands mostly in auth, and the groups add up to busy time', async () => {
    const attribution = attributeProfile(await recordJwtProfile());
    const total = CPU_GROUP_NAMES.reduce((a, g) => a + (attribution.groupsMs[g] ?? 0), 0);
    expect(total).toBeCloseTo(attribution.busyMs, 6);
    expect(attribution.samples).toBeGreaterThan(100);
    // The HMAC in node:crypto is called by jwa: it counts as auth, so auth dominates this workload.
    expect(attribution.groupsMs.auth! / attribution.busyMs).toBeGreaterThan(0.4);
  });

  test.each([
    ['file:///x/node_modules/@nestjs/core/router/router-execution-context.js', '', 'framework'],
    ['/x/node_modules/express/lib/response.js', '', 'framework'],
    ['/x/node_modules/router/lib/layer.js', '', 'framework'],
    ['/x/node_modules/passport-jwt/lib/strategy.js', '', 'auth'],
    ['/x/node_modules/jws/lib/verify-stream.js', '', 'auth'],
    ['/x/node_modules/lodash.isstring/index.js', '', 'auth'],
    ['/x/node_modules/express-session/index.js', '', 'auth'],
    ['/x/node_modules/connect-redis/dist/connect-redis.cjs', '', 'auth'],
    ['/x/node_modules/@redis/client/dist/lib/client/index.js', '', 'store-client'],
    ['node:_http_server', '', 'node-http-net'],
    ['node:internal/streams/writable', '', 'node-http-net'],
    ['node:net', '', 'node-http-net'],
    ['', '(garbage collector)', 'gc'],
    ['', '(program)', 'rest'],
    ['', '(idle)', '(idle)'],
    ['/x/dist/apps/api/src/auth/jwt/jwt.strategy.js', '', 'rest'],
    ['/x/node_modules/prom-client/lib/counter.js', '', 'rest'],
    ['node:crypto', 'createHmac', null],
    ['', 'writeUtf8String', null],
  ])('%s %s -> %s', (url, functionName, group) => {
    expect(classifyFrame({ url, functionName })).toBe(group);
  });

  test('a built-in or native frame inherits the group of its caller', () => {
    const frame = (id: number, url: string, functionName: string, children: number[] = []) => ({
      id,
      callFrame: { url, functionName },
      children,
    });
    const profile: CpuProfileFile = {
      nodes: [
        frame(1, '', '(root)', [2, 4]),
        frame(2, '/x/node_modules/jwa/index.js', 'sign', [3]),
        frame(3, 'node:crypto', 'createHmac'),
        frame(4, '', '(idle)'),
      ],
      startTime: 0,
      samples: [3, 3, 4, 2],
      timeDeltas: [0, 1000, 1000, 1000],
      endTime: 4000,
    };
    const a = attributeProfile(profile);
    expect(a.groupsMs.auth).toBeCloseTo(3, 6);
    expect(a.idleMs).toBeCloseTo(1, 6);
    expect(a.busyMs).toBeCloseTo(3, 6);
  });

  test('packageOf reads scoped and plain package names, and null outside node_modules', () => {
    expect(packageOf('/a/node_modules/x/node_modules/@redis/client/dist/index.js')).toBe('@redis/client');
    expect(packageOf('file:///a/node_modules/qs/lib/parse.js')).toBe('qs');
    expect(packageOf('/a/dist/apps/api/main.js')).toBeNull();
  });
});
