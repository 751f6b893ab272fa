/**
 * The little HTTP layer both faces share: a loopback server whose handler returns a plain response
 * object (so a fault can throw it away and drop the socket instead), a route table, and the transient
 * HTTP faults applied before or after the route runs.
 */
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FaultInjector, HttpFault } from './fault-injector';

export interface SimRequest {
  method: string;
  /** Path without query and without trailing slashes (`/api/v0/instances/5`). */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  rawBody: string;
}

export interface SimResponse {
  status: number;
  /** Serialised as JSON unless `text` is given. */
  body?: unknown;
  text?: string;
  contentType?: string;
}

export interface Route {
  method: string;
  pattern: RegExp;
  /** False for routes faults never touch (auth, admin, health). */
  faultable: boolean;
  handle: (req: SimRequest, params: string[]) => SimResponse | Promise<SimResponse>;
}

/** Thrown by {@link jsonBody} for a body that is not JSON; each face renders it its own way. */
export class BadJsonError extends Error {}

/** Parses the request body as JSON; an empty body is `{}`. */
export function jsonBody(req: SimRequest): Record<string, unknown> {
  if (req.rawBody.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(req.rawBody);
  } catch {
    throw new BadJsonError('Invalid json body');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new BadJsonError('Invalid json body');
  return value as Record<string, unknown>;
}

/** The bearer token of a request, or undefined. */
export function bearerToken(req: SimRequest): string | undefined {
  const header = req.headers.authorization;
  const match = header ? /^Bearer\s+(.+)$/i.exec(header) : null;
  return match ? match[1].trim() : undefined;
}

export interface FaceSpec {
  routes: Route[];
  notFound: (req: SimRequest) => SimResponse;
  methodNotAllowed: (req: SimRequest) => SimResponse;
  badJson: (req: SimRequest) => SimResponse;
  internalError: (err: unknown) => SimResponse;
  /** The response of a 429 or 5xx fault. */
  faultResponse: (fault: Exclude<HttpFault, { kind: 'drop' }>) => SimResponse;
  faults: FaultInjector;
}

/** Builds the request handler of one face: route, fault, run, and maybe drop. */
export function createDispatcher(spec: FaceSpec): (req: SimRequest) => Promise<SimResponse | 'drop'> {
  return async (req) => {
    const candidates = spec.routes
      .map((route) => ({ route, match: route.pattern.exec(req.path) }))
      .filter((c) => c.match !== null);
    if (candidates.length === 0) return spec.notFound(req);
    const hit = candidates.find((c) => c.route.method === req.method);
    if (!hit || !hit.match) return spec.methodNotAllowed(req);
    const fault = hit.route.faultable ? spec.faults.httpFault() : null;
    if (fault?.kind === 'drop' && !fault.afterEffect) return 'drop';
    if (fault && fault.kind !== 'drop') return spec.faultResponse(fault);
    let response: SimResponse;
    try {
      response = await hit.route.handle(req, hit.match.slice(1).map(decodeURIComponent));
    } catch (err) {
      response = err instanceof BadJsonError ? spec.badJson(req) : spec.internalError(err);
    }
    // The request took effect; the client never learns it (the worst case for idempotency).
    return fault?.kind === 'drop' ? 'drop' : response;
  };
}

export interface HttpFace {
  url: string;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;

/** Serves `handler` on host:port (0 = random). */
export async function startHttpFace(
  host: string,
  port: number,
  handler: (req: SimRequest) => Promise<SimResponse | 'drop'>
): Promise<HttpFace> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on('error', () => undefined);
    req.on('end', () => {
      if (size > MAX_BODY) return send(res, { status: 413, body: { error: 'Request body too large' } });
      const url = new URL(req.url ?? '/', 'http://sim.invalid');
      const request: SimRequest = {
        method: (req.method ?? 'GET').toUpperCase(),
        path: url.pathname.replace(/\/+$/, '') || '/',
        query: url.searchParams,
        headers: req.headers,
        rawBody: Buffer.concat(chunks).toString('utf8'),
      };
      handler(request).then(
        (result) => (result === 'drop' ? req.socket.destroy() : send(res, result)),
        () => send(res, { status: 500, body: { error: 'Internal server error' } })
      );
    });
  });
  server.on('clientError', (_err, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function send(res: http.ServerResponse, result: SimResponse): void {
  if (res.destroyed) return;
  const text = result.text ?? JSON.stringify(result.body ?? null);
  res.writeHead(result.status, {
    'content-type':
      result.contentType ?? (result.text !== undefined ? 'text/plain; charset=utf-8' : 'application/json'),
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}
