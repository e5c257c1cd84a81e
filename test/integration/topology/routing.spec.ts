/**
 * Routing through real nginx to real replicas, per setup: round robin
 * spreads (docs/security.md, requirement 33), credentials work on every replica of a shared-store
 * or stateless setup, sticky keeps users home (34), ip_hash shows its pitfall.
 * The same assertions on every runtime (processes, containers).
 */
import { runtimesUnderTest, setup, useTopology } from './topology.fixture';
import { TestUser, countBy } from './topology.client';

const REPLICAS = 3;
const REQUESTS = 30;

describe.each(runtimesUnderTest())('on the %s runtime', (runtime) => {
  describe.each(['jwt', 'jwt-denylist', 'session-redis', 'hybrid'])(
    'the %s setup behind round-robin nginx',
    (name) => {
      const topology = useTopology(name, REPLICAS, { runtime });

      it("spreads one user's requests evenly, about 1/N per replica, counted from x-replica", async () => {
        const t = topology();
        const user = new TestUser(1, setup(name).credential);
        await user.login(t.url);
        const answers = [];
        for (let i = 0; i < REQUESTS; i++) answers.push(await user.request(t.url, '/api/me'));
        expect(answers.map((a) => a.status)).toEqual(Array(REQUESTS).fill(200));
        const counts = countBy(answers.map((a) => a.replica));
        expect(Object.keys(counts).sort()).toEqual(t.replicas.map((r) => r.id).sort());
        for (const n of Object.values(counts)) {
          expect(n).toBeGreaterThanOrEqual(0.8 * (REQUESTS / REPLICAS));
          expect(n).toBeLessThanOrEqual(1.2 * (REQUESTS / REPLICAS));
        }
      });

      it('accepts a credential obtained through nginx on every replica directly', async () => {
        const t = topology();
        const user = new TestUser(2, setup(name).credential);
        await user.login(t.url);
        for (const replica of t.replicas) {
          const answer = await user.request(replica.url, '/api/me');
          expect({ replica: replica.id, status: answer.status }).toEqual({
            replica: replica.id,
            status: 200,
          });
          expect(answer.replica).toBe(replica.id);
        }
      });
    },
  );

  describe.each(['session-redis', 'session-sticky'])(
    'logout in the %s setup (docs/security.md, requirement 8)',
    (name) => {
      const topology = useTopology(name, REPLICAS, { runtime });

      it('makes the old cookie useless through nginx and directly on every replica', async () => {
        const t = topology();
        const user = new TestUser(3, 'cookie');
        await user.login(t.url);
        expect((await user.request(t.url, '/api/me')).status).toBe(200);
        const oldCredentials = user.headers();
        expect((await user.request(t.url, '/auth/logout', { method: 'POST' })).status).toBe(204);
        const replay = new TestUser(3, 'cookie');
        const viaNginx = await replay.request(t.url, '/api/me', { headers: oldCredentials });
        expect(viaNginx.status).toBe(401);
        for (const replica of t.replicas) {
          const direct = await replay.request(replica.url, '/api/me', { headers: oldCredentials });
          expect({ replica: replica.id, status: direct.status }).toEqual({
            replica: replica.id,
            status: 401,
          });
        }
      });
    },
  );

  describe('the session-sticky setup', () => {
    const topology = useTopology('session-sticky', REPLICAS, { runtime });

    it('keeps each of 12 users on the replica that served its login, with zero 401s (docs/security.md, requirement 34)', async () => {
      const t = topology();
      const homes: string[] = [];
      for (let i = 10; i < 22; i++) {
        const user = new TestUser(i, 'cookie');
        const home = await user.login(t.url);
        expect(home).not.toBeNull();
        homes.push(String(home));
        const answers = [];
        for (let r = 0; r < 10; r++) answers.push(await user.request(t.url, '/api/items'));
        expect(countBy(answers.map((a) => `${a.status} ${a.replica}`))).toEqual({ [`200 ${home}`]: 10 });
      }
      // Logins themselves are spread by the round-robin pool: the users do not all share one replica.
      expect(new Set(homes).size).toBe(REPLICAS);
    });

    it("answers 401 (not 502) when the user's replica has died, and re-pins the user to a live one at the next login", async () => {
      const t = topology();
      const user = new TestUser(30, 'cookie');
      const home = String(await user.login(t.url));
      await t.killReplica(home);
      try {
        const orphan = await user.request(t.url, '/api/me');
        expect(orphan.status).toBe(401);
        expect(orphan.replica).not.toBe(home);
        const newHome = await user.login(t.url);
        expect(newHome).toBe(orphan.replica);
        const after = [];
        for (let r = 0; r < 5; r++) after.push(await user.request(t.url, '/api/me'));
        expect(countBy(after.map((a) => `${a.status} ${a.replica}`))).toEqual({ [`200 ${newHome}`]: 5 });
      } finally {
        await t.restartReplica(home);
      }
      expect(
        (
          await new TestUser(31, 'cookie').request(
            t.replicas.find((r) => r.id === home)?.url ?? '',
            '/readyz',
          )
        ).status,
      ).toBe(200);
    });
  });

  describe('the session-iphash setup', () => {
    const topology = useTopology('session-iphash', REPLICAS, { runtime });

    it('puts every user behind one client IP on one replica: the pitfall the report shows', async () => {
      const t = topology();
      const seen: (string | null)[] = [];
      for (let i = 40; i < 46; i++) {
        const user = new TestUser(i, 'cookie');
        seen.push(await user.login(t.url));
        for (let r = 0; r < 5; r++) {
          const answer = await user.request(t.url, '/api/me');
          expect(answer.status).toBe(200);
          seen.push(answer.replica);
        }
      }
      expect(Object.keys(countBy(seen))).toHaveLength(1);
    });
  });
});
