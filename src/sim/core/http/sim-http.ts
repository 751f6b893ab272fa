/**
 * The request and response records every route handler of both faces works with. Handlers return a plain
 * response object rather than writing to the socket, so the fault hooks can replace it or drop the
 * connection instead of sending it.
 */
import type { IncomingHttpHeaders } from 'node:http';

/** One request as a route handler sees it. */
export interface SimRequest {
  method: string;
  /** Path without the query string, as the client sent it. */
  path: string;
  /** Route parameters (`:id` in the route's path), URL-decoded. */
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** The body as the content-type parser left it; read it with {@link jsonBody}. */
  body: unknown;
  /** Multipart routes only: the form's fields and files. */
  form?: MultipartForm;
  /** Dumont face: the email of the user whose token authenticated the request. */
  user?: string;
}

/** A `multipart/form-data` body, read whole (the simulator's uploads are small). */
export interface MultipartForm {
  fields: Record<string, string>;
  files: { field: string; filename: string; mimetype: string; data: Buffer }[];
}

/** What a handler answers. */
export interface SimResponse {
  status: number;
  /** Serialised as JSON unless `text` is given. */
  body?: unknown;
  text?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

/** A JSON response. */
export const json = (status: number, body: unknown): SimResponse => ({ status, body });

/** Thrown by {@link jsonBody} for a body that is not a JSON object; each face renders it its own way. */
export class BadJsonError extends Error {}

/**
 * What the content-type parser leaves for a body that is not JSON. Parsing never fails the request by
 * itself: only a handler that reads the body complains, after auth, as the real servers order it.
 */
export class UnparsableBody {
  constructor(readonly raw: string) {}
}

/** The request body as a JSON object; an empty body is `{}`. Throws {@link BadJsonError} otherwise. */
export function jsonBody(req: SimRequest): Record<string, unknown> {
  const value = req.body;
  if (value === undefined || value === null) return {};
  if (value instanceof UnparsableBody || typeof value !== 'object' || Array.isArray(value)) {
    throw new BadJsonError('Invalid json body');
  }
  return value as Record<string, unknown>;
}

/** Parses a raw body leniently: '' → undefined, JSON → its value, anything else → {@link UnparsableBody}. */
export function parseBodyText(raw: string): unknown {
  if (raw.trim() === '') return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return new UnparsableBody(raw);
  }
}

/** The bearer token of a request, or undefined. */
export function bearerToken(req: SimRequest): string | undefined {
  const header = req.headers.authorization;
  const match = header ? /^Bearer\s+(.+)$/i.exec(header) : null;
  return match ? match[1].trim() : undefined;
}
