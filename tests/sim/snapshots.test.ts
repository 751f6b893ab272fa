/**
 * The snapshots feature over real HTTP, with real files in the instances' workspaces and the bucket read by the real
 * S3 client: content-addressed blobs (one per distinct content), incremental counts and bytes, restore onto another
 * instance, the partial restore extension, delete pruning unreferenced blobs, and retention cleanup with a dry run.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createObjectStoreClient, type ObjectStoreClient } from '../../src/platform/object-store';
import { instancePaths } from '../../src/sim/instances/instance-files';
import { waitFor } from '../helpers/wait-for';
import { createRunning, startServerlessSim, type ServerlessSim } from './serverless-helpers';

let s: ServerlessSim;
let bucket: ObjectStoreClient;
const LABEL = 'dumont-e2e/snaptest/s043/main';
let source: number;
let other: number;

const ws = (id: number, rel = ''): string => path.join(instancePaths(s.world.dataDir, id).workspace, rel);
function write(id: number, rel: string, body: string | Buffer): void {
  fs.mkdirSync(path.dirname(ws(id, rel)), { recursive: true });
  fs.writeFileSync(ws(id, rel), body);
}
const sha = (b: string | Buffer): string => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  s = await startServerlessSim({ seed: 43 });
  const o = s.sim.objectStore;
  bucket = createObjectStoreClient({ endpoint: o.url, ...o });
  source = (await createRunning(s, LABEL)).id;
  other = (await createRunning(s, 'dumont-e2e/snaptest/s043/other')).id;
}, 60_000);
afterAll(async () => {
  await s?.sim.stop();
});

describe('snapshots', () => {
  const a = 'a'.repeat(5000);
  const b = 'b'.repeat(3000);
  let first: string;
  let second: string;

  it('a full snapshot stores each distinct content once, under the instance label, and reports restic counts', async () => {
    write(source, 'ds/a.txt', a);
    write(source, 'ds/sub/b.txt', b);
    write(source, 'ds/sub/a-copy.txt', a);
    const res = await s.d('POST', '/api/v1/snapshots', {
      instance_id: source,
      source_path: '/workspace/ds',
      tags: ['t1'],
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ success: true, files_new: 3, files_changed: 0, total_files_processed: 3 });
    expect(res.body.data_added).toBe(a.length + b.length);
    first = res.body.snapshot_id;
    const blobs = (await bucket.list(`${LABEL}/data/`)).map((o) => o.key).sort();
    expect(blobs).toEqual([`${LABEL}/data/${sha(a)}`, `${LABEL}/data/${sha(b)}`].sort());
    expect(await bucket.head(`${LABEL}/snapshots/${first}.json`)).toBeGreaterThan(0);
  });

  it('an incremental snapshot counts and uploads only the change', async () => {
    const c = 'c'.repeat(700);
    write(source, 'ds/sub/b.txt', c);
    const res = await s.d('POST', '/api/v1/snapshots', {
      instance_id: source,
      source_path: '/workspace/ds',
      tags: ['t2'],
    });
    expect(res.body).toMatchObject({ files_new: 0, files_changed: 1, files_unmodified: 2, data_added: c.length });
    second = res.body.snapshot_id;
    const list = await s.d('GET', '/api/v1/snapshots');
    expect(list.body.snapshots.map((r: { id: string }) => r.id)).toEqual(expect.arrayContaining([first, second]));
    expect(list.body.snapshots.find((r: { id: string }) => r.id === second)).toMatchObject({
      tags: ['t2'],
      paths: ['/workspace/ds'],
      short_id: second.slice(0, 8),
    });
  });

  it('restores onto another instance, and a partial restore writes only the directory asked for', async () => {
    const whole = await s.d('POST', `/api/v1/snapshots/restore?instance_id=${other}`, {
      snapshot_id: first,
      target_path: '/workspace/r1',
    });
    expect(whole.body).toMatchObject({ success: true, files_restored: 3, errors: [] });
    expect(fs.readFileSync(ws(other, 'r1/sub/b.txt'), 'utf8')).toBe(b);
    const part = await s.d('POST', `/api/v1/snapshots/restore/partial?instance_id=${other}`, {
      snapshot_id: second,
      include: ['sub'],
      target_path: '/workspace/r2',
    });
    expect(part.body).toMatchObject({ success: true, files_restored: 2 });
    expect(fs.existsSync(ws(other, 'r2/a.txt'))).toBe(false);
    expect(fs.readFileSync(ws(other, 'r2/sub/b.txt'), 'utf8')).toBe('c'.repeat(700));
    const outside = await s.d('POST', `/api/v1/snapshots/restore?instance_id=${other}`, {
      snapshot_id: first,
      target_path: '/etc',
    });
    expect(outside.status).toBe(400);
  });

  it('deleting a snapshot removes its manifest and the blobs no other snapshot holds', async () => {
    const res = await s.d('DELETE', `/api/v1/snapshots/${second.slice(0, 8)}`);
    expect(res.status).toBe(200);
    expect(await bucket.head(`${LABEL}/data/${sha('c'.repeat(700))}`)).toBeUndefined();
    expect(await bucket.head(`${LABEL}/data/${sha(b)}`)).toBe(b.length);
    expect(await bucket.head(`${LABEL}/snapshots/${second}.json`)).toBeUndefined();
    expect((await s.d('DELETE', `/api/v1/snapshots/${second}`)).status).toBe(404);
  });

  it('cleanup follows the retention policy: the dry run only counts, keep-forever and the newest stay', async () => {
    const ids = [first];
    for (let i = 0; i < 3; i++) {
      write(source, 'ds/round.txt', `round ${i}`);
      ids.push(
        (await s.d('POST', '/api/v1/snapshots', { instance_id: source, source_path: '/workspace/ds' })).body.snapshot_id
      );
    }
    expect((await s.d('POST', `/api/v1/snapshots/${first}/keep-forever`, { keep_forever: true })).status).toBe(200);
    const policy = await s.d('PUT', '/api/v1/snapshots/retention-policy', {
      instance_id: source,
      retention_days: 30,
      min_snapshots_to_keep: 1,
      max_snapshots_per_instance: 2,
      cleanup_enabled: true,
    });
    expect(policy.body).toMatchObject({ max_snapshots_per_instance: 2, instance_id: source });
    const dry = await s.d('POST', '/api/v1/snapshots/cleanup', { dry_run: true, instance_id: source });
    expect(dry.body).toMatchObject({ dry_run: true, snapshots_identified: 1, snapshots_deleted: 0 });
    const real = await s.d('POST', '/api/v1/snapshots/cleanup', { dry_run: false, instance_id: source });
    expect(real.body).toMatchObject({ dry_run: false, snapshots_deleted: 1 });
    const left = (await s.d('GET', '/api/v1/snapshots')).body.snapshots.map((r: { id: string }) => r.id);
    expect(left).toEqual(expect.arrayContaining([first, ids[2], ids[3]]));
    expect(left).not.toContain(ids[1]);
    const metrics = await s.d('GET', '/api/v1/snapshots/cleanup/metrics');
    expect(metrics.body).toMatchObject({ total_cleanups: 2, total_snapshots_deleted: 1 });
  });

  it('snapshots a paused instance from its disk', async () => {
    expect((await s.d('POST', `/api/v1/instances/${other}/pause`)).status).toBeLessThan(300);
    await waitFor(() => s.world.instances.get(other)!.actual === 'stopped', { timeoutMs: 10_000, what: 'stopped' });
    const res = await s.d('POST', '/api/v1/snapshots', { instance_id: other, source_path: '/workspace/r1' });
    expect(res.status).toBe(201);
    expect(res.body.total_files_processed).toBe(3);
  });

  it('bills the bucket bytes each repository keeps, per label, as they age', async () => {
    const bill = () =>
      s.world.features
        .charges(s.now())
        .filter((c) => c.usage.kind === 'object-storage' && c.usage.label === LABEL)
        .map((c) => c.usage);
    const [first] = bill();
    expect(first.storageGbSeconds).toBeGreaterThan(0);
    expect(first.usd).toBeGreaterThan(0);
    await s.sleep(100);
    expect(bill()[0].storageGbSeconds).toBeGreaterThan(first.storageGbSeconds);
  });
});
