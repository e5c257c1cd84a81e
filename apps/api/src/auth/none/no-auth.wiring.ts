/**
 * AUTH_MODE=none, the baseline setup: the same guard and routes as every
 * other mode, with an Authenticator that checks nothing and answers a fixed
 * synthetic user, so /api/me and /api/items keep their body shape. No auth
 * controller (every /auth/* route is 404), no Passport, no session or cookie
 * middleware: what remains is the framework's own cost per request.
 *
 * app.factory.ts builds this only when the validated config says
 * authMode === 'none'; no request, route or other variable can reach it from
 * another mode (docs/security.md, "AUTH_MODE=none").
 */
import type { User } from '../../users/user.directory';
import type { AuthWiring } from '../auth.wiring';
import type { Authenticator } from '../authenticator';

/** The synthetic user of none mode (docs/api-contract.md); its name is not of the directory's user<i> form. */
export const BASELINE_USER: Readonly<User> = Object.freeze({ id: 0, username: 'baseline' });

class FixedUserAuthenticator implements Authenticator {
  authenticate(): User {
    return BASELINE_USER;
  }
}

export function wireNoAuth(): AuthWiring {
  return { authenticator: new FixedUserAuthenticator(), controller: null, providers: [], middleware: [] };
}
