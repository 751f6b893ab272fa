/**
 * AWS Signature Version 4 verification of a request to the object store, as S3 does it: the request is
 * re-canonicalised, signed with the secret key of the access key it names, and the signatures compared. A client
 * holding the wrong secret is refused, so the harness's bucket credentials are really exercised.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

const AUTH =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request,\s*SignedHeaders=([^,]+),\s*Signature=([0-9a-f]{64})$/;

/** RFC 3986 encoding, as SigV4 wants for query names and values. */
const strictEncode = (s: string): string =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function canonicalQuery(rawQuery: string): string {
  if (!rawQuery) return '';
  return rawQuery
    .split('&')
    .filter((p) => p !== '')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const k = decodeURIComponent((eq < 0 ? pair : pair.slice(0, eq)).replace(/\+/g, '%20'));
      const v = eq < 0 ? '' : decodeURIComponent(pair.slice(eq + 1).replace(/\+/g, '%20'));
      return [strictEncode(k), strictEncode(v)] as const;
    })
    .sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0) : a[0] < b[0] ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

const hmac = (key: Buffer | string, data: string): Buffer => createHmac('sha256', key).update(data).digest();

/** Why a request's signature is refused (an S3 error code and message), or undefined when it is good. */
export function verifySigV4(
  req: { method: string; url: string; headers: IncomingHttpHeaders },
  keys: { accessKeyId: string; secretAccessKey: string }
): { code: string; message: string } | undefined {
  const header = req.headers.authorization;
  const m = header ? AUTH.exec(header) : null;
  if (!m) return { code: 'AccessDenied', message: 'Missing or unsupported Authorization (AWS4-HMAC-SHA256 only)' };
  const [, accessKeyId, date, region, service, signedHeaders, signature] = m;
  if (accessKeyId !== keys.accessKeyId)
    return { code: 'InvalidAccessKeyId', message: 'The access key ID you provided does not exist in our records.' };
  const amzDate = String(req.headers['x-amz-date'] ?? '');
  const payloadHash = String(req.headers['x-amz-content-sha256'] ?? 'UNSIGNED-PAYLOAD');
  const q = req.url.indexOf('?');
  const rawPath = q < 0 ? req.url : req.url.slice(0, q);
  const rawQuery = q < 0 ? '' : req.url.slice(q + 1);
  const names = signedHeaders.split(';');
  const canonicalHeaders = names
    .map((n) => {
      const v = req.headers[n];
      const value = Array.isArray(v) ? v.join(',') : (v ?? '');
      return `${n}:${value.trim().replace(/\s+/g, ' ')}\n`;
    })
    .join('');
  const canonical = [req.method, rawPath, canonicalQuery(rawQuery), canonicalHeaders, signedHeaders, payloadHash].join(
    '\n'
  );
  const scope = `${date}/${region}/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, createHash('sha256').update(canonical).digest('hex')].join('\n');
  const kDate = hmac(`AWS4${keys.secretAccessKey}`, date);
  const kSigning = hmac(hmac(hmac(kDate, region), service), 'aws4_request');
  const expected = hmac(kSigning, toSign);
  if (!timingSafeEqual(expected, Buffer.from(signature, 'hex')))
    return {
      code: 'SignatureDoesNotMatch',
      message: 'The request signature we calculated does not match the signature you provided.',
    };
  return undefined;
}
