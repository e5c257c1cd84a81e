/**
 * The store-delay proxy, a program of its own (so its CPU is its own tier in
 * the results): listens on 127.0.0.1, forwards every connection to the Redis
 * port it is given and delays each direction by half the round trip asked
 * for (infra/store-delay/delay-line.ts). Started by delay-proxy.process.ts:
 *
 *   node delay-proxy.main.js --target-port 6379 --one-way-us 500 [--port 0]
 *
 * Prints "listening on 127.0.0.1:<port>" once it accepts connections.
 */
import { createConnection, createServer, type Socket } from 'node:net';
import { DelayLine } from './delay-line';

function flag(name: string): number {
  const index = process.argv.indexOf(name);
  const value = index >= 0 ? Number(process.argv[index + 1]) : NaN;
  if (!Number.isFinite(value) || value < 0) {
    process.stderr.write(`delay proxy: ${name} needs a non-negative number\n`);
    process.exit(2);
  }
  return value;
}

/** `from`'s bytes reach `to` delayed, in order; `from` pauses while `to` is full. */
function pipeDelayed(from: Socket, to: Socket, delayNs: bigint): DelayLine {
  const line = new DelayLine({
    delayNs,
    write: (chunk) => {
      if (!to.write(chunk)) {
        from.pause();
        to.once('drain', () => from.resume());
      }
    },
    end: () => to.end(),
  });
  from.on('data', (chunk: Buffer) => line.push(chunk));
  from.on('end', () => line.finish());
  return line;
}

function serve(targetPort: number, delayNs: bigint, socket: Socket): void {
  const upstream = createConnection({ host: '127.0.0.1', port: targetPort });
  socket.setNoDelay(true);
  upstream.setNoDelay(true);
  const lines = [pipeDelayed(socket, upstream, delayNs), pipeDelayed(upstream, socket, delayNs)];
  const teardown = () => {
    for (const line of lines) line.close();
    socket.destroy();
    upstream.destroy();
  };
  // A Redis that is down or stopped looks the same to the replica as without the proxy: the connection drops.
  socket.on('error', teardown);
  upstream.on('error', teardown);
  // A side that closes ends the other only after the bytes it sent before (QUIT's +OK) are delivered.
  socket.on('close', () => (upstream.destroyed ? teardown() : lines[0]?.finish()));
  upstream.on('close', () => (socket.destroyed ? teardown() : lines[1]?.finish()));
}

function main(): void {
  const targetPort = flag('--target-port');
  const delayNs = BigInt(Math.round(flag('--one-way-us') * 1000));
  const port = process.argv.includes('--port') ? flag('--port') : 0;
  const server = createServer({ noDelay: true }, (socket) => serve(targetPort, delayNs, socket));
  server.on('error', (err) => {
    process.stderr.write(`delay proxy: ${err.message}\n`);
    process.exit(1);
  });
  server.listen(port, '127.0.0.1', () => {
    const address = server.address();
    const bound = typeof address === 'object' && address ? address.port : port;
    process.stdout.write(`listening on 127.0.0.1:${bound}\n`);
  });
  // Nothing to save: the connections drop, as they would if the network went away.
  process.on('SIGTERM', () => process.exit(0)).on('SIGINT', () => process.exit(0));
}

main();
