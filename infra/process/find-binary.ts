import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { InfraError } from './infra-error';

/** Debian puts nginx in /usr/sbin, which a non-root PATH often lacks. */
const EXTRA_DIRS = ['/usr/sbin', '/usr/local/sbin', '/sbin'];

const INSTALL_HINT: Record<string, string> = {
  'redis-server': 'install it with `apt-get install redis-server` (Debian/Ubuntu) or put it on PATH',
  nginx: 'install it with `apt-get install nginx` (Debian/Ubuntu) or put it on PATH',
};

/** Absolute path of an executable, or an InfraError that says how to get it. */
export function findBinary(name: string): string {
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
  throw new InfraError(`${name} was not found on PATH or in ${EXTRA_DIRS.join(', ')}: ${hint}.`, 'environment');
}
