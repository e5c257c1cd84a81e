/**
 * CPU profiling on the harness's request, for `authscale bench --cpu-profile`.
 * Off unless CPU_PROFILE_DIR is set: then each SIGUSR2 toggles V8's sampling
 * profiler through an in-process node:inspector Session (start, then stop and
 * write `<dir>/<replica>-<n>.cpuprofile`). No inspector port is ever opened,
 * so nothing is reachable over the network; only the process owner (or root)
 * can send the signal. The file appears by rename, complete or not at all.
 */
import { Session } from 'node:inspector';
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * 1 ms, as node --cpu-prof: thousands of samples in a few seconds of window;
 * at 100 us a jwt replica used ~85% more CPU per request.
 */
const SAMPLING_INTERVAL_US = 1000;
export const CPU_PROFILE_SIGNAL = 'SIGUSR2';

type Post = (method: string, params?: object) => Promise<unknown>;

function poster(session: Session): Post {
  return (method, params) =>
    new Promise((resolve, reject) =>
      session.post(method, params ?? {}, (err, result) => (err ? reject(err) : resolve(result))),
    );
}

export function installCpuProfileToggle(dir: string | null, replicaId: string): void {
  if (dir === null) return;
  const session = new Session();
  session.connect();
  const post = poster(session);
  let running = false;
  let written = 0;
  const fail = (err: unknown) =>
    process.stderr.write(`authscale api: cpu profile failed: ${(err as Error).message}\n`);
  const start = async () => {
    await post('Profiler.enable');
    await post('Profiler.setSamplingInterval', { interval: SAMPLING_INTERVAL_US });
    await post('Profiler.start');
  };
  const stop = async () => {
    const { profile } = (await post('Profiler.stop')) as { profile: unknown };
    await post('Profiler.disable');
    const file = join(dir, `${replicaId}-${written++}.cpuprofile`);
    writeFileSync(`${file}.tmp`, JSON.stringify(profile));
    renameSync(`${file}.tmp`, file);
  };
  process.on(CPU_PROFILE_SIGNAL, () => {
    running = !running;
    (running ? start() : stop()).catch(fail);
  });
}
