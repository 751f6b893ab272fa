/**
 * The bucket's keys are worker configuration only: a suite that reads and cleans the bucket (snapshots) and migrates
 * never carries the access key id or the secret in a workflow history or a report.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { toJsonReport } from '../../src/client/reporters';
import type { SuiteResult } from '../../src/workflows/types';
import { startSimWorker } from '../helpers/harness';
import { createTestEnv } from '../helpers/temporal-env';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env?.teardown();
});

function textOf(value: unknown, out: string[] = []): string[] {
  if (value instanceof Uint8Array) out.push(Buffer.from(value).toString('utf8'));
  else if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) textOf(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) textOf(v, out);
  return out;
}

it('bucket keys never reach workflow histories or reports', { timeout: 180_000 }, async () => {
  const h = await startSimWorker(env);
  try {
    const workflowId = `bucket-secrets-${h.taskQueue}`;
    const result = (await env.client.workflow.execute('SuiteWorkflow', {
      taskQueue: h.taskQueue,
      workflowId,
      args: [{ select: '44,92', target: 'sim', timeScale: h.timeScale }],
    })) as SuiteResult;
    expect(result.scenarios.map((s) => s.status)).toEqual(['passed', 'passed']);
    const texts: string[] = [];
    for (const id of [workflowId, ...result.scenarios.map((s) => s.workflowId)])
      textOf(await env.client.workflow.getHandle(id).fetchHistory(), texts);
    texts.push(JSON.stringify(toJsonReport(result)));
    const all = texts.join('\n');
    expect(all).toContain('bucketUsage'); // the bucket was read, and the search sees decoded payloads
    const { accessKeyId, secretAccessKey } = h.sim.objectStore;
    expect(all.includes(secretAccessKey), 'the secret access key is in a history or report').toBe(false);
    expect(all.includes(accessKeyId), 'the access key id is in a history or report').toBe(false);
  } finally {
    await h.stop();
  }
});
