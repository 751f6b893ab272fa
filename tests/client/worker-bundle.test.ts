/**
 * `dumont-e2e worker` builds the workflow bundle once per version of the sources and keeps it in the data dir, so a
 * worker started again after a crash is ready sooner: the chaos campaign measured 10-27 s restarts on a loaded
 * 2-core machine, most of it webpack, and each of those seconds is 50 platform seconds on the simulator's clock.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cachedWorkflowBundle, workflowSourceHash } from '../../src/worker-bundle';
import { WORKFLOWS_PATH } from '../../src/worker';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dumont-e2e-bundle-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('workflow bundle cache', () => {
  it('is built once, then reused as long as the sources are the same', { timeout: 120_000 }, async () => {
    const first = await cachedWorkflowBundle(WORKFLOWS_PATH, dataDir);
    expect(first.codePath).toBe(path.join(dataDir, 'workflow-bundles', `${workflowSourceHash(WORKFLOWS_PATH)}.js`));
    expect(fs.readFileSync(first.codePath, 'utf8')).toContain('SuiteWorkflow');
    const built = fs.statSync(first.codePath).mtimeMs;
    const t0 = Date.now();
    const again = await cachedWorkflowBundle(WORKFLOWS_PATH, dataDir);
    expect(again).toEqual(first);
    expect(fs.statSync(again.codePath).mtimeMs).toBe(built); // not rebuilt
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(fs.readdirSync(path.join(dataDir, 'workflow-bundles'))).toHaveLength(1); // no temp file left
  });

  it('another entry point (or other sources) is another bundle', () => {
    expect(workflowSourceHash(WORKFLOWS_PATH)).toBe(workflowSourceHash(WORKFLOWS_PATH));
    expect(workflowSourceHash(`${WORKFLOWS_PATH}.other`)).not.toBe(workflowSourceHash(WORKFLOWS_PATH));
  });
});
