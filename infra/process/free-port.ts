import { createServer } from 'node:net';

/**
 * Ask the kernel for a free TCP port on loopback. There is a window between
 * closing this probe and the real server binding it, so callers that start a
 * server on the port must treat "address in use" as "try another port".
 */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => (port > 0 ? resolve(port) : reject(new Error('kernel returned no port'))));
    });
  });
}
