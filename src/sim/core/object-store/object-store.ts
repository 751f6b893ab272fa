/**
 * The simulator's object store: one bucket of objects kept as real files under the simulator's data dir, with
 * their metadata (size, ETag, time) in memory. The S3 face (`./s3-server.ts`) serves it to real S3 clients; feature
 * modules (snapshots, jobs, fine-tuning) write and read it directly, as a platform writes to the user's B2/R2 bucket.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** One stored object's metadata. */
export interface StoredObject {
  key: string;
  size: number;
  /** Quoted, as S3 sends it: the MD5 of the body, or `md5(part md5s)-N` for a multipart upload. */
  etag: string;
  /** Real epoch milliseconds of the last write. */
  lastModified: number;
  contentType: string;
}

interface MultipartUpload {
  key: string;
  contentType: string;
  parts: Map<number, { etag: string; body: Buffer }>;
}

/** Where the store lives and who may use it (worker configuration on the harness side). */
export interface ObjectStoreOptions {
  dir: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
}

const quotedMd5 = (body: Buffer): string => `"${createHash('md5').update(body).digest('hex')}"`;

/** Stateful: the bucket's objects and the multipart uploads in progress. */
export class ObjectStore {
  readonly bucket: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly region: string;
  private readonly dir: string;
  private readonly objects = new Map<string, StoredObject>();
  private readonly uploads = new Map<string, MultipartUpload>();
  private nextUpload = 1;

  constructor(opts: ObjectStoreOptions) {
    this.bucket = opts.bucket;
    this.accessKeyId = opts.accessKeyId;
    this.secretAccessKey = opts.secretAccessKey;
    this.region = opts.region;
    this.dir = opts.dir;
    fs.mkdirSync(this.dir, { recursive: true });
  }

  // Keys may hold any character: the file is named by the key's hash.
  private file(key: string): string {
    return path.join(this.dir, createHash('sha256').update(key).digest('hex'));
  }

  /** Stores `body` under `key` (replacing any object there). */
  put(key: string, body: Buffer, contentType = 'application/octet-stream', etag = quotedMd5(body)): StoredObject {
    fs.writeFileSync(this.file(key), body);
    const meta: StoredObject = { key, size: body.length, etag, lastModified: Date.now(), contentType };
    this.objects.set(key, meta);
    return meta;
  }

  head(key: string): StoredObject | undefined {
    return this.objects.get(key);
  }

  /** The object's metadata and body, or undefined. */
  get(key: string): { meta: StoredObject; body: Buffer } | undefined {
    const meta = this.objects.get(key);
    return meta && { meta, body: fs.readFileSync(this.file(key)) };
  }

  /** Deletes `key`; true when it was there (S3 answers 204 either way). */
  delete(key: string): boolean {
    if (!this.objects.delete(key)) return false;
    fs.rmSync(this.file(key), { force: true });
    return true;
  }

  /** Every object whose key starts with `prefix`, in key order (S3's listing order). */
  list(prefix = ''): StoredObject[] {
    return [...this.objects.values()].filter((o) => o.key.startsWith(prefix)).sort((a, b) => cmp(a.key, b.key));
  }

  /** Total bytes stored (billing of object storage). */
  totalBytes(): number {
    let sum = 0;
    for (const o of this.objects.values()) sum += o.size;
    return sum;
  }

  createUpload(key: string, contentType: string): string {
    const id = `upload-${this.nextUpload++}-${createHash('sha1').update(key).digest('hex').slice(0, 12)}`;
    this.uploads.set(id, { key, contentType, parts: new Map() });
    return id;
  }

  /** Stores one part; undefined when the upload is unknown (or for another key). */
  uploadPart(id: string, key: string, partNumber: number, body: Buffer): string | undefined {
    const upload = this.uploads.get(id);
    if (!upload || upload.key !== key) return undefined;
    const etag = quotedMd5(body);
    upload.parts.set(partNumber, { etag, body });
    return etag;
  }

  /**
   * Assembles the listed parts in order into the object. Errors as S3 names them: `NoSuchUpload`, `InvalidPart`
   * (a part not uploaded or with another ETag), `InvalidPartOrder`.
   */
  completeUpload(
    id: string,
    key: string,
    parts: { partNumber: number; etag: string }[]
  ): StoredObject | 'NoSuchUpload' | 'InvalidPart' | 'InvalidPartOrder' {
    const upload = this.uploads.get(id);
    if (!upload || upload.key !== key) return 'NoSuchUpload';
    for (let i = 1; i < parts.length; i++)
      if (parts[i].partNumber <= parts[i - 1].partNumber) return 'InvalidPartOrder';
    const bodies: Buffer[] = [];
    const md5s: Buffer[] = [];
    for (const p of parts) {
      const stored = upload.parts.get(p.partNumber);
      if (!stored || stored.etag.replace(/"/g, '') !== p.etag.replace(/"/g, '')) return 'InvalidPart';
      bodies.push(stored.body);
      md5s.push(Buffer.from(stored.etag.replace(/"/g, ''), 'hex'));
    }
    this.uploads.delete(id);
    const etag = `"${createHash('md5').update(Buffer.concat(md5s)).digest('hex')}-${parts.length}"`;
    return this.put(key, Buffer.concat(bodies), upload.contentType, etag);
  }

  abortUpload(id: string): boolean {
    return this.uploads.delete(id);
  }

  /** Uploads in progress (for `sim state`). */
  uploadCount(): number {
    return this.uploads.size;
  }
}

/** Byte order of UTF-8 keys, as S3 lists them. */
function cmp(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
