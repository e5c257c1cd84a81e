/**
 * The server-state scenario's pure part: what a credential costs on the wire.
 * Filling Redis and a MemoryStore is test/integration/scenarios/server-state.spec.ts
 * and memory-store.probe.spec.ts.
 */
import { CookieJar } from '../../../bench/client/cookie-jar';
import { credentialHeaderBytes } from '../../../bench/scenarios/server-state.scenario';

describe('bytes a credential adds to every request', () => {
  const jar = new CookieJar();
  jar.store(['sid=s%3Aabc.def; Path=/; HttpOnly']);

  it.each<[string, Record<string, string>, number]>([
    [
      'a bearer token: name, separator, value and line end',
      { authorization: 'Bearer abc' },
      'authorization: Bearer abc\r\n'.length,
    ],
    ['a session cookie as the jar sends it', { cookie: jar.header()! }, 'cookie: sid=s%3Aabc.def\r\n'.length],
    [
      'both, for hybrid',
      { cookie: 'r=1', authorization: 'Bearer t' },
      'cookie: r=1\r\n'.length + 'authorization: Bearer t\r\n'.length,
    ],
    ['nothing, for no auth', {}, 0],
    ['multi-byte characters by their bytes', { cookie: 'n=é' }, 'cookie: n=\r\n'.length + 2],
  ])('%s', (_name, headers, bytes) => {
    expect(credentialHeaderBytes(headers)).toBe(bytes);
  });
});
