/**
 * Checklist 35, shortened: a steady closed-loop run through nginx with
 * upstream keepalive must produce zero 502s (and zero other failures).
 * 20 s instead of 10 minutes to keep CI short; the long soak is
 * `authscale bench` with a long duration. Bounded in time and connections,
 * loopback only.
 */
import autocannon from 'autocannon';
import { useTopology } from './topology.fixture';
import { TestUser } from './topology.client';

const SOAK_SECONDS = 20;
const CONNECTIONS = 8;

describe('a shortened soak through nginx (docs/security.md, requirement 35)', () => {
  const topology = useTopology('session-redis', 3);

  it(
    `answers every request of a ${SOAK_SECONDS} s run with 2xx: zero 502s, zero errors, zero timeouts`,
    async () => {
      const t = topology();
      const user = new TestUser(50, 'cookie');
      await user.login(t.url);
      const statuses: Record<number, number> = {};
      const result = await new Promise<autocannon.Result>((resolve, reject) => {
        const instance = autocannon(
          {
            url: `${t.url}/api/me`,
            connections: CONNECTIONS,
            duration: SOAK_SECONDS,
            timeout: 5,
            headers: user.headers(),
          },
          (err, res) => (err ? reject(err) : resolve(res)),
        );
        instance.on('response', (_client, statusCode) => {
          statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
        });
      });
      const total = Object.values(statuses).reduce((a, b) => a + b, 0);
      // Printed so that the run's size is on record next to the verdict.
      process.stderr.write(
        `soak: ${total} responses in ${SOAK_SECONDS} s, statuses ${JSON.stringify(statuses)}, errors ${result.errors}, timeouts ${result.timeouts}\n`,
      );
      expect(total).toBeGreaterThan(SOAK_SECONDS * 10);
      expect(statuses[502] ?? 0).toBe(0);
      expect(Object.keys(statuses)).toEqual(['200']);
      expect(result.errors).toBe(0);
      expect(result.timeouts).toBe(0);
      expect(t.failure()).toBeNull();
    },
    (SOAK_SECONDS + 30) * 1000,
  );
});
