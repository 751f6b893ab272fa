/**
 * The object store's S3 face on its own loopback port: path-style requests (`/<bucket>/<key>`) signed with SigV4,
 * the subset real clients use — PutObject, GetObject (with a byte range), HeadObject, DeleteObject(s),
 * ListObjectsV2, HeadBucket and multipart uploads. Transient faults (503 SlowDown, as S3 throttles) are drawn
 * from the simulator's fault injector like every other faultable request.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FaultInjector } from '../fault-injector';
import type { ObjectStore, StoredObject } from './object-store';
import {
  completeUploadXml,
  deleteResultXml,
  errorXml,
  initiateUploadXml,
  listV2Xml,
  parseCompleteParts,
  parseDeleteKeys,
} from './s3-xml';
import { verifySigV4 } from './sigv4';

/** A listening S3 face. */
export interface S3Face {
  url: string;
  close(): Promise<void>;
}

interface Answer {
  status: number;
  body?: Buffer | string;
  headers?: Record<string, string>;
}

const xml = (status: number, body: string): Answer => ({
  status,
  body,
  headers: { 'content-type': 'application/xml' },
});
const s3Error = (status: number, code: string, message: string, resource: string): Answer =>
  xml(status, errorXml(code, message, resource));

/**
 * The payload of an `aws-chunked` body (`<hex size>[;chunk-signature=…]\r\n<data>\r\n` … `0…\r\n` then trailers),
 * which the SDK sends when it streams a body with a trailing checksum.
 */
export function decodeAwsChunked(raw: Buffer): Buffer {
  const out: Buffer[] = [];
  let at = 0;
  while (at < raw.length) {
    const eol = raw.indexOf('\r\n', at);
    if (eol < 0) break;
    const size = parseInt(raw.subarray(at, eol).toString('latin1').split(';')[0], 16);
    if (!Number.isFinite(size) || size === 0) break;
    out.push(raw.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
  return Buffer.concat(out);
}

function objectHeaders(o: StoredObject): Record<string, string> {
  return {
    etag: o.etag,
    'last-modified': new Date(o.lastModified).toUTCString(),
    'content-type': o.contentType,
    'accept-ranges': 'bytes',
  };
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function listV2(store: ObjectStore, q: URLSearchParams): Answer {
  const prefix = q.get('prefix') ?? '';
  const delimiter = q.get('delimiter') ?? undefined;
  const maxKeys = Math.min(1000, Math.max(0, Number(q.get('max-keys') ?? 1000) || 0));
  const token = q.get('continuation-token') ?? undefined;
  const startAfter = q.get('start-after') ?? undefined;
  const after = token ? Buffer.from(token, 'base64url').toString() : (startAfter ?? '');
  const contents: StoredObject[] = [];
  const commonPrefixes: string[] = [];
  let isTruncated = false;
  let last = '';
  for (const o of store.list(prefix)) {
    if (after && Buffer.compare(Buffer.from(o.key), Buffer.from(after)) <= 0) continue;
    const rest = o.key.slice(prefix.length);
    const cut = delimiter ? rest.indexOf(delimiter) : -1;
    const common = cut >= 0 ? prefix + rest.slice(0, cut + delimiter!.length) : undefined;
    if (common && commonPrefixes.includes(common)) {
      last = o.key;
      continue;
    }
    if (contents.length + commonPrefixes.length >= maxKeys) {
      isTruncated = true;
      break;
    }
    if (common) commonPrefixes.push(common);
    else contents.push(o);
    last = o.key;
  }
  return xml(
    200,
    listV2Xml({
      bucket: store.bucket,
      prefix,
      delimiter,
      maxKeys,
      contents,
      commonPrefixes,
      isTruncated,
      continuationToken: token,
      nextContinuationToken: isTruncated ? Buffer.from(last).toString('base64url') : undefined,
      startAfter,
    })
  );
}

function getObject(store: ObjectStore, key: string, range: string | undefined, head: boolean): Answer {
  const found = store.get(key);
  if (!found) return head ? { status: 404 } : s3Error(404, 'NoSuchKey', 'The specified key does not exist.', key);
  const headers = objectHeaders(found.meta);
  const m = range ? /^bytes=(\d*)-(\d*)$/.exec(range) : null;
  if (m && found.body.length > 0) {
    const size = found.body.length;
    const start = m[1] === '' ? Math.max(0, size - Number(m[2])) : Number(m[1]);
    const end = m[1] === '' || m[2] === '' ? size - 1 : Math.min(size - 1, Number(m[2]));
    if (start >= size || start > end)
      return s3Error(416, 'InvalidRange', 'The requested range is not satisfiable', key);
    return {
      status: 206,
      body: head ? undefined : found.body.subarray(start, end + 1),
      headers: {
        ...headers,
        'content-range': `bytes ${start}-${end}/${size}`,
        'content-length': String(end - start + 1),
      },
    };
  }
  return {
    status: 200,
    body: head ? undefined : found.body,
    headers: { ...headers, 'content-length': String(found.meta.size) },
  };
}

async function route(store: ObjectStore, req: http.IncomingMessage): Promise<Answer> {
  const url = new URL(req.url ?? '/', 'http://s3.local');
  const q = url.searchParams;
  const [, bucket = '', ...rest] = url.pathname.split('/');
  const key = decodeURIComponent(rest.join('/'));
  const method = req.method ?? 'GET';
  if (decodeURIComponent(bucket) !== store.bucket)
    return s3Error(404, 'NoSuchBucket', 'The specified bucket does not exist', `/${bucket}`);
  const rawBody = await readBody(req);
  const encoding = String(req.headers['content-encoding'] ?? '');
  const body =
    encoding.includes('aws-chunked') || String(req.headers['x-amz-content-sha256'] ?? '').startsWith('STREAMING-')
      ? decodeAwsChunked(rawBody)
      : rawBody;
  if (!key) {
    if (method === 'HEAD') return { status: 200 };
    if (method === 'GET') return listV2(store, q);
    if (method === 'POST' && q.has('delete')) {
      const keys = parseDeleteKeys(body.toString());
      for (const k of keys) store.delete(k);
      return xml(200, deleteResultXml(keys));
    }
    return s3Error(405, 'MethodNotAllowed', `${method} on a bucket is not supported here`, `/${bucket}`);
  }
  const uploadId = q.get('uploadId');
  switch (method) {
    case 'PUT': {
      if (uploadId) {
        const etag = store.uploadPart(uploadId, key, Number(q.get('partNumber')), body);
        return etag
          ? { status: 200, headers: { etag } }
          : s3Error(404, 'NoSuchUpload', 'The specified upload does not exist.', key);
      }
      const meta = store.put(key, body, String(req.headers['content-type'] ?? 'application/octet-stream'));
      return { status: 200, headers: { etag: meta.etag } };
    }
    case 'POST': {
      if (q.has('uploads')) {
        const id = store.createUpload(key, String(req.headers['content-type'] ?? 'application/octet-stream'));
        return xml(200, initiateUploadXml(store.bucket, key, id));
      }
      if (uploadId) {
        const done = store.completeUpload(uploadId, key, parseCompleteParts(body.toString()));
        if (typeof done === 'string') return s3Error(done === 'NoSuchUpload' ? 404 : 400, done, done, key);
        return xml(200, completeUploadXml(store.bucket, key, done.etag));
      }
      return s3Error(400, 'InvalidRequest', 'POST needs ?uploads or ?uploadId', key);
    }
    case 'GET':
    case 'HEAD':
      return getObject(store, key, req.headers.range, method === 'HEAD');
    case 'DELETE':
      if (uploadId) store.abortUpload(uploadId);
      else store.delete(key);
      return { status: 204 };
    default:
      return s3Error(405, 'MethodNotAllowed', `${method} is not supported`, key);
  }
}

/** Starts the S3 face of `store` on loopback `port` (0 = any free one). */
export async function startS3Face(
  store: ObjectStore,
  faults: FaultInjector,
  host: string,
  port: number
): Promise<S3Face> {
  const server = http.createServer((req, res) => {
    const send = (a: Answer): void => {
      res.writeHead(a.status, { 'x-amz-request-id': 'sim', ...a.headers });
      res.end(a.body);
    };
    const refused = verifySigV4({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers }, store);
    if (refused) {
      req.resume();
      send(s3Error(403, refused.code, refused.message, req.url ?? '/'));
      return;
    }
    // S3 throttles with 503 SlowDown; clients retry it.
    if (faults.roll('5xx')) {
      req.resume();
      send(s3Error(503, 'SlowDown', 'Please reduce your request rate.', req.url ?? '/'));
      return;
    }
    route(store, req).then(send, (err: Error) => send(s3Error(500, 'InternalError', err.message, req.url ?? '/')));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${bound}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
