/**
 * The simulator's object store read and written by the real S3 client (`@aws-sdk/client-s3`) over its own loopback
 * port, as the harness reads B2 or R2: put, get (whole and ranged), head, list v2 (prefix, delimiter, pages),
 * delete, batch delete and multipart; a wrong secret is refused by the SigV4 check.
 */
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createObjectStoreClient, type ObjectStoreClient } from '../../src/platform/object-store';
import { startSimulator, type RunningSim } from '../../src/sim';

let sim: RunningSim;
let client: ObjectStoreClient;
let s3: S3Client;

beforeAll(async () => {
  sim = await startSimulator({ apiKey: 'object-store-test-key' });
  const o = sim.objectStore;
  client = createObjectStoreClient({ endpoint: o.url, ...o });
  s3 = new S3Client({
    endpoint: o.url,
    region: o.region,
    forcePathStyle: true,
    credentials: { accessKeyId: o.accessKeyId, secretAccessKey: o.secretAccessKey },
  });
});
afterAll(async () => {
  s3?.destroy();
  await sim?.stop();
});

describe('object store (S3 API) with the real S3 client', () => {
  it('puts, heads, gets and deletes an object whose key needs escaping', async () => {
    const key = 'dumont-e2e/suite a/s043/main/data/é & <x>.bin';
    const body = randomBytes(3000);
    await client.put(key, body);
    expect(await client.head(key)).toBe(3000);
    expect((await client.get(key))!.equals(body)).toBe(true);
    await client.deleteMany([key]);
    expect(await client.head(key)).toBeUndefined();
    expect(await client.get(key)).toBeUndefined();
  });

  it('answers a byte range', async () => {
    await client.put('range/obj', Buffer.from('0123456789'));
    const res = await s3.send(
      new GetObjectCommand({ Bucket: sim.objectStore.bucket, Key: 'range/obj', Range: 'bytes=2-5' })
    );
    expect(await res.Body!.transformToString()).toBe('2345');
    expect(res.ContentRange).toBe('bytes 2-5/10');
  });

  it('lists v2 by prefix, with a delimiter and across pages', async () => {
    const keys = Array.from({ length: 7 }, (_, i) => `list/p/${String(i).padStart(2, '0')}`);
    for (const k of [...keys, 'list/q/a', 'list/q/b', 'other/x']) await client.put(k, Buffer.from(k));
    expect((await client.list('list/p/')).map((o) => o.key)).toEqual(keys);
    const Bucket = sim.objectStore.bucket;
    const first = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: 'list/p/', MaxKeys: 3 }));
    expect(first.IsTruncated).toBe(true);
    expect(first.Contents!.map((o) => o.Key)).toEqual(keys.slice(0, 3));
    const second = await s3.send(
      new ListObjectsV2Command({
        Bucket,
        Prefix: 'list/p/',
        MaxKeys: 3,
        ContinuationToken: first.NextContinuationToken,
      })
    );
    expect(second.Contents!.map((o) => o.Key)).toEqual(keys.slice(3, 6));
    const grouped = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: 'list/', Delimiter: '/' }));
    expect(grouped.CommonPrefixes!.map((p) => p.Prefix)).toEqual(['list/p/', 'list/q/']);
    expect(grouped.Contents ?? []).toEqual([]);
    await client.deleteMany((await client.list('list/')).map((o) => o.key));
    expect(await client.list('list/')).toEqual([]);
    expect((await client.list('other/')).length).toBe(1);
  });

  it('assembles a multipart upload from its parts in order, with an S3 multipart ETag', async () => {
    const Bucket = sim.objectStore.bucket;
    const Key = 'multi/big.bin';
    const parts = [randomBytes(5 * 1024 * 1024), randomBytes(1234)];
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key }));
    const etags: string[] = [];
    for (const [i, Body] of parts.entries()) {
      const up = await s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: i + 1, Body }));
      etags.push(up.ETag!);
    }
    const done = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket,
        Key,
        UploadId,
        MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) },
      })
    );
    const md5s = Buffer.concat(parts.map((p) => createHash('md5').update(p).digest()));
    expect(done.ETag).toBe(`"${createHash('md5').update(md5s).digest('hex')}-2"`);
    expect((await client.get(Key))!.equals(Buffer.concat(parts))).toBe(true);
  });

  it('refuses a client holding the wrong secret', async () => {
    const o = sim.objectStore;
    const bad = createObjectStoreClient({ endpoint: o.url, ...o, secretAccessKey: 'not-the-secret-0123456789' });
    await expect(bad.list('')).rejects.toThrow(/SignatureDoesNotMatch|403/);
  });

  it('survives transient 503s through the client retries', async () => {
    sim.setFaults({ rate: 0.2, kinds: ['5xx'], seed: 7 });
    try {
      for (let i = 0; i < 20; i++) await client.put(`faulty/${i}`, Buffer.from(String(i)));
      expect((await client.list('faulty/')).length).toBe(20);
    } finally {
      sim.setFaults({ rate: 0 });
    }
  });
});
