/**
 * Direct children of a process, read from /proc (Linux). Used for nginx
 * workers, which the master forks: we started the master, so they are ours.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** The ppid field of /proc/<pid>/stat; the command name may contain spaces and parens. */
function parentOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const afterName = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ppid = Number(afterName[1]);
    return Number.isFinite(ppid) ? ppid : null;
  } catch {
    return null;
  }
}

export function childPids(parent: number): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  return entries
    .filter((e) => /^\d+$/.test(e))
    .map(Number)
    .filter((pid) => parentOf(pid) === parent);
}

/** True while a process with this pid exists and is not a zombie. */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }
}
