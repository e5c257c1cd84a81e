import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { InfraError } from './infra-error';

/** Debian puts nginx in /usr/sbin, which a non-root PATH often lacks. */
const EXTRA_DIRS = ['/usr/sbin', '/usr/local/sbin', '/sbin'];

const INSTALL_HINT: Record<string, string> = {
  'redis-server': 'install it with `apt-get install redis-server` (Debian/Ubuntu) or put it on PATH',
  nginx: 'install it with `apt-get install nginx` (Debian/Ubuntu) or put it on PATH',
};

/** AUTHSCALE_NGINX_BIN, AUTHSCALE_REDIS_SERVER_BIN: use this binary instead of searching PATH. */
export function binaryOverrideVariable(name: string): string {
  return `AUTHSCALE_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_BIN`;
}

/** Absolute path of an executable, or an InfraError that says how to get it. */
export function findBinary(name: string): string {
  const variable = binaryOverrideVariable(name);
  const override = process.env[variable];
  if (override) {
    try {
      accessSync(override, constants.X_OK);
      return override;
    } catch {
      throw new InfraError(
        `${name} was not found: ${variable}=${override} is not an executable file. Fix the path or unset ${variable} to search PATH.`,
        'environment',
      );
    }
  }
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...EXTRA_DIRS];
  for (const dir of dirs) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; keep looking
    }
  }
  const hint = INSTALL_HINT[name] ?? 'install it or put it on PATH';
  throw new InfraError(
    `${name} was not found on PATH or in ${EXTRA_DIRS.join(', ')}: ${hint}.`,
    'environment',
  );
}
