/**
 * The service endpoint of a protected GPU instance: a stable loopback address (a TCP forwarder, as a floating IP
 * or a load balancer would be) that forwards every new connection to whichever machine serves now — the GPU
 * instance's SSH before a failover, the standby's after it, the new GPU's after a failback. A connection made
 * while nothing serves is closed at once (no SSH banner).
 */
import net from 'node:net';

/** Stateful infrastructure: one forwarder. */
export class EndpointProxy {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  private closed = false;
  port: number | null = null;

  /** `target()` is asked at every new connection: the loopback port to forward to, or null (refuse). */
  constructor(private readonly target: () => number | null) {}

  /** Starts listening on a random loopback port (idempotent). */
  async start(): Promise<number> {
    if (this.server && this.port !== null) return this.port;
    const server = net.createServer((client) => this.accept(client));
    server.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.port = (server.address() as net.AddressInfo).port;
    return this.port;
  }

  private track(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
  }

  private accept(client: net.Socket): void {
    this.track(client);
    const port = this.closed ? null : this.target();
    if (port === null) {
      client.destroy();
      return;
    }
    const upstream = net.connect(port, '127.0.0.1');
    this.track(upstream);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.on('close', () => upstream.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  }

  /** Drops every open connection (the machine behind them changed or went away). */
  dropConnections(): void {
    for (const socket of this.sockets) socket.destroy();
  }

  /** Stops listening and drops every connection. */
  async close(): Promise<void> {
    this.closed = true;
    const server = this.server;
    this.server = null;
    this.dropConnections();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
