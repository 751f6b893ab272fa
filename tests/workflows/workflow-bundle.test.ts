/** The worker's workflow bundle is built once per version of the code and then read from the data dir. */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WORKFLOWS_PATH } from '../../src/worker';
import { bundleDir, cachedWorkflowBundle, workflowSourceHash } from '../../src/workflow-bundle';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bundle-cache-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('prebuilt workflow bundle', () => {
  it('builds and keeps the bundle on the first start, then hands out the file', { timeout: 180_000 }, async () => {
    const hash = workflowSourceHash();
    expect(hash).toBe(workflowSourceHash());
    // A stale bundle of another version of the code is replaced, not used.
    const stale = path.join(bundleDir(dataDir), '0000000000000000.js');
    await import('node:fs').then((fs) => fs.mkdirSync(bundleDir(dataDir), { recursive: true }));
    writeFileSync(stale, 'not a bundle');
    const first = await cachedWorkflowBundle(dataDir, WORKFLOWS_PATH);
    expect('code' in first && first.code.length).toBeGreaterThan(1000);
    const file = path.join(bundleDir(dataDir), `${hash}.js`);
    expect(existsSync(file)).toBe(true);
    expect(existsSync(stale)).toBe(false);
    expect(await cachedWorkflowBundle(dataDir, WORKFLOWS_PATH)).toEqual({ codePath: file });
    expect(readdirSync(bundleDir(dataDir))).toEqual([`${hash}.js`]);
  });
});
