/**
 * The harness's S3 client for the user's bucket (B2, R2, or the simulator's object store): it reads what the
 * platform claims to have stored, exactly as a user would, and deletes what a scenario left under its label.
 * Endpoint, bucket and keys are worker configuration (`DUMONT_E2E_S3_*`): they never enter a workflow.
 */
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { TransientPlatformError } from './errors';

/** How to reach the bucket. `forcePathStyle` for endpoints without virtual-host buckets (the simulator, MinIO). */
export interface ObjectStoreConfig {
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  forcePathStyle?: boolean;
}

/** One object as a listing shows it. */
export interface ObjectEntry {
  key: string;
  size: number;
}

/** What the harness does with the bucket. */
export interface ObjectStoreClient {
  readonly bucket: string;
  /** Every object under `prefix` (all pages). */
  list(prefix: string): Promise<ObjectEntry[]>;
  /** The object's bytes, or undefined when there is none. */
  get(key: string): Promise<Buffer | undefined>;
  /** The object's size, or undefined when there is none. */
  head(key: string): Promise<number | undefined>;
  put(key: string, body: Buffer): Promise<void>;
  /** Deletes `keys` (in batches of 1000, S3's limit); absent keys are fine. */
  deleteMany(keys: string[]): Promise<void>;
}

const isNotFound = (err: unknown): boolean => {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404;
};

/** Wraps the SDK's failure (after its own retries) so a transient one is retried durably. */
function wrap(what: string, err: unknown): never {
  const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = e?.$metadata?.httpStatusCode;
  if (status === undefined || status >= 500 || status === 429)
    throw new TransientPlatformError(`object store ${what}: ${e?.name ?? 'error'} ${e?.message ?? String(err)}`, {
      endpoint: `S3 ${what}`,
      ...(status !== undefined ? { status } : {}),
      mayHaveTakenEffect: true,
    });
  throw new Error(`object store ${what}: ${e?.name ?? 'error'} (${status}) ${e?.message ?? ''}`);
}

/** An S3 client bound to one bucket. */
export function createObjectStoreClient(cfg: ObjectStoreConfig): ObjectStoreClient {
  const s3 = new S3Client({
    endpoint: cfg.endpoint,
    region: cfg.region,
    forcePathStyle: cfg.forcePathStyle ?? true,
    credentials: { accessKeyId: cfg.accessKeyId, secretAccessKey: cfg.secretAccessKey },
    maxAttempts: 5,
  });
  const Bucket = cfg.bucket;
  return {
    bucket: Bucket,
    async list(prefix) {
      const out: ObjectEntry[] = [];
      let token: string | undefined;
      do {
        const page = await s3
          .send(new ListObjectsV2Command({ Bucket, Prefix: prefix, ContinuationToken: token }))
          .catch((err: unknown) => wrap(`list ${prefix}`, err));
        for (const o of page.Contents ?? []) if (o.Key) out.push({ key: o.Key, size: o.Size ?? 0 });
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return out;
    },
    async get(key) {
      try {
        const res = await s3.send(new GetObjectCommand({ Bucket, Key: key }));
        return Buffer.from(await res.Body!.transformToByteArray());
      } catch (err) {
        if (isNotFound(err)) return undefined;
        return wrap(`get ${key}`, err);
      }
    },
    async head(key) {
      try {
        return (await s3.send(new HeadObjectCommand({ Bucket, Key: key }))).ContentLength ?? 0;
      } catch (err) {
        if (isNotFound(err)) return undefined;
        return wrap(`head ${key}`, err);
      }
    },
    async put(key, body) {
      await s3
        .send(new PutObjectCommand({ Bucket, Key: key, Body: body }))
        .catch((err: unknown) => wrap(`put ${key}`, err));
    },
    async deleteMany(keys) {
      for (let i = 0; i < keys.length; i += 1000) {
        const batch = keys.slice(i, i + 1000);
        await s3
          .send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }))
          .catch((err: unknown) => wrap(`delete ${batch.length} objects`, err));
      }
    },
  };
}
