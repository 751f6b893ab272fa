/**
 * A stable SSH endpoint (the keep-endpoint extension of a migration): a loopback TCP port that stays the same while
 * the instance behind it changes, forwarding every connection to the current instance's SSH server.
 */
import net from 'node:net';

/** A listening forwarder; `target` is read at each new connection. */
export interface Forwarder {
  readonly port: number;
  target: number | null;
  close(): Promise<void>;
}

/**
 * Listens on `port` (a port just released by the source's SSH server; retried briefly while the old server lets go
 * of it) and forwards to `target`.
 */
export async function startForwarder(host: string, port: number, target: number): Promise<Forwarder> {
  const sockets = new Set<net.Socket>();
  const fwd: Forwarder = { port, target, close: async () => undefined };
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    if (fwd.target === null) {
      client.destroy();
      return;
    }
    const upstream = net.connect(fwd.target, host);
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  for (let attempt = 0; ; attempt++) {
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 50) throw err;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  fwd.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return fwd;
}
