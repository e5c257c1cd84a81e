/**
 * What `authscale app-floor` compares, as data: each auth mode of the API
 * (AUTH_MODE/SESSION_STORE, apps/api/src/config) beside the floor fixture
 * doing the same per-request check, and the three servers run for each.
 * Hybrid's per-request check is its access token's, so its fixtures are jwt's.
 */
import { join } from 'node:path';
import type { CredentialKind } from '../../infra/setups.data';
import type { FixtureMode } from './fixture.auth';

export interface FloorMode {
  name: string;
  credential: CredentialKind;
  apiEnv: Readonly<Record<string, string>>;
  fixture: FixtureMode;
  needsRedis: boolean;
}

export const FLOOR_MODES: readonly FloorMode[] = [
  { name: 'jwt', credential: 'bearer', apiEnv: { AUTH_MODE: 'jwt' }, fixture: 'jwt', needsRedis: false },
  {
    name: 'session-memory',
    credential: 'cookie',
    apiEnv: { AUTH_MODE: 'session', SESSION_STORE: 'memory' },
    fixture: 'session-memory',
    needsRedis: false,
  },
  {
    name: 'session-redis',
    credential: 'cookie',
    apiEnv: { AUTH_MODE: 'session', SESSION_STORE: 'redis' },
    fixture: 'session-redis',
    needsRedis: true,
  },
  {
    name: 'hybrid',
    credential: 'hybrid',
    // The longest access token the API allows, so none expires during a run.
    apiEnv: { AUTH_MODE: 'hybrid', JWT_TTL_SECONDS: '900' },
    fixture: 'jwt',
    needsRedis: true,
  },
];

export type ServerKind = 'api' | 'nest' | 'bare';

export interface FloorServer {
  kind: ServerKind;
  label: string;
  /** Built entry, relative to the package root (dist/, from `npm run build`). */
  entry: string;
}

export const FLOOR_SERVERS: readonly FloorServer[] = [
  { kind: 'api', label: 'API', entry: join('dist', 'apps', 'api', 'main.js') },
  { kind: 'nest', label: 'minimal Nest', entry: join('dist', 'bench', 'floor', 'minimal-nest.main.js') },
  { kind: 'bare', label: 'bare node:http', entry: join('dist', 'bench', 'floor', 'bare-http.main.js') },
];
