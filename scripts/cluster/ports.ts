import net from 'node:net';

/**
 * Highest port the server may use: Temporal stores its services' ports in PostgreSQL's `cluster_membership` as a
 * `smallint`, so ports from the kernel's ephemeral range (32768+) make the server fail at start.
 */
export const MAX_SERVER_PORT = 32_767;
const MIN_PORT = 10_000;

function tryListen(port: number, host: string): Promise<net.Server | undefined> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(undefined));
    server.listen(port, host, () => resolve(server));
  });
}

/**
 * `count` distinct free TCP ports on `host`, each in [10000, `max`]: random candidates are bound and held until the
 * last one is known, then all released.
 */
export async function freePorts(count: number, host = '127.0.0.1', max = MAX_SERVER_PORT): Promise<number[]> {
  const servers: net.Server[] = [];
  try {
    for (let attempts = 0; servers.length < count; attempts++) {
      if (attempts > count * 200) throw new Error(`no ${count} free ports in ${MIN_PORT}..${max} on ${host}`);
      const port = MIN_PORT + Math.floor(Math.random() * (max - MIN_PORT + 1));
      const server = await tryListen(port, host);
      if (server) servers.push(server);
    }
    return servers.map((s) => (s.address() as net.AddressInfo).port);
  } finally {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  }
}
