/**
 * The bounded destroy (`destroyByLabel`) against the simulator, with a bucket whose listings are throttled: one
 * failed listing past the deadline is no verdict (an S3 client's own retries of a throttled list take seconds, longer
 * than a compressed deadline), but a listing that keeps failing still ends the destroy, loudly, after a few tries.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../src/activities';
import { FailureTypes } from '../../src/activities/failures';
import { createRunKeyStore } from '../../src/activities/run-keys';
import { TransientPlatformError } from '../../src/platform/errors';
import { createDumontClient } from '../../src/platform/dumont/client';
import { createObjectStoreClient, type ObjectStoreClient } from '../../src/platform/object-store';
import { createVastClient } from '../../src/platform/vast/client';
import { startSimulator, type RunningSim } from '../../src/sim';
import { SIM_API_KEY, SIM_KEY_SECRET, SIM_USER } from '../helpers/harness';

const suiteId = 'destroy-bounds';
let sim: RunningSim;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'dumont-e2e-destroy-'));
  sim = await startSimulator({ apiKey: SIM_API_KEY, users: [SIM_USER], timeScale: 0.01, dataDir: dir });
});
afterAll(async () => {
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The simulator's bucket through a real S3 client, whose next `failures` listings fail as a throttled list does. */
function throttledBucket(failures: number): { store: ObjectStoreClient; listed: () => number } {
  const o = sim.objectStore;
  const real = createObjectStoreClient({
    endpoint: o.url,
    bucket: o.bucket,
    region: o.region,
    accessKeyId: o.accessKeyId,
    secretAccessKey: o.secretAccessKey,
  });
  let calls = 0;
  const store: ObjectStoreClient = {
    ...real,
    async list(prefix) {
      if (++calls <= failures) {
        throw new TransientPlatformError(`object store list ${prefix}: SlowDown Please reduce your request rate.`, {
          endpoint: 'S3 list',
          status: 503,
          mayHaveTakenEffect: true,
        });
      }
      return real.list(prefix);
    },
  };
  return { store, listed: () => calls };
}

function activities(objectStore: ObjectStoreClient) {
  const vast = createVastClient({ baseUrl: sim.vastUrl, apiKey: SIM_API_KEY });
  return createActivities({
    dumont: createDumontClient({ baseUrl: sim.dumontUrl, ...SIM_USER }),
    vast,
    keys: createRunKeyStore(SIM_KEY_SECRET, vast),
    objectStore,
  });
}

const alive = (prefix: string) => sim.state().instances.filter((i) => i.label?.startsWith(prefix));

describe('a bounded destroy whose bucket listing is throttled', () => {
  it('past its deadline, a failed listing is tried again and the instance is destroyed', async () => {
    const prefix = `dumont-e2e/${suiteId}/s001/`;
    const bucket = throttledBucket(2);
    const acts = activities(bucket.store);
    await acts.createInstance({ suiteId, label: `${prefix}main`, query: { num_gpus: 1 } });
    expect(alive(prefix)).toHaveLength(1);

    // The deadline has already passed when the destroy starts (as after a slow compensation or a worker restart).
    const report = await acts.destroyByLabel({ labelPrefix: prefix, deadlineMs: Date.now() - 1, timeScale: 0.01 });

    expect(bucket.listed()).toBeGreaterThan(2);
    expect(report.destroyed.join('\n')).toContain(`${prefix}main`);
    expect(alive(prefix)).toEqual([]);
  });

  it('a listing that never succeeds ends the destroy past its deadline, naming the listing error', async () => {
    const prefix = `dumont-e2e/${suiteId}/s002/`;
    const bucket = throttledBucket(Number.POSITIVE_INFINITY);
    const acts = activities(bucket.store);
    await acts.createInstance({ suiteId, label: `${prefix}main`, query: { num_gpus: 1 } });

    const err = await acts.destroyByLabel({ labelPrefix: prefix, deadlineMs: Date.now() + 200, timeScale: 0.01 }).then(
      () => undefined,
      (e: unknown) => e as { type?: string; message: string }
    );

    expect(err?.type).toBe(FailureTypes.CleanupIncomplete);
    expect(err?.message).toContain(`could not list what carries ${prefix} to destroy it: object store list`);
    expect(err?.message).toContain('SlowDown');
    // Cleanup of the test's own instance, with a bucket that answers.
    await activities(throttledBucket(0).store).destroyByLabel({
      labelPrefix: prefix,
      deadlineMs: Date.now() + 20_000,
      timeScale: 0.01,
    });
    expect(alive(prefix)).toEqual([]);
  });
});
