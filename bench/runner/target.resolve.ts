/**
 * --replica-metrics URL[,URL...] -> one /metrics URL per replica. A name that
 * resolves to several IPv4 addresses (a Kubernetes headless Service) stands
 * for one replica per address; an address or a name with one address is one
 * replica. Nothing is scanned or guessed: only the names the user gave.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { EnvironmentError } from '../../infra/errors';

async function addressesOf(hostname: string): Promise<string[]> {
  if (isIP(hostname)) return [hostname];
  try {
    // getaddrinfo: every A record, and /etc/hosts names too.
    const found = await lookup(hostname, { all: true, family: 4 });
    return [...new Set(found.map((a) => a.address))].sort();
  } catch (err) {
    throw new EnvironmentError(
      `--replica-metrics: ${hostname} does not resolve (${(err as Error).message}). Give a name this machine resolves, e.g. a headless Service's DNS name from inside the cluster, or the replicas' addresses.`,
    );
  }
}

export async function resolveReplicaMetrics(urls: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const raw of urls) {
    const url = new URL(raw);
    for (const address of await addressesOf(url.hostname)) {
      const one = new URL(url);
      one.hostname = address;
      out.push(one.toString());
    }
  }
  return [...new Set(out)];
}
