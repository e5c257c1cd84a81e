/** Injection tokens shared by the auth controllers and the module wiring. */
export const PASSPORT = Symbol('PASSPORT');
export const LOGIN_LIMITS = Symbol('LOGIN_LIMITS');
export const USER_DIRECTORY = Symbol('USER_DIRECTORY');

export interface LoginLimits {
  /** Longest password the hasher takes in full (72 bytes for bcrypt). */
  maxPasswordBytes: number;
}

/** One app's own Passport (passport's `new Passport()`), never the global singleton. */
export type PassportInstance = InstanceType<typeof import('passport').Passport>;
