/**
 * Session mode's per-request check, after express-session loaded the session
 * (one store read) and passport.session() resolved the user (one directory
 * lookup). Writes to the store only when a timeout ends the session (delete)
 * or when lastSeen is due for a refresh (see session.timeouts.ts).
 */
import type { Request } from 'express';
import { storeUnavailable, unauthorized } from '../../common/api-error';
import type { User } from '../../users/user.directory';
import type { Authenticator } from '../authenticator';
import type { SessionTimeouts } from './session.timeouts';

export class SessionAuthenticator implements Authenticator {
  constructor(private readonly timeouts: SessionTimeouts) {}

  async authenticate(req: Request): Promise<User> {
    const session = req.session;
    // express-session skips loading (no req.session) while its store reports a disconnect.
    if (!session) throw storeUnavailable();
    const user = req.user as User | undefined;
    if (!user || !session.passport?.user) throw unauthorized();
    const now = Date.now();
    const verdict = this.timeouts.judge(session, now);
    if (verdict === 'idle' || verdict === 'absolute') {
      await new Promise<void>((resolve, reject) =>
        session.destroy((err: unknown) => (err ? reject(storeUnavailable()) : resolve())),
      );
      throw unauthorized(
        verdict === 'idle'
          ? 'session expired after inactivity: log in again'
          : 'session reached its maximum lifetime: log in again',
      );
    }
    if (verdict === 'refresh') {
      // Saved here rather than when the response ends, so a store failure is a 503 and not a 200 with a lost write.
      session.lastSeen = now;
      await new Promise<void>((resolve, reject) =>
        session.save((err: unknown) => (err ? reject(storeUnavailable()) : resolve())),
      );
    }
    return user;
  }
}
