/**
 * Workflow code must replay its recorded histories exactly (a non-deterministic change would break every
 * in-flight nightly run on deploy). Committed histories in `histories/` come from real runs against the
 * simulator; refresh them with `RECORD_HISTORIES=1 npx vitest run tests/replay` after an intended change.
 * They are stored as base64 protobuf: the SDK's JSON reader trips over a duplicated protobufjs copy.
 */
const { History } = temporal.api.history.v1;
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimWorker } from '../helpers/harness';
import { bundleWorkflowsOnce, createTestEnv } from '../helpers/temporal-env';

const DIR = path.join(__dirname, 'histories');
let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env?.teardown();
});

describe('replay', () => {
  it(
    'a freshly recorded suite history (suite + children) replays without non-determinism',
    { timeout: 180_000 },
    async () => {
      const h = await startSimWorker(env);
      try {
        const workflowId = `replay-${h.taskQueue}`;
        await env.client.workflow.execute('SuiteWorkflow', {
          taskQueue: h.taskQueue,
          workflowId,
          args: [{ select: '1,6', target: 'sim', timeScale: h.timeScale }],
        });
        const ids = [workflowId, `${workflowId}/s001-create-rtx-4090`, `${workflowId}/s006-pause-resume`];
        for (const id of ids) {
          const history = await env.client.workflow.getHandle(id).fetchHistory();
          await Worker.runReplayHistory({ workflowBundle: await bundleWorkflowsOnce() }, history, id);
          if (process.env.RECORD_HISTORIES === '1') {
            const name = id.includes('/') ? id.split('/')[1] : 'suite';
            const historyBase64 = Buffer.from(History.encode(history).finish()).toString('base64');
            writeFileSync(
              path.join(DIR, `${name}.json`),
              `${JSON.stringify({ workflowId: id, historyBase64 }, null, 1)}\n`
            );
          }
        }
      } finally {
        await h.stop();
      }
    }
  );

  it('every committed history replays against the current workflow code', async () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const { workflowId, historyBase64 } = JSON.parse(readFileSync(path.join(DIR, file), 'utf8'));
      const history = History.decode(Buffer.from(historyBase64, 'base64'));
      await Worker.runReplayHistory({ workflowBundle: await bundleWorkflowsOnce() }, history, workflowId);
    }
  });
});
