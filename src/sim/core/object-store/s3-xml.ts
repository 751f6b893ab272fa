/** The S3 wire's XML: the few documents the object store writes and the two it reads. */
import type { StoredObject } from './object-store';

const NS = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** XML text escaping (keys may hold `&`, `<`, quotes). */
export function xmlEscape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const el = (name: string, value: string | number): string => `<${name}>${xmlEscape(String(value))}</${name}>`;

/** An S3 error document. */
export function errorXml(code: string, message: string, resource: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error>${el('Code', code)}${el('Message', message)}${el('Resource', resource)}${el('RequestId', 'sim')}</Error>`;
}

/** `ListObjectsV2`'s answer. */
export function listV2Xml(p: {
  bucket: string;
  prefix: string;
  delimiter?: string;
  maxKeys: number;
  contents: StoredObject[];
  commonPrefixes: string[];
  isTruncated: boolean;
  continuationToken?: string;
  nextContinuationToken?: string;
  startAfter?: string;
}): string {
  const contents = p.contents
    .map(
      (o) =>
        `<Contents>${el('Key', o.key)}${el('LastModified', new Date(o.lastModified).toISOString())}${el('ETag', o.etag)}${el('Size', o.size)}${el('StorageClass', 'STANDARD')}</Contents>`
    )
    .join('');
  const prefixes = p.commonPrefixes.map((cp) => `<CommonPrefixes>${el('Prefix', cp)}</CommonPrefixes>`).join('');
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="${NS}">` +
    el('Name', p.bucket) +
    el('Prefix', p.prefix) +
    (p.delimiter ? el('Delimiter', p.delimiter) : '') +
    el('MaxKeys', p.maxKeys) +
    el('KeyCount', p.contents.length + p.commonPrefixes.length) +
    el('IsTruncated', String(p.isTruncated)) +
    (p.continuationToken ? el('ContinuationToken', p.continuationToken) : '') +
    (p.nextContinuationToken ? el('NextContinuationToken', p.nextContinuationToken) : '') +
    (p.startAfter ? el('StartAfter', p.startAfter) : '') +
    contents +
    prefixes +
    '</ListBucketResult>'
  );
}

export function initiateUploadXml(bucket: string, key: string, uploadId: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<InitiateMultipartUploadResult xmlns="${NS}">${el('Bucket', bucket)}${el('Key', key)}${el('UploadId', uploadId)}</InitiateMultipartUploadResult>`;
}

export function completeUploadXml(bucket: string, key: string, etag: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<CompleteMultipartUploadResult xmlns="${NS}">${el('Location', `/${bucket}/${key}`)}${el('Bucket', bucket)}${el('Key', key)}${el('ETag', etag)}</CompleteMultipartUploadResult>`;
}

export function deleteResultXml(deleted: string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<DeleteResult xmlns="${NS}">${deleted.map((k) => `<Deleted>${el('Key', k)}</Deleted>`).join('')}</DeleteResult>`;
}

const unescapeXml = (s: string): string =>
  s
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCharCode(parseInt(n, 16)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

/** The parts of a `CompleteMultipartUpload` body, in the order given. */
export function parseCompleteParts(xml: string): { partNumber: number; etag: string }[] {
  return [...xml.matchAll(/<Part>([\s\S]*?)<\/Part>/g)].map((m) => ({
    partNumber: Number(/<PartNumber>(\d+)<\/PartNumber>/.exec(m[1])?.[1] ?? NaN),
    etag: unescapeXml(/<ETag>([\s\S]*?)<\/ETag>/.exec(m[1])?.[1] ?? ''),
  }));
}

/** The keys of a `DeleteObjects` body. */
export function parseDeleteKeys(xml: string): string[] {
  return [...xml.matchAll(/<Key>([\s\S]*?)<\/Key>/g)].map((m) => unescapeXml(m[1]));
}
