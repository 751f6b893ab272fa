/**
 * A loopback HTTP proxy in front of a simulator face, to make it answer as a quirky real server would: rewrite a
 * response body, drop the connection after the request took effect, or count requests in flight. The simulator
 * behind it stays real; only the wire is bent.
 */
import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ProxiedExchange {
  method: string;
  path: string;
  status: number;
  body: string;
}

export interface ProxyHooks {
  /** Replaces the upstream response body (return undefined to pass it on), or drops the connection. */
  respond?: (x: ProxiedExchange) => { status?: number; body?: string } | 'drop' | undefined;
  /**
   * Cuts the client's connection this many milliseconds after its request was forwarded, before any answer (the
   * request keeps running upstream, as behind a load balancer that timed out); undefined passes it on.
   */
  cutAfterMs?: (x: { method: string; path: string }) => number | undefined;
}

export interface WireProxy {
  url: string;
  /** Requests in flight now, and the most seen at once, by `METHOD path-without-query`. */
  inFlight: Map<string, number>;
  maxInFlight: Map<string, number>;
  close(): Promise<void>;
}

export async function startWireProxy(upstream: string, hooks: ProxyHooks = {}): Promise<WireProxy> {
  const target = new URL(upstream);
  const inFlight = new Map<string, number>();
  const maxInFlight = new Map<string, number>();
  const sockets = new Set<Socket>();
  const server = createServer((req: IncomingMessage, res) => {
    const key = `${req.method} ${(req.url ?? '/').split('?')[0]}`;
    inFlight.set(key, (inFlight.get(key) ?? 0) + 1);
    maxInFlight.set(key, Math.max(maxInFlight.get(key) ?? 0, inFlight.get(key)!));
    const done = () => inFlight.set(key, (inFlight.get(key) ?? 1) - 1);
    const up = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (upRes) => {
        const chunks: Buffer[] = [];
        upRes.on('data', (c: Buffer) => chunks.push(c));
        upRes.on('end', () => {
          done();
          const exchange = {
            method: req.method ?? 'GET',
            path: (req.url ?? '/').split('?')[0],
            status: upRes.statusCode ?? 500,
            body: Buffer.concat(chunks).toString('utf8'),
          };
          const changed = hooks.respond?.(exchange);
          if (changed === 'drop') {
            req.socket.destroy();
            return;
          }
          const body = changed?.body ?? exchange.body;
          res.writeHead(changed?.status ?? exchange.status, {
            'content-type': String(upRes.headers['content-type'] ?? 'application/json'),
            'content-length': Buffer.byteLength(body),
          });
          res.end(body);
        });
      }
    );
    up.on('error', () => {
      done();
      req.socket.destroy();
    });
    req.pipe(up);
    const cut = hooks.cutAfterMs?.({ method: req.method ?? 'GET', path: (req.url ?? '/').split('?')[0] });
    if (cut !== undefined) setTimeout(() => req.socket.destroy(), cut);
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    inFlight,
    maxInFlight,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
