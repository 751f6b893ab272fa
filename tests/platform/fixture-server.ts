/**
 * A tiny loopback HTTP server answering canned bodies in the platforms' real shapes. It is a fixture the
 * clients talk to over real HTTP (status lines, headers, dropped sockets, stalls), not a mock of the client.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** What the fixture answers: a JSON body (object), a raw text body (string), or a socket fault. */
export interface Canned {
  status?: number;
  /** Objects are sent as JSON; strings as-is (plain text, HTML). */
  body?: unknown;
  contentType?: string;
  /** Extra response headers (e.g. a server clock's `Date`). */
  headers?: Record<string, string>;
  /** Destroy the socket without answering (the client sees a reset). */
  drop?: boolean;
  /** Never answer (the client times out). */
  hang?: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingMessage['headers'];
  /** Parsed JSON when the body was JSON, else the raw text ('' when none). */
  body: unknown;
  /** The raw request line target, to check nothing secret went into URLs. */
  url: string;
}

export type Responder = Canned | ((req: RecordedRequest) => Canned);

export interface FixtureServer {
  baseUrl: string;
  requests: RecordedRequest[];
  /**
   * Answers `METHOD path` with the given responders in order; the last one repeats. Replaces earlier routes
   * of the same method and path.
   */
  on(method: string, path: string, ...responders: Responder[]): void;
  /** Requests seen for `METHOD path`. */
  seen(method: string, path: string): RecordedRequest[];
  close(): Promise<void>;
}

export async function startFixtureServer(): Promise<FixtureServer> {
  const routes = new Map<string, { responders: Responder[]; calls: number }>();
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fixture');
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : '';
      } catch {
        // Keep the raw text.
      }
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
        body,
        url: req.url ?? '',
      };
      requests.push(recorded);
      const route = routes.get(`${recorded.method} ${recorded.path}`);
      if (!route)
        return send(res, {
          status: 418,
          body: { error: 'fixture_no_route', msg: `${recorded.method} ${recorded.path}` },
        });
      const responder = route.responders[Math.min(route.calls++, route.responders.length - 1)]!;
      const canned = typeof responder === 'function' ? responder(recorded) : responder;
      if (canned.drop) return req.socket.destroy();
      if (canned.hang) return;
      send(res, canned);
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    on(method, path, ...responders) {
      routes.set(`${method} ${path}`, { responders, calls: 0 });
    },
    seen(method, path) {
      return requests.filter((r) => r.method === method && r.path === path);
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function send(res: ServerResponse, canned: Canned): void {
  const isText = typeof canned.body === 'string';
  const payload = canned.body === undefined ? '' : isText ? (canned.body as string) : JSON.stringify(canned.body);
  res.writeHead(canned.status ?? 200, {
    'Content-Type': canned.contentType ?? (isText ? 'text/plain' : 'application/json'),
    ...canned.headers,
  });
  res.end(payload);
}

/** A loopback port with nothing listening on it (for connection-refused cases). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The error a promise rejects with (fails the test if it resolves). */
export function rejection(p: Promise<unknown>): Promise<Error> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e as Error
  );
}
